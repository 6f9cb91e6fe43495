"""The self-assessment saves each commitment as it is changed (htmx, on a change of its level
or its text), and the page warns before it is left with text not yet saved (core forms.js)."""

import re

import pytest

from tests.assessments.factories import AssessmentFactory, answer
from tests.assessments.test_views import HTMX, answer_payload, answer_url

pytestmark = pytest.mark.django_db


def answer_forms(html):
    return re.findall(r'<form method="post" action="/evaluations/[^"]*/engagements/[^>]*>', html)


def test_each_commitment_form_saves_itself_on_change_and_warns_before_leaving(client, people):
    assessment = AssessmentFactory(project=people.project)
    client.force_login(people.holder)
    page = client.get(assessment.get_absolute_url()).content.decode()
    forms = [tag for tag in answer_forms(page) if "hx-post" in tag and "/pieces/" not in tag]
    forms = [tag for tag in forms if "/ecarts/" not in tag]
    assert len(forms) == 20
    for tag in forms:
        assert 'hx-trigger="change delay:500ms, submit"' in tag
        assert "data-eq-warn-unsaved" in tag and "novalidate" in tag
    assert "/static/core/forms.js" in page


def test_an_autosave_writes_one_commitment_and_returns_it_saved(client, people):
    assessment = AssessmentFactory(project=people.project)
    first, second = answer(assessment, 1), answer(assessment, 2)
    client.force_login(people.holder)
    response = client.post(
        answer_url(assessment, first), answer_payload(first, None, "Texte en cours"), **HTMX
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enregistré à" in content and "data-eq-warn-unsaved" in content
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.narrative, first.level) == ("Texte en cours", None)
    assert second.narrative == ""
