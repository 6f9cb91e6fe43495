"""F-42: a campaign is a call; a label file is an application; an expertise is an assessment."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.assessments.models import Assessment
from ecoquartier.calls.models import Call, CallStep
from ecoquartier.labels import services
from ecoquartier.labels.models import FileState, LabelFile
from ecoquartier.organisations.models import Membership, Organisation
from tests.assessments.factories import AssessmentFactory
from tests.labels.factories import apply, commitments, member, sign_and_acknowledge, stage
from tests.organisations.factories import MembershipFactory, OrganisationFactory


def test_a_campaign_is_a_labelling_call_with_its_calendar(world):
    call = world.campaign.call
    assert call.kind == Call.Kind.LABELLING and call.state == Call.State.PUBLISHED
    labels = list(call.steps.order_by("deadline").values_list("label", flat=True))
    assert labels == [
        "Pré-candidature", "Dépôt des dossiers de labellisation",
        "Fin de la période d'expertise et des visites", "Commissions locales (octobre)",
        "Commission nationale", "Cérémonie de remise des labels",
    ]  # fmt: skip
    assert world.campaign.file_step.kind == CallStep.Kind.APPLICATION
    form = world.campaign.file_step.forms.get()
    assert form.is_published
    assert len([f for f in form.ordered_fields() if f.key.startswith("engagement-")]) == 20


def test_applying_without_charter_is_refused(world):
    with pytest.raises(ValidationError) as error:
        apply(world)
    assert "La charte ÉcoQuartier doit être signée" in str(error.value)
    assert not LabelFile.objects.exists()


def test_applying_submits_an_application_to_the_campaign_call(world):
    sign_and_acknowledge(world)
    file = apply(world)
    application = file.application
    assert application.call == world.campaign.call and application.project == world.project
    assert application.state == ApplicationState.SUBMITTED
    answers = application.answers.get().data
    assert answers["engagement-20"] == "Notre démarche pour cet engagement."
    assert file.target_stage.code == "livre" and file.region == world.idf


def test_the_delivered_label_needs_a_target_and_a_measurement_of_the_national_base(world):
    sign_and_acknowledge(world)
    with pytest.raises(ValidationError) as error:
        apply(world, with_values=False)
    assert "fixez l'objectif et enregistrez au moins une mesure" in str(error.value)
    assert not LabelFile.objects.exists()


def test_a_target_alone_or_a_custom_indicator_is_not_enough_for_the_delivered_label(world):
    from ecoquartier.indicators import services as indicator_services
    from tests.labels.factories import base_indicator

    sign_and_acknowledge(world)
    indicator_services.record_value(
        world.holder, world.project, base_indicator("CC-04"), kind="target", value="35",
        year=2030,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        apply(world, with_values=False)


def test_the_recorded_target_and_measurement_let_the_holder_apply(world):
    from tests.labels.factories import record_base_values

    sign_and_acknowledge(world)
    record_base_values(world)
    assert apply(world, with_values=False).state == FileState.SUBMITTED


def test_commitments_are_prefilled_from_the_latest_self_assessment(world):
    older = AssessmentFactory(
        project=world.project, assessed_on=timezone.localdate() - timedelta(days=400)
    )
    older.answers.update(narrative="Ancienne réponse")
    latest = AssessmentFactory(project=world.project, assessed_on=timezone.localdate())
    latest.answers.filter(commitment__number=7).update(narrative="Vivre ensemble au quotidien")
    prefill = services.prefill_commitments(world.project)
    assert prefill[7] == "Vivre ensemble au quotidien" and len(prefill) == 20


def test_only_holders_apply(world):
    sign_and_acknowledge(world)
    with pytest.raises(PermissionDenied):
        services.apply(
            world.referent, world.campaign, world.project, organisation=world.saint_ouen,
            target_stage=stage("livre"), commitments=commitments(),
        )  # fmt: skip


# --- Experts -----------------------------------------------------------------------------------


@pytest.fixture
def file(world):
    sign_and_acknowledge(world)
    return apply(world)


def test_two_experts_are_assigned_and_the_label_expertise_opened(
    world, file, django_capture_on_commit_callbacks
):
    coordinator, second = world.experts[:2]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        file = services.assign_experts(world.manager, file, coordinator=coordinator, second=second)
    expertise = file.expertise
    assert expertise.kind == Assessment.Kind.LABEL_EXPERTISE and expertise.project == world.project
    assert expertise.lead_expert == coordinator and list(expertise.co_experts.all()) == [second]
    assert file.state == FileState.IN_EXPERTISE
    file.application.refresh_from_db()
    assert file.application.state == ApplicationState.UNDER_REVIEW
    assert {coordinator.email, second.email} <= {m.to[0] for m in mail.outbox}


def test_an_expert_from_the_applicant_organisation_is_refused(world, file):
    insider = member(world.saint_ouen, Membership.Role.EXPERT, first_name="Léa", last_name="Petit")
    with pytest.raises(ValidationError) as error:
        services.assign_experts(world.manager, file, coordinator=insider, second=world.experts[0])
    assert error.value.messages == [
        "Léa Petit ne peut pas être expert de ce dossier : il ou elle appartient à "
        "« Ville de Saint-Ouen-sur-Seine », organisation candidate."
    ]


@pytest.mark.parametrize("service", ["ud93", "drieat"])
def test_an_expert_from_the_state_services_of_the_territory_is_refused(world, file, service):
    insider = member(
        getattr(world, service), Membership.Role.EXPERT, first_name="Marc", last_name="Roy"
    )
    with pytest.raises(ValidationError) as error:
        services.assign_experts(world.manager, file, coordinator=world.experts[0], second=insider)
    assert "service de l'État du territoire du projet" in error.value.messages[0]
    assert insider not in services.eligible_experts(file)
    assert world.experts[0] in services.eligible_experts(file)


def test_the_same_expert_twice_is_refused(world, file):
    with pytest.raises(ValidationError, match="deux experts différents"):
        services.assign_experts(
            world.manager, file, coordinator=world.experts[0], second=world.experts[0]
        )


def test_a_manager_who_is_also_an_expert_does_not_name_themself(world, file):
    """An expert gets access to a file only by being named by someone else."""
    cerema = world.experts[0].memberships.get().organisation
    MembershipFactory(user=world.manager, organisation=cerema, role=Membership.Role.EXPERT)
    with pytest.raises(ValidationError, match="vous-même"):
        services.assign_experts(
            world.manager, file, coordinator=world.manager, second=world.experts[0]
        )
    file.refresh_from_db()
    assert (file.coordinator, file.expertise) == (None, None)


def test_a_campaign_manager_who_does_not_oversee_the_project_still_opens_the_expertise(world, file):
    """The label workflow opens the label expertise for the campaign's managers, whatever
    territory their organisation oversees (the assessments rule is for people, not for it)."""
    partner = OrganisationFactory(
        kind=Organisation.Kind.PUBLIC_OPERATOR, territory=None, name="Agence partenaire"
    )
    world.campaign.call.programme.partners.add(partner)
    partner_manager = member(partner, Membership.Role.PROGRAMME_MANAGER)
    coordinator, second = world.experts[:2]
    file = services.assign_experts(partner_manager, file, coordinator=coordinator, second=second)
    assert file.expertise.lead_expert == coordinator


def test_only_campaign_managers_assign_experts(world, file):
    with pytest.raises(PermissionDenied):
        services.assign_experts(
            world.referent, file, coordinator=world.experts[0], second=world.experts[1]
        )


def test_the_opinion_needs_the_submitted_expertise_and_the_visit(world, file):
    coordinator, second = world.experts[:2]
    file = services.assign_experts(world.manager, file, coordinator=coordinator, second=second)
    with pytest.raises(ValidationError) as error:
        services.give_opinion(coordinator, file, verdict="favourable", opinion="Bien.")
    assert len(error.value.messages) == 2
    with pytest.raises(PermissionDenied):
        services.give_opinion(second, file, verdict="favourable", opinion="Bien.")


def test_files_late_on_expertise(world, file):
    assert not LabelFile.objects.late_on_expertise().exists()
    CallStep.objects.filter(pk=world.campaign.expertise_step_id).update(
        deadline=timezone.now() - timedelta(days=1)
    )
    assert list(LabelFile.objects.late_on_expertise()) == [file]
