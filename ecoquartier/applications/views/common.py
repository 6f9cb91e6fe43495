"""Helpers shared by the views: load what a page needs in a fixed number of queries."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from ecoquartier.applications import permissions
from ecoquartier.applications.models import Application
from ecoquartier.calls.models import SECTION_FIELDS, Call
from ecoquartier.calls.permissions import can_view_call
from ecoquartier.organisations.models import Organisation


def application_or_404(user, pk, check=permissions.can_view):
    """The application if `user` may see it (404 otherwise, even if it exists)."""
    application = get_object_or_404(
        Application.objects.select_related(
            "call__programme", "step", "organisation__territory", "project", "territory"
        ),
        pk=pk,
    )
    if not check(user, application):
        raise_404()
    return application


def raise_404():

    raise Http404


# The call's long texts and search columns: pages of this app only need its title and rules.
HEAVY_CALL_FIELDS = [
    *SECTION_FIELDS,
    "search_title",
    "search_summary",
    "search_body",
    "search_vector",
]


def visible_call(user, call):
    """A draft call, and everything under it, does not exist for whoever may not see it."""
    if not can_view_call(user, call):
        raise_404()
    return call


def call_or_404(user, slug):
    # Partners prefetched: permission checks read the programme's organisations many times.
    call = get_object_or_404(
        Call.objects.select_related("programme")
        .prefetch_related("programme__partners")
        .defer(*HEAVY_CALL_FIELDS),
        slug=slug,
    )
    return visible_call(user, call)


def listed_call_or_404(user, slug):
    """The call as the instruction lists need it: its title and slug, and what the permission
    checks read (its state, its programme's owner and partners). A call has forty columns;
    loading them all, as `call_or_404` does, costs these busy pages half a millisecond."""
    call = get_object_or_404(
        Call.objects.select_related("programme")
        .only("slug", "title", "state", "programme__owner")
        .prefetch_related(
            Prefetch("programme__partners", queryset=Organisation.objects.only("pk"))
        ),
        slug=slug,
    )
    return visible_call(user, call)


def require(condition):
    if not condition:
        raise PermissionDenied
