"""Opinions in core's task inbox and menu (core.extensions, from AppConfig.ready()): "Avis
demandés" with the number of opinions the user has still to give (one query, on the dashboard
only), and a menu link "Mes avis à donner" for those who have some. The menu is on every page:
its test reads no table — the roles usually asked (State referents, experts), from the
memberships the header has loaded already, or a count the request has read already (on the
dashboard: the inbox's)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.applications.opinions import pending
from ecoquartier.core.extensions import Task, register_link, register_tasks
from ecoquartier.organisations.models import Membership
from ecoquartier.organisations.permissions import has_role


def tasks(user):
    count, oldest = pending(user)
    if not count:
        return []
    detail = _("le plus ancien demandé le %s") % date_format(timezone.localtime(oldest), "j F Y")
    return [Task(_("Avis demandés"), count, reverse("applications:opinions"), detail, order=30)]


ASKED_ROLES = (Membership.Role.STATE_REFERENT, Membership.Role.EXPERT)


def may_have_pending(user):
    """Without a query: a count already read for this request, else the roles usually asked."""
    if not user.is_authenticated:
        return False
    if hasattr(user, "_eq_pending_opinions"):
        return user._eq_pending_opinions > 0
    return has_role(user, *ASKED_ROLES)


def register():
    register_tasks("applications.opinions", tasks, order=30)
    register_link(
        "main_nav", gettext_lazy("Mes avis à donner"), "applications:opinions", order=45,
        visible=may_have_pending,
    )  # fmt: skip
