import pytest

from ecoquartier.assessments import demo
from ecoquartier.assessments.models import Assessment, Gap
from ecoquartier.assessments.reads import compare
from ecoquartier.core.models import ActivityEvent
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def docks(referentiel):
    UserFactory(email="porteur.saint-ouen@demo.ecoquartier.fr")
    UserFactory(email="expert.cerema@demo.ecoquartier.fr")
    return ProjectFactory(slug="ecoquartier-des-docks", name="Écoquartier des Docks")


def test_the_docks_get_a_self_assessment_then_an_expertise_six_months_later(docks):
    demo.load()
    self_assessment, expertise = Assessment.objects.filter(project=docks).order_by("assessed_on")
    assert self_assessment.kind == "self" and self_assessment.status == "submitted"
    assert expertise.kind == "mock" and expertise.status == "validated"
    assert expertise.lead_expert.email == "expert.cerema@demo.ecoquartier.fr"
    months = (expertise.assessed_on - self_assessment.assessed_on).days / 30.4
    assert 5.5 < months < 6.5
    assert self_assessment.completion() == expertise.completion() == 100
    assert Gap.objects.filter(answer__assessment=expertise).count() == 5
    comparison = compare(self_assessment, expertise)
    assert len(comparison.gaps_closed) == 1
    assert any(row.delta and row.delta > 0 for row in comparison.rows)
    assert ActivityEvent.objects.for_object(expertise).filter(verb="assessment.validated")


def test_loading_twice_duplicates_nothing(docks):
    demo.load()
    demo.load()
    assert Assessment.objects.filter(project=docks).count() == 2


def test_without_the_docks_project_the_step_is_skipped(referentiel):
    assert "absent" in demo.load()
    assert not Assessment.objects.exists()
