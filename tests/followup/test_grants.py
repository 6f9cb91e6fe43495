"""Grants and instalments (issue 14, part 4): who adds grants and budget lines, who requests,
checks, approves, pays and refuses instalments, and the totals that never exceed a grant."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from ecoquartier.core.models import ActivityEvent, TransitionLog
from ecoquartier.core.workflows import TransitionRefused
from ecoquartier.followup import grants
from ecoquartier.followup.models import Grant, Instalment
from ecoquartier.notifications.models import Notification
from tests.organisations.factories import OrganisationFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
State = Instalment.State
Kind = Instalment.Kind


def pdf(name="facture.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def funder(db):
    return OrganisationFactory(kind="region", name="Région Sud")


@pytest.fixture
def grant(support, funder):
    return grants.add_grant(
        support.manager, support.follow_up,
        {"funder": funder, "purpose": "Études pré-opérationnelles", "amount": Decimal("10000"),
         "rate": Decimal("50"), "convention_date": date(2025, 3, 1)},
    )  # fmt: skip


def ask(support, grant, amount, kind=Kind.INTERIM, who=None):
    return grants.request_instalment(
        who or support.holder, grant, kind=kind, amount=Decimal(amount), files=[pdf()]
    )


# --- Grants and budget lines -------------------------------------------------------------------


def test_a_manager_adds_a_grant_logged_on_the_follow_up(support, grant):
    assert grant.follow_up == support.follow_up and grant.paid == 0
    event = ActivityEvent.objects.get(verb="followup.grant_added")
    assert "10\u202f000,00\u00a0€" in event.summary


@pytest.mark.parametrize("role", ["holder", "referent", "expert", "outsider"])
def test_only_managers_add_grants(support, funder, role):
    with pytest.raises(PermissionDenied):
        grants.add_grant(
            getattr(support, role), support.follow_up,
            {"funder": funder, "purpose": "x", "amount": Decimal(1)},
        )  # fmt: skip


def test_a_grant_takes_a_budget_line_of_its_programme_only(support, funder):
    other = OrganisationFactory(kind="region")
    from tests.calls.factories import ProgrammeFactory

    foreign = grants.BudgetLine.objects.create(
        programme=ProgrammeFactory(owner=other), funder=funder, label="Autre", year=2025,
        amount=Decimal(100),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        grants.add_grant(
            support.manager, support.follow_up,
            {"funder": funder, "purpose": "x", "amount": Decimal(1), "budget_line": foreign},
        )  # fmt: skip
    assert "budget_line" in error.value.message_dict


def test_budget_lines_are_kept_by_the_programme_managers(support, funder):
    programme = support.follow_up.programme
    values = {"funder": funder, "label": "BOP 135", "year": 2025, "amount": Decimal(50000)}
    line = grants.add_budget_line(support.manager, programme, values)
    grants.change_budget_line(support.manager, line, {"amount": Decimal(60000)})
    line.refresh_from_db()
    assert line.amount == 60000
    for role in ("holder", "referent", "expert"):
        with pytest.raises(PermissionDenied):
            grants.add_budget_line(getattr(support, role), programme, values)
        with pytest.raises(PermissionDenied):
            grants.change_budget_line(getattr(support, role), line, {"amount": Decimal(1)})


def test_a_grant_cannot_fall_below_what_was_requested(support, grant):
    ask(support, grant, 4000)
    with pytest.raises(ValidationError) as error:
        grants.change_grant(support.manager, grant, {"amount": Decimal(3000)})
    assert "4\u202f000,00\u00a0€" in error.value.message_dict["amount"][0]
    grants.change_grant(support.manager, grant, {"amount": Decimal(4000)})
    with pytest.raises(PermissionDenied):
        grants.change_grant(support.holder, grant, {"amount": Decimal(9000)})


# --- Requesting --------------------------------------------------------------------------------


def test_the_beneficiary_requests_with_its_documents_and_the_managers_are_told(
    support, grant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        instalment = ask(support, grant, 3000, kind=Kind.ADVANCE)
    assert instalment.state == State.REQUESTED
    assert [d.name for d in instalment.documents.all()] == ["facture.pdf"]
    told = set(
        Notification.objects.filter(event__verb="followup.instalment_requested").values_list(
            "recipient", flat=True
        )
    )
    assert support.manager.pk in told and support.holder.pk not in told


@pytest.mark.parametrize("role", ["manager", "referent", "expert", "outsider"])
def test_only_the_beneficiary_requests(support, grant, role):
    with pytest.raises(PermissionDenied):
        ask(support, grant, 100, who=getattr(support, role))


def test_a_request_needs_an_acceptable_document(support, grant):
    with pytest.raises(ValidationError) as error:
        grants.request_instalment(
            support.holder, grant, kind=Kind.ADVANCE, amount=Decimal(10), files=[]
        )
    assert "documents" in error.value.message_dict
    script = SimpleUploadedFile("facture.pdf", b"MZ\x00\x00 not a pdf")
    with pytest.raises(ValidationError) as error:
        grants.request_instalment(
            support.holder, grant, kind=Kind.ADVANCE, amount=Decimal(10), files=[script]
        )
    assert "documents" in error.value.message_dict
    assert not Instalment.objects.exists()


def test_requests_never_exceed_the_grant_and_say_what_is_left(support, grant):
    ask(support, grant, 6000)
    ask(support, grant, 2800)
    with pytest.raises(ValidationError) as error:
        ask(support, grant, "1200.01")
    assert error.value.message_dict["amount"] == [
        "Il reste 1\u202f200,00\u00a0€ à verser sur cette subvention."
    ]
    ask(support, grant, 1200)
    with pytest.raises(ValidationError):
        ask(support, grant, "0.01")
    total = sum(i.amount for i in Instalment.objects.exclude(state=State.REFUSED))
    assert total == grant.amount


def test_a_refusal_frees_its_amount(support, grant):
    first = ask(support, grant, 10000)
    with pytest.raises(ValidationError):
        ask(support, grant, 1)
    grants.refuse_instalment(support.manager, first, reason="Factures illisibles.")
    ask(support, grant, 10000)


def test_a_grant_has_one_balance_unless_it_was_refused(support, grant):
    balance = ask(support, grant, 1000, kind=Kind.BALANCE)
    with pytest.raises(ValidationError) as error:
        ask(support, grant, 1000, kind=Kind.BALANCE)
    assert "kind" in error.value.message_dict
    grants.refuse_instalment(support.manager, balance, reason="Trop tôt.")
    ask(support, grant, 1000, kind=Kind.BALANCE)


def test_requests_on_a_closed_follow_up_are_refused(support, grant):
    from ecoquartier.followup.services import close_follow_up

    close_follow_up(support.manager, support.follow_up)
    with pytest.raises(PermissionDenied):
        ask(support, grant, 100)


# --- The workflow ------------------------------------------------------------------------------


def test_checked_approved_paid_raises_the_grants_paid_counter(support, grant):
    instalment = ask(support, grant, 2500)
    grants.check_instalment(support.referent, instalment)
    grants.approve_instalment(support.manager, instalment)
    grants.pay_instalment(support.manager, instalment, paid_on=date(2025, 6, 1))
    instalment.refresh_from_db()
    grant.refresh_from_db()
    assert (instalment.state, instalment.paid_on) == (State.PAID, date(2025, 6, 1))
    assert grant.paid == Decimal(2500)
    second = ask(support, grant, 1500)
    for step in (grants.check_instalment, grants.approve_instalment):
        step(support.manager, second)
    grants.pay_instalment(support.manager, second, paid_on=date(2025, 7, 1))
    grant.refresh_from_db()
    assert grant.paid == Decimal(4000)
    logged = list(TransitionLog.objects.filter(workflow="instalment").values_list("transition"))
    assert len(logged) == 6


def test_the_beneficiary_hears_of_each_decision(support, grant, django_capture_on_commit_callbacks):
    instalment = ask(support, grant, 2500)
    with django_capture_on_commit_callbacks(execute=True):
        grants.check_instalment(support.manager, instalment)
        grants.refuse_instalment(support.manager, instalment, reason="Pièce manquante.")
    for verb in ("followup.instalment_checked", "followup.instalment_refused"):
        told = Notification.objects.filter(event__verb=verb).values_list("recipient", flat=True)
        assert support.holder.pk in told
    instalment.refresh_from_db()
    assert instalment.refusal_reason == "Pièce manquante."


@pytest.mark.parametrize(
    ("transition", "allowed", "refused"),
    [
        ("check", ("manager", "referent"), ("holder", "expert", "outsider")),
        ("approve", ("manager",), ("holder", "referent", "expert", "outsider")),
        ("pay", ("manager",), ("holder", "referent", "expert", "outsider")),
        ("refuse", ("manager",), ("holder", "expert", "outsider")),
    ],
)
def test_who_may_fire_each_transition(support, grant, transition, allowed, refused):
    from ecoquartier.core import workflows

    before = {"check": (), "approve": ("check",), "pay": ("check", "approve"), "refuse": ()}

    def fresh():
        instalment = ask(support, grant, 100)
        for step in before[transition]:
            workflows.fire(instalment, step, support.manager)
        return instalment

    data = {"paid_on": date(2025, 1, 2), "comment": "Motif."}
    instalment = fresh()
    for role in refused:
        with pytest.raises(PermissionDenied):
            workflows.fire(instalment, transition, getattr(support, role), **data)
    for role in allowed:
        target = fresh()
        workflows.fire(target, transition, getattr(support, role), **data)
        assert target.state == grants.INSTALMENT[transition].target


def test_referents_refuse_only_what_they_check(support, grant):
    waiting = ask(support, grant, 100)
    grants.refuse_instalment(support.referent, waiting, reason="Devis manquant.")
    checked = ask(support, grant, 100)
    grants.check_instalment(support.referent, checked)
    with pytest.raises(PermissionDenied):
        grants.refuse_instalment(support.referent, checked, reason="Non.")


def test_a_refusal_needs_a_reason_and_a_paid_instalment_cannot_be_refused(support, grant):
    instalment = ask(support, grant, 100)
    with pytest.raises(TransitionRefused):
        grants.refuse_instalment(support.manager, instalment, reason="  ")
    for step in (grants.check_instalment, grants.approve_instalment):
        step(support.manager, instalment)
    with pytest.raises(TransitionRefused):
        grants.pay_instalment(support.manager, instalment, paid_on=None)
    with pytest.raises(TransitionRefused):
        tomorrow = date.today() + timedelta(days=2)
        grants.pay_instalment(support.manager, instalment, paid_on=tomorrow)
    grants.pay_instalment(support.manager, instalment, paid_on=date(2025, 2, 1))
    with pytest.raises(TransitionRefused):
        grants.refuse_instalment(support.manager, instalment, reason="Trop tard.")
    assert Grant.objects.get(pk=grant.pk).paid == 100


def test_a_stale_decision_is_refused(support, grant):
    instalment = ask(support, grant, 100)
    seen = instalment.version
    grants.check_instalment(support.manager, instalment, expected_version=seen)
    with pytest.raises(TransitionRefused):
        grants.refuse_instalment(support.manager, instalment, reason="x", expected_version=seen)


def test_the_database_refuses_paying_more_than_the_grant(support, grant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(paid=grant.amount + 1)
