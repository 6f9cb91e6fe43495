"""Deadline reminders: 14, 7 and 1 day(s) before a step closes, to applicants whose file is still
being written; never twice, never for a submitted file (issue 11)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from ecoquartier.applications import services
from ecoquartier.applications.reminders import send_deadline_reminders
from tests.applications.factories import submitted_application


def draft(world):
    return services.start_application(world.holder, world.call, world.commune, world.project)


def days_before(world, days, at=8):
    """`at` o'clock (Paris) on the day `days` days before the intention note's deadline."""
    deadline = timezone.localtime(world.intention.deadline)
    return deadline.replace(hour=at, minute=0) - timedelta(days=days)


def test_nothing_is_sent_more_than_fourteen_days_before(world):
    draft(world)
    send_deadline_reminders(days_before(world, 15))
    assert mail.outbox == []


def test_each_reminder_is_sent_once_with_the_days_left(world):
    application = draft(world)

    for moment in (
        days_before(world, 14),  # J-14
        days_before(world, 12),  # still J-14's window: nothing new
        days_before(world, 7),  # J-7
        days_before(world, 1),  # J-1
        days_before(world, 1, at=9),
    ):
        send_deadline_reminders(moment)

    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        f"Candidature « {application.title} » : 14 jours pour la déposer",
        f"Candidature « {application.title} » : 7 jours pour la déposer",
        f"Candidature « {application.title} » : plus qu’un jour pour la déposer",
    ]
    assert {tuple(m.to) for m in mail.outbox} == {(world.holder.email,)}
    assert f"/candidatures/{application.pk}/" in mail.outbox[0].body


def test_days_without_workers_send_one_reminder_not_the_missed_ones(world):
    draft(world)
    send_deadline_reminders(days_before(world, 3))
    assert [m.subject.split(" : ")[1] for m in mail.outbox] == ["3 jours pour la déposer"]


def test_a_submitted_application_is_not_reminded(world):
    submitted_application(world)
    send_deadline_reminders(days_before(world, 6))
    assert mail.outbox == []


def test_a_closed_step_is_not_reminded(world):
    draft(world)
    send_deadline_reminders(world.intention.deadline + timedelta(hours=1))
    assert mail.outbox == []


def test_the_daily_job_is_registered_with_the_scheduler():
    from ecoquartier.core import scheduler

    job = scheduler.JOBS["deadline_reminders"]
    assert job.function == "ecoquartier.applications.reminders.send_deadline_reminders"
    assert job.schedule.describe() == "tous les jours à 08 h 00"
