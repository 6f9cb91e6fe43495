"""Statements prepared on PostgreSQL (core/prepared.py, ADR 27): planned once per connection,
still logged and counted with their values, their errors wrapped as Django's; elsewhere
Django's own cursor."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from ecoquartier.core import prepared
from ecoquartier.core.models import Generation

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
elsewhere = pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL prepares")


def _prepared_statements():
    """{statement: executions} of the statements this connection prepared."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def _counter(name):
    with prepared.cursor() as cursor:
        cursor.execute(
            "SELECT value FROM core_generation WHERE name = %s AND value >= %s", [name, 0]
        )
        return cursor.fetchall()


def test_rows_come_back_and_each_statement_is_counted_with_its_values():
    Generation.objects.create(name="prepared-probe", value=7)
    with CaptureQueriesContext(connection) as captured:
        assert _counter("prepared-probe") == [(7,)]
        assert _counter("nothing") == []
    assert len(captured) == 2
    # Logged as it ran, values written in (what EXPLAIN and a reader of the logs need).
    assert "'prepared-probe'" in captured[0]["sql"] and "%s" not in captured[0]["sql"]


@on_postgresql
def test_postgresql_prepares_the_statement_once_and_reuses_it():
    Generation.objects.create(name="prepared-probe", value=7)
    for _ in range(7):
        assert _counter("prepared-probe") == [(7,)]
    executions = [
        count for sql, count in _prepared_statements().items() if "core_generation" in sql
    ]
    # One statement (its values apart: $1, $2), executed seven times.
    assert executions == [7]
    # Django's own queries are not prepared: only the statements that ask are.
    Generation.objects.filter(name="prepared-probe").count()
    assert not any("COUNT" in sql for sql in _prepared_statements())


@on_postgresql
def test_errors_are_django_errors_and_the_connection_goes_on():
    with pytest.raises(DatabaseError), transaction.atomic(), prepared.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table WHERE id = %s", [1])
    Generation.objects.create(name="prepared-probe", value=3)
    assert _counter("prepared-probe") == [(3,)]


@elsewhere
def test_elsewhere_it_is_djangos_cursor():
    with prepared.cursor() as cursor:
        cursor.execute("SELECT %s", [5])
        assert cursor.fetchall() == [(5,)]


def test_fields_read_by_hand_come_back_as_the_orm_reads_them():
    """A date-time, a JSON document and a text read through column()/convert() on this
    database equal what the ORM gives for the same row."""
    from ecoquartier.core.models import ActivityEvent

    event = ActivityEvent.objects.create(
        verb="probe", summary="Lecture à la main", changes={"niveau": [1, 2]}
    )
    meta = ActivityEvent._meta
    read = [
        prepared.column(meta.get_field(name), "e") for name in ("created_at", "changes", "verb")
    ]
    table = connection.ops.quote_name(meta.db_table)
    with prepared.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(sql for sql, _c, _s in read)} FROM {table} e WHERE e.id = %s",
            [event.pk],
        )
        values = cursor.fetchone()
    by_hand = [
        prepared.convert(v, col, steps) for v, (_sql, col, steps) in zip(values, read, strict=True)
    ]
    from_orm = ActivityEvent.objects.filter(pk=event.pk).values_list(
        "created_at", "changes", "verb"
    )[0]
    assert by_hand == list(from_orm)
    assert by_hand[1] == {"niveau": [1, 2]} and by_hand[0].tzinfo is not None
    assert prepared.column(meta.get_field("verb"), "e") is read[2]  # made once
