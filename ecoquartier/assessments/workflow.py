"""Assessment status as data for the one engine, `core.workflows` (ADR 20):
draft → submitted → validated, and back to draft.

Fire one with `workflows.fire(assessment, "submit", user, comment=...)`: the engine applies it
atomically and writes the activity log; the people involved are e-mailed by the rules subscribed
to its verb (assessments/notifying.py, ADR 21).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecoquartier.assessments import permissions
from ecoquartier.assessments.models import Assessment
from ecoquartier.core import workflows
from ecoquartier.core.workflows import Transition

Status = Assessment.Status


def _has_an_answer(assessment, data):
    if not assessment.answers.filter(level__isnull=False).exists():
        return _("Renseignez au moins un engagement avant de soumettre l'évaluation.")
    return None


def _can_reopen(user, assessment):
    return permissions.can_validate_assessment(user, assessment) or permissions.is_writer(
        user, assessment
    )


def stamp(field):
    """An effect writing the time of the transition in `field`."""

    def effect(assessment, actor, data):
        setattr(assessment, field, data["now"])

    return effect


TRANSITIONS = (
    Transition(
        "submit", _("Soumettre l'évaluation"), (Status.DRAFT,), Status.SUBMITTED,
        permissions.is_writer, "assessment.submitted",
        # A check, not a guard: answers are saved on the page offering the button (htmx),
        # so the button shows and the engine says why when nothing is answered yet.
        checks=(_has_an_answer,), effects=(stamp("submitted_at"),), style="primary",
    ),
    Transition(
        "validate", _("Valider l'évaluation"), (Status.SUBMITTED,), Status.VALIDATED,
        permissions.can_validate_assessment, "assessment.validated",
        effects=(stamp("validated_at"),), style="primary",
    ),
    Transition(
        "reopen", _("Remettre en brouillon"), (Status.SUBMITTED,), Status.DRAFT, _can_reopen,
        "assessment.reopened",
    ),
)  # fmt: skip


def summary(assessment, data):
    return gettext("%(assessment)s : %(source)s → %(target)s") % {
        "assessment": assessment,
        "source": Status(data["source"]).label,
        "target": Status(assessment.status).label,
    }


def stale_message(assessment, transition):
    return gettext("Cette évaluation est désormais « %(status)s ».") % {
        "status": assessment.get_status_display()
    }


ASSESSMENT = workflows.register(
    workflows.Workflow(
        "assessment", Assessment, Status, TRANSITIONS, state_field="status",
        targets=lambda assessment, data: [assessment, assessment.project], summary=summary,
        stale_message=stale_message, related=("project",),
    )
)  # fmt: skip
