"""Two instructors fire conflicting transitions on the same application at the same moment:
exactly one wins, the other gets a clear message. Needs real row locks: PostgreSQL."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from ecoquartier.applications.models import Application, State
from ecoquartier.core import workflows
from tests.applications.factories import build_world, submitted_application
from tests.calls.factories import build_geography

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_instructors_firing_conflicting_transitions_exactly_one_wins():
    world = build_world(build_geography())
    application = submitted_application(world)
    seen = application.version
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, user, action, reason):
        try:
            stale = Application.objects.get(pk=application.pk)
            barrier.wait(timeout=10)
            workflows.fire(stale, action, user, comment=reason, expected_version=seen)
            outcomes[name] = "won"
        except workflows.TransitionRefused as error:
            outcomes[name] = str(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("manager", world.manager, "dismiss", "Inéligible")),
        threading.Thread(target=act, args=("referent", world.referent, "start_review", "")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()).count("won") == 1
    loser = next(v for v in outcomes.values() if v != "won")
    assert "a changé entre-temps" in loser
    application.refresh_from_db()
    assert application.state in (State.DISMISSED, State.UNDER_REVIEW)
    assert application.version == seen + 1
