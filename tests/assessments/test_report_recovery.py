"""A PDF report whose worker died is detected, queued again, and failed after three attempts
with a button to start it again (core.jobs)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ecoquartier.assessments import reports
from ecoquartier.assessments.models import Report
from ecoquartier.core import jobs
from ecoquartier.core.models import ActivityEvent
from tests.assessments.factories import mock_expertise

HTMX = {"HTTP_HX_REQUEST": "true"}
LONG_AGO = timedelta(minutes=10)


def status_url(report):
    return reverse(
        "assessments:report_status", kwargs={"pk": report.assessment_id, "report_pk": report.pk}
    )


def left_by_a_dead_worker(report, attempt=1, progress=40):
    """What a worker killed while rendering leaves: the row running, its heartbeat old, and
    django-tasks-db's own row still running."""
    task = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [report.pk], "kwargs": {}},
        task_path=Report.TASK,
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now() - LONG_AGO,
        exception_class_path="",
        traceback="",
    )
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING,
        progress=progress,
        attempt=attempt,
        heartbeat_at=timezone.now() - LONG_AGO,
        task_id=str(task.id),
    )
    report.refresh_from_db()
    return task


@pytest.fixture
def report(people):
    return mock_expertise(people).reports.create(requested_by=people.holder)


def test_a_report_whose_worker_died_is_built_again_when_its_page_is_read(
    client, people, report, django_capture_on_commit_callbacks
):
    task = left_by_a_dead_worker(report)
    client.force_login(people.holder)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(status_url(report), **HTMX)

    report.refresh_from_db()
    assert (report.status, report.progress, report.attempt) == ("ready", 100, 2)
    assert report.file.name.endswith(".pdf")
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED


def test_a_report_that_is_still_beating_is_left_to_its_worker(client, people, report):
    left_by_a_dead_worker(report)
    Report.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now())
    client.force_login(people.holder)

    content = client.get(status_url(report), **HTMX).content.decode()

    report.refresh_from_db()
    assert (report.status, report.attempt) == ("running", 1)
    assert 'hx-trigger="every 1s"' in content


def test_after_three_dead_workers_the_page_shows_the_failure_and_a_retry_button(
    client, people, report
):
    left_by_a_dead_worker(report, attempt=Report.MAX_ATTEMPTS)
    client.force_login(people.holder)

    content = client.get(status_url(report), **HTMX).content.decode()

    report.refresh_from_db()
    assert report.status == "failed" and "3 tentatives" in report.error
    assert "La génération du rapport a échoué" in content
    assert "every 1s" not in content  # the page stops polling
    retry = reverse(
        "assessments:report_retry", kwargs={"pk": report.assessment_id, "report_pk": report.pk}
    )
    assert f'action="{retry}"' in content and "Relancer la génération" in content


def test_the_retry_button_builds_the_report_and_is_logged(
    client, people, report, django_capture_on_commit_callbacks
):
    left_by_a_dead_worker(report, attempt=Report.MAX_ATTEMPTS)
    jobs.recover(report)
    client.force_login(people.holder)
    retry = reverse(
        "assessments:report_retry", kwargs={"pk": report.assessment_id, "report_pk": report.pk}
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)

    report.refresh_from_db()
    assert report.status == "ready" and report.error == ""
    assert ActivityEvent.objects.filter(verb="assessment.report_retried").count() == 1


def test_only_readers_of_the_assessment_may_retry_its_report(client, people, report):
    left_by_a_dead_worker(report, attempt=Report.MAX_ATTEMPTS)
    jobs.recover(report)
    client.force_login(people.outsider)
    retry = reverse(
        "assessments:report_retry", kwargs={"pk": report.assessment_id, "report_pk": report.pk}
    )

    assert client.post(retry).status_code == 404
    report.refresh_from_db()
    assert report.status == "failed"


def test_a_task_delivered_twice_builds_the_report_once(people, report):
    reports.build(report.pk)
    report.refresh_from_db()
    first = (report.file.name, report.attempt, report.finished_at)

    reports.build(report.pk)

    report.refresh_from_db()
    assert (report.file.name, report.attempt, report.finished_at) == first


def test_a_slow_worker_replaced_by_a_new_attempt_cannot_overwrite_its_result(people, report):
    slow = jobs.claim(Report, report.pk)
    Report.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
    jobs.recover(report)
    current = jobs.claim(Report, report.pk)

    with pytest.raises(jobs.Superseded):
        jobs.beat(Report, report.pk, slow, progress=90)
    jobs.finish(Report, report.pk, current, file="reports/current.pdf")
    jobs.fail(Report, report.pk, slow, "the slow worker gave up")

    report.refresh_from_db()
    assert (report.status, report.file.name, report.error) == ("ready", "reports/current.pdf", "")


def test_the_recover_jobs_command_requeues_every_stale_job(
    people, report, django_capture_on_commit_callbacks
):
    left_by_a_dead_worker(report)
    live = report.assessment.reports.create()
    Report.objects.filter(pk=live.pk).update(status="running", heartbeat_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115

    report.refresh_from_db()
    live.refresh_from_db()
    assert report.status == "ready"
    assert live.status == "running"
