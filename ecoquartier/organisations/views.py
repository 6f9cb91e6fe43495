from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoquartier.organisations.models import Organisation
from ecoquartier.organisations.permissions import can_see_members
from ecoquartier.organisations.state_services import state_contacts
from ecoquartier.territories.models import Territory


def territory_url(territory):
    return reverse(
        "organisations:territory", kwargs={"kind": territory.kind, "code": territory.code}
    )


def _territories_crumb():
    try:
        return [(_("Territoires"), reverse("territories:search"))]
    except NoReverseMatch:
        return []


def parents(territory):
    """Direct parents, widest first, from the foreign keys loaded with the territory."""
    chain = [territory.region, territory.departement, territory.epci]
    return [parent for parent in chain if parent is not None and parent.pk != territory.pk]


@login_not_required
@require_safe
def territory_detail(request, kind, code):
    if kind not in Territory.Kind.values:
        raise Http404
    territory = get_object_or_404(
        Territory.objects.select_related("region", "departement", "epci"), kind=kind, code=code
    )
    chain = parents(territory)
    breadcrumb = _territories_crumb()
    breadcrumb += [(parent.name, territory_url(parent)) for parent in chain]
    breadcrumb.append((territory.name, None))
    organisations = territory.organisations.exclude(kind__in=Organisation.STATE_KINDS)
    return render(
        request,
        "organisations/territory_detail.html",
        {
            "territory": territory,
            "parents": [(parent, territory_url(parent)) for parent in chain],
            "contacts": list(state_contacts(territory)),
            "organisations": organisations,
            "breadcrumb": breadcrumb,
        },
    )


@login_not_required
@require_safe
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), pk=pk)
    members_visible = can_see_members(request.user, organisation)
    memberships = (
        organisation.memberships.select_related("user").order_by(
            "user__last_name", "user__first_name"
        )
        if members_visible
        else []
    )
    territory = organisation.territory
    breadcrumb = [(territory.name, territory_url(territory))] if territory else []
    breadcrumb.append((organisation.name, None))
    contacts = []
    if territory is not None and not organisation.is_state_service:
        contacts = list(state_contacts(territory))
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "territory_url": territory_url(territory) if territory else None,
            "members_visible": members_visible,
            "memberships": memberships,
            "contacts": contacts,
            "breadcrumb": breadcrumb,
        },
    )
