"""One function to write to the activity log (F-04)."""

from django.contrib.contenttypes.models import ContentType

from ecoquartier.core.models import ActivityEvent, ActivityTarget


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
    return event


def timeline(obj, limit=None):
    events = ActivityEvent.objects.for_object(obj).select_related("actor")
    return events[:limit] if limit else events
