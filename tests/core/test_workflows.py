"""The one workflow engine (ADR 20): every transition of every registered workflow, fired once
by someone allowed and refused once (wrong role; failing guard or check where one exists),
through the service layer, with its transition log row, its activity event and its e-mails."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecoquartier.applications import services as application_services
from ecoquartier.applications.models import Answers, Application, State
from ecoquartier.assessments.models import Assessment
from ecoquartier.calls import services as call_services
from ecoquartier.calls.models import Call
from ecoquartier.core import workflows
from ecoquartier.core.models import ActivityEvent, TransitionLog
from ecoquartier.labels import services as label_services
from tests.applications import factories as application_factories
from tests.assessments.factories import AssessmentFactory, cast, mock_expertise
from tests.calls.factories import CallFactory, build_geography
from tests.followup.test_days_workflow import EXPERTISE_REQUEST_CASES
from tests.followup.test_grants_workflow import INSTALMENT_CASES
from tests.labels import factories as label_factories
from tests.referentiel.factories import load_current

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    obj: object
    allowed: object  # () -> fires as someone allowed
    wrong_role: object  # () -> fires as someone who may not
    failing: object = None  # () -> fires with a guard or check failing
    mails: bool = True  # the old code e-mailed someone for this transition


class Worlds:
    """Each world built on first use: a test only builds the one its transition needs."""

    def __init__(self):
        self._built = {}

    def _get(self, name, build):
        if name not in self._built:
            self._built[name] = build()
        return self._built[name]

    @property
    def applications(self):
        return self._get(
            "applications", lambda: application_factories.build_world(build_geography())
        )

    @property
    def labels(self):
        def build():
            load_current()
            return label_factories.build_world()

        return self._get("labels", build)

    @property
    def people(self):
        def build():
            load_current()
            return cast()

        return self._get("people", build)


# --- Applications -------------------------------------------------------------------------------


def application_in(w, state):
    world = w.applications
    if state == State.DRAFT:
        application = application_services.start_application(
            world.holder, world.call, world.commune, world.project
        )
        application_services.save_answers(
            world.holder, application, application_factories.INTENTION_ANSWERS
        )
        return application
    return application_factories.submitted_application(world, state)


def app_case(state, actor, wrong, action, comment="Motif.", failing=None, mails=True):
    def build(w):
        application = application_in(w, state)
        world = w.applications

        def fire(user, text=comment):
            return lambda: workflows.fire(application, action, user, comment=text)

        return Case(
            application,
            fire(getattr(world, actor)),
            fire(getattr(world, wrong)),
            (lambda: failing(application, world, fire)()) if failing else None,
            mails=mails,
        )

    return build


def empty_comment(application, world, fire):
    return fire(world.manager, text=" ")


def without_answers(application, world, fire):
    Answers.objects.filter(application=application).update(data={})
    return fire(world.holder)


def on_a_one_step_call(application, world, fire):
    Application.objects.filter(pk=application.pk).update(step=world.full_file)
    application.refresh_from_db()
    return fire(world.manager)


def referent_without_comment(application, world, fire):
    return fire(world.referent, text="")


APPLICATION_CASES = {
    "submit": app_case(State.DRAFT, "holder", "outsider", "submit", failing=without_answers),
    "resubmit": app_case(
        State.COMPLETION_REQUESTED, "holder", "manager", "resubmit", failing=without_answers
    ),
    "request_completion": app_case(
        State.SUBMITTED,
        "referent",
        "holder",
        "request_completion",
        failing=referent_without_comment,
    ),  # fmt: skip
    "start_review": app_case(State.SUBMITTED, "manager", "holder", "start_review"),
    "invite_full_file": app_case(
        State.SUBMITTED, "manager", "holder", "invite_full_file", failing=on_a_one_step_call
    ),
    # Applicants hear of a decision with its signed letter, once the jury sends it
    # (tests/applications/test_decision_letters.py): the decision itself e-mails nobody.
    "select": app_case(
        State.UNDER_REVIEW, "manager", "referent", "select", failing=empty_comment, mails=False
    ),
    "wait_list": app_case(
        State.UNDER_REVIEW, "manager", "referent", "wait_list", failing=empty_comment, mails=False
    ),
    "reject": app_case(
        State.WAITING_LIST, "manager", "holder", "reject", failing=empty_comment, mails=False
    ),
    "withdraw": app_case(State.SUBMITTED, "holder", "manager", "withdraw"),
    "dismiss": app_case(
        State.UNDER_REVIEW, "referent", "holder", "dismiss", failing=referent_without_comment
    ),
}


# --- Assessments --------------------------------------------------------------------------------

Status = Assessment.Status


def submit_assessment(w):
    people = w.people
    assessment = AssessmentFactory(project=people.project, created_by=people.holder)
    empty = AssessmentFactory(project=people.project, created_by=people.holder)
    assessment.answers.filter(commitment__number=1).update(level=2)
    return Case(
        assessment,
        lambda: workflows.fire(assessment, "submit", people.holder),
        lambda: workflows.fire(assessment, "submit", people.referent),
        lambda: workflows.fire(empty, "submit", people.holder),
    )


def submitted_assessment(name, wrong):
    def build(w):
        people = w.people
        assessment = mock_expertise(people, status=Status.SUBMITTED, created_by=people.holder)
        return Case(
            assessment,
            lambda: workflows.fire(assessment, name, people.lead_expert),
            lambda: workflows.fire(assessment, name, getattr(people, wrong)),
        )

    return build


ASSESSMENT_CASES = {
    "submit": submit_assessment,
    "validate": submitted_assessment("validate", "co_expert"),
    "reopen": submitted_assessment("reopen", "referent"),
}


# --- Label files --------------------------------------------------------------------------------


def label_file(w):
    world = w.labels
    label_factories.sign_and_acknowledge(world)
    return world, label_factories.apply(world)


def assign_case(w):
    world, file = label_file(w)
    one, two = world.experts[:2]

    def assign(user, second=two):
        return lambda: label_services.assign_experts(user, file, coordinator=one, second=second)

    return Case(file, assign(world.manager), assign(world.holder), assign(world.manager, one))


def in_expertise(w):
    world, file = label_file(w)
    one, two = world.experts[:2]
    return world, label_services.assign_experts(world.manager, file, coordinator=one, second=two)


def visit_case(w):
    world, file = in_expertise(w)
    return Case(
        file,
        lambda: label_services.schedule_visit(file.coordinator, file, timezone.localdate()),
        lambda: label_services.schedule_visit(world.holder, file, timezone.localdate()),
    )


def opinion_case(w):
    world, file = in_expertise(w)
    file = label_services.schedule_visit(file.coordinator, file, timezone.localdate())
    file.expertise.answers.update(level=3)
    workflows.fire(file.expertise, "submit", file.coordinator)

    def give(user):
        return lambda: label_services.give_opinion(
            user, file, verdict="favourable", opinion="Projet exemplaire."
        )

    def before_the_expertise_is_submitted():
        workflows.fire(file.expertise, "reopen", file.coordinator)
        give(file.coordinator)()

    return Case(
        file, give(file.coordinator), give(world.holder), before_the_expertise_is_submitted,
        mails=False,
    )  # fmt: skip


def deliberation_case(outcome, national=False):
    def build(w):
        world, file = label_file(w)
        file = label_factories.expertise_done(world, file)
        if national:
            local = label_factories.local_session(world)
            label_services.deliberate(
                world.referent, local, file, outcome="propose", motivation="Exemplaire."
            )
            session, actor, wrong = (
                label_factories.national_session(world),
                world.manager,
                world.referent,
            )
        else:
            session, actor, wrong = (
                label_factories.local_session(world),
                world.referent,
                world.holder,
            )
        support = {"support_offer": "Atelier.", "support_provider": "Cerema"}

        def decide(user, motivation="Motivation.", **extra):
            return lambda: label_services.deliberate(
                user, session, file, outcome=outcome, motivation=motivation, **extra
            )

        return Case(
            file,
            decide(actor, **(support if outcome == "adjourn" else {})),
            decide(wrong),
            decide(actor, motivation="") if outcome != "adjourn" else decide(actor),
        )

    return build


LABEL_FILE_CASES = {
    "assign_experts": assign_case,
    "schedule_visit": visit_case,
    "give_opinion": opinion_case,
    "propose": deliberation_case("propose"),
    "adjourn": deliberation_case("adjourn"),
    "not_propose": deliberation_case("not_propose"),
    "award": deliberation_case("award", national=True),
    "not_award": deliberation_case("not_award", national=True),
}


# --- Calls --------------------------------------------------------------------------------------


def publish_case(w):
    world = w.labels
    call = CallFactory(programme=world.programme, state=Call.State.DRAFT, published_at=None)
    blank = CallFactory(
        programme=world.programme, state=Call.State.DRAFT, published_at=None, summary=""
    )
    return Case(
        call,
        lambda: call_services.publish_call(world.manager, call),
        lambda: call_services.publish_call(world.holder, call),
        lambda: call_services.publish_call(world.manager, blank),
        mails=False,  # only to matching search alerts (tests/calls/test_alerts.py)
    )


# --- Follow-up conventions (tests/followup/test_conventions.py has the details) ---------------


def _convention(signed=0, state="draft"):
    """The follow-up of tests/followup/factories.py with a draft convention (beneficiary, State,
    operator), sent and signed by its first `signed` parties, or put in force."""
    from ecoquartier.followup import conventions
    from tests.followup.factories import build_support

    support = build_support(build_geography())
    roles = ("beneficiary", "state", "operator")
    people = dict(zip(roles, (support.holder, support.referent, support.expert), strict=True))
    orgs = (support.world.commune, support.world.ddt, support.cerema)
    convention = conventions.prepare_convention(
        support.manager, support.follow_up, object="Objet", starts_on=timezone.localdate(),
        duration_months=36, days_budget=36,
        parties=[{"role": r, "organisation": o, "signatory": "X"}
                 for r, o in zip(roles, orgs, strict=True)],
    )  # fmt: skip

    def sign(role, user=None, **data):
        return conventions.sign(
            user or people[role], convention, party=convention.parties.get(role=role),
            **{"signed_on": timezone.localdate(),
               "scan": SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"), **data},
        )  # fmt: skip

    if state != "draft":
        conventions.send_for_signature(support.manager, convention)
    for role in roles[: 3 if state == "in_force" else signed]:
        sign(role)
    if state == "in_force":
        conventions.enter_into_force(support.manager, convention)
    convention.refresh_from_db()
    return support, convention, sign


def convention_send_case(w):
    from ecoquartier.followup import conventions

    support, convention, _sign = _convention()
    convention.parties.filter(role="state").delete()
    return Case(
        convention,
        lambda: (convention.parties.create(role="state", organisation=support.world.ddt,
                                           signatory="X"),
                 conventions.send_for_signature(support.manager, convention)),
        lambda: conventions.send_for_signature(support.holder, convention),
        lambda: conventions.send_for_signature(support.manager, convention),
    )  # fmt: skip


def convention_sign_case(last):
    def build(w):
        support, convention, sign = _convention(signed=2 if last else 0, state="sent")
        role = "operator" if last else "beneficiary"
        return Case(
            convention, lambda: sign(role), lambda: sign(role, support.manager),
            lambda: sign(role, signed_on=timezone.localdate() + timedelta(days=3)),
            mails=last,  # the managers hear of the last signature
        )  # fmt: skip

    return build


def convention_in_force_case(w):
    from ecoquartier.followup import conventions

    support, convention, _sign = _convention(signed=3, state="sent")
    return Case(
        convention, lambda: conventions.enter_into_force(support.manager, convention),
        lambda: conventions.enter_into_force(support.expert, convention), mails=False,
    )  # fmt: skip


def convention_amend_case(w):
    from ecoquartier.followup import conventions

    support, convention, _sign = _convention(state="in_force")
    avenant = conventions.prepare_amendment(support.manager, convention)
    conventions.send_for_signature(support.manager, avenant)
    for role, user in (("beneficiary", support.holder), ("state", support.referent),
                       ("operator", support.expert)):  # fmt: skip
        conventions.sign(
            user, avenant, party=avenant.parties.get(role=role), signed_on=timezone.localdate(),
            scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"),
        )  # fmt: skip
    return Case(
        convention, lambda: conventions.enter_into_force(support.manager, avenant),
        lambda: workflows.fire(convention, "amend", support.holder),
        lambda: workflows.fire(convention, "amend", support.manager), mails=False,
    )  # fmt: skip


def convention_withdraw_case(w):
    from ecoquartier.followup import conventions

    support, convention, sign = _convention(state="sent")

    def withdraw(user):
        return conventions.withdraw(user, convention, "Montant erroné")

    return Case(
        convention, lambda: withdraw(support.manager), lambda: withdraw(support.holder),
        lambda: (sign("beneficiary"), withdraw(support.manager)),  # a party signed already
    )  # fmt: skip


def convention_close_case(w):
    from ecoquartier.followup import conventions

    support, convention, _sign = _convention(state="in_force")
    return Case(
        convention, lambda: conventions.close_convention(support.manager, convention),
        lambda: conventions.close_convention(support.expert, convention), mails=False,
    )  # fmt: skip


def _deliverable(submitted):
    """A deliverable of a support (its phase plan), handed in once when `submitted`."""
    from ecoquartier.followup import deliverables
    from tests.followup.factories import build_support

    support = build_support(build_geography())
    deliverable = support.follow_up.deliverables.get(title="Note de cadrage")

    def pdf():
        return SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n")

    if submitted:
        deliverables.upload(support.holder, deliverable, pdf(), "Version 1")
        deliverable.refresh_from_db()
    return support, deliverable, pdf


def deliverable_submit_case(w):
    from ecoquartier.followup import deliverables

    support, deliverable, pdf = _deliverable(submitted=False)
    return Case(
        deliverable, lambda: deliverables.upload(support.holder, deliverable, pdf()),
        lambda: deliverables.upload(support.referent, deliverable, pdf()),
        lambda: deliverables.upload(support.holder, deliverable, None),
    )  # fmt: skip


def deliverable_review_case(decision):
    def build(w):
        from ecoquartier.followup import deliverables

        support, deliverable, _pdf = _deliverable(submitted=True)
        return Case(
            deliverable,
            lambda: deliverables.review(support.expert, deliverable, decision, "À reprendre."),
            lambda: deliverables.review(support.holder, deliverable, decision, "À reprendre."),
            # Sending back without saying what to change is refused.
            (lambda: deliverables.review(support.expert, deliverable, decision, ""))
            if decision == "request_changes" else None,
        )  # fmt: skip

    return build


DELIVERABLE_CASES = {
    "submit": deliverable_submit_case,
    "accept": deliverable_review_case("accept"),
    "request_changes": deliverable_review_case("request_changes"),
}


CONVENTION_CASES = {
    "send": convention_send_case,
    "sign": convention_sign_case(last=False),
    "sign_last": convention_sign_case(last=True),
    "enter_into_force": convention_in_force_case,
    "amend": convention_amend_case,
    "close": convention_close_case,
    "withdraw": convention_withdraw_case,
}


CASES = {
    "application": APPLICATION_CASES,
    "assessment": ASSESSMENT_CASES,
    "label_file": LABEL_FILE_CASES,
    "call": {"publish": publish_case},
    "followup_convention": CONVENTION_CASES,
    "expertise_request": EXPERTISE_REQUEST_CASES,
    "instalment": INSTALMENT_CASES,
    "deliverable": DELIVERABLE_CASES,  # tests/followup/test_grants_workflow.py
}
ALL = [(w, t) for w, cases in CASES.items() for t in cases]


def test_every_transition_of_every_workflow_has_its_cases():
    registered = {(w.name, t.name) for w in workflows.REGISTRY.values() for t in w.transitions}
    assert registered == set(ALL)


def transition_of(workflow_name, name):
    (workflow,) = [w for w in workflows.REGISTRY.values() if w.name == workflow_name]
    return workflow[name]


@pytest.mark.parametrize(("workflow_name", "name"), ALL)
def test_an_allowed_transition_is_logged_recorded_and_mailed(
    workflow_name, name, mailoutbox, django_capture_on_commit_callbacks
):
    case = CASES[workflow_name][name](Worlds())
    transition = transition_of(workflow_name, name)
    mailoutbox.clear()
    logs = set(TransitionLog.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        case.allowed()
    case.obj.refresh_from_db()
    assert workflows.workflow_of(case.obj).state_of(case.obj) == transition.target
    log = TransitionLog.objects.exclude(pk__in=logs).get(workflow=workflow_name, transition=name)
    assert (log.object_id, log.to_state) == (str(case.obj.pk), transition.target)
    assert log.from_state in transition.sources and log.actor_id is not None
    assert log.event.verb == transition.verb
    assert ActivityEvent.objects.filter(pk=log.event_id, verb=transition.verb).exists()
    assert bool(mailoutbox) == case.mails


@pytest.mark.parametrize(("workflow_name", "name"), ALL)
def test_a_wrong_role_is_refused_and_nothing_is_written(workflow_name, name, mailoutbox):
    case = CASES[workflow_name][name](Worlds())
    before = workflows.workflow_of(case.obj).state_of(case.obj)
    logs, events = TransitionLog.objects.count(), ActivityEvent.objects.count()
    mailoutbox.clear()
    with pytest.raises(PermissionDenied):
        case.wrong_role()
    case.obj.refresh_from_db()
    assert workflows.workflow_of(case.obj).state_of(case.obj) == before
    assert (TransitionLog.objects.count(), ActivityEvent.objects.count()) == (logs, events)
    assert mailoutbox == []


WITH_GUARDS = [
    (w, t) for w, t in ALL
    if (tr := transition_of(w, t)).guards or tr.checks or tr.needs_comment
]  # fmt: skip


@pytest.mark.parametrize(("workflow_name", "name"), WITH_GUARDS)
def test_a_failing_guard_is_refused_with_its_french_reason(workflow_name, name):
    case = CASES[workflow_name][name](Worlds())
    assert case.failing is not None, "a transition with guards needs a failing case"
    with pytest.raises(workflows.TransitionRefused) as refused:
        case.failing()
    assert refused.value.messages and all(m.strip() for m in refused.value.messages)
    assert not TransitionLog.objects.filter(workflow=workflow_name, transition=name).exists()


def one_step_application(world):
    """Submitted on a call whose only step is the full file (no intention note before it)."""
    application = application_services.start_application(
        world.holder, world.call, world.commune, world.project
    )
    Application.objects.filter(pk=application.pk).update(
        state=State.SUBMITTED, submitted_at=timezone.now()
    )
    application.refresh_from_db()
    return application


def test_available_says_why_a_transition_is_not_offered():
    world = application_factories.build_world(build_geography(), two_step=False)
    application = one_step_application(world)
    assert application.step == world.full_file
    offered, refused = workflows.actions(application, world.manager)
    assert "invite_full_file" not in [t.name for t in offered]
    assert "start_review" in [t.name for t in offered]
    assert [(t.name, reason) for t, reason in refused] == [
        ("invite_full_file", "Cet appel n'a pas de dossier complet après la note d'intention.")
    ]
    assert workflows.actions(application, world.outsider) == ([], [])


def test_fire_brings_the_callers_instance_up_to_date():
    world = application_factories.build_world(build_geography())
    application = application_factories.submitted_application(world)
    version = application.version
    workflows.fire(application, "start_review", world.manager)
    assert (application.state, application.version) == (State.UNDER_REVIEW, version + 1)
    assert [log.transition for log in workflows.log_of(application)] == ["start_review", "submit"]


def test_an_unknown_transition_is_refused():
    world = application_factories.build_world(build_geography())
    application = application_factories.submitted_application(world)
    with pytest.raises(workflows.TransitionRefused, match="Action inconnue"):
        workflows.fire(application, "teleport", world.manager)


def test_the_transition_log_is_append_only():
    world = application_factories.build_world(build_geography())
    application = application_factories.submitted_application(world)
    log = workflows.log_of(application).get()
    log.comment = "réécrit"
    with pytest.raises(Exception, match="append-only"):
        log.save()
    assert workflows.log_of(application).get().comment == ""
