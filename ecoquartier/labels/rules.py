"""The rules of each label stage, read from its row (data, not branches): may a project reach
`stage` on a given date? Each failed rule gives its French reason.

The history counts across schemes: a step at a stage that `maps_to` another counts as that other
stage too, so a project delivered under the 2016 scheme (stage 3) may aim at "Vécu" in 2023.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from ecoquartier.core.dates import date_format
from ecoquartier.labels.models import Charter, LabelStage, LabelStep, UsePhaseEvaluation


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class History:
    """What the rules need to know about a project, read in a fixed number of queries."""

    steps: list = field(default_factory=list)
    has_charter: bool = False
    use_phase_validated: bool = False

    @classmethod
    def of(cls, project):
        steps = list(
            LabelStep.objects.filter(project=project).select_related("stage__maps_to", "stage")
        )
        return cls(
            steps=steps,
            has_charter=Charter.objects.filter(project=project).exists(),
            use_phase_validated=UsePhaseEvaluation.objects.filter(
                project=project, assessment__status="validated"
            ).exists(),
        )

    def held_stage_ids(self):
        """Stages held, directly or through their equivalent in the newer scheme."""
        held = set()
        for step in self.steps:
            held.add(step.stage_id)
            if step.stage.maps_to_id:
                held.add(step.stage.maps_to_id)
        return held

    def current(self):
        """The furthest stage reached (compared on the newer scheme through `maps_to`), the
        latest decision breaking ties: a charter acknowledged after an old delivery award does
        not move the project back."""
        if not self.steps:
            return None
        return max(self.steps, key=lambda s: (rank(s.stage), s.decided_on, s.pk or 0))

    def delivered_on(self):
        dates = [s.decided_on for s in self.steps if s.stage.marks_delivery]
        return min(dates) if dates else None


def rank(stage):
    """A stage's place on the newest path it maps to."""
    return (stage.maps_to or stage).position


def previous_stage(stage):
    return (
        LabelStage.objects.filter(scheme_id=stage.scheme_id, position__lt=stage.position)
        .order_by("-position")
        .first()
    )


def refusals(project, stage, on=None, history=None):
    """The reasons why `project` may not reach `stage` on `on` (today); empty when it may."""
    on = on or date.today()
    history = history or History.of(project)
    reasons = []
    if stage.pk in history.held_stage_ids():
        reasons.append(_("Le projet a déjà obtenu l'étape « %s ».") % stage.name)
    if stage.requires_charter and not history.has_charter:
        reasons.append(
            _("La charte ÉcoQuartier doit être signée avant de viser l'étape « %s ».") % stage.name
        )
    if stage.requires_previous:
        before = previous_stage(stage)
        if before and before.pk not in history.held_stage_ids():
            reasons.append(
                _("L'étape « %(before)s » doit être obtenue avant l'étape « %(stage)s ».")
                % {"before": before.name, "stage": stage.name}
            )
    if stage.min_years_after_delivery:
        reasons += _delay_refusals(stage, history, on)
    if stage.requires_use_phase and not history.use_phase_validated:
        reasons.append(
            _("Une évaluation en phase d'usage validée est nécessaire pour l'étape « %s ».")
            % stage.name
        )
    return reasons


def _delay_refusals(stage, history, on):
    delivered = history.delivered_on()
    years = stage.min_years_after_delivery
    if delivered is None:
        return [
            _("Le projet doit avoir été labellisé « livré » avant l'étape « %s ».") % stage.name
        ]
    earliest = add_years(delivered, years)
    if on < earliest:
        return [
            _(
                "L'étape « %(stage)s » ne peut être visée que %(years)s ans après la livraison, "
                "soit à partir du %(date)s."
            )
            % {"stage": stage.name, "years": years, "date": date_format(earliest)}
        ]
    return []


def applicable_stages(scheme):
    """Stages one applies to in a campaign of this scheme."""
    return scheme.stages.filter(entry=LabelStage.Entry.COMMISSION).order_by("position")
