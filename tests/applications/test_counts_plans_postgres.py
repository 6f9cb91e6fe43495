"""At scale, the instruction dashboard and the ranking of a call's managers read their counts
from the counters the database keeps (ADR 19) and their page of rows through an index:
PostgreSQL's plans, with realistic statistics (tens of thousands of applications and their
reviews, vacuumed and analysed as autovacuum would), read none of the big tables whole, and
a request reads a few hundred rows of them at most (a page), not the call's thousands."""

import random
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ecoquartier.applications.models import Application, Review, State
from tests.applications.factories import build_world, submitted_application
from tests.calls.factories import build_geography
from tests.plans import analyze, rows_read, sequential_scans

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
    # Committed rows, so that VACUUM ANALYZE gives the planner production's statistics.
    pytest.mark.django_db(transaction=True),
]

APPLICATIONS = 20_000
# Rows of the big tables one request may read: page 10 of 20 rows, with what filters skip.
ROWS_PER_REQUEST = 1_000
# The call, its programme and the organisations are a handful of rows here: a scan is right.
BIG_TABLES = ("applications_application", "applications_review")
STATES = [State.SUBMITTED, State.UNDER_REVIEW, State.UNDER_REVIEW, State.SELECTED,
          State.WAITING_LIST, State.NOT_SELECTED, State.DISMISSED]  # fmt: skip


@pytest.fixture
def busy_call():
    """A call with APPLICATIONS submitted applications (most of them scored) and two reviews
    each, written in bulk through the ORM: the counters' triggers count them as they go."""
    world = build_world(build_geography())
    model = submitted_application(world)
    rng = random.Random(2026)
    now = timezone.now()
    Application.objects.bulk_create(
        (
            Application(
                call=world.call, step=model.step, organisation=model.organisation,
                territory=model.territory, title=f"Candidature {i}", state=rng.choice(STATES),
                submitted_at=now, eligible=rng.choice([True, True, False, None]),
                score=Decimal(rng.randint(600, 1900)) / 100 if rng.random() < 0.9 else None,
            )
            for i in range(APPLICATIONS)
        ),
        batch_size=2000,
    )  # fmt: skip
    ids = Application.objects.filter(call=world.call).values_list("pk", flat=True)
    Review.objects.bulk_create(
        (
            Review(application_id=pk, reviewer=reviewer, conflict="none")
            for pk in ids
            for reviewer in world.reviewers
        ),
        batch_size=2000,
    )
    analyze(*BIG_TABLES)
    return world


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("dashboard", ""),
        ("dashboard", "?state=under_review&eligible=yes"),
        ("dashboard", "?page=10"),
        ("ranking", ""),
        ("ranking", "?page=10"),
    ],
)
def test_the_manager_s_pages_read_no_big_table_whole(client, busy_call, page, query):
    client.force_login(busy_call.manager)
    url = reverse(f"applications:{page}", args=[busy_call.call.slug]) + query
    assert client.get(url).status_code == 200

    def request():
        assert client.get(url).status_code == 200

    scans = sequential_scans(request, BIG_TABLES)
    assert not scans, "\n\n".join(f"{table}: {sql}\n{plan}" for table, sql, plan in scans)
    read = rows_read(request, BIG_TABLES)
    assert sum(read.values()) <= ROWS_PER_REQUEST, read
