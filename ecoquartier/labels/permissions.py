"""Who may see and act on label charters, files and commissions. The only place these rules live.

- holders (members of a holder organisation) sign the charter and apply;
- State referents overseeing the project acknowledge its charter; holders and they read it;
- the label programme's managers open its annual campaigns; the campaign's managers assign
  experts (never themselves) and run the national commission; the label workflow opens the
  label expertise for them (assessments.services); a session's page is for those who run it and
  the campaign's managers (the dashboard links only to those one may open);
- the two assigned experts schedule the visit and give their opinion;
- a DDT(M)/DREAL's referents run local commissions for the files of their territory, and see
  those files on the campaign's dashboard;
- a campaign is its call: public once published, visible only to its managers before
  (calls.permissions.can_view_call); its dashboard is for its managers and the State services;
- a file's performance check (labels/performance.py) is read by whoever reads the file; the
  values reserved to the State services and experts by those the indicators app lets read
  them, the file's experts, the campaign's managers and the local commissions of its
  territory; its two experts comment its indicators while the file is in expertise;
- a use-phase evaluation is read by whoever reads its assessment (assessments.permissions),
  edited by the project's holders and the assessment's writers.
- Someone who may not see an object (a private project's page, a file, a session, a draft
  campaign) is told it does not exist (404); an action on an object they see is refused (403).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from ecoquartier.applications import permissions as application_permissions
from ecoquartier.assessments.permissions import can_read_assessment, can_write_assessment
from ecoquartier.calls.models import Programme
from ecoquartier.calls.permissions import can_manage_call, can_view_call, managed_programmes
from ecoquartier.indicators import permissions as indicator_permissions
from ecoquartier.labels.models import FileState
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.organisations.permissions import (
    has_role,
    is_programme_manager,
    memberships,
    organisation_ids,
)
from ecoquartier.organisations.state_services import state_contacts
from ecoquartier.projects.permissions import can_edit_project, oversees_project
from ecoquartier.territories.models import TerritoryAncestor

STATE_ROLES = (Membership.Role.STATE_REFERENT, Membership.Role.PROGRAMME_MANAGER)


def can_record_past_step(user):
    """Steps decided before the platform are entered by programme managers."""
    return user.is_authenticated and is_programme_manager(user)


def can_sign_charter(user, project):
    return user.is_authenticated and can_edit_project(user, project)


def can_acknowledge_charter(user, charter):
    return user.is_authenticated and (user.is_superuser or oversees_project(user, charter.project))


def can_view_charter(user, charter):
    return can_edit_project(user, charter.project) or can_acknowledge_charter(user, charter)


def label_programmes(user):
    """The label programmes `user` manages: they open its annual campaigns."""
    if not user.is_authenticated:
        return Programme.objects.none()
    return managed_programmes(user, Programme.objects.filter(kind=Programme.Kind.LABEL))


def can_open_campaign(user):
    return label_programmes(user).exists()


def can_manage_campaign(user, campaign):
    return user.is_authenticated and can_manage_call(user, campaign.call)


def is_expert(user):
    return user.is_authenticated and has_role(user, Membership.Role.EXPERT)


def is_file_expert(user, file):
    return user.is_authenticated and user.pk in (file.coordinator_id, file.second_expert_id)


def is_coordinator(user, file):
    return user.is_authenticated and user.pk == file.coordinator_id


def commission_services(user):
    """The DDT(M)/DREAL in which `user` may run local commissions."""
    return [
        m.organisation
        for m in memberships(user)
        if m.organisation.kind in (Organisation.Kind.DDT, Organisation.Kind.DREAL)
        and m.role in STATE_ROLES
        and m.organisation.territory_id
    ]


def session_choices(user, campaign):
    """(levels, organisation ids) of the sessions `user` may open: local ones in their
    DDT(M)/DREAL, the national one (in the programme's owner) for the campaign's managers."""
    services = commission_services(user)
    levels = ["local"] if services else []
    organisation_ids = [o.pk for o in services]
    if can_manage_campaign(user, campaign):
        levels.append("national")
        organisation_ids.append(campaign.call.programme.owner_id)
    return levels, organisation_ids


def runs_session(user, session):
    if not user.is_authenticated:
        return False
    if session.is_national:
        return can_manage_campaign(user, session.campaign)
    return user.is_superuser or any(
        o.pk == session.organisation_id for o in commission_services(user)
    )


def can_view_session(user, session):
    """A session's page is for those who run it and the campaign's managers."""
    return runs_session(user, session) or can_manage_campaign(user, session.campaign)


def file_in_territory(file, territory_id):
    """Is the file's applicant territory inside `territory_id`?"""
    return TerritoryAncestor.objects.filter(
        descendant_id=file.application.territory_id, ancestor_id=territory_id
    ).exists()


def can_view_file(user, file):
    if not user.is_authenticated:
        return False
    return (
        is_file_expert(user, file)
        or can_manage_campaign(user, file.campaign)
        or application_permissions.can_view(user, file.application)
    )


# The experts comment the indicators while they assess the file (not once it is decided on).
COMMENTING_STATES = (FileState.IN_EXPERTISE, FileState.EXPERTISE_DONE)


def can_comment_indicators(user, file):
    return is_file_expert(user, file) and file.state in COMMENTING_STATES


def reads_file_values(user, file):
    """Sees, in the file's performance check, the values reserved to the State services and
    experts."""
    return (
        is_file_expert(user, file)
        or indicator_permissions.reads_restricted(user, file.project)
        or can_manage_campaign(user, file.campaign)
        or sits_in_local_commission(user, file)
    )


def can_open_application(user, file):
    """The file page links to its application only for those the application page lets in
    (a file's experts see the file, not the application)."""
    return application_permissions.can_view(user, file.application)


def can_apply(user, project):
    return user.is_authenticated and can_edit_project(user, project)


def applicant_organisations(user, project):
    """The holder organisations of `project` the user belongs to (the applicant candidates)."""
    mine = organisation_ids(user)
    return [o for o in project.holders.all() if o.pk in mine]


def can_edit_use_phase(user, evaluation):
    return can_edit_project(user, evaluation.project) or can_write_assessment(
        user, evaluation.assessment
    )


def can_view_use_phase(user, evaluation):
    return can_read_assessment(user, evaluation.assessment)


def dashboard_files(user, campaign, files):
    """The campaign's files its dashboard lists: all for its managers, those of their territory
    for a State service."""
    files = files.filter(campaign=campaign)
    if can_manage_campaign(user, campaign):
        return files
    territory_ids = [o.territory_id for o in commission_services(user)]
    return files.filter(
        application__territory__ancestor_links__ancestor_id__in=territory_ids
    ).distinct()


def can_view_campaign(user, campaign):
    """A campaign is its call: public once published, its managers' draft before."""
    return can_view_call(user, campaign.call)


def can_view_dashboard(user, campaign):
    if not can_view_campaign(user, campaign):
        return False
    return can_manage_campaign(user, campaign) or bool(commission_services(user))


# --- Who may be an expert of a file -----------------------------------------------------------


def experts():
    """Users with the expert role (any of them may be posted for a file: the conflicts are
    explained by `expert_conflicts` rather than hidden)."""
    return get_user_model().objects.filter(memberships__role=Membership.Role.EXPERT).distinct()


def conflict_organisations(file):
    """Organisations an expert of this file must not belong to: the applicant, the project's
    holders and the State services (DDT(M), DREAL) of its territory."""
    organisations = {file.application.organisation, *file.project.holders.all()}
    for commune in file.project.communes.all():
        organisations.update(state_contacts(commune))
    return organisations


def expert_conflicts(expert, file, organisations=None):
    """French reasons why `expert` may not assess `file` (empty when they may)."""
    organisations = conflict_organisations(file) if organisations is None else organisations
    conflicting = organisations & {m.organisation for m in memberships(expert)}
    name = expert.get_full_name() or expert.email
    reasons = [
        _(
            "%(name)s ne peut pas être expert de ce dossier : il ou elle appartient à "
            "« %(org)s », %(why)s."
        )
        % {"name": name, "org": org, "why": _why(org, file)}
        for org in sorted(conflicting, key=lambda o: o.name)
    ]
    if not has_role(expert, Membership.Role.EXPERT):
        reasons.append(_("%s n'a pas le rôle d'expert sur la plateforme.") % name)
    return reasons


def _why(organisation, file):
    if organisation.is_state_service:
        return _("service de l'État du territoire du projet")
    if organisation.pk == file.application.organisation_id:
        return _("organisation candidate")
    return _("porteuse du projet")


def eligible_experts(file):
    """Users with the expert role and no conflict with this file."""
    excluded = [o.pk for o in conflict_organisations(file)]
    return (
        get_user_model()
        .objects.filter(memberships__role=Membership.Role.EXPERT, is_active=True)
        .exclude(memberships__organisation_id__in=excluded)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def sits_in_local_commission(user, file):
    """May `user` decide on `file` in a local commission: a DDT(M)/DREAL of its territory."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(file_in_territory(file, o.territory_id) for o in commission_services(user))
