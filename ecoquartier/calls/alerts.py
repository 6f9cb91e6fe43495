"""Saved searches with e-mail alerts (F-23): double opt-in, one e-mail per (alert, call),
one-click unsubscribe. Tokens are signed, so links need no stored secret.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.calls import search
from ecoquartier.calls.forms import FinderForm
from ecoquartier.calls.models import AlertDelivery, Call, SearchAlert
from ecoquartier.core.activity import record
from ecoquartier.notifications.delivery import build_email

logger = logging.getLogger(__name__)

CONFIRM_SALT = "calls.alert.confirm"
UNSUBSCRIBE_SALT = "calls.alert.unsubscribe"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7  # a week to click the confirmation link


class InvalidToken(Exception):
    pass


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def _token(alert, salt):
    return signing.dumps({"alert": alert.pk, "email": alert.email}, salt=salt, compress=True)


def _alert_from(token, salt, max_age=None):
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidToken from error
    alert = SearchAlert.objects.filter(pk=data.get("alert"), email=data.get("email")).first()
    if alert is None:
        raise InvalidToken
    return alert


def confirm_url(alert):
    return absolute_url(reverse("calls:alert_confirm", args=[_token(alert, CONFIRM_SALT)]))


def unsubscribe_url(alert):
    return absolute_url(reverse("calls:alert_unsubscribe", args=[_token(alert, UNSUBSCRIBE_SALT)]))


# --- Subscribing ------------------------------------------------------------------------------


@transaction.atomic
def subscribe(email, query_string, label, user=None):
    """Save the search for `email` and send the confirmation link (double opt-in). Saving the
    same search again re-sends the link; an already active alert is left as it is.
    Returns (alert, needs_confirmation)."""
    email = email.strip().lower()
    alert, _created = SearchAlert.objects.select_for_update().get_or_create(
        email=email, query=query_string, defaults={"label": label[:300], "user": user}
    )
    if alert.is_active:
        return alert, False
    alert.unsubscribed_at = None
    alert.confirmed_at = None
    alert.label = label[:300]
    alert.save()
    # The confirmation link is e-mailed by the rule on this verb (calls/notifying.py).
    record(user, "alert.created", _("Alerte enregistrée : %s") % alert.label, targets=[alert])
    return alert, True


@transaction.atomic
def confirm(token):
    alert = _alert_from(token, CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    if alert.confirmed_at is None or alert.unsubscribed_at is not None:
        alert.confirmed_at = timezone.now()
        alert.unsubscribed_at = None
        alert.save(update_fields=["confirmed_at", "unsubscribed_at"])
        record(alert.user, "alert.confirmed", _("Alerte confirmée"), targets=[alert])
    return alert


def alert_for_unsubscribe(token):
    return _alert_from(token, UNSUBSCRIBE_SALT)


@transaction.atomic
def unsubscribe(token):
    alert = _alert_from(token, UNSUBSCRIBE_SALT)
    if alert.unsubscribed_at is None:
        alert.unsubscribed_at = timezone.now()
        alert.save(update_fields=["unsubscribed_at"])
        record(alert.user, "alert.unsubscribed", _("Alerte désactivée"), targets=[alert])
    return alert


# --- Delivering -------------------------------------------------------------------------------


def finder_query(alert):
    """The alert's saved search as a FinderQuery, or None if it no longer validates (e.g. its
    territory or theme disappeared)."""
    form = FinderForm(QueryDict(alert.query))
    return form.to_query() if form.is_valid() else None


def deliver(call_id):
    """E-mail `call` to every active alert it matches, at most once per alert: safe to run
    again after a failure or a retry. Returns the number of e-mails sent by this run."""
    call = Call.objects.published().select_related("perimeter").filter(pk=call_id).first()
    if call is None:
        return 0
    sent = 0
    for alert in SearchAlert.objects.active().iterator():
        query = finder_query(alert)
        if query is None:
            logger.warning("Alert %s has an invalid saved search; skipped.", alert.pk)
            continue
        if search.matches(query, call) and _deliver_once(alert, call):
            sent += 1
    return sent


def deliver_recent(days=7):
    """Deliver every call published in the last `days` to its alerts (each at most once)."""
    since = timezone.now() - datetime.timedelta(days=days)
    ids = Call.objects.published().filter(published_at__gte=since).values_list("pk", flat=True)
    sent = sum(deliver(pk) for pk in ids)
    return f"{sent} alerte(s) envoyée(s)"


def _deliver_once(alert, call):
    """Claim the (alert, call) row, send, mark it sent — all under a row lock, so concurrent
    or repeated runs send one e-mail. A crash between sending and committing re-sends once:
    at-least-once is the honest guarantee across an SMTP server."""
    try:
        with transaction.atomic():
            AlertDelivery.objects.get_or_create(alert=alert, call=call)
    except IntegrityError:  # another worker created it meanwhile
        pass
    with transaction.atomic():
        delivery = AlertDelivery.objects.select_for_update().get(alert=alert, call=call)
        if delivery.sent_at is not None:
            return False
        _send_new_call(alert, call)
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["sent_at"])
    return True


def _send_new_call(alert, call):
    unsubscribe = unsubscribe_url(alert)
    context = {
        "alert": alert,
        "call": call,
        "call_url": absolute_url(call.get_absolute_url()),
        "unsubscribe_url": unsubscribe,
    }
    build_email(
        "calls/notifications/new_call",
        alert.email,
        context,
        # RFC 8058: mail clients offer a one-click unsubscribe button that POSTs to this URL.
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()
