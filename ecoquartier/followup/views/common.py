"""Helpers shared by the follow-up's pages: the follow-up a user may see (404 otherwise), the
breadcrumb and the side menu of its sections."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from ecoquartier.followup import permissions
from ecoquartier.followup.models import FollowUp

# (url name, label) of the follow-up's sections, in the side menu's order.
SECTIONS = (
    ("followup:detail", _("Vue d'ensemble")),
    ("followup:conventions", _("Convention")),
    ("followup:days", _("Jours d'accompagnement")),
    ("followup:grants", _("Subventions et versements")),
    ("followup:deliverables", _("Jalons et livrables")),
    ("followup:roadmap", _("Feuille de route")),
)


def follow_up_or_404(request, pk, *related):
    """The follow-up `pk` if `request.user` may see it (else 404), with what every part shows
    and `related` (other relations a page reads: each join costs PostgreSQL planning time at
    every request, the application's table most)."""
    # The programme's partners read with it: the managers' rule (asked by every part) reads them.
    queryset = FollowUp.objects.select_related(
        "project", "programme", "beneficiary", "coordinator", *related
    ).prefetch_related("programme__partners")
    follow_up = get_object_or_404(queryset, pk=pk)
    if not permissions.can_view(request.user, follow_up):
        raise Http404
    return follow_up


def crumbs(follow_up=None, *items):
    trail = [(_("Accompagnements"), reverse("followup:index"))]
    if follow_up is not None:
        trail.append((follow_up.title, reverse("followup:detail", args=[follow_up.pk])))
    return [*trail, *items]


def section_context(request, follow_up, current, *items):
    """What every section page's layout needs: the follow-up, the side menu, the breadcrumb."""
    return {
        "follow_up": follow_up,
        "sections": [
            {"url": reverse(name, args=[follow_up.pk]), "label": label, "current": name == current}
            for name, label in SECTIONS
        ],
        "breadcrumb": crumbs(follow_up, *items)
        if items
        else crumbs(follow_up)[:1] + [(follow_up.title, None)],
    }


def errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        for message in error.messages:
            form.add_error(None, message)
