"""The follow-up's rows in the dashboard's inbox ("À faire"), each for the right people."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from ecoquartier.core.extensions import tasks
from ecoquartier.followup import inbox
from ecoquartier.followup.models import (
    Convention,
    ConventionParty,
    ConventionState,
    DeliverableState,
    Grant,
    Instalment,
)


def labels(user):
    return {task.label: task for task in tasks(user)}


def test_the_beneficiary_is_asked_to_hand_in_its_deliverables(support):
    rows = labels(support.holder)
    task = rows["Livrables à remettre"]
    assert task.count == 3
    assert task.url == reverse("followup:deliverables", args=[support.follow_up.pk])
    assert task.due == date(2025, 4, 1)
    assert "Livrables à remettre" not in labels(support.expert)


def test_a_submitted_deliverable_is_for_the_team_to_review(support):
    support.follow_up.deliverables.filter(title="Note de cadrage").update(
        state=DeliverableState.SUBMITTED
    )
    assert labels(support.expert)["Livrables à relire"].count == 1
    assert labels(support.manager)["Livrables à relire"].count == 1
    assert "Livrables à relire" not in labels(support.holder)
    assert "Livrables à relire" not in labels(support.referent)


def test_a_convention_sent_waits_for_the_parties_that_have_not_signed(support):
    convention = Convention.objects.create(
        follow_up=support.follow_up, object="Accompagnement", starts_on=date(2025, 1, 1),
        state=ConventionState.SENT,
    )  # fmt: skip
    ConventionParty.objects.create(
        convention=convention, organisation=support.world.commune, role="beneficiary",
        signed_on=date(2025, 1, 5),
    )  # fmt: skip
    ConventionParty.objects.create(
        convention=convention, organisation=support.world.ddt, role="state"
    )
    assert labels(support.referent)["Conventions d'accompagnement à signer"].count == 1
    assert "Conventions d'accompagnement à signer" not in labels(support.holder)


def test_instalments_waiting_are_for_the_programme_managers(support):
    grant = Grant.objects.create(
        follow_up=support.follow_up, funder=support.world.call.programme.owner,
        purpose="Études pré-opérationnelles", amount=Decimal(40000),
    )  # fmt: skip
    Instalment.objects.create(grant=grant, kind="advance", amount=Decimal(12000))
    assert labels(support.manager)["Versements de subventions à traiter"].count == 1
    assert "Versements de subventions à traiter" not in labels(support.holder)


def test_the_rows_cost_one_query_each(support, django_assert_max_num_queries):
    providers = (
        inbox.conventions_to_sign, inbox.deliverables_to_hand_in, inbox.work_of_the_team,
        inbox.instalments_to_process,
    )  # fmt: skip
    tasks(support.manager)  # memberships cached on the user
    with django_assert_max_num_queries(5):
        for provider in providers:
            list(provider(support.manager))
