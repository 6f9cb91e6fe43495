"""One function to write to the activity log (F-04)."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext

from ecoquartier.core.generations import bump
from ecoquartier.core.models import ActivityEvent, ActivityTarget

# Called with each recorded event, once its targets exist (higher apps subscribe from their
# AppConfig.ready(): notifications hang off the verbs this way, without core importing them).
_subscribers = []


def subscribe(function):
    if function not in _subscribers:
        _subscribers.append(function)


def record(actor, verb, summary, *, targets, changes=None, reason=""):
    """Append an event touching every object in `targets`; returns the event.

    Call it inside the same transaction as the change it describes, so that both land or neither.
    """
    event = ActivityEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        summary=summary[:300],
        reason=reason,
        changes=changes or {},
    )
    ActivityTarget.objects.bulk_create(
        ActivityTarget(
            event=event,
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            label=str(target)[:300],
        )
        for target in targets
    )
    bump("activity")  # Once the targets exist: timelines read events through them.
    for subscriber in _subscribers:
        subscriber(event)
    return event


# What a timeline shows of an event. Rows instead of instances: a page of events is rendered on
# every project page, and the actor's name is all it needs of the user (never the e-mail address:
# timelines can be public).
EVENT_ROW_FIELDS = ("pk", "verb", "summary", "reason", "changes", "created_at", "actor_id")


def event_rows(events):
    """`events` (a QuerySet or a page of it) as dicts with an `actor_name`."""
    if hasattr(events, "values"):
        events = events.values(*EVENT_ROW_FIELDS, "actor__first_name", "actor__last_name")
    rows = list(events)
    for row in rows:
        row["actor_name"] = actor_name(
            row["actor_id"], row.pop("actor__first_name"), row.pop("actor__last_name")
        )
    return rows


def actor_name(actor_id, first_name, last_name):
    if actor_id is None:
        return gettext("La plateforme")
    return f"{first_name} {last_name}".strip() or gettext("Un utilisateur")


def timeline(obj, limit=None):
    events = ActivityEvent.objects.for_object(obj).select_related("actor")
    return events[:limit] if limit else events
