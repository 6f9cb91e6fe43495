"""Assessment status as a state machine declared as data: draft → submitted → validated.

Each transition says where it starts, where it goes, who may fire it and what must hold first.
`fire()` applies one atomically and writes the activity log; the people involved are e-mailed by
the rules subscribed to its verb (assessments/notifying.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecoquartier.assessments import permissions
from ecoquartier.assessments.models import Assessment
from ecoquartier.core.activity import record

Status = Assessment.Status


class TransitionError(Exception):
    """The transition cannot happen now (wrong status or a precondition fails)."""


def _has_an_answer(assessment):
    if not assessment.answers.filter(level__isnull=False).exists():
        return _("Renseignez au moins un engagement avant de soumettre l'évaluation.")
    return None


def _can_reopen(user, assessment):
    return permissions.can_validate_assessment(user, assessment) or permissions.is_writer(
        user, assessment
    )


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    label: Promise
    allowed: Callable
    verb: str
    guards: tuple = field(default=())
    # Which timestamp the transition stamps, if any.
    stamp: str = ""
    primary: bool = True


TRANSITIONS = (
    Transition(
        name="submit",
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        label=_("Soumettre l'évaluation"),
        allowed=permissions.is_writer,
        verb="assessment.submitted",
        guards=(_has_an_answer,),
        stamp="submitted_at",
    ),
    Transition(
        name="validate",
        source=Status.SUBMITTED,
        target=Status.VALIDATED,
        label=_("Valider l'évaluation"),
        allowed=permissions.can_validate_assessment,
        verb="assessment.validated",
        stamp="validated_at",
    ),
    Transition(
        name="reopen",
        source=Status.SUBMITTED,
        target=Status.DRAFT,
        label=_("Remettre en brouillon"),
        allowed=_can_reopen,
        verb="assessment.reopened",
        primary=False,
    ),
)
TRANSITIONS_BY_NAME = {t.name: t for t in TRANSITIONS}


def available_transitions(user, assessment):
    return [t for t in TRANSITIONS if t.source == assessment.status and t.allowed(user, assessment)]


def fire(user, assessment, name, reason=""):
    """Apply transition `name`; raises PermissionDenied or TransitionError and changes nothing."""
    transition = TRANSITIONS_BY_NAME.get(name)
    if transition is None:
        raise TransitionError(gettext("Action inconnue."))
    if not transition.allowed(user, assessment):
        raise PermissionDenied
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _check(transition, locked)
        _apply(transition, locked)
        record(
            user,
            transition.verb,
            _summary(transition, locked),
            targets=[locked, locked.project],
            changes={"status": [transition.source, transition.target]},
            reason=reason,
        )
    assessment.status = locked.status
    assessment.submitted_at, assessment.validated_at = locked.submitted_at, locked.validated_at
    return assessment


def _check(transition, assessment):
    if assessment.status != transition.source:
        raise TransitionError(
            gettext("Cette évaluation est désormais « %(status)s ».")
            % {"status": assessment.get_status_display()}
        )
    for guard in transition.guards:
        problem = guard(assessment)
        if problem:
            raise TransitionError(str(problem))


def _apply(transition, assessment):
    assessment.status = transition.target
    fields = ["status", "updated_at"]
    if transition.stamp:
        setattr(assessment, transition.stamp, timezone.now())
        fields.append(transition.stamp)
    assessment.save(update_fields=fields)


def _summary(transition, assessment):
    return gettext("%(assessment)s : %(source)s → %(target)s") % {
        "assessment": assessment,
        "source": Status(transition.source).label,
        "target": Status(transition.target).label,
    }
