"""E-mails of the aid finder's saved searches (ecoquartier.notifications, ADR 21): the
confirmation link when an alert is saved, and each published call to the alerts it matches."""

from ecoquartier.calls import alerts
from ecoquartier.calls.models import Call, SearchAlert
from ecoquartier.notifications.registry import Address, on_event, register


def _unconfirmed_alert(event, targets):
    alert = targets.get(SearchAlert)
    return alert is not None and alert.confirmed_at is None


def _subscriber(event, targets):
    alert = targets.get(SearchAlert)
    return [Address(alert.email, context={"confirm_url": alerts.confirm_url(alert)})]


def _deliver_call(event, targets):
    return alerts.deliver(targets.pk(Call))


def register_rules():
    register(
        "alert.created",
        recipients=_subscriber,
        template="calls/notifications/alert_confirmation",
        context=lambda event, targets: {"alert": targets.get(SearchAlert)},
        condition=_unconfirmed_alert,
    )
    on_event("call.published", _deliver_call)
