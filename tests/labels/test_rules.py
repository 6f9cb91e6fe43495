"""F-40: which stage a project may reach, and why not, across schemes."""

from datetime import date

import pytest

from ecoquartier.assessments.models import Assessment
from ecoquartier.labels import rules, services
from ecoquartier.labels.models import UsePhaseEvaluation
from tests.assessments.factories import AssessmentFactory
from tests.labels.factories import build_world, sign_and_acknowledge, stage


@pytest.fixture
def world(referentiel):
    return build_world(with_campaign=False)


def past(world, code, day):
    return services.record_past_step(
        world.manager, world.project, stage(code), decided_on=day,
        deciding_body="Commission nationale ÉcoQuartier", reference=f"CN-{day.year}",
    )  # fmt: skip


def validated_use_phase(world):
    assessment = AssessmentFactory(
        project=world.project, kind=Assessment.Kind.USE_PHASE, status=Assessment.Status.VALIDATED
    )
    UsePhaseEvaluation.objects.create(assessment=assessment, project=world.project)


def test_no_livre_without_charter(world):
    reasons = rules.refusals(world.project, stage("livre"))
    assert reasons == [
        "La charte ÉcoQuartier doit être signée avant de viser l'étape « ÉcoQuartier Livré »."
    ]


def test_livre_is_allowed_once_the_charter_is_signed(world):
    sign_and_acknowledge(world)
    assert rules.refusals(world.project, stage("livre")) == []


def test_vecu_is_refused_before_three_years_after_delivery(world):
    sign_and_acknowledge(world)
    past(world, "livre", date(2023, 12, 1))
    validated_use_phase(world)
    reasons = rules.refusals(world.project, stage("vecu"), on=date(2026, 11, 30))
    assert reasons == [
        "L'étape « ÉcoQuartier Vécu » ne peut être visée que 3 ans après la livraison, "
        "soit à partir du 1er décembre 2026."
    ]
    assert rules.refusals(world.project, stage("vecu"), on=date(2026, 12, 1)) == []


def test_vecu_needs_the_delivered_label_first(world):
    sign_and_acknowledge(world)
    reasons = rules.refusals(world.project, stage("vecu"))
    assert (
        "L'étape « ÉcoQuartier Livré » doit être obtenue avant l'étape « ÉcoQuartier Vécu »."
        in reasons
    )
    assert any("labellisé « livré »" in r for r in reasons)


def test_vecu_needs_a_validated_use_phase_evaluation(world):
    sign_and_acknowledge(world)
    past(world, "livre", date(2020, 12, 1))
    reasons = rules.refusals(world.project, stage("vecu"), on=date(2024, 1, 1))
    assert reasons == [
        "Une évaluation en phase d'usage validée est nécessaire pour l'étape « ÉcoQuartier Vécu »."
    ]


def test_a_stage_is_held_once(world):
    sign_and_acknowledge(world)
    past(world, "livre", date(2023, 12, 1))
    assert rules.refusals(world.project, stage("livre")) == [
        "Le projet a déjà obtenu l'étape « ÉcoQuartier Livré »."
    ]


def test_history_under_the_old_scheme_counts_under_the_new_one(world):
    """Delivered as "étape 3" in 2019: the 2023 path sees it as "Livré", delivery date kept."""
    sign_and_acknowledge(world)
    past(world, "etape-3", date(2019, 12, 10))
    validated_use_phase(world)
    assert rules.refusals(world.project, stage("livre")) == [
        "Le projet a déjà obtenu l'étape « ÉcoQuartier Livré »."
    ]
    assert rules.refusals(world.project, stage("vecu"), on=date(2024, 1, 1)) == []


def test_the_history_keeps_every_step_with_its_scheme(world):
    charter = sign_and_acknowledge(world)
    past(world, "etape-2", date(2018, 12, 4))
    past(world, "etape-3", date(2021, 12, 7))
    steps = list(world.project.label_steps.select_related("stage__scheme").order_by("decided_on"))
    assert [(s.stage.scheme.code, s.stage.code, s.year) for s in steps] == [
        ("2016", "etape-2", 2018), ("2016", "etape-3", 2021),
        ("2023", "ecoprojet", steps[-1].year),
    ]  # fmt: skip
    assert steps[-1].charter == charter
    assert steps[0].deciding_body == "Commission nationale ÉcoQuartier"
    assert steps[0].decision_reference == "CN-2018"
    standing = world.project.label
    # The furthest stage stays current: a later charter does not move a delivered project back.
    assert standing.stage.code == "etape-3" and standing.delivered_on == date(2021, 12, 7)
    assert standing.region == world.idf


def test_only_programme_managers_enter_past_steps(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.record_past_step(
            world.holder, world.project, stage("etape-3"), decided_on=date(2019, 1, 1),
            deciding_body="x", reference="y",
        )  # fmt: skip
