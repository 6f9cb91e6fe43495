"""Who may read, write, validate and create assessments. The one place these rules live.

- Readers: members of a holder organisation, State referents overseeing the project's territory,
  the assigned experts (lead and co-experts) and programme managers. An expert assigned to any
  assessment of a project also reads that project's other assessments once they are submitted,
  to compare their expertise with the self-assessment (drafts stay with their authors).
- Writers (draft only): project members for a self-assessment; the assigned experts for the
  other kinds (expertise à blanc, label expertise, use-phase evaluation).
- Validation: the lead expert or a programme manager.
- Someone who cannot see the project at all is told the assessment does not exist (404);
  someone who can see the project but not the assessment is refused (403).

Pass assessments fetched with `select_related("project")` and
`prefetch_related("project__holders", "co_experts")` to keep these checks free of queries.
"""

from django.db.models import Q

from ecoquartier.assessments.models import Assessment
from ecoquartier.organisations.models import Membership
from ecoquartier.organisations.permissions import (
    has_role,
    is_programme_manager,
    organisation_ids,
    state_territory_ids,
)
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import can_edit_project, can_view_project, oversees_project


def is_assigned_expert(user, assessment):
    if not user.is_authenticated:
        return False
    return assessment.lead_expert_id == user.pk or any(
        expert.pk == user.pk for expert in assessment.co_experts.all()
    )


def _on_projects_expertised_by(user):
    """Assessments of the projects `user` is an assigned expert on, as two subqueries that each
    use an index (one OR across the co-experts join would read every assessment)."""
    as_lead = Assessment.objects.filter(lead_expert=user).values("project_id")
    as_co_expert = Assessment.co_experts.through.objects.filter(user=user).values(
        "assessment__project_id"
    )
    return Q(project__in=as_lead) | Q(project__in=as_co_expert)


def is_expert_on_project(user, project):
    """Assigned (lead or co-expert) to at least one assessment of `project`. One query."""
    return Assessment.objects.filter(
        Q(lead_expert=user) | Q(co_experts=user), project=project
    ).exists()


def can_read_assessment(user, assessment):
    if not user.is_authenticated:
        return False
    return (
        is_programme_manager(user)
        or is_assigned_expert(user, assessment)
        or can_edit_project(user, assessment.project)
        or oversees_project(user, assessment.project)
        or (
            assessment.status != Assessment.Status.DRAFT
            and is_expert_on_project(user, assessment.project)
        )
    )


def is_writer(user, assessment):
    """Who authors this assessment, whatever its status."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if assessment.kind == assessment.Kind.SELF_ASSESSMENT:
        return can_edit_project(user, assessment.project)
    return is_assigned_expert(user, assessment)


def can_write_assessment(user, assessment):
    return assessment.status == assessment.Status.DRAFT and is_writer(user, assessment)


def can_validate_assessment(user, assessment):
    return user.is_authenticated and (
        assessment.lead_expert_id == user.pk or is_programme_manager(user)
    )


def can_manage_experts(user, assessment):
    """Programme managers, overseeing State referents and the lead expert assign experts."""
    if not user.is_authenticated or assessment.status == assessment.Status.VALIDATED:
        return False
    return (
        is_programme_manager(user)
        or assessment.lead_expert_id == user.pk
        or oversees_project(user, assessment.project)
    )


def can_follow_up_gaps(user, assessment):
    """Closing or reopening a gap is follow-up work: allowed after validation too."""
    return (
        is_writer(user, assessment)
        or can_edit_project(user, assessment.project)
        or is_programme_manager(user)
    )


def can_create_assessment(user, project, kind):
    if not user.is_authenticated:
        return False
    if kind == "self":
        return can_edit_project(user, project)
    return (
        is_programme_manager(user)
        or oversees_project(user, project)
        or (has_role(user, Membership.Role.EXPERT) and can_view_project(user, project))
    )


def can_view_project_assessments(user, project):
    """May open the project's assessment list (they may still see only some assessments)."""
    return user.is_authenticated and can_view_project(user, project)


def readable_assessments(user, queryset):
    """Filter `queryset` to the assessments `user` may read, as one SQL condition."""
    if not user.is_authenticated:
        return queryset.none()
    if is_programme_manager(user):
        return queryset
    # Subqueries rather than joins, so annotations (completion counts) are not multiplied.
    condition = Q(lead_expert=user) | Q(
        pk__in=Assessment.co_experts.through.objects.filter(user=user).values("assessment_id")
    )
    condition |= ~Q(status=Assessment.Status.DRAFT) & _on_projects_expertised_by(user)
    org_ids = organisation_ids(user)
    if org_ids:
        condition |= Q(
            project__in=Project.holders.through.objects.filter(organisation_id__in=org_ids).values(
                "project_id"
            )
        )
    territory_ids = state_territory_ids(user)
    if territory_ids:
        condition |= Q(
            project__in=Project.communes.through.objects.filter(
                territory__ancestor_links__ancestor_id__in=territory_ids
            ).values("project_id")
        )
    return queryset.filter(condition)
