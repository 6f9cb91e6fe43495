"""Fixtures of the security tests: the world (tests/security/world.py), built once per module."""

import pytest

from tests.security.world import world  # noqa: F401 - the module-scoped fixture, for every module


@pytest.fixture(autouse=True)
def _test_settings(request, settings, tmp_path):
    """As tests/conftest.py's, except that a test using the world reads its files."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media_root
    else:
        settings.MEDIA_ROOT = tmp_path / "media"


def pytest_terminal_summary(terminalreporter):
    """The permission matrix's counts (gathered from the reports, so also under xdist)."""
    totals = {}
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        for name, value in getattr(report, "user_properties", []):
            if name == "security_matrix" and report.when == "call":
                for key, number in value.items():
                    totals[key] = totals.get(key, 0) + number
    if totals:
        terminalreporter.write_line(
            "Permission matrix: {patterns} URL patterns, {instances} instantiated URLs, "
            "{requests} (URL × role) requests checked, {markers} marker checks.".format(**totals)
        )
