"""Fixtures of the security tests: the permission matrix's world (tests/security/world.py), and
the demo instance the fuzzer and the double-submit tests crawl, each built once per module inside
a transaction rolled back when the module ends; each test runs in a savepoint of it
(pytest-django's `db`), so what a test writes is gone for the next one."""

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from ecoquartier.accounts.models import User
from tests.demo.conftest import load_demo_territories
from tests.security.world import world  # noqa: F401 - the module-scoped fixture, for every module


@pytest.fixture(autouse=True)
def _world_media(request, _test_settings, settings):
    """After tests/conftest.py's settings: a test using the world reads the world's files."""
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media_root


DEMO_DOMAIN = "@demo.ecoquartier.fr"


@dataclass
class Demo:
    accounts: list  # every demo account, by e-mail
    media: object  # where the demo's files are

    def account(self, email):
        return next(user for user in self.accounts if user.email == email)


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    tasks = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with (
        override_settings(MEDIA_ROOT=media, TASKS=tasks),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        load_demo_territories()
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        accounts = list(User.objects.filter(email__endswith=DEMO_DOMAIN).order_by("email"))
        yield Demo(accounts, media)
        transaction.set_rollback(True)
