"""One path for every notification: rules on activity verbs, one row and one e-mail per
(event, recipient), whatever the retries."""

import pytest
from django.core import mail

from ecoquartier.notifications import delivery
from ecoquartier.notifications.models import Notification
from ecoquartier.notifications.tasks import deliver_event
from tests.notifications.backends import FailOnceBackend
from tests.notifications.conftest import report

pytestmark = pytest.mark.django_db


def test_an_event_is_delivered_once_its_transaction_commits(
    people, rule, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report(people, reason="Le plan manque")
    assert mail.outbox == [] and not Notification.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@exemple.fr", "bob@exemple.fr"]
    message = mail.outbox[0]
    assert message.subject == "[Plateforme ÉcoQuartier] Rapport déposé"
    assert "Le plan manque" in message.body and "/projets/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Le plan manque" in html
    assert Notification.objects.filter(recipient=people["actor"]).count() == 0


def test_a_retried_task_sends_nothing_twice(people, rule):
    event = report(people)
    first = deliver_event.enqueue(event.pk)
    retry = deliver_event.enqueue(event.pk)
    assert (first.return_value, retry.return_value) == (2, 0)
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(event=event).count() == 2
    for person in ("alice", "bob"):
        people[person].refresh_from_db()
        assert people[person].unread_notifications == 1


def test_a_send_that_fails_once_is_sent_once_by_the_next_run(people, rule, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailOnceBackend"
    FailOnceBackend.failures = 0
    event = report(people)
    failed = deliver_event.enqueue(event.pk)
    assert failed.status == "FAILED"
    assert len(mail.outbox) == 1  # the first send failed, the other one went
    pending = Notification.objects.get(event=event, emailed_at__isnull=True)
    deliver_event.enqueue(event.pk)
    deliver_event.enqueue(event.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@exemple.fr", "bob@exemple.fr"]
    pending.refresh_from_db()
    assert pending.emailed_at is not None


def test_the_sweep_sends_what_failed(people, rule, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailOnceBackend"
    FailOnceBackend.failures = 0
    event = report(people)
    deliver_event.enqueue(event.pk)
    assert len(mail.outbox) == 1
    later = event.created_at + delivery.RETRY_AFTER * 2
    assert delivery.send_pending(now=later) == "1 courriel(s) envoyé(s)"
    assert delivery.send_pending(now=later) == "0 courriel(s) envoyé(s)"
    assert len(mail.outbox) == 2


def test_a_verb_without_rules_queues_nothing(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        report(people)
    assert callbacks == []


def test_inactive_people_are_not_notified(people, rule):
    people["bob"].is_active = False
    people["bob"].save()
    deliver_event.enqueue(report(people).pk)
    assert [m.to for m in mail.outbox] == [["alice@exemple.fr"]]


def test_the_unread_count_survives_a_stale_full_save(people, rule):
    alice = people["alice"]
    deliver_event.enqueue(report(people).pk)
    alice.first_name = "Alice"
    alice.save()  # loaded before the notification: must not write back 0
    alice.refresh_from_db()
    assert alice.unread_notifications == 1
