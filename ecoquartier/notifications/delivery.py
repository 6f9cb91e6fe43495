"""From an activity event to notifications and e-mails (ADR 21).

`schedule(event)` is subscribed to `core.activity.record`: when the verb has rules, a task is
queued once the transaction commits. The task (`deliver`) creates one `Notification` per
(event, recipient, rule) — a unique row, so a retried task creates nothing twice — then e-mails
each one still un-e-mailed whose recipient wants immediate e-mails. Each e-mail is claimed by a
conditional UPDATE of `emailed_at` before it is sent, and released if sending fails: of two runs
only one sends, and a failed send is tried again (`send_pending`, every 15 minutes). A worker
killed between the claim and the send loses that e-mail (the in-app notification stays): at most
once, rather than twice.
"""

import datetime
import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string, select_template
from django.utils import timezone

from ecoquartier.core.models import ActivityEvent
from ecoquartier.notifications import registry
from ecoquartier.notifications.models import Notification

logger = logging.getLogger(__name__)
RETRY_WINDOW = datetime.timedelta(days=2)  # older failures are left to the in-app list
RETRY_AFTER = datetime.timedelta(minutes=5)  # leaves the first run its time


def deferred(event_id):
    """Inside `inline()`, keep `event_id` for the end of the block and say so (tasks.schedule)."""
    pending = getattr(_inline, "events", None)
    if pending is None:
        return False
    pending.append(event_id)
    return True


# --- E-mails --------------------------------------------------------------------------------


def build_email(template, to, context, *, headers=None, attachments=()):
    """The e-mail of `template`: `<template>_subject.txt`, `<template>.txt` and the HTML
    alternative `<template>.html` (or the text in the shared HTML layout)."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = select_template([f"{template}.html", "notifications/email.html"]).render(
        {**context, "subject": subject, "text": text}
    )
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    return message


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


class Delivery:
    """One rule applied to one event: its recipients and its templates' context, computed once."""

    def __init__(self, rule, event, targets):
        self.rule, self.event = rule, event
        extra = rule.context(event, targets) if rule.context else {}
        path = rule.url(event, targets) if rule.url else extra.get("path", "")
        self.path = path or ""
        self.context = {
            "event": event,
            "actor": event.actor,
            "reason": event.reason,
            "platform_name": settings.PLATFORM_NAME,
            "url": absolute(self.path) if self.path else "",
            **extra,
        }
        self.users, self.addresses = self._recipients(targets)
        self._targets = targets
        self._attachments = None

    def _recipients(self, targets):
        users, addresses = {}, {}
        for person in self.rule.recipients(self.event, targets) or ():
            if isinstance(person, registry.Address):
                if person.email:
                    addresses.setdefault(person.email.lower(), person)
            elif self._reaches(person):
                users.setdefault(person.pk, person)
        return users, addresses

    def _reaches(self, user):
        if user is None or not user.is_active or not user.email:
            return False
        return not (self.rule.exclude_actor and user.pk == self.event.actor_id)

    def context_for(self, notification):
        context = {**self.context, "recipient": notification.recipient}
        address = self.addresses.get(notification.email)
        if notification.recipient_id is None and address is not None:
            context.update(address.context)
        return context

    def subject_for(self, recipient=None, address=None):
        context = {**self.context, "recipient": recipient, **(address.context if address else {})}
        text = render_to_string(f"{self.rule.template}_subject.txt", context)
        return " ".join(text.split())[:300]

    def attachments(self):
        if self._attachments is None:
            rule = self.rule
            self._attachments = (
                list(rule.attachments(self.event, self._targets)) if rule.attachments else []
            )
        return self._attachments

    def email(self, notification):
        return build_email(
            self.rule.template,
            notification.email,
            self.context_for(notification),
            headers=self.context.get("headers"),
            attachments=self.attachments(),
        )

    def create(self):
        """The missing notifications of this (event, rule); the unread counters follow."""
        with transaction.atomic():
            # Serialises two deliveries of one event (PostgreSQL; SQLite writes one at a time).
            ActivityEvent.objects.select_for_update().filter(pk=self.event.pk).exists()
            existing = Notification.objects.filter(event=self.event, rule=self.rule.template)
            users_done = set(existing.exclude(recipient=None).values_list("recipient", flat=True))
            emails_done = set(existing.filter(recipient=None).values_list("email", flat=True))
            rows = [
                Notification(
                    event=self.event,
                    rule=self.rule.template,
                    recipient=user,
                    email=user.email,
                    subject=self.subject_for(recipient=user),
                    url=self.path,
                )  # fmt: skip
                for pk, user in self.users.items()
                if pk not in users_done
            ] + [
                Notification(
                    event=self.event,
                    rule=self.rule.template,
                    email=email,
                    subject=self.subject_for(address=address),
                    url=self.path,
                )  # fmt: skip
                for email, address in self.addresses.items()
                if email not in emails_done
            ]
            Notification.objects.bulk_create(rows)
            new_readers = [row.recipient.pk for row in rows if row.recipient is not None]
            if new_readers:
                get_user_model().objects.filter(pk__in=new_readers).update(
                    unread_notifications=F("unread_notifications") + 1
                )

    def send_pending(self):
        """E-mail this (event, rule)'s notifications not e-mailed yet, to people who want them
        now. Returns how many were sent; raises after trying all if one failed."""
        pending = (
            Notification.objects.pending_email()
            .filter(event=self.event, rule=self.rule.template)
            .select_related("recipient")
        )
        sent, failures = 0, []
        for notification in pending:
            if not wants_now(notification.recipient):
                continue
            try:
                sent += send_once(notification, self.email)
            except Exception as error:  # noqa: BLE001 - the others still go; raised below
                logger.exception("Notification %s: e-mail failed", notification.pk)
                failures.append(error)
        if failures:
            raise failures[0]
        return sent


def wants_now(user):
    return user is None or user.notification_frequency == user.NotificationFrequency.IMMEDIATE


def send_once(notification, build):
    """Claim the notification's e-mail, send it, release the claim if sending failed."""
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return 0  # Sent meanwhile by another run.
    try:
        build(notification).send()
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return 1


# --- The tasks' work --------------------------------------------------------------------------


def deliver(event_id):
    """Notify everyone the rules of the event's verb name; returns how many e-mails were sent."""
    event = ActivityEvent.objects.select_related("actor").filter(pk=event_id).first()
    if event is None:
        return 0
    targets = registry.Targets(event)
    sent, failures = 0, []
    for rule in registry.rules_for(event.verb):
        if not rule.applies(event, targets):
            continue
        delivery = Delivery(rule, event, targets)
        delivery.create()
        try:
            sent += delivery.send_pending()
        except Exception as error:  # noqa: BLE001 - the other rules still go; raised below
            failures.append(error)
    for handler in registry.handlers_for(event.verb):
        try:
            sent += handler(event, targets) or 0
        except Exception as error:  # noqa: BLE001 - raised below
            logger.exception("Event %s: handler %s failed", event_id, handler)
            failures.append(error)
    if failures:
        raise failures[0]
    return sent


def send_pending(now=None):
    """Scheduled every 15 minutes: e-mail again what failed to go (recent notifications only)."""
    now = now or timezone.now()
    immediate = get_user_model().NotificationFrequency.IMMEDIATE
    pending = (
        Notification.objects.pending_email()
        .filter(created_at__gte=now - RETRY_WINDOW, created_at__lt=now - RETRY_AFTER)
        .filter(Q(recipient__isnull=True) | Q(recipient__notification_frequency=immediate))
        .values_list("event", "rule")
        .distinct()
    )
    sent = 0
    for event_id, template in sorted(set(pending)):
        event = ActivityEvent.objects.select_related("actor").get(pk=event_id)
        rule = registry.rule(event.verb, template)
        if rule is None:
            continue
        try:
            sent += Delivery(rule, event, registry.Targets(event)).send_pending()
        except Exception:  # noqa: BLE001 - logged in send_pending; the next sweep tries again
            continue
    return f"{sent} courriel(s) envoyé(s)"


# --- Work already running in a worker -------------------------------------------------------

_inline = threading.local()


@contextmanager
def inline():
    """Inside the block, events are delivered when it ends, in this thread, instead of through
    one task each: for scheduled jobs, already in a worker. Use it outside any transaction, so
    that the events it delivers are committed first."""
    events = getattr(_inline, "events", None)
    if events is not None:  # nested: the outer block delivers
        yield
        return
    _inline.events = []
    try:
        yield
        for event_id in _inline.events:
            try:
                deliver(event_id)
            except Exception:  # noqa: BLE001 - logged; send_pending tries the e-mail again
                logger.exception("Event %s: notifications failed", event_id)
    finally:
        _inline.events = None
