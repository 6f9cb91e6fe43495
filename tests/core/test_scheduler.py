"""Periodic jobs run by the workers themselves, once per period whatever the number of workers
(core/scheduler.py, ADR 18)."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from ecoquartier.core import scheduler
from ecoquartier.core.activity import record
from ecoquartier.core.models import ActivityEvent, ScheduledRun
from tests.accounts.factories import UserFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def count_a_tick():
    """The test job: one activity event per run."""
    record(None, "test.periodic", "Tâche de test", targets=[])
    return "1 événement"


@pytest.fixture
def test_job(monkeypatch):
    monkeypatch.setattr(scheduler, "JOBS", {})
    scheduler.register(
        "test_job", "Tâche de test", f"{__name__}.count_a_tick", scheduler.every(minutes=15)
    )
    return scheduler.JOBS["test_job"]


# --- Periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "start", "following"),
    [
        (paris(2026, 12, 3, 5, 59), paris(2026, 12, 2, 6, 0), paris(2026, 12, 3, 6, 0)),
        (paris(2026, 12, 3, 6, 0), paris(2026, 12, 3, 6, 0), paris(2026, 12, 4, 6, 0)),
        # Daylight saving changes keep the job at 6 o'clock, Paris time.
        (paris(2026, 3, 29, 12, 0), paris(2026, 3, 29, 6, 0), paris(2026, 3, 30, 6, 0)),
        (paris(2026, 10, 25, 12, 0), paris(2026, 10, 25, 6, 0), paris(2026, 10, 26, 6, 0)),
    ],
)
def test_a_daily_job_runs_at_its_paris_hour(now, start, following):
    schedule = scheduler.daily(at=datetime.time(6, 0))
    assert schedule.period_start(now) == start
    assert schedule.next_run(now) == following


def test_an_interval_starts_again_at_midnight():
    schedule = scheduler.every(minutes=7)
    assert schedule.period_start(paris(2026, 12, 3, 8, 12)) == paris(2026, 12, 3, 8, 10)
    assert schedule.next_run(paris(2026, 12, 3, 23, 58)) == paris(2026, 12, 4, 0, 0)


# --- Once per period ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_runs_once_per_period_however_often_workers_tick(
    test_job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = scheduler.tick(paris(2026, 12, 3, 8, 1))
        again = scheduler.tick(paris(2026, 12, 3, 8, 14))
        later = scheduler.tick(paris(2026, 12, 3, 8, 15))

    assert [len(first), len(again), len(later)] == [1, 0, 1]
    assert ActivityEvent.objects.filter(verb="test.periodic").count() == 2
    runs = ScheduledRun.objects.order_by("period")
    assert [(r.status, r.result) for r in runs] == [("ready", "1 événement")] * 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="two workers racing need real concurrent connections: PostgreSQL",
)
@pytest.mark.postgres
def test_two_workers_ticking_at_the_same_instant_run_the_job_once(test_job):
    barrier = threading.Barrier(4)
    now = paris(2026, 12, 3, 9, 0)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=10)
            scheduler.tick(now)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert ScheduledRun.objects.filter(job="test_job").count() == 1
    assert ActivityEvent.objects.filter(verb="test.periodic").count() == 1


# --- The worker runs what is due by itself ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_opens_a_use_phase_evaluation_due_since_years_without_any_command(settings):
    from ecoquartier.labels import services
    from ecoquartier.labels.models import UsePhaseEvaluation
    from tests.labels.factories import build_world, sign_and_acknowledge, stage
    from tests.referentiel.factories import load_current

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    load_current()
    world = build_world(with_campaign=False)
    sign_and_acknowledge(world)
    services.record_past_step(
        world.manager, world.project, stage("livre"), decided_on=datetime.date(2016, 6, 1),
        deciding_body="Commission nationale ÉcoQuartier", reference="CN-2016",
    )  # fmt: skip
    assert not UsePhaseEvaluation.objects.exists()

    # What `make run` starts beside the web server (here until its queue is empty).
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)

    evaluation = UsePhaseEvaluation.objects.get(project=world.project)
    assert evaluation.assessment.kind == "use_phase"
    assert ScheduledRun.objects.get(job="use_phase_reminders").status == "ready"


# --- The administrators' page -------------------------------------------------------------------


@pytest.mark.django_db
def test_administrators_see_each_job_with_its_last_and_next_run(
    client, test_job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.tick(paris(2026, 12, 3, 8, 1))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    dashboard = client.get(reverse("core:dashboard")).content.decode()
    page = client.get(reverse("core:scheduled_jobs")).content.decode()

    assert reverse("core:scheduled_jobs") in dashboard
    assert "Tâche de test" in page and "toutes les 15 minutes" in page
    assert "3 décembre 2026 08:00" in page and "1 événement" in page


@pytest.mark.django_db
def test_the_jobs_page_is_for_administrators_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("core:scheduled_jobs")).status_code == 403
