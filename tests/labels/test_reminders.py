"""F-43: three years after the delivery award, one reminder per project opens the use-phase
evaluation; its validation opens the way to "Vécu"."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from ecoquartier.assessments.models import Assessment
from ecoquartier.labels import rules, services
from ecoquartier.labels.models import UsePhaseEvaluation, UsePhaseReminder
from ecoquartier.labels.tasks import send_use_phase_reminders
from tests.labels.factories import build_world, sign_and_acknowledge, stage

DELIVERED = date(2021, 11, 30)


@pytest.fixture
def world(referentiel):
    world = build_world(with_campaign=False)
    sign_and_acknowledge(world)
    services.record_past_step(
        world.manager, world.project, stage("livre"), decided_on=DELIVERED,
        deciding_body="Commission nationale ÉcoQuartier", reference="CN-2021-12",
    )  # fmt: skip
    return world


def test_nothing_is_sent_before_three_years(world):
    assert send_use_phase_reminders.call("2024-11-29") == 0
    assert not UsePhaseEvaluation.objects.exists()


def test_the_reminder_fires_once_per_project(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_use_phase_reminders.call("2024-11-30") == 1
        assert send_use_phase_reminders.call("2024-12-01") == 0
        call_command("label_reminders", "--date", "2025-01-01")
    assert UsePhaseEvaluation.objects.count() == 1
    assert Assessment.objects.filter(kind=Assessment.Kind.USE_PHASE).count() == 1
    assert [m.to for m in mail.outbox] == [[world.holder.email]]
    reminder = UsePhaseReminder.objects.get()
    assert reminder.sent_at is not None and reminder.evaluation is not None


def test_the_enqueued_task_runs_the_same_way(world):
    send_use_phase_reminders.enqueue("2025-01-01")
    assert UsePhaseReminder.objects.get().sent_at is not None


def test_the_use_phase_evaluation_is_structured_and_leads_to_vecu(world):
    send_use_phase_reminders.call("2024-12-01")
    evaluation = UsePhaseEvaluation.objects.get()
    services.save_use_phase(world.holder, evaluation, {
        "key_events": "Ouverture du groupe scolaire", "priority_objectives": "Mobilités",
        "residents_feedback": "Jardin partagé apprécié", "managers_feedback": "Entretien lourd",
        "leverage_effect": "Méthode reprise à l'échelle de la ville",
    })  # fmt: skip
    evaluation.refresh_from_db()
    assert evaluation.residents_feedback == "Jardin partagé apprécié"
    on = date(2025, 1, 1)
    assert rules.refusals(world.project, stage("vecu"), on=on) == [
        "Une évaluation en phase d'usage validée est nécessaire pour l'étape « ÉcoQuartier Vécu »."
    ]
    Assessment.objects.filter(pk=evaluation.assessment_id).update(
        status=Assessment.Status.VALIDATED
    )
    assert rules.refusals(world.project, stage("vecu"), on=on) == []
