"""Opinions in core's task inbox and menu (core.extensions, from AppConfig.ready()): "Avis
demandés" with the number of opinions the user has still to give, and a menu link for those
who have some. One query per request (cached on the user by `opinions.pending_count`)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.applications.opinions import pending_count
from ecoquartier.core.extensions import Task, register_link, register_tasks


def tasks(user):
    count = pending_count(user)
    if not count:
        return []
    return [Task(_("Avis demandés"), count, reverse("applications:opinions"), order=30)]


def has_pending(user):
    return bool(pending_count(user))


def register():
    register_tasks("applications.opinions", tasks, order=30)
    register_link(
        "main_nav", gettext_lazy("Mes avis à donner"), "applications:opinions", order=45,
        visible=has_pending,
    )  # fmt: skip
