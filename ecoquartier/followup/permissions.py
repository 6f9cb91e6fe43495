"""Who may see and act on a follow-up. The one place these rules live (ADR 6); every part
(conventions, days, grants, deliverables, roadmap) asks here.

- **Managers**: the programme's managers (calls.permissions) open, configure and close it,
  approve instalments and review deliverables; platform administrators may do everything.
- **Experts**: the experts named on it (the Cerema's team…) log activities, plan expertise
  requests, review deliverables; the operator's other members see nothing of it.
- **Beneficiary**: members of the supported authority (and the project's holders) read it, file
  expertise requests, upload deliverables and request instalments.
- **Parties**: members of an organisation party to one of its conventions (the DDT(M) for the
  préfet, co-financers) read it and sign for their organisation.
- **Overseers**: the State services overseeing the project read it.
Anyone else is told it does not exist (404).
"""

from django.db.models import Q

from ecoquartier.calls.permissions import can_manage_programme, managed_programmes
from ecoquartier.organisations.permissions import organisation_ids
from ecoquartier.projects.permissions import (
    can_edit_project,
    holder_or_overseer_condition,
    oversees_project,
)


def manages(user, follow_up):
    return can_manage_programme(user, follow_up.programme)


def is_expert(user, follow_up):
    """Named on the follow-up's team (one query, cached on the follow-up)."""
    if not user.is_authenticated:
        return False
    ids = follow_up.__dict__.get("_expert_ids")
    if ids is None:
        ids = set(follow_up.experts.values_list("pk", flat=True))
        follow_up.__dict__["_expert_ids"] = ids
    return user.pk in ids


def coordinates(user, follow_up):
    """A named expert, or a manager of the programme."""
    return is_expert(user, follow_up) or manages(user, follow_up)


def is_beneficiary(user, follow_up):
    """A member of the supported authority or of one of the project's holders."""
    if not user.is_authenticated:
        return False
    return follow_up.beneficiary_id in organisation_ids(user) or can_edit_project(
        user, follow_up.project
    )


def party_organisation_ids(follow_up):
    """The organisations party to one of the follow-up's conventions (one query, cached)."""
    cached = follow_up.__dict__.get("_party_ids")
    if cached is None:
        from ecoquartier.followup.models import ConventionParty

        # The operator's members are not told of it by being party (see the module).
        cached = set(
            ConventionParty.objects.filter(convention__follow_up=follow_up)
            .exclude(role=ConventionParty.Role.OPERATOR)
            .values_list("organisation_id", flat=True)
        )
        follow_up.__dict__["_party_ids"] = cached
    return cached


def is_party(user, follow_up):
    return user.is_authenticated and bool(
        party_organisation_ids(follow_up) & organisation_ids(user)
    )


def can_view(user, follow_up):
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or coordinates(user, follow_up)
        or is_beneficiary(user, follow_up)
        or is_party(user, follow_up)
        or oversees_project(user, follow_up.project)
    )


def can_open(user, programme):
    """Programme managers open follow-ups in their programmes."""
    return can_manage_programme(user, programme)


def can_open_from(user, application):
    """A selected application of a call of the programme the user manages, not yet followed."""
    from ecoquartier.applications.models import State

    return application.state == State.SELECTED and can_open(user, application.call.programme)


def can_edit(user, follow_up):
    """Change its dates, budget, coordinator; close it."""
    return manages(user, follow_up)


def can_log_activity(user, follow_up):
    return follow_up.state == follow_up.State.OPEN and coordinates(user, follow_up)


def can_request_expertise(user, follow_up):
    # `manages` first: read from the programme already loaded, where `is_beneficiary` may ask
    # for the project's holders.
    return follow_up.state == follow_up.State.OPEN and (
        manages(user, follow_up) or is_beneficiary(user, follow_up)
    )


def visible_follow_ups(user, queryset=None):
    """Every follow-up `user` may see, as one filterable QuerySet (subqueries on indexes)."""
    from ecoquartier.followup.models import ConventionParty, FollowUp

    queryset = FollowUp.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    ids = organisation_ids(user)
    experts = FollowUp.experts.through.objects.filter(user_id=user.pk)
    condition = Q(programme__in=managed_programmes(user).values("pk")) | Q(
        pk__in=experts.values("followup_id")
    )
    if ids:
        parties = ConventionParty.objects.filter(organisation_id__in=ids).exclude(
            role=ConventionParty.Role.OPERATOR
        )
        condition |= Q(beneficiary_id__in=ids) | Q(
            pk__in=parties.values("convention__follow_up_id")
        )
    projects = holder_or_overseer_condition(user, field="project")
    if projects is not None:
        condition |= projects
    return queryset.filter(condition)


def follows_projects(user):
    """Who is offered the follow-ups in the menu: managers, State referents, operators' experts
    and the authorities' members. No query beyond the memberships cached on the user."""
    from ecoquartier.organisations.models import Membership
    from ecoquartier.organisations.permissions import memberships

    roles = {
        Membership.Role.PROGRAMME_MANAGER,
        Membership.Role.STATE_REFERENT,
        Membership.Role.EXPERT,
        Membership.Role.PROJECT_HOLDER,
        Membership.Role.MEMBER,
    }
    return user.is_authenticated and (
        user.is_superuser or any(m.role in roles for m in memberships(user))
    )


# --- deliverables


def can_plan_deliverables(user, follow_up):
    """Add and change milestones and deliverables: the team and the managers, while open."""
    return follow_up.state == follow_up.State.OPEN and coordinates(user, follow_up)


def owns_deliverable(user, deliverable):
    """A member of the deliverable's owner (the beneficiary's holders count as its members)."""
    if not user.is_authenticated:
        return False
    follow_up = deliverable.follow_up
    if deliverable.owner_id in organisation_ids(user):
        return True
    return deliverable.owner_id == follow_up.beneficiary_id and is_beneficiary(user, follow_up)


def can_upload_deliverable(user, deliverable):
    """The owner's members, or the team (an expert files what the authority sent by mail)."""
    follow_up = deliverable.follow_up
    return follow_up.state == follow_up.State.OPEN and (
        owns_deliverable(user, deliverable) or coordinates(user, follow_up)
    )


def can_review_deliverable(user, deliverable):
    """The reviewers: the named experts and the programme's managers."""
    follow_up = deliverable.follow_up
    return follow_up.state == follow_up.State.OPEN and coordinates(user, follow_up)


def can_plan_programme(user, programme):
    """Edit a programme's phase plan (`MilestoneTemplate`): its managers."""
    return can_manage_programme(user, programme)


def due_follow_ups(user, programme):
    """The follow-ups of `programme` whose deliverables `user` sees in its « what is due »
    table: all of them for its managers, those they are on for the experts; None otherwise."""
    from ecoquartier.followup.models import FollowUp

    follow_ups = FollowUp.objects.filter(programme=programme)
    if can_manage_programme(user, programme):
        return follow_ups
    if not user.is_authenticated:
        return None
    mine = follow_ups.filter(experts=user)
    return mine if mine.exists() else None


# --- conventions


def can_prepare_convention(user, follow_up):
    """The programme's managers and the follow-up's named experts prepare, edit and send it."""
    return follow_up.state == follow_up.State.OPEN and coordinates(user, follow_up)


def _party_ids(convention):
    """The organisations party to `convention` (its prefetched parties, else one query)."""
    return {party.organisation_id for party in convention.parties.all()}


def is_convention_party(user, convention):
    """A member of one of the convention's parties (who may sign for it)."""
    return user.is_authenticated and bool(_party_ids(convention) & organisation_ids(user))


def signs_for(user, party):
    return user.is_authenticated and party.organisation_id in organisation_ids(user)


def can_view_signed_scan(user, party, follow_up):
    """Whoever reads the follow-up reads its conventions and their signed copies."""
    return party.convention.follow_up_id == follow_up.pk and can_view(user, follow_up)


# --- roadmap


def can_manage_roadmap(user, follow_up):
    """Turn gaps into actions and edit them: the programme's managers and the named experts."""
    return follow_up.state == follow_up.State.OPEN and coordinates(user, follow_up)


def can_update_action_status(user, follow_up):
    """Say how an action is going: those who manage the roadmap, and the beneficiary's members."""
    return follow_up.state == follow_up.State.OPEN and (
        coordinates(user, follow_up) or is_beneficiary(user, follow_up)
    )


# --- dashboard


def sees_programme_dashboard(user):
    """Offered the programme dashboard on their dashboard: programme managers (no query beyond
    the memberships cached on the user)."""
    from ecoquartier.organisations.models import Membership
    from ecoquartier.organisations.permissions import memberships

    return user.is_authenticated and (
        user.is_superuser
        or any(m.role == Membership.Role.PROGRAMME_MANAGER for m in memberships(user))
    )


# --- the project of a support


def is_expert_of_project(user, project):
    """Named on the team of one of `project`'s follow-ups: the support's experts see the
    project they support (registered with the projects app). One query, cached."""
    if not user.is_authenticated:
        return False
    from ecoquartier.followup.models import FollowUp

    cache = project.__dict__.setdefault("_support_experts", {})
    if user.pk not in cache:
        cache[user.pk] = FollowUp.experts.through.objects.filter(
            user_id=user.pk, followup__project=project
        ).exists()
    return cache[user.pk]


def support_expert_relation(user):
    """`is_expert_of_project` as a condition on projects."""
    if not user.is_authenticated:
        return None
    from ecoquartier.followup.models import FollowUp

    supports = FollowUp.experts.through.objects.filter(user_id=user.pk)
    return Q(pk__in=supports.values("followup__project_id"))


# --- days (support activities and expertise requests; answering one is `coordinates`)


def can_change_activity(user, activity, follow_up):
    """Edit or delete a logged activity: its expert or author, or a manager, while it is open."""
    return activity_changer(user, follow_up)(activity.expert_id, activity.created_by_id)


def activity_changer(user, follow_up):
    """The same rule for a list of activities: f(expert pk, author pk) → may `user` change it,
    with what depends on the follow-up alone decided once."""
    if not can_log_activity(user, follow_up):
        return lambda expert_id, author_id: False
    if manages(user, follow_up):
        return lambda expert_id, author_id: True
    return lambda expert_id, author_id: user.pk in (expert_id, author_id)


# --- grants


def can_manage_grants(user, follow_up):
    """Add and change the follow-up's grants; approve, pay and refuse their instalments."""
    return manages(user, follow_up)


def can_request_instalment(user, follow_up):
    """The beneficiary's members ask for the payments, while the follow-up is open."""
    return follow_up.state == follow_up.State.OPEN and is_beneficiary(user, follow_up)


def can_check_instalment(user, follow_up):
    """The managers, or the State referents overseeing the project, check the documents."""
    from ecoquartier.organisations.models import Membership

    return manages(user, follow_up) or oversees_project(
        user, follow_up.project, roles=(Membership.Role.STATE_REFERENT,)
    )


def can_manage_budget(user, programme):
    """The programme's managers keep its budget lines and export its grants."""
    return can_manage_programme(user, programme)
