"""Background work (django-tasks): the notifications of one activity event."""

from django.db import transaction
from django_tasks import task

from ecoquartier.notifications import delivery, registry


def schedule(event):
    """Subscribed to `core.activity.record`: deliver `event`'s notifications once it commits."""
    if not registry.subscribed(event.verb) or delivery.deferred(event.pk):
        return
    event_id = event.pk
    transaction.on_commit(lambda: deliver_event.enqueue(event_id))


@task()
def deliver_event(event_id):
    """Idempotent: run it again and nothing is created or e-mailed twice."""
    return delivery.deliver(event_id)
