"""Fixtures of the security tests: the world (tests/security/world.py), built once per module."""

import pytest

from tests.security.world import world  # noqa: F401 - the module-scoped fixture, for every module


@pytest.fixture(autouse=True)
def _world_media(request, _test_settings, settings):
    """After tests/conftest.py's settings: a test using the world reads the world's files."""
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media_root
