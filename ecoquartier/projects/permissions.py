"""Who may see and change a project. The one place these rules live; views, API and other apps
call these functions. Each is a bounded number of queries.

- Everybody sees a public project. A private one is seen by the members of its holder
  organisations, the State services overseeing one of its communes (referents and programme
  managers of a DDT(M), a DREAL or the DGALN, whose territory contains it), platform
  administrators, and the people another app gives a role on the project through a registered
  viewer relation (`register_viewer_relation`: an expert named on one of its assessments).
- Whoever may not see a project is told it does not exist (404), on its pages and on every page
  of an object attached to it.
- Members of a holder organisation (and platform administrators) edit it.
"""

from django.db.models import Q

from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.organisations.permissions import (
    STATE_ROLES,
    membership_key,
    memberships,
    organisation_ids,
    state_territory_ids,
)
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


# The roles of those who carry projects (a plain member of a commune counts), as opposed to the
# State services, experts, reviewers and partners who follow or judge them.
HOLDER_ROLES = (Membership.Role.PROJECT_HOLDER, Membership.Role.MEMBER)


def holds_projects(user):
    """A project holder: offered to create projects and to apply (menus, dashboard). A member
    of an organisation with a holder role outside the State services, or an administrator. No
    query beyond the memberships cached on the user."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(
        m.role in HOLDER_ROLES and m.organisation.kind not in Organisation.STATE_KINDS
        for m in memberships(user)
    )


def can_hold_project(user, holders):
    """A project's holders must include one of the user's organisations, so that nobody creates
    a project they could not edit, or removes themselves from one by mistake."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool({o.pk for o in holders} & organisation_ids(user))


def oversees_project(user, project, roles=STATE_ROLES):
    """A State referent or programme manager (or only `roles`) of a State service whose
    territory contains one of the project's communes (DGALN: France). Cached on the project for
    the request."""
    territory_ids = state_territory_ids(user, roles)
    if not territory_ids:
        return False
    cache = project.__dict__.setdefault("_overseen", {})
    key = (user.pk, tuple(roles))
    if key not in cache:
        cache[key] = TerritoryAncestor.objects.filter(
            descendant__projects=project, ancestor_id__in=territory_ids
        ).exists()
    return cache[key]


# (test(user, project) -> bool, condition(user) -> Q on Project or None), registered by the apps
# that give people a role on a project (assessments: the experts named on its assessments).
_viewer_relations = []
_viewer_generations = []


def register_viewer_relation(test, condition, generation):
    """Let a higher app say who else sees a project: `test` for one project, `condition` the
    same rule as a filter for lists (both must agree), `generation` the counter
    (core.generations) that moves whenever the relation changes (see `visibility_key`). Called
    from an AppConfig.ready()."""
    if (test, condition) not in _viewer_relations:
        _viewer_relations.append((test, condition))
    if generation not in _viewer_generations:
        _viewer_generations.append(generation)


def visibility_key(user, *also):
    """What decides which projects `user` sees and whose restricted data it reads, as a string
    for the keys of what is cached per reader: who they are, their memberships (the
    organisations they hold projects for, the State services' territories), and the counters of
    every table these relations read — projects with their holders and communes (`projects`),
    organisations with their territories, the territories' containment, each viewer relation's
    own — and of `also` (the data cached). One query (the counters); the memberships are the
    request's."""
    from ecoquartier.core.generations import current

    names = ("projects", "organisations", "territories", *_viewer_generations, *also)
    counters = ".".join(str(value) for value in current(*names))
    return f"{membership_key(user)}:{counters}"


def has_viewer_relation(user, project):
    """Named on the project by another app (an expert of one of its assessments)."""
    return user.is_authenticated and any(
        test(user, project) for test, _condition in _viewer_relations
    )


def can_view_project(user, project):
    if project.is_public or can_edit_project(user, project):
        return True
    if not user.is_authenticated:
        return False
    return oversees_project(user, project) or any(
        test(user, project) for test, _condition in _viewer_relations
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


def holder_or_overseer_condition(user, field="pk"):
    """Projects `user` sees as a member of a holder organisation or as a State service
    overseeing one of their communes, as a condition on `field` (a project key: "pk" here,
    "project" on a model attached to projects), or None. Subqueries of the link tables, each
    read through an index. Other apps filter their rows with it rather than copy the rule."""
    if not user.is_authenticated:
        return None

    def among(links):
        return Q(**{f"{field}__in": links.values("project_id")})

    condition = None
    org_ids = organisation_ids(user)
    if org_ids:
        condition = among(Project.holders.through.objects.filter(organisation_id__in=org_ids))
    territory_ids = state_territory_ids(user)
    if territory_ids:
        overseen = among(
            Project.communes.through.objects.filter(
                territory__ancestor_links__ancestor_id__in=territory_ids
            )
        )
        condition = overseen if condition is None else condition | overseen
    return condition


def related_condition(user):
    """Projects `user` stands in a relation to — holder, overseeing State service, expert named
    on them — as a condition on Project, or None. Whoever reads what a project keeps for its
    holders, State services and experts (restricted indicator values) is among these."""
    return _private_condition(user)


def _private_condition(user):
    """What lets `user` see a project that is not public, or None: one `pk IN (… UNION …)` of
    the relations' project keys when each is such a subquery (as they all are), since
    PostgreSQL reads an OR of several `IN (subquery)` by testing every private project against
    each (8 ms at 10× for a holder's list, 1 ms as one union)."""
    if not user.is_authenticated:
        return None
    condition = holder_or_overseer_condition(user)
    for _test, relation in _viewer_relations:
        extra = relation(user)
        if extra is not None:
            condition = extra if condition is None else condition | extra
    keys = _key_subqueries(condition) if condition is not None else None
    if keys and len(keys) > 1:
        return Q(pk__in=keys[0].union(*keys[1:]))
    return condition


def _key_subqueries(condition):
    """The subqueries of an OR of `pk__in=<subquery>` conditions (unordered), or None when
    `condition` is anything else."""
    if condition.connector != Q.OR or condition.negated:
        return None
    found = []
    for child in condition.children:
        if isinstance(child, Q):
            nested = _key_subqueries(child)
            if nested is None:
                return None
            found += nested
        elif child[0] == "pk__in" and hasattr(child[1], "query"):
            found.append(child[1].order_by())
        else:
            return None
    return found
