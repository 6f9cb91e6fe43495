"""An assigned reviewer is told (issue 13): an e-mail and an in-app notification linking to their
reviews, once, and only to those newly assigned."""

import pytest
from django.urls import reverse

from ecoquartier.applications import services
from ecoquartier.notifications.models import Notification
from tests.applications.factories import submitted_application

pytestmark = pytest.mark.django_db


def test_newly_assigned_reviewers_are_told_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted_application(world)
    first, second = world.reviewers
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_reviewers(world.manager, [application], [first])
    assert [m.to for m in mailoutbox] == [[first.email]]
    assert application.title in mailoutbox[0].subject
    assert reverse("applications:reviews") in mailoutbox[0].body
    notification = Notification.objects.get(recipient=first)
    assert notification.url == reverse("applications:reviews")

    # Assigning both again: only the second one is new, hence told.
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_reviewers(world.manager, [application], [first, second])
    assert [m.to for m in mailoutbox[1:]] == [[second.email]]
    assert Notification.objects.filter(recipient=first).count() == 1
    assert Notification.objects.filter(recipient=world.manager).count() == 0
