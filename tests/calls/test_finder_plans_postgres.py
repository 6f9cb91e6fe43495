"""At scale, the aid finder reads the calls one can still apply to through an index bounded by
now, and `next_change` finds each date past now in an index (ADR 19): PostgreSQL's plans, with
realistic statistics (thousands of calls, most of them closed, vacuumed and analysed as
autovacuum would), read no table whole. The same behaviours are checked on every database in
test_search.py and test_visitors.py."""

import random
from datetime import timedelta
from functools import partial

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from ecoquartier.calls.models import Call, CallStep, next_change
from ecoquartier.calls.search import FinderQuery, Rows
from tests.calls.factories import CallFactory, build_geography
from tests.plans import analyze, plans, rows_read, sequential_scans

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
    # Committed rows, so that VACUUM ANALYZE gives the planner production's statistics.
    pytest.mark.django_db(transaction=True),
]

CALLS = 12_000
BIG_TABLES = ("calls_call", "calls_callstep")
SUBJECTS = ("friches urbaines", "biodiversité", "mobilités actives", "sobriété foncière")


@pytest.fixture
def geo():
    return build_geography()


@pytest.fixture
def many_calls(geo):
    """CALLS published calls over the geography, as the bench spreads them: deadlines from 900
    days ago to a year ahead (seven in ten closed), a few without a deadline, the odd one opening
    later or archived early."""
    rng = random.Random(2026)
    now = timezone.now()
    model = CallFactory(perimeter=geo.paca)
    perimeters = [geo.france, geo.paca, geo.alpes_hp, geo.banon, geo.reillanne, geo.bretagne]
    calls = []
    for i in range(CALLS):
        subject = SUBJECTS[i % len(SUBJECTS)]
        call = Call(
            programme=model.programme, kind=Call.Kind.AMI, slug=f"appel-plan-{i}",
            title=f"Appel {i} : {subject}", summary=f"Accompagner les projets : {subject}.",
            perimeter=rng.choice(perimeters), state=Call.State.PUBLISHED,
            opens_at=now + timedelta(days=10) if rng.random() < 0.02 else None,
            archived_at=now - timedelta(days=1) if rng.random() < 0.01 else None,
        )  # fmt: skip
        call.fill_search_columns()
        calls.append(call)
    Call.objects.bulk_create(calls, batch_size=2000)
    created = Call.objects.filter(slug__startswith="appel-plan-")
    CallStep.objects.bulk_create(
        CallStep(
            call_id=pk, kind=CallStep.Kind.APPLICATION,
            deadline=now + timedelta(days=rng.randint(-900, 365)),
        )
        for pk in created.values_list("pk", flat=True)
        if rng.random() > 0.05
    )  # fmt: skip
    created.refresh_deadlines()
    created.refresh_search_vectors()
    analyze("calls_call", "calls_callstep")
    return geo


def assert_no_sequential_scan(run):
    scans = sequential_scans(run, BIG_TABLES)
    assert not scans, "\n\n".join(f"{table}: {sql}\n{plan}" for table, sql, plan in scans)


def read_page(query, page=1, version=None):
    """A page of `query`; given a `version`, a commune's first page from its perimeters' parts
    (plain.py), read anew for each version."""
    rows = Rows(query, page, columns=("slug", "title"), version=version)
    total = rows.count()
    start = (page - 1) * 20
    return total, rows[start : start + 20]


def test_the_finder_reads_open_calls_through_a_bounded_index(many_calls):
    now = timezone.now()
    total, page = read_page(FinderQuery())
    assert total == Call.objects.current(now).count()
    assert total < CALLS / 2  # Most calls are closed, and the listing reads none of them:
    read = rows_read(lambda: read_page(FinderQuery()), ["calls_call"])["calls_call"]
    # Its count of the open ones (and of the odd call archived by hand before its deadline, in
    # the range but filtered out), then the page's 20 rows: not the thousands of closed calls.
    assert read <= total * 1.05 + 20
    assert_no_sequential_scan(lambda: read_page(FinderQuery()))
    assert_no_sequential_scan(lambda: read_page(FinderQuery(), page=10))
    # A territory, a text, both: no table read whole either.
    query = FinderQuery(territory=many_calls.reillanne, text="friches")
    total, page = read_page(query)
    assert total and all("friches" in row["title"] for row in page)
    assert_no_sequential_scan(lambda: read_page(query))
    assert_no_sequential_scan(lambda: read_page(FinderQuery(territory=many_calls.alpes_hp)))
    # Closed calls are read only when asked for.
    closed_too = FinderQuery(territory=many_calls.reillanne, text="friches", include_closed=True)
    assert read_page(closed_too)[0] > total


def test_the_next_change_is_found_in_indexes(many_calls):
    assert next_change() is not None
    assert_no_sequential_scan(next_change)


def test_a_commune_search_reads_the_open_calls_perimeters_and_words_index(many_calls):
    """A commune's few perimeters and its words meet inside the GIN index of the open calls
    (calls/open_words.py, ADR 27): the calls holding a common word elsewhere, or closed, are
    never fetched, as SQLite's open calls' full-text index does."""
    query = FinderQuery(territory=many_calls.reillanne, text="friches")
    for version in (None, "v1"):  # One statement, or the parts of its perimeters.
        read = partial(read_page, query, version=version)
        searches = [plan for sql, plan in plans(read) if "ts_rank" in sql]
        assert searches and all("calls_call_open_words" in plan for plan in searches)
        assert_no_sequential_scan(read)


def test_the_prepared_search_plans_read_no_table_whole(many_calls):
    """The territory + words search is prepared (core/prepared.py): after its first executions
    PostgreSQL may run it with one generic plan, made without the values. Those plans (one text
    for a territory that contains others, one for a territory that does not, whatever their
    number of perimeters, and a commune's perimeters' parts), forced, read neither table whole
    either."""
    statements = {}

    def keep(execute, sql, params, many, context):
        if "ts_rank" in sql:
            statements[sql] = params
        return execute(sql, params, many, context)

    territories = [many_calls.reillanne, many_calls.banon, many_calls.brest, many_calls.alpes_hp]
    with connection.execute_wrapper(keep):
        for i in range(8):
            query = FinderQuery(territory=territories[i % 4], text=SUBJECTS[i % 4])
            read_page(query)
            read_page(query, version=f"v{i}")  # A commune's: its perimeters' parts.
    assert len(statements) == 3
    for sql, params in statements.items():
        plan = _generic_plan(sql, params)
        assert "calls_call" in plan
        # The commune's: through the open calls' index, even without the words' statistics.
        assert ("array_to_tsvector" in sql) == ("calls_call_open_words" in plan), plan
        assert not [table for table in BIG_TABLES if f"Seq Scan on {table} " in plan + " "], plan


def _generic_plan(sql, params):
    """PostgreSQL's generic plan of `sql` (%s placeholders), explained with `params`."""
    numbered = sql
    for number in range(1, len(params) + 1):
        numbered = numbered.replace("%s", f"${number}", 1)
    with connection.cursor() as cursor:
        cursor.execute(f"PREPARE probe AS {numbered}")
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            marks = ", ".join(["%s"] * len(params))
            cursor.execute(f"EXPLAIN EXECUTE probe({marks})", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET plan_cache_mode")
            cursor.execute("DEALLOCATE probe")
