"""Deadline reminders (issue 11): 14, 7 and 1 day(s) before a call step's deadline, the
applicants of every application still being written for that step are reminded, once per
(application, step, reminder). A daily sweep (core.scheduler): after a day without workers, the
reminder due meanwhile is sent with the days actually left, and none twice."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.applications.models import Application, DeadlineReminder
from ecoquartier.applications.services import EDITABLE_STATES
from ecoquartier.core.activity import record
from ecoquartier.notifications.delivery import inline

DAYS_BEFORE = (1, 7, 14)


def send_deadline_reminders(now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Up to the end of the last day a reminder is for, Paris time.
    horizon = timezone.make_aware(
        datetime.datetime.combine(
            today + datetime.timedelta(days=max(DAYS_BEFORE) + 1), datetime.time()
        )
    )
    applications = Application.objects.filter(
        state__in=EDITABLE_STATES,
        step__deadline__gt=now,
        step__deadline__lte=horizon,
        call__state="published",
    ).select_related("call", "step")
    sent = 0
    with inline():  # This job already runs in a worker: e-mail here, not through more tasks.
        for application in applications.iterator():
            # Calendar days in Paris: a deadline tomorrow evening is "J-1" all of today.
            days_left = max(1, (timezone.localdate(application.step.deadline) - today).days)
            reminder = next(d for d in DAYS_BEFORE if days_left <= d)
            sent += _remind(application, reminder, days_left)
    return _("%(n)s rappel(s) d’échéance envoyé(s)") % {"n": sent}


@transaction.atomic
def _remind(application, days_before, days_left):
    """Claim the (application, step, reminder) row, then record the reminder: the applicants are
    e-mailed by the rule on its verb (notifying.py). Returns 1 if this run sent it."""
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                application=application, step=application.step, days_before=days_before
            )
    except IntegrityError:  # already sent, by this run's predecessor or another worker
        return 0
    record(
        None,
        "application.deadline_reminder",
        _("Rappel : %(days)s jour(s) avant la date limite de l’étape « %(step)s »")
        % {"days": days_left, "step": application.step},
        targets=[application],
        changes={"days_left": days_left},
    )
    return 1
