"""Deadline reminders (issue 11): 14, 7 and 1 day(s) before a call step's deadline, the
applicants of every application still being written for that step are reminded, once per
(application, step, reminder). A daily sweep (core.scheduler): after a day without workers, the
reminder due meanwhile is sent with the days actually left, and none twice."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ecoquartier.applications import notifications
from ecoquartier.applications.models import Application, DeadlineReminder
from ecoquartier.applications.services import EDITABLE_STATES

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
    for application in applications.iterator():
        # Calendar days in Paris: a deadline tomorrow evening is "J-1" all of today.
        days_left = max(1, (timezone.localdate(application.step.deadline) - today).days)
        reminder = next(d for d in DAYS_BEFORE if days_left <= d)
        if _claim(application, reminder):
            sent += _remind(application, days_left)
    return _("%(n)s rappel(s) d’échéance envoyé(s)") % {"n": sent}


def _claim(application, days_before):
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                application=application, step=application.step, days_before=days_before
            )
    except IntegrityError:  # already sent, by this run's predecessor or another worker
        return False
    return True


def _remind(application, days_left):
    deadline = timezone.localtime(application.step.deadline)
    subject = ngettext(
        "Candidature « %(title)s » : plus qu’un jour pour la déposer",
        "Candidature « %(title)s » : %(days)s jours pour la déposer",
        days_left,
    ) % {"title": application.title, "days": days_left}
    body = _(
        "L’étape « %(step)s » de l’appel « %(call)s » se clôt le %(date)s à %(time)s.\n"
        "Votre candidature « %(title)s » n’est pas encore déposée : complétez-la et déposez-la "
        "avant cette date.\n\n%(url)s"
    ) % {
        "step": application.step,
        "call": application.call.title,
        "date": deadline.strftime("%d/%m/%Y"),
        "time": deadline.strftime("%H:%M"),
        "title": application.title,
        "url": notifications.application_url(application),
    }
    return notifications.send_to(notifications.applicant_emails(application), subject, body)
