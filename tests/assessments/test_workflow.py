import pytest
from django.core.exceptions import PermissionDenied

from ecoquartier.assessments.models import Assessment
from ecoquartier.assessments.workflow import ASSESSMENT
from ecoquartier.core import workflows
from ecoquartier.core.models import ActivityEvent, TransitionLog
from tests.assessments.factories import AssessmentFactory, mock_expertise

pytestmark = pytest.mark.django_db

Status = Assessment.Status


def test_the_transition_table_is_draft_submitted_validated_with_a_way_back():
    assert [(t.name, t.sources, t.target) for t in ASSESSMENT.transitions] == [
        ("submit", (Status.DRAFT,), Status.SUBMITTED),
        ("validate", (Status.SUBMITTED,), Status.VALIDATED),
        ("reopen", (Status.SUBMITTED,), Status.DRAFT),
    ]


def test_submitting_an_empty_assessment_is_refused(people):
    assessment = AssessmentFactory(project=people.project)
    with pytest.raises(workflows.TransitionRefused, match="au moins un engagement"):
        workflows.fire(assessment, "submit", people.holder)
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_submitting_logs_the_change_and_mails_the_territory_referent(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = AssessmentFactory(project=people.project, created_by=people.holder)
    assessment.answers.filter(commitment__number=1).update(level=2)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.fire(assessment, "submit", people.holder)
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED
    assert assessment.submitted_at is not None
    event = ActivityEvent.objects.for_object(assessment).get(verb="assessment.submitted")
    assert event.changes == {"status": ["draft", "submitted"]}
    log = TransitionLog.objects.get()
    assert (log.transition, log.from_state, log.to_state, log.event) == (
        "submit",
        "draft",
        "submitted",
        event,
    )
    assert [m.to for m in mailoutbox] == [[people.referent.email]]
    assert "soumise" in mailoutbox[0].subject


def test_the_lead_expert_validates_and_the_team_is_mailed(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = mock_expertise(people, status=Status.SUBMITTED, created_by=people.lead_expert)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.fire(assessment, "validate", people.lead_expert)
    assert Assessment.objects.get(pk=assessment.pk).status == Status.VALIDATED
    assert [m.to for m in mailoutbox] == [[people.co_expert.email]]
    assert "validée" in mailoutbox[0].subject


def test_a_programme_manager_validates_a_self_assessment(people):
    assessment = AssessmentFactory(project=people.project, status=Status.SUBMITTED)
    workflows.fire(assessment, "validate", people.manager)
    assert assessment.status == Status.VALIDATED


@pytest.mark.parametrize("who", ["co_expert", "holder", "referent", "unassigned_expert"])
def test_others_cannot_validate(people, who):
    assessment = mock_expertise(people, status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        workflows.fire(assessment, "validate", getattr(people, who))
    assert Assessment.objects.get(pk=assessment.pk).status == Status.SUBMITTED
    assert not ActivityEvent.objects.for_object(assessment).exists()


def test_a_draft_cannot_be_validated_directly(people):
    assessment = mock_expertise(people)
    with pytest.raises(workflows.TransitionRefused):
        workflows.fire(assessment, "validate", people.lead_expert)


def test_a_stale_page_cannot_fire_a_transition_twice(people):
    assessment = mock_expertise(people, status=Status.SUBMITTED)
    stale_copy = Assessment.objects.get(pk=assessment.pk)
    workflows.fire(assessment, "validate", people.lead_expert)
    with pytest.raises(workflows.TransitionRefused, match="Validée"):
        workflows.fire(stale_copy, "reopen", people.lead_expert)


def test_a_submitted_assessment_is_reopened_for_changes(people):
    assessment = mock_expertise(people, status=Status.SUBMITTED)
    workflows.fire(assessment, "reopen", people.lead_expert, comment="Compléter l'engagement 20")
    assert assessment.status == Status.DRAFT
    event = ActivityEvent.objects.for_object(assessment).get()
    assert event.reason == "Compléter l'engagement 20"


def test_available_transitions_depend_on_status_and_person(people):
    assessment = mock_expertise(people, status=Status.SUBMITTED)
    names = {t.name for t in workflows.actions(assessment, people.lead_expert)[0]}
    assert names == {"validate", "reopen"}
    assert workflows.actions(assessment, people.referent) == ([], [])


def test_submitting_is_offered_while_answers_are_saved_on_the_same_page(people):
    """Answers are saved in place (htmx): the button is there, the engine says why if none."""
    assessment = AssessmentFactory(project=people.project, created_by=people.holder)
    offered, refused = workflows.actions(assessment, people.holder)
    assert [t.name for t in offered] == ["submit"] and refused == []
