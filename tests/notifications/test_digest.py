"""People who chose the daily digest get ONE e-mail for a day's notifications."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from ecoquartier.accounts.models import User
from ecoquartier.notifications import digest
from ecoquartier.notifications.models import Notification
from ecoquartier.notifications.tasks import deliver_event
from tests.notifications.conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_daily(people):
    alice = people["alice"]
    alice.notification_frequency = User.NotificationFrequency.DAILY
    alice.save(update_fields=["notification_frequency"])
    return alice


def test_the_digest_groups_a_days_notifications_into_one_email(people, rule, alice_daily):
    for summary in ("Rapport déposé", "Rapport complété", "Rapport validé"):
        deliver_event.enqueue(report(people, summary).pk)
    # Bob wants each one now; Alice waits for the morning.
    assert [m.to for m in mail.outbox] == [["bob@exemple.fr"]] * 3
    mail.outbox.clear()

    tomorrow = timezone.now() + datetime.timedelta(hours=12)
    assert digest.send_digests(now=tomorrow) == "1 récapitulatif(s) envoyé(s)"
    [message] = mail.outbox
    assert message.to == ["alice@exemple.fr"]
    assert message.subject == "[Plateforme ÉcoQuartier] Votre récapitulatif : 3 notifications"
    for summary in ("Rapport déposé", "Rapport complété", "Rapport validé"):
        assert summary in message.body
    assert "/notifications/" in message.body
    assert not Notification.objects.filter(recipient=alice_daily, emailed_at__isnull=True).exists()

    assert digest.send_digests(now=tomorrow) == "0 récapitulatif(s) envoyé(s)"
    assert len(mail.outbox) == 1


def test_a_failed_digest_is_sent_whole_by_the_next_run(people, rule, alice_daily, settings):
    from tests.notifications.backends import FailOnceBackend

    deliver_event.enqueue(report(people).pk)
    deliver_event.enqueue(report(people, "Second rapport").pk)
    mail.outbox.clear()
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailOnceBackend"
    FailOnceBackend.failures = 0
    tomorrow = timezone.now() + datetime.timedelta(hours=12)
    with pytest.raises(ConnectionError):
        digest.send_digests(now=tomorrow)
    assert mail.outbox == []
    digest.send_digests(now=tomorrow)
    [message] = mail.outbox
    assert "Rapport déposé" in message.body and "Second rapport" in message.body


def test_the_digest_is_a_scheduled_job():
    from ecoquartier.core.scheduler import JOBS

    job = JOBS["notification_digest"]
    assert job.function == "ecoquartier.notifications.digest.send_digests"
    assert job.schedule.describe() == "tous les jours à 07 h 00"
