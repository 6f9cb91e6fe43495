"""Unread notifications in the inbox (notifications/inbox.py): read from the user row."""

import pytest
from django.urls import reverse

from ecoquartier.notifications import inbox
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_unread_notifications_are_a_task_without_a_query(django_assert_max_num_queries):
    user = UserFactory(unread_notifications=3)
    with django_assert_max_num_queries(0):
        [task] = inbox.unread(user)
    assert (task.count, task.url) == (3, reverse("notifications:list"))
    user.unread_notifications = 0
    assert list(inbox.unread(user)) == []
