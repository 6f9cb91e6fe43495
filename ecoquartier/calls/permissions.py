"""Who may see and manage programmes and calls. The only place these rules live.

A programme's managers are the members, with the programme-manager role, of its owner or one of
its partner organisations — plus platform administrators. Programmes are public. A call is
public once published (closed and archived ones too); a draft call, and every page under it
(instruction, ranking, exports, forms, grid, laureates, applying), exists only for its managers:
404 for everyone else. An action on a call one sees but does not manage is refused (403).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from ecoquartier.calls.models import Call, Programme
from ecoquartier.organisations.models import Membership
from ecoquartier.organisations.permissions import is_programme_manager, memberships


def managing_organisation_ids(user):
    """Organisations in which `user` holds the programme-manager role."""
    return {
        m.organisation_id for m in memberships(user) if m.role == Membership.Role.PROGRAMME_MANAGER
    }


def can_create_programme(user):
    return user.is_authenticated and is_programme_manager(user)


def can_own_programme(user, organisation):
    """A programme is created for one of the organisations its creator manages programmes for."""
    if not can_create_programme(user):
        return False
    return user.is_superuser or organisation.pk in managing_organisation_ids(user)


def ownable_organisations(user, queryset):
    """The organisations `user` may choose as a programme's owner."""
    if user.is_superuser:
        return queryset
    return queryset.filter(pk__in=managing_organisation_ids(user))


def can_manage_programme(user, programme):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(managing_organisation_ids(user) & programme.organisation_ids())


def can_manage_call(user, call):
    return can_manage_programme(user, call.programme)


def can_view_call(user, call):
    """Published calls are public (closed and archived ones too); drafts only for managers."""
    return call.state == Call.State.PUBLISHED or can_manage_call(user, call)


def managed_programmes(user, queryset=None):
    queryset = Programme.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.is_superuser:
        return queryset
    ids = managing_organisation_ids(user) if user.is_authenticated else set()
    if not ids:
        return queryset.none()
    partnered = Programme.partners.through.objects.filter(organisation_id__in=ids)
    return queryset.filter(Q(owner_id__in=ids) | Q(pk__in=partnered.values("programme_id")))


def managed_calls(user, queryset=None):
    queryset = Call.objects.all() if queryset is None else queryset
    return queryset.filter(programme__in=managed_programmes(user))


def programme_managers(programme):
    """Every active user who may manage `programme` (for notifications)."""
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(
                memberships__role=Membership.Role.PROGRAMME_MANAGER,
                memberships__organisation_id__in=programme.organisation_ids(),
            ),
            is_active=True,
        )
        .distinct()
    )
