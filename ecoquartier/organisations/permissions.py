"""Who belongs where, and who may change it. Plain functions; every domain app builds its rules
on them.

- Members (and platform staff) see an organisation's member list.
- An organisation's administrators (`Membership.is_admin`) invite, change and remove its
  members; platform superusers may too (to bootstrap an organisation without an administrator).
- The roles that reach beyond the organisation — State referent, programme manager — are given
  only in State services (or by a superuser): a commune cannot make itself an instructor.
- An invitation is accepted only by the account whose e-mail address is the invited one.
- Anyone signed in may write to a State service through the platform (rate-limited in services).
"""

from ecoquartier.organisations.models import Membership, Organisation


def memberships(user):
    """The user's memberships, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_eq_memberships"):
        user._eq_memberships = list(user.memberships.select_related("organisation"))
    return user._eq_memberships


def membership_key(user):
    """Who `user` is and the organisations and roles they belong to, as a string: the part of a
    cache key for what depends on the reader (with the counters of what the rules read)."""
    if not user.is_authenticated:
        return "anonymous"
    roles = ",".join(sorted(f"{m.organisation_id}.{m.role}" for m in memberships(user)))
    return f"{user.pk}:{int(user.is_superuser)}:{roles}"


def organisation_ids(user):
    return {m.organisation_id for m in memberships(user)}


STATE_ROLES = (Membership.Role.STATE_REFERENT, Membership.Role.PROGRAMME_MANAGER)


def state_territory_ids(user, roles=STATE_ROLES):
    """Territories a user oversees in a State service (DDT → département, DREAL → région,
    DGALN → France), as a referent or a programme manager (or only the given `roles`)."""
    return {
        m.organisation.territory_id
        for m in memberships(user)
        if m.organisation.kind in Organisation.STATE_KINDS
        and m.role in roles
        and m.organisation.territory_id
    }


def has_role(user, *roles):
    return any(m.role in roles for m in memberships(user))


def is_programme_manager(user):
    return user.is_superuser or has_role(user, Membership.Role.PROGRAMME_MANAGER)


def can_see_members(user, organisation):
    """The member list is visible to the organisation's own members and to platform staff."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or organisation.pk in organisation_ids(user)


def is_admin_of(user, organisation):
    return any(m.organisation_id == organisation.pk and m.is_admin for m in memberships(user))


def can_manage_members(user, organisation):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or is_admin_of(user, organisation)


STATE_ONLY_ROLES = (Membership.Role.STATE_REFERENT, Membership.Role.PROGRAMME_MANAGER)


def assignable_roles(user, organisation):
    """The roles `user` may give in `organisation` (in the model's order)."""
    if user.is_superuser or organisation.is_state_service:
        return list(Membership.Role)
    return [role for role in Membership.Role if role not in STATE_ONLY_ROLES]


def may_accept_invitation(user, invitation):
    """Only the account whose e-mail address is the invited one (whatever its case)."""
    return user.is_authenticated and user.email.casefold() == invitation.email.casefold()


def can_contact(user, organisation):
    """A State service is reachable through the platform by anyone signed in."""
    return user.is_authenticated and organisation.is_state_service
