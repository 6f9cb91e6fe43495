"""Health checks, structured request and task logs, and the optional error tracker."""

import json
import logging
from datetime import timedelta

import pytest
import sentry_sdk
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from sentry_sdk.transport import Transport

from ecoquartier.core.observability import JsonFormatter, init_sentry
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@task()
def noop_task():
    return "done"


def waiting_task(age):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=f"{__name__}.noop_task",
        backend_name="default",
        run_after=timezone.now() - age,
        exception_class_path="",
        traceback="",
    )


# --- /sante/ -----------------------------------------------------------------------------------


def test_health_reports_each_check_when_all_is_well(client):
    response = client.get(reverse("core:health"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "tasks": True,
    }
    assert response["Cache-Control"] == "no-store"


def test_health_fails_when_the_oldest_waiting_task_is_too_old(client):
    row = waiting_task(timedelta(minutes=20))
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=20)
    )

    response = client.get(reverse("core:health"))

    assert response.status_code == 503
    tasks = response.json()["checks"]["tasks"]
    assert tasks["ok"] is False and tasks["oldest_waiting_seconds"] >= 1200


def test_a_recent_waiting_task_is_fine(client):
    waiting_task(timedelta(0))
    assert client.get(reverse("core:health")).json()["checks"]["tasks"]["ok"] is True


def test_health_fails_when_the_cache_keeps_nothing(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response = client.get(reverse("core:health"))

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


# --- Structured logs ---------------------------------------------------------------------------


def test_every_request_is_logged_with_its_fields_and_id(client, caplog):
    user = UserFactory()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="ecoquartier.requests"):
        response = client.get(reverse("core:dashboard") + "?q=personal", HTTP_X_REQUEST_ID="req-42")

    record = next(r for r in caplog.records if r.name == "ecoquartier.requests")
    assert (record.method, record.path, record.status) == ("GET", "/tableau-de-bord/", 200)
    assert record.user_id == user.pk and record.duration_ms >= 0
    assert record.request_id == "req-42" == response["X-Request-ID"]
    entry = json.loads(JsonFormatter().format(record))
    assert entry["path"] == "/tableau-de-bord/" and entry["status"] == 200
    assert "personal" not in json.dumps(entry)  # the query string is never logged


def test_tasks_are_logged_with_their_status_and_duration(caplog):
    with caplog.at_level(logging.INFO, logger="ecoquartier.tasks"):
        noop_task.enqueue()

    finished = [r for r in caplog.records if r.name.endswith("tasks") and hasattr(r, "status")]
    assert finished[-1].task == f"{__name__}.noop_task"
    assert finished[-1].status == "SUCCESSFUL" and finished[-1].duration_ms is not None


# --- Error tracking ----------------------------------------------------------------------------


def test_an_error_reaches_the_tracker_without_personal_data(client, settings):
    settings.ROOT_URLCONF = "tests.core.urls_errors"
    events = []

    class Capture(Transport):
        def capture_envelope(self, envelope):
            if envelope.get_event() is not None:
                events.append(envelope.get_event())

    init_sentry("http://key@127.0.0.1:9/1", environment="test", transport=Capture)
    try:
        client.raise_request_exception = False
        client.force_login(UserFactory(email="camille@example.org"))
        assert client.get("/en-panne/").status_code == 500
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init(dsn=None)
    assert events, "the error was sent"
    event = events[-1]
    assert event["exception"]["values"][-1]["type"] == "OperationalError"
    assert "camille@example.org" not in json.dumps(event, default=str)
