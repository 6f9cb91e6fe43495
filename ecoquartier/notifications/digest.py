"""The daily digest (scheduled at 7:00, core.scheduler): for each person who chose it, ONE
e-mail listing every notification not e-mailed yet."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ecoquartier.notifications.delivery import absolute, build_email
from ecoquartier.notifications.models import Notification


def send_digests(now=None):
    now = now or timezone.now()
    daily = get_user_model().NotificationFrequency.DAILY
    people = (
        Notification.objects.pending_email()
        .filter(created_at__lt=now, recipient__notification_frequency=daily)
        .values_list("recipient", flat=True)
        .distinct()
    )
    sent = sum(_send_digest(user_id, now) for user_id in sorted(set(people)))
    return f"{sent} récapitulatif(s) envoyé(s)"


def _send_digest(user_id, now):
    """Lock the person's pending notifications, mark them e-mailed, send: a failure rolls the
    marks back, and a concurrent run finds nothing left to send."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(of=("self",))
            .pending_email()
            .filter(recipient_id=user_id, created_at__lt=now)
            .select_related("recipient")
            .order_by("created_at", "pk")
        )
        if not rows:
            return 0
        user = rows[0].recipient
        items = [{"subject": n.subject, "url": absolute(n.url) if n.url else ""} for n in rows]
        context = {
            "user": user,
            "items": items,
            "platform_name": settings.PLATFORM_NAME,
            "list_url": absolute(reverse("notifications:list")),
            "preferences_url": absolute(reverse("notifications:preferences")),
        }
        message = build_email("notifications/emails/digest", user.email, context)
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=now)
        message.send()
    return 1
