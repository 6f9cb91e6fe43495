"""The grants section and a programme's budget page: what each role sees and does, and their
queries, bounded whatever the number of grants, instalments and budget lines."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecoquartier.followup import grants
from ecoquartier.followup.models import BudgetLine, Instalment
from tests.organisations.factories import OrganisationFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf():
    return SimpleUploadedFile("justificatif.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def funded(support):
    funder = OrganisationFactory(kind="region", name="Région Sud")
    line = grants.add_budget_line(
        support.manager, support.follow_up.programme,
        {"funder": funder, "label": "Études pré-opérationnelles", "year": 2025,
         "amount": Decimal(100000)},
    )  # fmt: skip
    support.grant = grants.add_grant(
        support.manager, support.follow_up,
        {"funder": funder, "budget_line": line, "purpose": "Études pré-opérationnelles",
         "amount": Decimal(10000)},
    )  # fmt: skip
    support.line = line
    return support


def section(support):
    return reverse("followup:grants", args=[support.follow_up.pk])


def test_the_holder_requests_an_instalment_with_its_documents(client, funded):
    client.force_login(funded.holder)
    page = client.get(section(funded)).content.decode()
    assert "Demander un versement" in page and "Ajouter une subvention" not in page
    url = reverse("followup:instalment_request", args=[funded.follow_up.pk])
    data = {"grant": funded.grant.pk, "kind": "advance", "amount": "3000", "documents": [pdf()]}
    response = client.post(url, data)
    instalment = Instalment.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#versement-{instalment.pk}")
    data["amount"], data["documents"] = "7000.01", [pdf()]
    refused = client.post(url, data)
    assert refused.status_code == 400
    left = "Il reste 7\u202f000,00\u00a0€ à verser sur cette subvention."
    assert left in refused.content.decode()
    document = instalment.documents.get()
    download = reverse("followup:instalment_document", args=[document.pk])
    assert client.get(download).status_code == 200
    client.force_login(funded.outsider)
    assert client.get(download).status_code == 404


def test_the_manager_checks_approves_and_pays_by_its_buttons(client, funded):
    instalment = grants.request_instalment(
        funded.holder, funded.grant, kind="advance", amount=Decimal(3000), files=[pdf()]
    )
    client.force_login(funded.holder)
    url = reverse("followup:instalment_decide", args=[funded.follow_up.pk, instalment.pk, "check"])
    assert client.post(url).status_code == 403
    client.force_login(funded.manager)
    assert "Pièces vérifiées" in client.get(section(funded)).content.decode()
    for name, data in (("check", {}), ("approve", {}), ("pay", {"paid_on": "2025-06-02"})):
        url = reverse("followup:instalment_decide", args=[funded.follow_up.pk, instalment.pk, name])
        assert client.post(url, {"version": instalment.version, **data}).status_code == 302
        instalment.refresh_from_db()
    funded.grant.refresh_from_db()
    assert instalment.state == Instalment.State.PAID and funded.grant.paid == 3000
    page = client.get(section(funded)).content.decode()
    assert "Versé" in page and "7\u202f000,00\u00a0€" in page  # what is left to pay


def test_only_managers_add_grants_by_the_form(client, funded):
    url = reverse("followup:grant_add", args=[funded.follow_up.pk])
    client.force_login(funded.referent)
    assert client.get(url).status_code == 403
    client.force_login(funded.manager)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"funder": funded.grant.funder_id, "purpose": "AMO", "amount": "5000",
         "nature": "aide en numéraire", "payment": "Unique", "funder_siret": "123"},
    )  # fmt: skip
    assert response.status_code == 400 and "14 chiffres" in response.content.decode()


def _many(support, count):
    for n in range(count):
        grant = grants.add_grant(
            support.manager, support.follow_up,
            {"funder": support.grant.funder, "budget_line": support.line,
             "purpose": f"Étude {n}", "amount": Decimal(1000)},
        )  # fmt: skip
        for kind in ("advance", "balance"):
            instalment = grants.request_instalment(
                support.holder, grant, kind=kind, amount=Decimal(100), files=[pdf()]
            )
        grants.check_instalment(support.manager, instalment)
        BudgetLine.objects.create(
            programme=support.follow_up.programme, funder=support.grant.funder,
            label=f"Ligne {n}", year=2026, amount=Decimal(10),
        )  # fmt: skip


def test_both_pages_are_bounded_in_queries(client, funded, django_assert_max_num_queries):
    budget = reverse("followup:budget", args=[funded.follow_up.programme_id])
    client.force_login(funded.holder)
    assert client.get(budget).status_code == 403
    for count in (1, 8):
        _many(funded, count)
        for user in (funded.manager, funded.holder):
            client.force_login(user)
            with django_assert_max_num_queries(24):
                assert client.get(section(funded)).status_code == 200
        client.force_login(funded.manager)
        with django_assert_max_num_queries(16):
            page = client.get(budget)
        assert "Études pré-opérationnelles" in page.content.decode()


def test_the_budget_page_sums_commitments_and_payments(client, funded):
    instalment = grants.request_instalment(
        funded.holder, funded.grant, kind="advance", amount=Decimal(2500), files=[pdf()]
    )
    for step in (grants.check_instalment, grants.approve_instalment):
        step(funded.manager, instalment)
    grants.pay_instalment(funded.manager, instalment, paid_on=date(2025, 1, 3))
    client.force_login(funded.manager)
    page = client.get(reverse("followup:budget", args=[funded.follow_up.programme_id]))
    text = page.content.decode()
    assert "10\u202f000,00\u00a0€" in text and "2\u202f500,00\u00a0€" in text
    assert "Budget : " in client.get(reverse("followup:index")).content.decode()
