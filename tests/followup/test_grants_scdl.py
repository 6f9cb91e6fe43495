"""The grants' open data (issue 14, deliverable 8): the SCDL « subventions » v2.1.0 file,
validated with frictionless against the vendored schema; public, and per programme for its
managers."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from frictionless import Resource, Schema

from ecoquartier.followup import grants, grants_scdl
from ecoquartier.followup.models import Grant
from tests.organisations.factories import OrganisationFactory

SCHEMA = Path(settings.BASE_DIR) / "data" / "followup" / "scdl-subventions-schema.json"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def validate(text):
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return Resource(data=text.encode(), format="csv", schema=schema).validate()


@pytest.fixture
def published(support):
    """A paid grant with its convention dated, one with a rate and no payment yet, and one not
    publishable (no convention date)."""
    region = OrganisationFactory(kind="region", name="Région Provence-Alpes-Côte d'Azur")
    paid = grants.add_grant(
        support.manager, support.follow_up,
        {"funder": region, "purpose": "=Études pré-opérationnelles, " + "x" * 300,
         "amount": Decimal("24000.50"), "convention_date": date(2025, 3, 1),
         "decision_reference": "CP-2025-03-101", "funder_siret": "23130002100012",
         "beneficiary_siret": "21040157900017", "payment": Grant.Payment.ONCE},
    )  # fmt: skip
    pdf = SimpleUploadedFile("facture.pdf", PDF)
    instalment = grants.request_instalment(
        support.holder, paid, kind="advance", amount=Decimal(8000), files=[pdf]
    )
    for step in (grants.check_instalment, grants.approve_instalment):
        step(support.manager, instalment)
    grants.pay_instalment(support.manager, instalment, paid_on=date(2025, 4, 2))
    grants.add_grant(
        support.manager, support.follow_up,
        {"funder": region, "purpose": "AMO", "amount": Decimal(5000), "rate": Decimal(80),
         "convention_date": date(2025, 5, 1), "funder_siret": "23130002100012",
         "nature": Grant.Nature.IN_KIND},
    )  # fmt: skip
    grants.add_grant(
        support.manager, support.follow_up,
        {"funder": region, "purpose": "Sans convention", "amount": Decimal(1000)},
    )  # fmt: skip
    return support


def test_the_export_is_valid_scdl_subventions(published):
    text = grants_scdl.csv_text(grants_scdl.publishable())
    report = validate(text)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    lines = text.splitlines()
    assert lines[0].split(",") == list(grants_scdl.FIELDS)
    assert len(lines) == 3  # the grant without a convention date is left out
    assert "2025-04-02" in lines[1] and "'=Études" in lines[1]  # paid on; a formula made inert
    assert "2025-05-01/2028-01-01" in lines[2] and "aide en nature" in lines[2]


def test_an_invalid_row_is_caught(published):
    text = grants_scdl.csv_text(grants_scdl.publishable())
    broken = text.replace("23130002100012", "231300021", 1).replace(",non,", ",peut-être,", 1)
    report = validate(broken)
    assert not report.valid
    errors = {(row[0], row[1]) for row in report.flatten(["fieldName", "type"])}
    assert errors == {("idAttribuant", "constraint-error"), ("notificationUE", "type-error")}


def test_the_open_data_is_public_and_the_programme_csv_its_managers(client, published):
    response = client.get(reverse("followup:grants_open_data"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert validate(text).valid and text.count("\r\n") == 3
    url = reverse("followup:grants_export", args=[published.follow_up.programme_id])
    client.force_login(published.holder)
    assert client.get(url).status_code == 403
    client.force_login(published.manager)
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert validate(b"".join(response.streaming_content).decode()).valid
