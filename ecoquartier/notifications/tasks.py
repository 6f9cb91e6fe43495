"""Background work (django-tasks): the notifications of one activity event."""

from django_tasks import task

from ecoquartier.notifications import delivery


@task()
def deliver_event(event_id):
    """Idempotent: run it again and nothing is created or e-mailed twice."""
    return delivery.deliver(event_id)
