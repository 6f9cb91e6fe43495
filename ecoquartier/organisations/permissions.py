"""Who belongs where. Plain functions; every domain app builds its rules on them."""

from ecoquartier.organisations.models import Membership, Organisation


def memberships(user):
    """The user's memberships, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_eq_memberships"):
        user._eq_memberships = list(user.memberships.select_related("organisation"))
    return user._eq_memberships


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
