"""The follow-up's demo data (issue 14, deliverable 9): the seeds' supports, loaded once."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from ecoquartier.applications.models import State
from ecoquartier.core.models import ActivityEvent
from ecoquartier.followup import models
from ecoquartier.followup.models import (
    ConventionParty,
    ConventionState,
    DeliverableState,
    FollowUp,
    Grant,
    Instalment,
    RoadmapAction,
)
from tests.demo.conftest import load_demo_territories

pytestmark = pytest.mark.django_db

MODELS = (
    models.FollowUp, models.Convention, models.ConventionParty, models.SupportActivity,
    models.MilestoneTemplate, models.Milestone, models.Deliverable, models.DeliverableVersion,
    models.BudgetLine, models.Grant, models.Instalment, models.RoadmapAction, ActivityEvent,
)  # fmt: skip


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def load():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def demo(db):
    load_demo_territories()
    load()


def cerema(code):
    return FollowUp.objects.get(
        programme__slug="offre-accompagnement-cerema-ecoquartier",
        beneficiary__territory__code=code,
    )


def planned_to_date(follow_up):
    """Days planned by today on a straight line over the support's duration."""
    elapsed = (timezone.localdate() - follow_up.starts_on).days
    duration = (follow_up.ends_on - follow_up.starts_on).days
    return follow_up.days_budget * Decimal(elapsed) / Decimal(duration)


def test_a_second_load_changes_nothing(demo):
    before = counts()
    load()
    assert counts() == before
    assert before["FollowUp"] >= 7  # two Cerema laureates at least, five PACA laureates


def test_saint_ouen_has_a_convention_signed_by_its_three_parties_and_in_force(demo):
    follow_up = cerema("93070")
    convention, amendment = follow_up.conventions.order_by("number")
    assert convention.state == ConventionState.IN_FORCE
    parties = {p.role: p for p in convention.parties.select_related("organisation")}
    assert set(parties) == {"beneficiary", "state", "operator"}
    assert parties["state"].organisation.acronym == "UD DRIEAT 93"
    assert parties["operator"].organisation.acronym == "Cerema"
    assert all(p.signed_on and p.signed_by for p in parties.values())
    assert follow_up.application.state == State.SELECTED
    assert "expert.cerema@demo.ecoquartier.fr" in {u.email for u in follow_up.experts.all()}
    # Its avenant n° 1 waits for the préfet (the DDT 93 referent's task).
    assert (amendment.amends, amendment.state) == (convention, ConventionState.SENT)
    unsigned = amendment.parties.filter(signed_on__isnull=True)
    assert [p.organisation.acronym for p in unsigned] == ["UD DRIEAT 93"]


def test_another_laureates_convention_waits_for_the_prefect(demo):
    waiting = ConventionParty.objects.exclude(convention__follow_up=cerema("93070")).get(
        convention__state=ConventionState.SENT, role=ConventionParty.Role.STATE
    )
    assert waiting.signed_on is None
    others = ConventionParty.objects.filter(convention=waiting.convention).exclude(pk=waiting.pk)
    assert all(p.signed_on for p in others)


def test_paces_differ_one_ahead_and_one_behind_plan(demo):
    follow_ups = FollowUp.objects.filter(programme__slug="offre-accompagnement-cerema-ecoquartier")
    ratios = {f.pk: f.days_used / planned_to_date(f) for f in follow_ups}
    assert ratios[cerema("93070").pk] > Decimal("1.2")
    assert min(ratios.values()) < Decimal("0.5")
    assert all(f.days_used <= f.days_budget for f in follow_ups)


def test_days_used_is_the_sum_of_the_half_days(demo):
    for follow_up in FollowUp.objects.all():
        half_days = follow_up.activities.aggregate(total=Sum("half_days"))["total"] or 0
        assert follow_up.days_used == Decimal(half_days) / 2


def test_the_expertise_a_blanc_gaps_became_saint_ouens_roadmap(demo):
    follow_up = cerema("93070")
    actions = RoadmapAction.objects.filter(follow_up=follow_up).select_related("gap__answer")
    assert len(actions) == 4
    for action in actions:
        assert action.project_id == follow_up.project_id
        assert action.gap.answer.assessment.kind == "mock"
        assert action.commitment_id == action.gap.answer.commitment_id
    assert {a.status for a in actions} >= {"done", "in_progress", "planned"}


def test_deliverables_are_in_several_states_and_one_is_late(demo):
    deliverables = models.Deliverable.objects.filter(follow_up__programme__slug__startswith="offre")
    assert {d.state for d in deliverables} == set(DeliverableState)
    today = timezone.localdate()
    assert any(d.due_on < today and d.state != DeliverableState.ACCEPTED for d in deliverables)
    for deliverable in deliverables.exclude(state=DeliverableState.EXPECTED):
        assert deliverable.files.exists()


def test_paca_laureates_have_grants_never_over_paid(demo):
    grants = Grant.objects.filter(follow_up__programme__slug="ami-quartiers-durables-paca")
    assert grants.count() == 5
    for grant in grants:
        paid = grant.instalments.filter(state=Instalment.State.PAID).aggregate(s=Sum("amount"))
        assert grant.paid == paid["s"]
        asked = grant.instalments.exclude(state=Instalment.State.REFUSED)
        assert asked.aggregate(s=Sum("amount"))["s"] <= grant.amount
        assert grant.budget_line.programme_id == grant.follow_up.programme_id
        assert grant.convention_date.year in (2017, 2018)
    states = set(Instalment.objects.values_list("state", flat=True))
    assert {"paid", "approved", "requested", "refused"} <= states
    for line in models.BudgetLine.objects.all():
        assert line.grants.aggregate(s=Sum("amount"))["s"] <= line.amount
