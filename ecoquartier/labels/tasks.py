"""Background work: the daily use-phase reminders (F-43)."""

from django_tasks import task


@task()
def send_use_phase_reminders(today=None):
    """Remind every holder whose delivery award is three years old; idempotent (one reminder
    row per project, claimed once). `today` is an ISO date, for tests and catch-up runs."""
    from datetime import date

    from ecoquartier.labels.services import send_due_reminders

    return send_due_reminders(date.fromisoformat(today) if today else None)
