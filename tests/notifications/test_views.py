"""The in-app list: the user's own notifications, newest first, unread highlighted, marked read
by POST; the header's badge; the e-mail preference."""

import pytest
from django.urls import reverse

from ecoquartier.accounts.models import User
from ecoquartier.core.models import ActivityEvent
from ecoquartier.notifications.models import Notification
from ecoquartier.notifications.tasks import deliver_event
from tests.notifications.conftest import report

pytestmark = pytest.mark.django_db
LIST = reverse("notifications:list")


def notify(people, n=1):
    for i in range(n):
        deliver_event.enqueue(report(people, f"Rapport n° {i + 1}").pk)


def test_the_list_shows_the_users_notifications_newest_first(client, people, rule):
    notify(people, 2)
    client.force_login(people["alice"])
    html = client.get(LIST).content.decode()
    assert html.index("Rapport n° 2") < html.index("Rapport n° 1")
    assert html.count('data-testid="notification"') == 2
    assert html.count("eq-notification--unread") == 2
    assert 'href="/projets/"' in html
    client.force_login(people["actor"])
    assert "Rapport n° 1" not in client.get(LIST).content.decode()


def test_the_header_badge_counts_unread_notifications(client, people, rule):
    notify(people, 3)
    client.force_login(people["alice"])
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{LIST}" data-testid="notifications-badge"' in html
    assert ": 3 non lues" in html


def test_marking_one_then_all_as_read(client, people, rule):
    notify(people, 3)
    alice = people["alice"]
    client.force_login(alice)
    first = Notification.objects.filter(recipient=alice).last()
    response = client.post(reverse("notifications:read", args=[first.pk]), {"next": LIST})
    assert response.status_code == 302 and response["Location"] == LIST
    first.refresh_from_db()
    alice.refresh_from_db()
    assert first.read_at is not None and alice.unread_notifications == 2
    client.post(reverse("notifications:read_all"))
    alice.refresh_from_db()
    assert alice.unread_notifications == 0
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert "eq-notification--unread" not in client.get(LIST).content.decode()


def test_someone_elses_notification_does_not_exist_for_you(client, people, rule):
    notify(people)
    bobs = Notification.objects.get(recipient=people["bob"])
    client.force_login(people["alice"])
    assert client.post(reverse("notifications:read", args=[bobs.pk])).status_code == 404
    assert client.get(reverse("notifications:read", args=[bobs.pk])).status_code == 405
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_an_outside_next_is_ignored(client, people, rule):
    notify(people)
    client.force_login(people["alice"])
    response = client.post(reverse("notifications:read_all"), {"next": "https://ailleurs.fr/"})
    assert response["Location"] == LIST


def test_choosing_the_daily_digest(client, people):
    alice = people["alice"]
    client.force_login(alice)
    url = reverse("notifications:preferences")
    assert "Un récapitulatif quotidien" in client.get(url).content.decode()
    response = client.post(url, {"frequency": "daily"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.notification_frequency == User.NotificationFrequency.DAILY
    assert (
        ActivityEvent.objects.for_object(alice)
        .filter(verb="accounts.notification_frequency_changed")
        .exists()
    )
    assert client.post(url, {"frequency": "weekly"}).status_code == 200  # shown again, unchanged
    alice.refresh_from_db()
    assert alice.notification_frequency == User.NotificationFrequency.DAILY


def test_the_list_costs_the_same_queries_for_one_or_a_full_page(
    client, people, rule, django_assert_num_queries
):
    client.force_login(people["alice"])
    notify(people, 1)
    with django_assert_num_queries(5):  # session, user, memberships (header), count, page
        client.get(LIST)
    notify(people, 25)
    with django_assert_num_queries(5):
        html = client.get(LIST).content.decode()
    assert html.count('data-testid="notification"') == 20  # paginated


def test_the_header_badge_costs_no_query(client, people, rule, django_assert_num_queries):
    client.force_login(people["alice"])
    with django_assert_num_queries(3):  # session, user, memberships: the count is on the user
        client.get(reverse("core:accessibility"))
