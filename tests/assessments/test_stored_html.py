"""Référentiel texts (commitment descriptions, guiding questions) and what people write in an
assessment are escaped on every page that shows them."""

import pytest
from django.urls import reverse

from ecoquartier.referentiel.models import Commitment, GuidingQuestion
from tests.assessments.factories import AssessmentFactory, add_gap, mock_expertise

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def assert_inert(html):
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_commitment_texts_are_escaped_on_the_referentiel_and_assessment_pages(client, people):
    Commitment.objects.update(description=PAYLOAD, title=PAYLOAD)
    GuidingQuestion.objects.update(text=PAYLOAD)
    assessment = AssessmentFactory(project=people.project)
    commitment = Commitment.objects.select_related("dimension__version").first()
    code = commitment.dimension.version.code
    client.force_login(people.holder)
    for url in [
        reverse("referentiel:version", args=[code]),
        reverse("referentiel:commitment", args=[code, commitment.number]),
        assessment.get_absolute_url(),
        reverse("assessments:results", args=[assessment.pk]),
    ]:
        assert_inert(client.get(url).content.decode())


def test_gap_texts_are_escaped_on_the_gap_list(client, people):
    assessment = mock_expertise(people)
    add_gap(assessment, 3, description=PAYLOAD, proposal=PAYLOAD, owner=PAYLOAD[:60])
    client.force_login(people.holder)
    html = client.get(reverse("assessments:gaps", args=[people.project.slug])).content.decode()
    assert_inert(html)
