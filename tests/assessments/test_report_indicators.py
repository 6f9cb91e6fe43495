"""The assessment PDF report shows the project's indicator board (issue 15, deliverable 3):
grouped by challenge and commitment, with target, latest measurement and status; its readers
are the audience of restricted values, which it marks as reserved. Read from the real PDF."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from ecoquartier.assessments import reports
from ecoquartier.assessments.permissions import can_read_assessment
from ecoquartier.indicators import loader, services
from ecoquartier.indicators.models import IndicatorValue
from ecoquartier.indicators.permissions import reads_restricted
from tests.assessments.factories import mock_expertise


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def board(people):
    """The Docks' mock expertise, the 2023 indicators, a public target and a restricted
    measurement of the share of social housing (commitment 7, inclusion)."""
    indicators = loader.load(loader.DATA_DIR / "2023.yaml").indicator_set.indicators
    share = indicators.get(code="CC-04")
    services.record_value(people.holder, people.project, share, kind="target", value=30,
                          year=2030)  # fmt: skip
    services.record_value(
        people.holder, people.project, share, kind="measurement", value=18,
        date=datetime.date(2024, 6, 1), visibility="restricted",
    )  # fmt: skip
    return mock_expertise(people)


def test_the_report_shows_the_board_by_challenge_and_commitment_with_status(board):
    text = pdf_text(reports.render_pdf(board))
    assert "Indicateurs du projet" in text
    section = text[text.index("Indicateurs du projet") :]
    for challenge in ("Chiffres clés", "Sobriété", "Résilience", "Inclusion"):
        assert challenge in section
    inclusion = section[section.index("Inclusion") :]
    assert "Engagement 7" in inclusion
    assert "Part de logements sociaux 30,0 % (2030) 18,0 % (1er juin 2024) — réservée" in inclusion
    assert "réservée En retard sur l'objectif" in inclusion
    assert "Pas de donnée" in section  # the indicators without a measurement


def test_an_indicator_serving_several_commitments_names_them(board):
    text = pdf_text(reports.render_pdf(board))
    assert "Logements (engagements 6, 7)" in text


def test_every_reader_of_the_report_reads_restricted_values(board, people):
    """The stored PDF is shared by the assessment's readers: each of them may read the values
    reserved to the State services and experts, so the report may show them."""
    readers = [people.holder, people.referent, people.lead_expert, people.co_expert,
               people.manager]  # fmt: skip
    assert reports.REPORT_READS_RESTRICTED
    for user in readers:
        assert can_read_assessment(user, board)
        assert reads_restricted(user, board.project)
    for user in (people.outsider, people.unassigned_expert, people.other_region_manager):
        assert not can_read_assessment(user, board)


def test_the_board_costs_the_report_a_fixed_number_of_queries(board):
    with CaptureQueriesContext(connection) as before:
        reports.report_context(board)
    share = IndicatorValue.objects.filter(project=board.project).first().indicator
    for day in range(1, 20):
        IndicatorValue.objects.create(
            project=board.project, indicator=share, kind="measurement", value=20,
            date=datetime.date(2023, 1, day),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        reports.report_context(board)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_project_without_indicators_says_so(people):
    text = pdf_text(reports.render_pdf(mock_expertise(people)))
    assert "Aucun indicateur n’est suivi pour ce projet." in text
