"""The instalment's transitions as cases of tests/core/test_workflows.py, which enumerates every
transition of every registered workflow: there, `CASES["instalment"] = INSTALMENT_CASES`
(imported from here). Each case builds a follow-up with a grant and an instalment requested by
its holder, brought to the transition's source state."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from ecoquartier.core import workflows
from ecoquartier.followup import grants
from tests.calls.factories import build_geography
from tests.followup.factories import build_support
from tests.organisations.factories import OrganisationFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BEFORE = {"check": (), "approve": ("check",), "pay": ("check", "approve"), "refuse": ("check",)}


def _instalment(transition):
    support = build_support(build_geography())
    grant = grants.add_grant(
        support.manager, support.follow_up,
        {"funder": OrganisationFactory(kind="region"), "purpose": "Études",
         "amount": Decimal(1000)},
    )  # fmt: skip
    instalment = grants.request_instalment(
        support.holder, grant, kind="advance", amount=Decimal(100),
        files=[SimpleUploadedFile("facture.pdf", PDF)],
    )  # fmt: skip
    for step in BEFORE[transition]:
        workflows.fire(instalment, step, support.manager)
    return support, instalment


def instalment_case(transition):
    """(w) -> the Case of tests/core/test_workflows.py for `transition`."""

    def build(w):
        from tests.core.test_workflows import Case

        support, instalment = _instalment(transition)
        data = {"paid_on": date(2025, 1, 2)} if transition == "pay" else {}
        comment = "Pièce manquante." if transition == "refuse" else ""

        def fire(actor, **extra):
            return lambda: workflows.fire(
                instalment, transition, actor, comment=comment, **{**data, **extra}
            )

        failing = None
        if transition == "pay":
            failing = fire(support.manager, paid_on=date.today() + timedelta(days=3))
        elif transition == "refuse":
            failing = lambda: workflows.fire(instalment, "refuse", support.manager)  # noqa: E731
        return Case(instalment, fire(support.manager), fire(support.holder), failing)

    return build


INSTALMENT_CASES = {name: instalment_case(name) for name in BEFORE}


def test_every_transition_of_the_instalment_has_a_case():
    assert set(INSTALMENT_CASES) == set(grants.INSTALMENT.by_name)
