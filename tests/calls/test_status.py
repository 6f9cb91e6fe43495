"""F-21: a call's status comes from its dates, computed at query time in Paris time."""

from datetime import timedelta
from itertools import product

import pytest
from django.utils import timezone

from ecoquartier.calls.models import (
    ARCHIVE_AFTER,
    CLOSING_SOON,
    NO_DEADLINE,
    STATUS_FIELDS,
    Call,
    CallStep,
    Status,
    status_of,
)
from ecoquartier.territories.services import france
from tests.calls.factories import CallFactory, ProgrammeFactory, paris

pytestmark = pytest.mark.django_db


def status(call, now):
    return Call.objects.with_status(now).get(pk=call.pk).status


def test_the_deadline_is_the_latest_step_and_follows_step_changes():
    call = CallFactory(deadline=paris(2023, 6, 15, 23, 59))
    late = CallStep.objects.create(
        call=call, kind=CallStep.Kind.APPLICATION, deadline=paris(2023, 7, 17, 23, 59)
    )
    call.refresh_from_db()
    assert call.closes_at == paris(2023, 7, 17, 23, 59)
    late.delete()
    call.refresh_from_db()
    assert call.closes_at == paris(2023, 6, 15, 23, 59)


def test_the_finder_order_follows_the_deadline_with_none_last():
    """deadline_order, computed by the database, is closes_at, or NO_DEADLINE without one."""
    call = CallFactory(deadline=paris(2023, 6, 15, 23, 59))
    step = call.steps.get()
    order = Call.objects.values_list("deadline_order", flat=True)
    assert order.get(pk=call.pk) == paris(2023, 6, 15, 23, 59)
    step.delete()
    assert order.get(pk=call.pk) == NO_DEADLINE
    CallStep.objects.create(call=call, kind=CallStep.Kind.APPLICATION, deadline=paris(2024, 1, 2))
    assert order.get(pk=call.pk) == paris(2024, 1, 2)
    Call.objects.filter(pk=call.pk).update(closes_at=None)
    assert order.get(pk=call.pk) == NO_DEADLINE


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # 23:30 in Paris on the deadline day is 21:30 UTC: still open (closing soon).
        (paris(2022, 5, 18, 23, 30), Status.CLOSING_SOON),
        # 00:30 in Paris the next day is 22:30 UTC on the deadline day: closed.
        (paris(2022, 5, 19, 0, 30), Status.CLOSED),
        (paris(2022, 5, 4, 23, 59), Status.CLOSING_SOON),  # exactly 14 days before
        (paris(2022, 5, 4, 23, 58), Status.OPEN),  # a minute earlier
        (paris(2022, 11, 14, 22, 0), Status.CLOSED),  # under 180 × 24 hours after
        (paris(2022, 11, 15, 0, 0), Status.ARCHIVED),
    ],
)
def test_status_around_a_summer_deadline(now, expected):
    call = CallFactory(deadline=paris(2022, 5, 18, 23, 59))
    assert status(call, now) == expected


def test_the_deadline_day_ends_at_midnight_paris_time_across_the_autumn_clock_change():
    # 27 October 2024: clocks go back at 3:00, Paris is UTC+1 by the evening.
    call = CallFactory(deadline=paris(2024, 10, 27, 23, 59))
    assert call.closes_at.utcoffset() is not None
    assert status(call, paris(2024, 10, 27, 23, 30)) == Status.CLOSING_SOON
    assert status(call, paris(2024, 10, 28, 0, 30)) == Status.CLOSED


def test_the_deadline_day_ends_at_midnight_paris_time_across_the_spring_clock_change():
    # 31 March 2024: clocks go forward at 2:00, Paris is UTC+2 by the evening.
    call = CallFactory(deadline=paris(2024, 3, 31, 23, 59))
    assert status(call, paris(2024, 3, 31, 23, 30)) == Status.CLOSING_SOON
    assert status(call, paris(2024, 4, 1, 0, 30)) == Status.CLOSED


def test_closing_soon_counts_real_hours_across_a_clock_change():
    # 14 × 24 real hours before 5 April 12:00 (UTC+2) is 22 March 11:00 (UTC+1), since the
    # 31 March day lasted 23 hours.
    call = CallFactory(deadline=paris(2024, 4, 5, 12, 0))
    assert status(call, paris(2024, 3, 22, 11, 0)) == Status.CLOSING_SOON
    assert status(call, paris(2024, 3, 22, 10, 59)) == Status.OPEN


def test_a_call_not_open_yet_is_upcoming():
    call = CallFactory(deadline=paris(2030, 7, 17, 23, 59))
    call.opens_at = paris(2030, 5, 1, 9, 0)
    call.save()
    assert status(call, paris(2030, 4, 30, 12, 0)) == Status.UPCOMING
    assert status(call, paris(2030, 5, 1, 9, 0)) == Status.OPEN


def test_a_call_without_deadline_stays_open():
    call = CallFactory(deadline=False)
    assert call.closes_at is None
    assert status(call, paris(2040, 1, 1, 0, 0)) == Status.OPEN


def test_archiving_by_hand_takes_effect_at_its_date():
    call = CallFactory(deadline=paris(2030, 7, 17, 23, 59))
    call.archived_at = paris(2030, 6, 1, 12, 0)
    call.save()
    assert status(call, paris(2030, 5, 31, 12, 0)) == Status.OPEN
    assert status(call, paris(2030, 6, 1, 12, 0)) == Status.ARCHIVED


def test_a_draft_is_a_draft_whatever_its_dates():
    call = CallFactory(state=Call.State.DRAFT, deadline=paris(2022, 5, 18, 23, 59))
    assert status(call, paris(2022, 5, 1, 0, 0)) == Status.DRAFT
    assert not Call.objects.in_status(*Status.values, now=paris(2022, 5, 1, 0, 0)).exists()


def test_status_filters_partition_published_calls():
    now = paris(2026, 6, 1, 12, 0)
    calls = {
        Status.UPCOMING: CallFactory(deadline=now + timedelta(days=90)),
        Status.OPEN: CallFactory(deadline=now + timedelta(days=30)),
        Status.CLOSING_SOON: CallFactory(deadline=now + timedelta(days=3)),
        Status.CLOSED: CallFactory(deadline=now - timedelta(days=3)),
        Status.ARCHIVED: CallFactory(deadline=now - timedelta(days=400)),
    }
    calls[Status.UPCOMING].opens_at = now + timedelta(days=10)
    calls[Status.UPCOMING].save()
    filters = {
        Status.UPCOMING: Call.objects.upcoming,
        Status.CLOSING_SOON: Call.objects.closing_soon,
        Status.CLOSED: Call.objects.closed,
        Status.ARCHIVED: Call.objects.archived,
    }
    for expected, method in filters.items():
        assert list(method(now)) == [calls[expected]], expected
    assert set(Call.objects.open(now)) == {calls[Status.OPEN], calls[Status.CLOSING_SOON]}
    assert set(Call.objects.current(now)) == set(
        Call.objects.in_status(Status.UPCOMING, Status.OPEN, Status.CLOSING_SOON, now=now)
    )
    assert len(Call.objects.current(now)) == 3
    annotated = dict(Call.objects.with_status(now).values_list("pk", "status"))
    assert annotated == {call.pk: expected for expected, call in calls.items()}


def test_status_of_computes_in_python_what_with_status_computes_in_sql():
    """Rows read with values() get their status in Python: the same, date by date, at each
    threshold (a second before, at and after it) and without dates."""
    now = timezone.now().replace(microsecond=0)
    second, day = timedelta(seconds=1), timedelta(days=1)
    around = [-second, timedelta(0), second]
    closes = [None, *(now - ARCHIVE_AFTER + d for d in around), *(now + d for d in around)]
    closes += [now + CLOSING_SOON + d for d in around] + [now + 30 * day]
    opens = [None, *(now + d for d in around)]
    archived = [None, *(now + d for d in around)]
    programme = ProgrammeFactory()
    calls = [
        Call(
            programme=programme,
            kind=Call.Kind.AMI,
            title=f"Appel {n}",
            slug=f"appel-{n}",
            perimeter=france(),
            state=state,
            closes_at=c,
            opens_at=o,
            archived_at=a,
        )
        for n, (state, c, o, a) in enumerate(
            product([Call.State.DRAFT, Call.State.PUBLISHED], closes, opens, archived)
        )
    ]
    Call.objects.bulk_create(calls)
    rows = Call.objects.with_status(now).values("status", *STATUS_FIELDS)
    assert len(rows) == len(calls)
    for row in rows:
        assert status_of(row, now) == row["status"], row
