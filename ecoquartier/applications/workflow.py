"""The application workflow as a transition table (F-31), and its one entry point `fire()`.

Each row says: from which states, which action, to which state, who may fire it, what must hold
first (guards), what else happens (effects) and who is told. `fire()` locks the application
(SELECT … FOR UPDATE), re-checks state and version under the lock — so that of two instructors
firing conflicting actions exactly one wins — applies the row, logs it with
`core.activity.record`; the parties are e-mailed by the rules subscribed to its verb
(applications/notifying.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecoquartier.applications import permissions, scoring, services
from ecoquartier.applications.models import Answers, Application, Message, State
from ecoquartier.calls.eligibility import check_eligibility
from ecoquartier.calls.models import CallStep
from ecoquartier.core.activity import record

APPLICANTS, INSTRUCTORS = "applicants", "instructors"


class TransitionError(Exception):
    """The action cannot happen now; `messages` say why, in French."""

    def __init__(self, *messages):
        self.messages = [str(m) for m in messages]
        super().__init__(" ".join(self.messages))


@dataclass(frozen=True)
class Context:
    user: object
    reason: str
    now: object


# --- Guards: return a French message when the action must be refused -------------------------


def deadline_not_passed(application, ctx):
    step = application.step
    if step.deadline < ctx.now:
        return _(
            "La date limite de l'étape « %(step)s » était le %(date)s : le dépôt est clos."
        ) % {"step": step, "date": date_format(localtime(step.deadline), "DATETIME_FORMAT")}
    return None


def answers_complete(application, ctx):

    missing = services.missing_answers(application)
    if missing:
        labels = ", ".join(f"« {m.label} »" for m in missing)
        return gettext("Réponses obligatoires manquantes : %s.") % labels
    return None


def reason_given(application, ctx):
    if not ctx.reason.strip():
        return _("Précisez le motif : il est transmis aux candidats.")
    return None


def has_next_step(application, ctx):
    if application.step.kind != CallStep.Kind.INTENTION or next_step(application) is None:
        return _("Cet appel n'a pas de dossier complet après la note d'intention.")
    return None


def next_step(application):
    """The step after the current one that has a form (an interview step has none)."""
    return (
        CallStep.objects.filter(
            call_id=application.call_id,
            deadline__gte=application.step.deadline,
            forms__published_at__isnull=False,
        )
        .exclude(pk=application.step_id)
        .exclude(kind=CallStep.Kind.INTERVIEW)
        .order_by("deadline", "pk")
        .first()
    )


# --- Effects: what else changes with the state ------------------------------------------------


def store_eligibility(application, ctx):
    """Judge eligibility now and keep the verdict with its reasons (calls.eligibility)."""
    verdict = check_eligibility(application.call, application.organisation, application.project)
    application.eligible = verdict.eligible
    application.eligibility = [
        {"rule": r.rule, "label": str(r.label), "verdict": r.verdict, "message": r.message}
        for r in verdict.results
    ] + [{"rule": "bonus", "label": gettext("Bonus"), "verdict": "bonus", "message": b.message}
         for b in verdict.bonuses]  # fmt: skip
    application.bonus = sum(b.points for b in verdict.bonuses)
    scoring.apply_totals(application)


def stamp_submission(application, ctx):
    application.submitted_at = ctx.now
    Answers.objects.filter(application=application, step=application.step).update(
        submitted_at=ctx.now
    )


def open_next_step(application, ctx):

    application.step = next_step(application)
    services.answers_for(application)


def post_reason_as_message(application, ctx):
    Message.objects.create(application=application, author=ctx.user, body=ctx.reason)


def record_decision(application, ctx):
    application.motivation = ctx.reason
    application.decided_at = ctx.now


# --- The table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple
    target: str
    label: Promise
    who: Callable
    verb: str
    guards: tuple = field(default=())
    effects: tuple = field(default=())
    notify: tuple = (APPLICANTS,)
    needs_reason: bool = False
    style: str = "secondary"  # DSFR button style on the page


EDITORS, INSTRUCTOR, JURY = permissions.can_edit, permissions.is_instructor, permissions.is_jury
OPEN_STATES = (State.SUBMITTED, State.COMPLETION_REQUESTED, State.UNDER_REVIEW)

TRANSITIONS = (
    Transition(
        "submit", (State.DRAFT,), State.SUBMITTED, _("Déposer la candidature"), EDITORS,
        "application.submitted",
        guards=(deadline_not_passed, answers_complete),
        effects=(store_eligibility, stamp_submission),
        notify=(APPLICANTS, INSTRUCTORS), style="primary",
    ),
    Transition(
        "request_completion", (State.SUBMITTED, State.UNDER_REVIEW), State.COMPLETION_REQUESTED,
        _("Demander des compléments"), INSTRUCTOR, "application.completion_requested",
        guards=(reason_given,), effects=(post_reason_as_message,), needs_reason=True,
    ),
    Transition(
        "resubmit", (State.COMPLETION_REQUESTED,), State.SUBMITTED,
        _("Transmettre les compléments"), EDITORS, "application.resubmitted",
        guards=(answers_complete,), effects=(store_eligibility, stamp_submission),
        notify=(APPLICANTS, INSTRUCTORS), style="primary",
    ),
    Transition(
        "start_review", (State.SUBMITTED,), State.UNDER_REVIEW, _("Passer en instruction"),
        INSTRUCTOR, "application.review_started", style="primary",
    ),
    Transition(
        "invite_full_file", (State.SUBMITTED, State.UNDER_REVIEW), State.DRAFT,
        _("Inviter à déposer le dossier complet"), INSTRUCTOR, "application.full_file_opened",
        guards=(has_next_step,), effects=(open_next_step,), style="primary",
    ),
    Transition(
        "select", (State.UNDER_REVIEW, State.WAITING_LIST), State.SELECTED, _("Retenir"), JURY,
        "application.selected", guards=(reason_given,), effects=(record_decision,),
        needs_reason=True,
    ),
    Transition(
        "wait_list", (State.UNDER_REVIEW,), State.WAITING_LIST, _("Placer en liste d'attente"),
        JURY, "application.waiting_listed", guards=(reason_given,), effects=(record_decision,),
        needs_reason=True,
    ),
    Transition(
        "reject", (State.UNDER_REVIEW, State.WAITING_LIST), State.NOT_SELECTED, _("Ne pas retenir"),
        JURY, "application.not_selected", guards=(reason_given,), effects=(record_decision,),
        needs_reason=True,
    ),
    Transition(
        "withdraw", (State.DRAFT, *OPEN_STATES), State.WITHDRAWN, _("Retirer la candidature"),
        EDITORS, "application.withdrawn", notify=(APPLICANTS, INSTRUCTORS),
    ),
    Transition(
        "dismiss", OPEN_STATES, State.DISMISSED, _("Classer sans suite (inéligible)"),
        INSTRUCTOR, "application.dismissed", guards=(reason_given,), effects=(record_decision,),
        needs_reason=True,
    ),
)  # fmt: skip
BY_ACTION = {t.action: t for t in TRANSITIONS}
DECISIONS = ("select", "wait_list", "reject")


def available(user, application):
    """Transitions `user` may fire from the application's current state."""
    return [t for t in TRANSITIONS if application.state in t.sources and t.who(user, application)]


def fire(user, application, action, *, reason="", expected_version=None, now=None):
    """Apply `action`; raises PermissionDenied or TransitionError and then changes nothing.

    `expected_version` is the version the user saw: if someone acted since, the action is
    refused even when the state would allow it, so nobody decides on a file they have not seen.
    """
    transition = BY_ACTION.get(action)
    if transition is None:
        raise TransitionError(gettext("Action inconnue."))
    ctx = Context(user, reason, now or timezone.now())
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call__programme", "step", "organisation__territory", "project")
            .get(pk=application.pk)
        )
        if not transition.who(user, locked):
            raise PermissionDenied
        _check_current(transition, locked, expected_version)
        errors = [m for guard in transition.guards if (m := guard(locked, ctx))]
        if errors:
            raise TransitionError(*errors)
        source = locked.state
        locked.state = transition.target
        locked.version += 1
        for effect in transition.effects:
            effect(locked, ctx)
        locked.save()
        # A draft never submitted (withdrawn, say) stays off the call's and project's timelines.
        shared = (locked.call, locked.project) if permissions.was_submitted(locked) else ()
        record(
            user,
            transition.verb,
            _summary(transition, locked),
            targets=[t for t in (locked, *shared) if t is not None],
            changes={"state": [source, transition.target]},
            reason=reason,
        )
    return locked


def _check_current(transition, application, expected_version):
    stale = expected_version is not None and int(expected_version) != application.version
    if application.state not in transition.sources or stale:
        raise TransitionError(
            gettext(
                "Cette candidature a changé entre-temps : elle est maintenant « %(state)s ». "
                "Votre action « %(action)s » n'a pas été appliquée ; vérifiez son état avant "
                "d'agir à nouveau."
            )
            % {"state": application.get_state_display(), "action": transition.label}
        )


def _summary(transition, application):
    return gettext("Candidature « %(title)s » : %(state)s") % {
        "title": application.title,
        "state": application.get_state_display(),
    }
