"""Who may see and change a project. The one place these rules live; views, API and other apps
call these functions. Each is a bounded number of queries."""

from django.db.models import Q

from ecoquartier.organisations.permissions import organisation_ids, state_territory_ids
from ecoquartier.projects.models import Project
from ecoquartier.territories.models import TerritoryAncestor


def can_edit_project(user, project):
    """Members of a holder organisation (and platform administrators)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    holder_ids = {o.pk for o in project.holders.all()}
    return bool(holder_ids & organisation_ids(user))


def can_create_project(user):
    """Anyone who belongs to an organisation: it becomes the first holder."""
    return user.is_authenticated and (user.is_superuser or bool(organisation_ids(user)))


def can_hold_project(user, holders):
    """A project's holders must include one of the user's organisations, so that nobody creates
    a project they could not edit, or removes themselves from one by mistake."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool({o.pk for o in holders} & organisation_ids(user))


def oversees_project(user, project):
    """A State referent (or programme manager) whose territory contains one of its communes."""
    territory_ids = state_territory_ids(user)
    if not territory_ids:
        return False
    return TerritoryAncestor.objects.filter(
        descendant__projects=project, ancestor_id__in=territory_ids
    ).exists()


def can_view_project(user, project):
    return (
        project.is_public
        or can_edit_project(user, project)
        or (user.is_authenticated and oversees_project(user, project))
    )


# Events any viewer of a project may see on its timeline; other apps may add theirs (e.g. a
# label award) by appending a verb prefix here.
PUBLIC_EVENT_PREFIXES = ["project."]


def visible_events(user, project, events):
    """The project record's own history is as public as the project. Events written by other
    apps (applications, reviews, decisions…) show only to its holders and State referents."""
    if can_edit_project(user, project) or (
        user.is_authenticated and oversees_project(user, project)
    ):
        return events
    public = Q()
    for prefix in PUBLIC_EVENT_PREFIXES:
        public |= Q(verb__startswith=prefix)
    return events.filter(public)


def visible_projects(user, queryset=None):
    """Every project `user` may see, as one filterable QuerySet."""
    queryset = Project.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.is_superuser:
        return queryset
    condition = Q(is_public=True)
    private = _private_condition(user)
    return queryset.filter(condition if private is None else condition | private)


def visible_private_projects(user):
    """The projects `user` may see although they are not public (their holders', those of the
    territories they oversee): few, read through the link tables' indexes."""
    private = _private_condition(user)
    if private is None:
        return Project.objects.none()
    return Project.objects.filter(private, is_public=False)


def _private_condition(user):
    """What lets `user` see a project that is not public, or None."""
    if not user.is_authenticated:
        return None
    condition = None
    org_ids = organisation_ids(user)
    if org_ids:
        condition = Q(
            pk__in=Project.holders.through.objects.filter(organisation_id__in=org_ids).values(
                "project_id"
            )
        )
    territory_ids = state_territory_ids(user)
    if territory_ids:
        overseen = Q(
            pk__in=Project.communes.through.objects.filter(
                territory__ancestor_links__ancestor_id__in=territory_ids
            ).values("project_id")
        )
        condition = overseen if condition is None else condition | overseen
    return condition
