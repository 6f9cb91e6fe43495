"""Roadmap from gaps (issue 14, deliverable 6): the open gaps of an assessment (an expertise à
blanc) become actions of the project's roadmap in one step; the actions are then edited by the
follow-up's managers and experts (their status by the beneficiary too); when the project is
assessed again, `compare` tells which gaps were closed, which remain and which are new, and
`close_actions_of_closed_gaps` marks done the actions whose gap was closed.

Matching is by commitment: a gap of the earlier assessment is closed when it was marked closed
or when the later assessment has no open gap on its commitment any more."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ecoquartier.assessments.models import Assessment, Gap
from ecoquartier.assessments.permissions import readable_assessments
from ecoquartier.core.activity import record
from ecoquartier.core.generations import bump
from ecoquartier.followup import cached, permissions
from ecoquartier.followup.models import FollowUp, RoadmapAction

# Assessments whose gaps count: submitted or validated (a draft may still change).
FINISHED = (Assessment.Status.SUBMITTED, Assessment.Status.VALIDATED)
EDITABLE = ("title", "owner", "partners", "funding", "starts_on", "ends_on", "status")
ONGOING = (RoadmapAction.Status.PLANNED, RoadmapAction.Status.IN_PROGRESS)
TITLE_LENGTH = RoadmapAction._meta.get_field("title").max_length


# --- Gaps → actions ----------------------------------------------------------------------------


def _unconverted(queryset):
    return queryset.filter(status=Gap.Status.OPEN, roadmap_action__isnull=True)


def convertible_assessments(user, follow_up):
    """The finished assessments of the follow-up's project that `user` reads, with
    `open_gaps`: how many of their open gaps are not actions yet (only those with some).
    One query."""
    gaps = Q(answers__gaps__status=Gap.Status.OPEN, answers__gaps__roadmap_action__isnull=True)
    assessments = Assessment.objects.filter(
        project_id=follow_up.project_id, status__in=FINISHED
    ).select_related("project")
    return list(
        readable_assessments(user, assessments)
        .annotate(open_gaps=Count("answers__gaps", filter=gaps))
        .filter(open_gaps__gt=0)
        .order_by("-assessed_on", "-pk")
    )


def _action(follow_up, gap):
    return RoadmapAction(
        project_id=follow_up.project_id, follow_up=follow_up, gap=gap,
        commitment_id=gap.answer.commitment_id,
        title=Truncator(gap.proposal).chars(TITLE_LENGTH), owner=gap.owner[:200],
        ends_on=gap.due_date,
    )  # fmt: skip


@transaction.atomic
def gaps_to_actions(actor, follow_up, assessment):
    """Turn every open gap of `assessment` into an action of `follow_up`'s roadmap (its proposal
    as title, its commitment, owner and due date). A gap already turned into an action is
    skipped, so that running it twice creates nothing more. Returns the actions created."""
    follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up.pk)
    if not permissions.can_manage_roadmap(actor, follow_up):
        raise PermissionDenied(
            _("Seuls les gestionnaires et les experts de l'accompagnement créent ses actions.")
        )
    if assessment.project_id != follow_up.project_id:
        raise ValidationError(_("Cette évaluation porte sur un autre projet."))
    if assessment.status not in FINISHED:
        raise ValidationError(
            _("Seuls les écarts d'une évaluation soumise deviennent des actions.")
        )
    if not readable_assessments(actor, Assessment.objects.filter(pk=assessment.pk)).exists():
        raise PermissionDenied(_("Vous ne pouvez pas lire cette évaluation."))
    gaps = _unconverted(Gap.objects.filter(answer__assessment=assessment)).select_related("answer")
    actions = RoadmapAction.objects.bulk_create(
        _action(follow_up, gap) for gap in gaps.in_list_order()
    )
    bump(cached.GENERATION)  # bulk writes send no signal
    if actions:
        summary = ngettext(
            "%(count)d écart de « %(assessment)s » devenu action de la feuille de route",
            "%(count)d écarts de « %(assessment)s » devenus actions de la feuille de route",
            len(actions),
        ) % {"count": len(actions), "assessment": assessment}
        record(
            actor, "followup.roadmap_created", summary,
            targets=[assessment, follow_up, follow_up.project],
        )  # fmt: skip
    return actions


@transaction.atomic
def change_action(actor, action, values):
    """Change an action (`EDITABLE`). The beneficiary's members may change its status only."""
    action = (
        RoadmapAction.objects.select_for_update(of=("self",))
        .select_related("follow_up")
        .get(pk=action.pk)
    )
    follow_up = action.follow_up
    if follow_up is None or not permissions.can_update_action_status(actor, follow_up):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette action."))
    changes = {
        name: [str(getattr(action, name)), str(values[name])]
        for name in EDITABLE
        if name in values and getattr(action, name) != values[name]
    }
    if set(changes) - {"status"} and not permissions.can_manage_roadmap(actor, follow_up):
        raise PermissionDenied(_("La collectivité met à jour l'avancement des actions seulement."))
    for name in changes:
        setattr(action, name, values[name])
    if not action.title.strip():
        raise ValidationError({"title": _("Nommez l'action.")})
    if action.starts_on and action.ends_on and action.ends_on < action.starts_on:
        raise ValidationError({"ends_on": _("L'échéance doit suivre le début.")})
    if changes:
        action.save()
        record(
            actor, "followup.action_changed",
            _("Action de la feuille de route modifiée : %(title)s") % {"title": action.title},
            targets=[action, follow_up, follow_up.project], changes=changes,
        )  # fmt: skip
    return action


# --- Re-assessment: gaps closed, remaining, new ------------------------------------------------


@dataclass
class GapProgress:
    """The gaps of `earlier` closed or remaining in `later`, and the new gaps of `later`."""

    earlier: Assessment
    later: Assessment
    closed: list = field(default_factory=list)
    remaining: list = field(default_factory=list)
    new: list = field(default_factory=list)


def _finished(project, user=None):
    assessments = Assessment.objects.filter(project=project, status__in=FINISHED)
    if user is not None:
        assessments = readable_assessments(user, assessments)
    return assessments.order_by("-assessed_on", "-pk")


def latest_pair(project, user=None, *, later=None):
    """(previous, latest) finished assessments of `project` (that `user` reads, when given), or
    (previous, `later`) when `later` is given; None when there are not two. One query."""
    assessments = _finished(project, user)
    if later is None:
        pair = list(assessments[:2])
        return (pair[1], pair[0]) if len(pair) == 2 else None
    earlier = (
        assessments.filter(
            Q(assessed_on__lt=later.assessed_on) | Q(assessed_on=later.assessed_on, pk__lt=later.pk)
        )
        .exclude(pk=later.pk)
        .first()
    )
    return (earlier, later) if earlier is not None else None


def compare(earlier, later):
    """Match the gaps of two assessments of a project by commitment. One query."""
    progress = GapProgress(earlier, later)
    gaps = list(
        Gap.objects.filter(answer__assessment__in=[earlier.pk, later.pk])
        .select_related("answer__commitment", "roadmap_action")
        .in_list_order()
    )
    for gap in gaps:
        gap.action = getattr(gap, "roadmap_action", None)
    before = [g for g in gaps if g.answer.assessment_id == earlier.pk]
    after = [g for g in gaps if g.answer.assessment_id == later.pk and g.status == Gap.Status.OPEN]
    still_open = {g.answer.commitment_id for g in after}
    open_before = {g.answer.commitment_id for g in before if g.status == Gap.Status.OPEN}
    for gap in before:
        if gap.status == Gap.Status.CLOSED or gap.answer.commitment_id not in still_open:
            progress.closed.append(gap)
        else:
            progress.remaining.append(gap)
    progress.new = [g for g in after if g.answer.commitment_id not in open_before]
    return progress


def latest_progress(project, user=None):
    pair = latest_pair(project, user)
    return compare(*pair) if pair else None


@transaction.atomic
def close_actions_of_closed_gaps(actor, project):
    """On re-assessment: mark done the ongoing actions whose gap the latest finished assessment
    of `project` closed. Idempotent; returns how many actions were closed."""
    progress = latest_progress(project)
    if progress is None:
        return 0
    actions = list(
        RoadmapAction.objects.select_for_update(of=("self",))
        .filter(gap__in=[g.pk for g in progress.closed], status__in=ONGOING)
        .select_related("follow_up")
    )
    if not actions:
        return 0
    RoadmapAction.objects.filter(pk__in=[a.pk for a in actions]).update(
        status=RoadmapAction.Status.DONE
    )
    bump(cached.GENERATION)  # an update send no signal
    follow_ups = {a.follow_up for a in actions if a.follow_up is not None}
    record(
        actor, "followup.actions_closed",
        ngettext(
            "%(count)d action réalisée : écart levé par « %(assessment)s »",
            "%(count)d actions réalisées : écarts levés par « %(assessment)s »",
            len(actions),
        ) % {"count": len(actions), "assessment": progress.later},
        targets=[progress.later, *follow_ups, project],
        changes={"actions": [a.pk for a in actions], "status": [RoadmapAction.Status.DONE]},
    )  # fmt: skip
    return len(actions)


def on_assessment_finished(event, targets):
    """`notifications.registry.on_event` handler for "assessment.submitted" / "validated": the
    roadmap catches up with the new assessment (idempotent, run by the delivery task)."""
    from ecoquartier.projects.models import Project

    project = targets.get(Project)
    if project is not None:
        close_actions_of_closed_gaps(None, project)
    return 0


# --- The assessment page's panel ---------------------------------------------------------------


def assessment_panel(assessment, request):
    """On a finished assessment's page: what became of the previous assessment's gaps (closed,
    remaining, new) and of their roadmap actions. At most four queries."""
    user = request.user
    if assessment.status not in FINISHED:
        return {}
    pair = latest_pair(assessment.project, user, later=assessment)
    if pair is None:
        return {}
    progress = compare(*pair)
    visible = set(
        permissions.visible_follow_ups(
            user, FollowUp.objects.filter(project_id=assessment.project_id)
        ).values_list("pk", flat=True)
    )
    return {"progress": progress, "visible_follow_ups": visible}
