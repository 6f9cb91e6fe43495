"""The application workflow (F-31) as data for the one engine, `core.workflows` (ADR 20).

Each transition says from which states, to which state, who may fire it, what must hold first
(guards), what else happens (effects) and who is told. Fire one with
`workflows.fire(application, "submit", user, comment=..., expected_version=...)`: the engine
locks the row and re-checks state and version under the lock — so that of two instructors
firing conflicting actions exactly one wins — then logs it. The parties are e-mailed by the
rules subscribed to its verb (applications/notifying.py, ADR 21).
"""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecoquartier.applications import permissions, scoring, services
from ecoquartier.applications.models import Answers, Application, Message, State
from ecoquartier.calls.eligibility import check_eligibility
from ecoquartier.calls.models import Call, CallStep
from ecoquartier.core import workflows
from ecoquartier.core.workflows import Transition

# --- Guards: return a French message when the action must be refused -------------------------


def deadline_not_passed(application, data):
    step = application.step
    if step.deadline < data["now"]:
        return _(
            "La date limite de l'étape « %(step)s » était le %(date)s : le dépôt est clos."
        ) % {"step": step, "date": date_format(localtime(step.deadline), "DATETIME_FORMAT")}
    return None


def answers_complete(application, data):
    missing = services.missing_answers(application)
    if missing:
        labels = ", ".join(f"« {m.label} »" for m in missing)
        return gettext("Réponses obligatoires manquantes : %s.") % labels
    return None


def has_next_step(application, data):
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


def decided_by_commission(application, data):
    """A label file (an application to a labelling campaign) is decided only by the label
    commissions: the labels app fires the decision with `commission=` the session deciding.
    Never from the jury page, the application page or by hand."""
    if application.call.kind == Call.Kind.LABELLING and not data.get("commission"):
        return _(
            "Un dossier de labellisation est décidé par les commissions du label (locale puis "
            "nationale), pas par le jury de l'appel."
        )
    return None


# --- Effects: what else changes with the state ------------------------------------------------


def store_eligibility(application, actor, data):
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


def stamp_submission(application, actor, data):
    application.submitted_at = data["now"]
    Answers.objects.filter(application=application, step=application.step).update(
        submitted_at=data["now"]
    )


def open_next_step(application, actor, data):
    application.step = next_step(application)
    services.answers_for(application)


def post_reason_as_message(application, actor, data):
    Message.objects.create(application=application, author=actor, body=data["comment"])


def record_decision(application, actor, data):
    application.motivation = data["comment"]
    application.decided_at = data["now"]


# --- The workflow -------------------------------------------------------------------------------


EDITORS, INSTRUCTOR, JURY = permissions.can_edit, permissions.is_instructor, permissions.is_jury
OPEN_STATES = (State.SUBMITTED, State.COMPLETION_REQUESTED, State.UNDER_REVIEW)
DECIDED = {
    "guards": (decided_by_commission,), "effects": (record_decision,), "needs_comment": True,
}  # fmt: skip

TRANSITIONS = (
    Transition(
        "submit", _("Déposer la candidature"), (State.DRAFT,), State.SUBMITTED, EDITORS,
        "application.submitted",
        guards=(deadline_not_passed, answers_complete),
        effects=(store_eligibility, stamp_submission),
        style="primary",
    ),
    Transition(
        "request_completion", _("Demander des compléments"),
        (State.SUBMITTED, State.UNDER_REVIEW), State.COMPLETION_REQUESTED, INSTRUCTOR,
        "application.completion_requested",
        effects=(post_reason_as_message,), needs_comment=True,
    ),
    Transition(
        "resubmit", _("Transmettre les compléments"), (State.COMPLETION_REQUESTED,),
        State.SUBMITTED, EDITORS, "application.resubmitted",
        guards=(answers_complete,), effects=(store_eligibility, stamp_submission),
        style="primary",
    ),
    Transition(
        "start_review", _("Passer en instruction"), (State.SUBMITTED,), State.UNDER_REVIEW,
        INSTRUCTOR, "application.review_started", style="primary",
    ),
    Transition(
        "invite_full_file", _("Inviter à déposer le dossier complet"),
        (State.SUBMITTED, State.UNDER_REVIEW), State.DRAFT, INSTRUCTOR,
        "application.full_file_opened",
        guards=(has_next_step,), effects=(open_next_step,), style="primary",
    ),
    Transition(
        "select", _("Retenir"), (State.UNDER_REVIEW, State.WAITING_LIST), State.SELECTED, JURY,
        "application.selected", **DECIDED,
    ),
    Transition(
        "wait_list", _("Placer en liste d'attente"), (State.UNDER_REVIEW,), State.WAITING_LIST,
        JURY, "application.waiting_listed", **DECIDED,
    ),
    Transition(
        "reject", _("Ne pas retenir"), (State.UNDER_REVIEW, State.WAITING_LIST),
        State.NOT_SELECTED, JURY, "application.not_selected", **DECIDED,
    ),
    Transition(
        "withdraw", _("Retirer la candidature"), (State.DRAFT, *OPEN_STATES), State.WITHDRAWN,
        EDITORS, "application.withdrawn",
    ),
    Transition(
        "dismiss", _("Classer sans suite (inéligible)"), OPEN_STATES, State.DISMISSED,
        INSTRUCTOR, "application.dismissed", **DECIDED,
    ),
)  # fmt: skip
DECISIONS = ("select", "wait_list", "reject")


def targets(application, data):
    # A draft never submitted (withdrawn, say) stays off the call's and project's timelines.
    shared = (application.call, application.project)
    return (application, *shared) if permissions.was_submitted(application) else (application,)


def summary(application, data):
    return gettext("Candidature « %(title)s » : %(state)s") % {
        "title": application.title,
        "state": application.get_state_display(),
    }


def stale_message(application, transition):
    return gettext(
        "Cette candidature a changé entre-temps : elle est maintenant « %(state)s ». "
        "Votre action « %(action)s » n'a pas été appliquée ; vérifiez son état avant "
        "d'agir à nouveau."
    ) % {"state": application.get_state_display(), "action": transition.label}


APPLICATION = workflows.register(
    workflows.Workflow(
        "application", Application, State, TRANSITIONS,
        version_field="version", targets=targets, summary=summary, stale_message=stale_message,
        related=("call__programme", "step", "organisation__territory", "project"),
        comment_required=_("Précisez le motif : il est transmis aux candidats."),
    )
)  # fmt: skip
