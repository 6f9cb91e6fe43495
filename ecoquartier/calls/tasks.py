"""Background work (django-tasks). Each task is idempotent: running it twice sends nothing twice."""

from django_tasks import task

from ecoquartier.calls import alerts


@task()
def send_call_alerts(call_id):
    """E-mail a newly published call to the alerts it matches; returns how many were sent."""
    return alerts.deliver(call_id)
