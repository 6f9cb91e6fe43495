"""Local and national commissions: proposals, adjournments, awards and their effects."""

from datetime import date
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.core.models import ActivityEvent
from ecoquartier.labels import certificates, services
from ecoquartier.labels.models import Campaign, FileState, LabelStep
from ecoquartier.organisations.models import Membership
from tests.labels.factories import (
    apply,
    calendar,
    expertise_done,
    local_session,
    member,
    national_session,
    sign_and_acknowledge,
)
from tests.organisations.factories import DdtFactory
from tests.territories.factories import DepartementFactory


@pytest.fixture
def file(world):
    sign_and_acknowledge(world)
    return expertise_done(world, apply(world))


def propose(world, file):
    session = local_session(world)
    services.deliberate(
        world.referent, session, file, outcome="propose", motivation="Dossier solide."
    )
    file.refresh_from_db()
    return file


def test_the_local_agenda_lists_files_of_its_territory_with_expertise_done(world, file):
    session = local_session(world)
    assert list(services.agenda(session)) == [file]
    other = DdtFactory(territory=DepartementFactory(region=world.idf))
    other_session = services.open_session(
        member(other, Membership.Role.STATE_REFERENT), world.campaign, level="local",
        organisation=other, held_on=date(2026, 10, 2), members="DDT",
    )  # fmt: skip
    assert list(services.agenda(other_session)) == []


def test_a_local_commission_proposes_the_label(world, file):
    file = propose(world, file)
    assert file.state == FileState.PROPOSED
    assert list(services.agenda(national_session(world))) == [file]


def test_an_adjourned_file_records_its_support_offer(world, file):
    session = local_session(world)
    with pytest.raises(ValidationError, match="accompagnement proposé"):
        services.deliberate(
            world.referent, session, file, outcome="adjourn", motivation="Trop tôt."
        )
    deliberation = services.deliberate(
        world.referent, session, file, outcome="adjourn", motivation="Trop tôt.",
        support_offer="Expertise à blanc sur la gestion", support_provider="Cerema",
    )  # fmt: skip
    file.refresh_from_db()
    assert file.state == FileState.ADJOURNED
    assert (deliberation.support_offer, deliberation.support_provider) == (
        "Expertise à blanc sur la gestion", "Cerema",
    )  # fmt: skip


def test_an_adjourned_project_stays_eligible_next_campaign(world, file):
    services.deliberate(
        world.referent, local_session(world), file, outcome="adjourn", motivation="Trop tôt.",
        support_offer="Accompagnement", support_provider="DDT",
    )  # fmt: skip
    next_year = services.create_campaign(
        world.manager, world.programme, world.campaign.year + 1, calendar(),
        perimeter=world.campaign.call.perimeter,
    )  # fmt: skip
    world.campaign = next_year
    assert apply(world).campaign == next_year


def test_a_local_commission_may_not_propose(world, file):
    services.deliberate(
        world.referent, local_session(world), file, outcome="not_propose", motivation="Insuffisant."
    )
    file.refresh_from_db()
    assert file.state == FileState.NOT_PROPOSED


def test_local_commissions_decide_only_local_outcomes(world, file):
    with pytest.raises(ValidationError, match="n'appartient pas"):
        services.deliberate(
            world.referent, local_session(world), file, outcome="award", motivation="Oui."
        )


def test_only_the_service_runs_its_local_commission(world, file):
    session = local_session(world)
    with pytest.raises(PermissionDenied):
        services.deliberate(world.manager, session, file, outcome="propose", motivation="Oui.")
    with pytest.raises(PermissionDenied):
        local_session_by = services.open_session
        local_session_by(
            world.holder, world.campaign, level="local", organisation=world.ud93,
            held_on=date(2026, 10, 1), members="x",
        )  # fmt: skip


def test_the_national_commission_awards(world, file, django_capture_on_commit_callbacks):
    file = propose(world, file)
    session = national_session(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.deliberate(world.manager, session, file, outcome="award", motivation="Exemplaire.")
    file.refresh_from_db()
    assert file.state == FileState.AWARDED
    step = LabelStep.objects.get(project=world.project, stage__code="livre")
    assert (step.year, step.decided_on) == (world.campaign.year, session.held_on)
    assert step.deciding_body == "Commission nationale ÉcoQuartier"
    assert step.decision_reference == f"CNEQ-{world.campaign.year}-{file.pk:04d}"
    assert world.project.label.stage.code == "livre"
    file.application.refresh_from_db()
    assert file.application.state == ApplicationState.SELECTED
    subjects = {m.subject for m in mail.outbox if m.to == [world.holder.email]}
    assert "Votre projet obtient le label « ÉcoQuartier Livré »" in subjects
    public = ActivityEvent.objects.for_object(world.project).filter(
        verb__startswith="label.public."
    )
    assert public.filter(summary__contains=f"ÉcoQuartier Livré » ({world.campaign.year})").exists()


def test_the_national_commission_may_refuse(world, file):
    file = propose(world, file)
    services.deliberate(
        world.manager, national_session(world), file, outcome="not_award", motivation="Non."
    )
    file.refresh_from_db()
    file.application.refresh_from_db()
    assert file.state == FileState.NOT_AWARDED
    assert file.application.state == ApplicationState.NOT_SELECTED
    assert not LabelStep.objects.filter(stage__code="livre").exists()


def test_the_national_commission_decides_only_proposed_files(world, file):
    with pytest.raises(ValidationError, match="Expertise rendue"):
        services.deliberate(
            world.manager, national_session(world), file, outcome="award", motivation="Oui."
        )


def test_the_certificate_says_stage_year_and_project(world, file):
    file = propose(world, file)
    services.deliberate(
        world.manager, national_session(world), file, outcome="award", motivation="Oui."
    )
    step = LabelStep.objects.get(stage__code="livre")
    text = PdfReader(BytesIO(certificates.render(step))).pages[0].extract_text()
    assert "Attestation de labellisation ÉcoQuartier" in text
    assert f"ÉcoQuartier Livré — {world.campaign.year}" in text
    assert "Écoquartier des Docks" in text


def test_delivery_award_schedules_one_use_phase_reminder(world, file):
    from ecoquartier.labels.models import UsePhaseReminder

    file = propose(world, file)
    services.deliberate(
        world.manager, national_session(world), file, outcome="award", motivation="Oui."
    )
    reminder = UsePhaseReminder.objects.get(project=world.project)
    held_on = date(world.campaign.year, 11, 28)
    assert reminder.due_on == held_on.replace(year=held_on.year + 3)
    assert Campaign.objects.count() == 1 and timezone.now()


def test_opening_the_national_session_settles_the_applications_not_proposed(world, file):
    services.deliberate(
        world.referent, local_session(world), file, outcome="adjourn", motivation="Trop tôt.",
        support_offer="Accompagnement", support_provider="DDT",
    )  # fmt: skip
    file.application.refresh_from_db()
    assert file.application.state == ApplicationState.UNDER_REVIEW
    national_session(world)
    file.application.refresh_from_db()
    assert file.application.state == ApplicationState.WAITING_LIST
    assert file.application.motivation == "Trop tôt."
