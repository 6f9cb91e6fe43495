"""Every kind of PDF the platform renders is tagged for assistive technologies (PDF/UA-1: a
structure tree, MarkInfo Marked), names its title and says it is in French (issue 13)."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from ecoquartier.applications import letters, receipts
from ecoquartier.applications.models import State
from ecoquartier.assessments import reports
from ecoquartier.core import pdf, workflows
from ecoquartier.labels import certificates
from ecoquartier.labels.models import LabelStep
from tests.applications.factories import build_world as applications_world
from tests.applications.factories import submitted_application
from tests.assessments.factories import cast, mock_expertise
from tests.calls.factories import build_geography
from tests.labels.factories import build_world as labels_world
from tests.labels.factories import stage
from tests.referentiel.factories import load_current

pytestmark = pytest.mark.django_db


def assert_accessible_pdf(content, title):
    """Tagged, titled, in French: what PDF/UA readers and screen readers look for."""
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "no structure tree: the PDF is not tagged"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "fr"
    assert title in reader.metadata.title
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()  # PDF/UA identification


@pytest.fixture
def application_world():
    return applications_world(build_geography())


def test_the_acknowledgement_of_receipt_is_tagged_titled_and_french(application_world):
    application = submitted_application(application_world)
    assert_accessible_pdf(receipts.render(application), "Accusé de réception")


def test_decision_letters_are_tagged_titled_and_french(application_world):
    world = application_world
    application = submitted_application(world, State.UNDER_REVIEW)
    application = workflows.fire(application, "select", world.manager, comment="Exemplaire")
    letter = letters.prepare(
        world.manager, application, signatory_name="C. Durand", signatory_role="Directrice",
        next_steps="",
    )  # fmt: skip
    assert_accessible_pdf(letters.render(application, letter, preview=True), "Courrier de décision")
    letter = letters.send(world.manager, application, version=letter.version)
    with letter.file.open("rb") as sent:
        assert_accessible_pdf(sent.read(), "Courrier de décision")


def test_assessment_reports_are_tagged_titled_and_french():
    load_current()
    assessment = mock_expertise(cast())
    assert_accessible_pdf(reports.render_pdf(assessment), "Écoquartier des Docks")


def test_label_certificates_are_tagged_titled_and_french():
    world = labels_world()
    step = LabelStep.objects.create(
        project=world.project, stage=stage("livre"), decided_on=date(2026, 6, 1), year=2026,
        deciding_body="Commission nationale", decision_reference="CNEQ-2026-0001",
    )  # fmt: skip
    assert_accessible_pdf(certificates.render(step), "Attestation de labellisation ÉcoQuartier")


@pytest.mark.parametrize(
    "html",
    [
        '<html lang="fr"><head></head><body><p>Sans titre</p></body></html>',
        "<html><head><title>Sans langue</title></head><body></body></html>",
        '<html lang="en"><head><title>In English</title></head><body></body></html>',
    ],
)
def test_a_document_without_a_title_or_the_french_language_is_refused(html):
    with pytest.raises(ValueError, match="title"):
        pdf.html_to_pdf(html)
