"""The label history (F-40): one step per stage reached, the current standing, and the
use-phase clock started by a delivery award."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ecoquartier.core.activity import record
from ecoquartier.labels import figures, permissions, rules
from ecoquartier.labels.models import (
    LabelStep,
    ProjectLabel,
    UsePhaseReminder,
)
from ecoquartier.territories.models import Territory

NATIONAL_BODY = "Commission nationale ÉcoQuartier"
USE_PHASE_YEARS = 3


def region_of(project):
    """The région of the project's first commune (one query)."""
    commune = project.communes.order_by("pk").first()
    if commune is None:
        return None
    if commune.kind == Territory.Kind.REGION:
        return commune
    return commune.region


def record_step(actor, project, stage, *, decided_on, deciding_body, reference, year=None, **links):
    """Write one step of the label history and the project's current standing; call it inside
    the transaction of the decision. A delivery step starts the use-phase clock."""
    try:
        with transaction.atomic():
            step = LabelStep.objects.create(
                project=project,
                stage=stage,
                decided_on=decided_on,
                year=year or decided_on.year,
                deciding_body=deciding_body,
                decision_reference=reference,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                **links,
            )
    except IntegrityError as error:
        raise ValidationError(_("Le projet a déjà obtenu l'étape « %s ».") % stage.name) from error
    _refresh_standing(project, step)
    transaction.on_commit(figures.forget_key_figures)
    if stage.marks_delivery:
        UsePhaseReminder.objects.get_or_create(
            project=project,
            defaults={
                "delivery_step": step,
                "due_on": rules.add_years(decided_on, USE_PHASE_YEARS),
            },
        )
    record(
        actor,
        "label.public.step",
        _("Label ÉcoQuartier : « %(stage)s » (%(year)s) — %(body)s")
        % {"stage": stage.name, "year": step.year, "body": deciding_body},
        targets=[project],
        changes={"stage": [None, stage.code], "scheme": stage.scheme.code},
    )
    return step


def _refresh_standing(project, step):
    history = rules.History(steps=list(project.label_steps.select_related("stage__maps_to")))
    current = history.current()
    ProjectLabel.objects.update_or_create(
        project=project,
        defaults={
            "stage": current.stage,
            "year": current.year,
            "region": region_of(project),
            "delivered_on": history.delivered_on(),
        },
    )


@transaction.atomic
def record_past_step(user, project, stage, *, decided_on, deciding_body, reference):
    """Enter a step decided before the platform (e.g. a 2018 stage 3): programme managers only.
    The step keeps its scheme; the mapping makes it count under the current one."""
    if not permissions.can_record_past_step(user):
        raise PermissionDenied
    return record_step(
        user, project, stage, decided_on=decided_on, deciding_body=deciding_body,
        reference=reference,
    )  # fmt: skip
