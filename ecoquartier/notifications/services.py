"""What a person does with their notifications. Read marks are not logged (they change nothing
anyone else sees); the e-mail preference is."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.core.activity import record
from ecoquartier.notifications.models import Notification


@transaction.atomic
def mark_read(user, notification_id):
    """Mark one of the user's notifications read; False if already read."""
    updated = (
        Notification.objects.unread()
        .filter(pk=notification_id, recipient=user)
        .update(read_at=timezone.now())
    )
    if updated:
        get_user_model().objects.filter(pk=user.pk, unread_notifications__gt=0).update(
            unread_notifications=F("unread_notifications") - 1
        )
    return bool(updated)


@transaction.atomic
def mark_all_read(user):
    count = Notification.objects.unread().filter(recipient=user).update(read_at=timezone.now())
    # Also the moment the counter is set right, whatever happened to it.
    get_user_model().objects.filter(pk=user.pk).update(unread_notifications=0)
    return count


@transaction.atomic
def set_frequency(actor, user, frequency):
    if actor.pk != user.pk:
        raise PermissionDenied
    if frequency not in user.NotificationFrequency.values:
        raise ValidationError(_("Ce choix n’existe pas."))
    if user.notification_frequency == frequency:
        return user
    previous = user.notification_frequency
    user.notification_frequency = frequency
    user.save(update_fields=["notification_frequency"])
    record(
        actor,
        "accounts.notification_frequency_changed",
        _("Envoi des notifications : %s") % user.get_notification_frequency_display(),
        targets=[user],
        changes={"notification_frequency": [previous, frequency]},
    )
    return user
