"""The transition table: every action, by who may and who may not fire it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ecoquartier.applications import services
from ecoquartier.applications.models import Application, CoApplicant, State
from ecoquartier.applications.workflow import APPLICATION
from ecoquartier.core import workflows
from ecoquartier.core.models import ActivityEvent
from tests.accounts.factories import UserFactory
from tests.applications.factories import INTENTION_ANSWERS, review_for, submitted_application

pytestmark = pytest.mark.django_db

FULL_ANSWERS = {"summary": "Détails.", "urbanity": "Rural"}


def co_applicant(application, role):
    user = UserFactory()
    CoApplicant.objects.create(
        application=application, email=user.email, role=role, user=user, accepted_at=timezone.now()
    )
    return user


def actor(world, application, who):
    return {
        "holder": lambda: world.holder,
        "co_edit": lambda: co_applicant(application, CoApplicant.Role.EDIT),
        "co_read": lambda: co_applicant(application, CoApplicant.Role.READ),
        "referent": lambda: world.referent,
        "manager": lambda: world.manager,
        "reviewer": lambda: review_for(application, world.reviewers[0]).reviewer,
        "outsider": lambda: world.outsider,
    }[who]()


ROLES = ["holder", "co_edit", "co_read", "referent", "manager", "reviewer", "outsider"]
# action → (source state, roles allowed)
MATRIX = {
    "submit": (State.DRAFT, {"holder", "co_edit"}),
    "resubmit": (State.COMPLETION_REQUESTED, {"holder", "co_edit"}),
    "withdraw": (State.SUBMITTED, {"holder", "co_edit"}),
    "request_completion": (State.SUBMITTED, {"referent", "manager"}),
    "start_review": (State.SUBMITTED, {"referent", "manager"}),
    "invite_full_file": (State.SUBMITTED, {"referent", "manager"}),
    "dismiss": (State.UNDER_REVIEW, {"referent", "manager"}),
    "select": (State.UNDER_REVIEW, {"manager"}),
    "wait_list": (State.UNDER_REVIEW, {"manager"}),
    "reject": (State.WAITING_LIST, {"manager"}),
}


def test_the_matrix_covers_every_transition():
    assert set(MATRIX) == set(APPLICATION.by_name)


def in_state(world, state):
    if state == State.DRAFT:
        application = services.start_application(
            world.holder, world.call, world.commune, world.project
        )
        services.save_answers(world.holder, application, INTENTION_ANSWERS)
        return application
    return submitted_application(world, state)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_each_transition_allowed_only_to_its_roles(world, action, who):
    source, allowed = MATRIX[action]
    application = in_state(world, source)
    user = actor(world, application, who)
    target = APPLICATION[action].target
    if who in allowed:
        done = workflows.fire(application, action, user, comment="Motif")
        assert done.state == target
        assert ActivityEvent.objects.filter(verb=APPLICATION[action].verb).exists()
    else:
        with pytest.raises(PermissionDenied):
            workflows.fire(application, action, user, comment="Motif")
        application.refresh_from_db()
        assert application.state == source


def test_an_action_from_the_wrong_state_is_refused_with_the_current_state(world):
    # Back to draft for its full file: submitted once, so its instructors still see it.
    application = submitted_application(world, State.DRAFT)
    with pytest.raises(workflows.TransitionRefused, match="Brouillon"):
        workflows.fire(application, "select", world.manager, comment="Bien")


def test_nobody_but_its_applicants_acts_on_a_draft_never_submitted(world):
    """Not even to be told its state (finding 7): instructors do not know it exists."""
    application = in_state(world, State.DRAFT)
    for user in (world.manager, world.referent):
        with pytest.raises(PermissionDenied):
            workflows.fire(application, "select", user, comment="Bien")
        with pytest.raises(PermissionDenied):
            services.post_message(user, application, "Bonjour")
    assert not application.messages.exists()


def test_a_stale_version_is_refused(world):
    application = submitted_application(world)
    seen = application.version
    workflows.fire(application, "start_review", world.referent, expected_version=seen)
    with pytest.raises(workflows.TransitionRefused, match="a changé entre-temps"):
        workflows.fire(application, "dismiss", world.manager, comment="x", expected_version=seen)


def test_submission_after_the_step_deadline_is_refused_in_french(world):
    application = in_state(world, State.DRAFT)
    later = world.intention.deadline + timedelta(minutes=1)
    with pytest.raises(workflows.TransitionRefused, match="date limite.*dépôt est clos"):
        workflows.fire(application, "submit", world.holder, now=later)
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_submission_lists_missing_required_answers(world):
    application = services.start_application(world.holder, world.call, world.commune)
    with pytest.raises(workflows.TransitionRefused) as error:
        workflows.fire(application, "submit", world.holder)
    assert "Présentation du projet" in str(error.value)
    assert [m.key for m in services.missing_answers(application)] == [
        "summary",
        "urbanity",
        "motivation",
    ]


def test_eligibility_is_stored_with_its_reasons_at_submission(world):
    application = submitted_application(world)
    assert application.eligible is True
    rules = {r["rule"]: r for r in application.eligibility}
    assert "Reillanne" in rules["perimeter"]["message"]
    assert application.bonus == 2  # the project addresses the priority theme


def test_an_ineligible_applicant_is_recorded_as_such(world, geo):
    world.call.population_max = 1000
    world.call.save()
    application = submitted_application(world)
    assert application.eligible is False
    failed = [r for r in application.eligibility if r["verdict"] == "failed"]
    assert "population" in failed[0]["message"]


def test_a_completion_request_posts_its_reason_as_a_message(world):
    application = submitted_application(world)
    workflows.fire(application, "request_completion", world.referent, comment="Joindre le plan")
    assert application.messages.get().body == "Joindre le plan"


def test_a_decision_requires_a_motivation(world):
    application = submitted_application(world, State.UNDER_REVIEW)
    with pytest.raises(workflows.TransitionRefused, match="motif"):
        workflows.fire(application, "select", world.manager, comment=" ")


def test_two_step_call_opens_the_full_file_after_the_intention_note(world):
    application = submitted_application(world)
    application = workflows.fire(application, "invite_full_file", world.referent)
    assert application.state == State.DRAFT
    assert application.step == world.full_file
    answers = services.answers_for(application)
    assert answers.form.step == world.full_file
    assert "deliberation" in [m.key for m in services.missing_answers(application)]


def test_a_single_step_call_has_no_full_file_to_open(world):
    application = submitted_application(world)
    Application.objects.filter(pk=application.pk).update(step=world.full_file)
    with pytest.raises(workflows.TransitionRefused, match="dossier complet"):
        workflows.fire(application, "invite_full_file", world.manager)


def test_transitions_email_the_parties_after_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted_application(world)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.fire(application, "request_completion", world.referent, comment="Le plan")
    assert [m.to for m in mailoutbox] == [[world.holder.email]]
    assert "Le plan" in mailoutbox[0].body
