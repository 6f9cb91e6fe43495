"""Who may read, write, validate and open assessments. The one place these rules live.

- Nobody reads an assessment of a project they may not see (`projects.permissions.
  can_view_project`). An expert named on one of a project's assessments sees the project: this
  app registers that relation with the projects app (apps.py, `expert_relation`).
- Readers: members of a holder organisation (every assessment, drafts included); the State
  services overseeing the project (referents and programme managers of the DDT(M), DREAL or
  DGALN whose territory contains it: the DGALN sees all of France, a DREAL its région), drafts
  included, read-only: they accompany the holders; the experts named on the assessment (lead and
  co-experts); an expert named on any assessment of a project also reads its other assessments
  once submitted, to compare (drafts stay with their authors); platform administrators.
  Being a programme manager somewhere gives no access to the assessments of other territories.
- An assessment someone may not read does not exist for them: 404, whether or not they see its
  project. Someone who reads it but may not do an action on it is refused: 403.
- Writers (draft only): holders for a self-assessment; the named experts for the other kinds
  (expertise à blanc, label expertise, use-phase evaluation).
- Opening: holders open self-assessments. An expertise is opened by the State services
  overseeing the project, who name its lead expert, or by the label workflow (labels app: the
  campaign's managers naming two experts) and the use-phase reminder, which check their own
  rules and call `services.open_assessment`. An expert never opens one for themself.
- Naming experts (until validation): the overseeing State services and the lead expert. Nobody
  names themself: an expert gets access only by being named by someone else.
- Validation: the lead expert, or a programme manager overseeing the project.
- Gap follow-up (closing, reopening; after validation too): the writers, the holders and the
  programme managers overseeing the project.

Pass assessments fetched with `select_related("project")` and
`prefetch_related("project__holders", "co_experts")` to keep these checks free of queries.
"""

from django.db.models import Q

from ecoquartier.assessments.models import Assessment
from ecoquartier.organisations.models import Membership
from ecoquartier.projects.permissions import (
    can_edit_project,
    can_view_project,
    holder_or_overseer_condition,
    oversees_project,
)

MANAGER = (Membership.Role.PROGRAMME_MANAGER,)


def is_assigned_expert(user, assessment):
    if not user.is_authenticated:
        return False
    return assessment.lead_expert_id == user.pk or any(
        expert.pk == user.pk for expert in assessment.co_experts.all()
    )


def _expertised_project_ids(user):
    """The projects `user` is a named expert on, as two subqueries that each use an index (one
    OR across the co-experts join would read every assessment)."""
    as_lead = Assessment.objects.filter(lead_expert=user).values("project_id")
    as_co_expert = Assessment.co_experts.through.objects.filter(user=user).values(
        "assessment__project_id"
    )
    return as_lead, as_co_expert


def _on_projects_expertised_by(user):
    as_lead, as_co_expert = _expertised_project_ids(user)
    return Q(project__in=as_lead) | Q(project__in=as_co_expert)


def is_expert_on_project(user, project):
    """Named (lead or co-expert) on at least one assessment of `project`. One query, cached on
    the project for the request."""
    if not user.is_authenticated:
        return False
    cache = project.__dict__.setdefault("_experts", {})
    if user.pk not in cache:
        cache[user.pk] = Assessment.objects.filter(
            Q(lead_expert=user) | Q(co_experts=user), project=project
        ).exists()
    return cache[user.pk]


def expert_relation(user):
    """`is_expert_on_project` as a condition on projects (registered with the projects app)."""
    if not user.is_authenticated:
        return None
    as_lead, as_co_expert = _expertised_project_ids(user)
    return Q(pk__in=as_lead) | Q(pk__in=as_co_expert)


def supervises(user, project):
    """A programme manager of a State service overseeing the project, or a platform
    administrator."""
    return user.is_authenticated and (
        user.is_superuser or oversees_project(user, project, roles=MANAGER)
    )


def can_read_assessment(user, assessment):
    if not user.is_authenticated:
        return False
    project = assessment.project
    if not can_view_project(user, project):
        return False
    return (
        can_edit_project(user, project)
        or oversees_project(user, project)
        or is_assigned_expert(user, assessment)
        or (assessment.status != Assessment.Status.DRAFT and is_expert_on_project(user, project))
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
        assessment.lead_expert_id == user.pk or supervises(user, assessment.project)
    )


def can_manage_experts(user, assessment):
    """The overseeing State services and the lead expert name the experts, until validation."""
    if not user.is_authenticated or assessment.status == assessment.Status.VALIDATED:
        return False
    return (
        user.is_superuser
        or assessment.lead_expert_id == user.pk
        or oversees_project(user, assessment.project)
    )


def names_themself(user, experts, assessment=None):
    """Would `user` name themself among `experts` of an assessment they are not on yet?"""
    if not any(expert is not None and expert.pk == user.pk for expert in experts):
        return False
    return assessment is None or not is_assigned_expert(user, assessment)


def can_follow_up_gaps(user, assessment):
    """Closing or reopening a gap is follow-up work: allowed after validation too."""
    return (
        is_writer(user, assessment)
        or can_edit_project(user, assessment.project)
        or supervises(user, assessment.project)
    )


def can_create_assessment(user, project, kind):
    if not user.is_authenticated:
        return False
    if kind == Assessment.Kind.SELF_ASSESSMENT:
        return can_edit_project(user, project)
    return user.is_superuser or oversees_project(user, project)


def can_view_project_assessments(user, project):
    """May open the project's assessment list (they may still see only some assessments)."""
    return user.is_authenticated and can_view_project(user, project)


def readable_assessments(user, queryset):
    """Filter `queryset` to the assessments `user` may read, as one SQL condition. Each branch
    implies that the user sees the project (holders, overseeing State services, named experts),
    as `can_read_assessment` requires; the holders' and State services' branch is the projects
    app's own rule (`holder_or_overseer_condition`), called, not copied."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    # Subqueries rather than joins, so annotations (completion counts) are not multiplied.
    condition = Q(lead_expert=user) | Q(
        pk__in=Assessment.co_experts.through.objects.filter(user=user).values("assessment_id")
    )
    condition |= ~Q(status=Assessment.Status.DRAFT) & _on_projects_expertised_by(user)
    holders_and_overseers = holder_or_overseer_condition(user, field="project")
    if holders_and_overseers is not None:
        condition |= holders_and_overseers
    return queryset.filter(condition)
