"""A real `db_worker` killed while it renders a PDF: the report is not left "running" for ever.
Two processes share the database, so it needs PostgreSQL (SQLite tests run in memory)."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecoquartier.assessments import services
from ecoquartier.assessments.models import Report
from tests.assessments.factories import answer_all, mock_expertise

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="a worker process shares the database with the test: PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parents[2]


def worker(*options):
    """`manage.py db_worker` in its own process, on the test database and media folder."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(
        command + ["--interval", "0.05", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_report_whose_worker_is_killed_mid_render_is_built_by_the_next_worker(
    client, people, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assessment = mock_expertise(people)
    answer_all(assessment)
    report = services.request_report(people.holder, assessment)
    first_task = Report.objects.get(pk=report.pk).task_id

    doomed = worker()
    try:
        wait_for(lambda: Report.objects.get(pk=report.pk).status == "running")
        doomed.send_signal(signal.SIGSTOP)  # frozen mid-render, then killed: no chance to clean up
        doomed.kill()
    finally:
        doomed.wait(timeout=30)
    report.refresh_from_db()
    assert report.status == "running" and report.progress < 100

    # The heartbeat goes silent; once it is older than STALE_AFTER, reading the page recovers it.
    monkeypatch.setattr(Report, "STALE_AFTER", timedelta(milliseconds=200))
    time.sleep(0.3)
    client.force_login(people.holder)
    status = reverse(
        "assessments:report_status", kwargs={"pk": assessment.pk, "report_pk": report.pk}
    )
    client.get(status, HTTP_HX_REQUEST="true")
    report.refresh_from_db()
    assert report.status == "pending"
    assert DBTaskResult.objects.get(id=first_task).status == TaskResultStatus.FAILED

    next_worker = worker("--batch")
    assert next_worker.wait(timeout=120) == 0
    report.refresh_from_db()
    assert (report.status, report.progress, report.attempt) == ("ready", 100, 2)
    with report.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
