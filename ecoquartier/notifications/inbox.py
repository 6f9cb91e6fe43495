"""What notifications put in a user's inbox (the dashboard's "À faire"): the unread
notifications, read from the counter on the user row (no query)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ecoquartier.core.extensions import Task


def unread(user):
    if user.is_authenticated and user.unread_notifications:
        yield Task(
            _("Notifications et messages non lus"),
            user.unread_notifications,
            reverse("notifications:list"),
            order=90,
        )


def register():
    from ecoquartier.core.extensions import register_tasks

    register_tasks("notifications.unread", unread, order=90)
