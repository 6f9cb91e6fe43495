"""PostgreSQL's index of the open calls' perimeters and words, at a horizon (ADR 27).

A search of a commune asks for the calls of a few perimeters (the commune and the territories
containing it) holding some words. At ten times today's calls, the words' lists in the GIN index
of every call (open or closed, everywhere) held thousands of calls, read at each search and then
intersected with the perimeters': the search grew with the data (0.5 → 2 ms). This index holds,
for the calls still open at its *horizon* only (three in ten), each call's words and one more
token naming its perimeter (`#<id>`): the search asks for its words *and* one of its perimeters'
tokens, and GIN intersects both lists itself, as SQLite's open calls' index does (calls/fts.py).

PostgreSQL keeps a partial index exact by itself: a call is in it while it is published with a
deadline at or after the horizon. Calls close as time passes without being written: `advance`
(the nightly job that also moves SQLite's horizon) rebuilds the index at the start of the current
day (concurrently: writes go on), and drops the calls closed since.

The search's statement names the horizon of its own day as a literal (`condition`): a literal
lets the planner prove that the calls it asks for are all in the index, also in the generic plan
of the prepared statement (core/prepared.py). Any horizon at or before the statement's day is
proved: between midnight and the job's run the index is one day behind, never ahead, and a
search of a date before the horizon (as a test may set) simply reads the other indexes.
"""

import datetime

from django.db import connection as default_connection
from django.utils import timezone

INDEX = "calls_call_open_words"
NEXT = f"{INDEX}_next"
# Each call's words and its perimeter's token: written the same in the index and the statement.
EXPRESSION = "({alias}search_vector || array_to_tsvector(ARRAY['#' || {alias}perimeter_id::text]))"
PUBLISHED = "published"  # Call.State.PUBLISHED, a literal for the partial index's predicate.
# The query of the words (configuration, text), computed once per statement: a scalar subquery,
# so that a prepared statement's generic plan does not parse and stem it again for every call.
WORDS = "(SELECT websearch_to_tsquery(%s::regconfig, %s))"


def horizon(moment):
    """The start (UTC) of `moment`'s day: the horizon of an index rebuilt then, and the one a
    statement run then names."""
    day = moment.astimezone(datetime.UTC).date()
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def _literal(moment):
    return f"'{horizon(moment).isoformat()}'::timestamptz"


def create_sql(name, moment, concurrently=False):
    return (
        f"CREATE INDEX {'CONCURRENTLY ' if concurrently else ''}{name} ON calls_call "
        f"USING gin ({EXPRESSION.format(alias='')}) WHERE state = '{PUBLISHED}' "
        f"AND deadline_order >= {_literal(moment)}"
    )


def condition(alias, now, perimeters, config, text):
    """(SQL, params): the calls of `alias` open at `now` (published, deadline at or after
    `now`'s horizon; the caller asks for the exact instant), of one of `perimeters` (ids),
    matching the websearch query `text` in `config` — exactly `perimeter_id IN perimeters AND
    search_vector @@ websearch_to_tsquery(config, text)`, through this index only.

    Exactly: a perimeter's token starts with `#`, which the parser never leaves in a word, so no
    query word matches it and the words match the tokened vector as they match the words alone;
    an empty query (stop words only) matches nothing, as `@@` does, rather than the perimeters
    alone. And through this index only: no other index serves these conditions, so that even
    the generic plan of the prepared statement, which knows no words, reads this one."""
    tokens = " | ".join(f"'#{int(pk)}'" for pk in sorted(perimeters))
    query = WORDS
    sql = (
        f"{alias}.state = '{PUBLISHED}' AND {alias}.deadline_order >= {_literal(now)} AND "
        f"{EXPRESSION.format(alias=alias + '.')} @@ ({query} && %s::tsquery) "
        f"AND numnode({query}) > 0"
    )
    return sql, [config, text, tokens, config, text]


def advance(connection=None, now=None):
    """Rebuild the index at the start of `now`'s day (today's), unless it is there already;
    its definition then (None off PostgreSQL)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return None
    moment = now or timezone.now()
    wanted = horizon(moment).strftime("%Y-%m-%d")
    # Concurrently when it may (outside a transaction): searches and writes go on meanwhile.
    concurrently = not connection.in_atomic_block
    drop = f"DROP INDEX {'CONCURRENTLY ' if concurrently else ''}IF EXISTS"
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        found = cursor.fetchone()
        if found and wanted in found[0]:
            return found[0]
        if not concurrently:  # Inside a transaction: its pending checks first, as PostgreSQL
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # asks before indexing a table.
        cursor.execute(f"{drop} {NEXT}")  # Left by a run stopped halfway, if any.
        cursor.execute(create_sql(NEXT, moment, concurrently))
        cursor.execute(f"{drop} {INDEX}")
        cursor.execute(f"ALTER INDEX {NEXT} RENAME TO {INDEX}")
        # The statistics of the index's expression, which only ANALYZE gathers: without them the
        # planner guesses how many calls hold a word or lie in a perimeter.
        cursor.execute("ANALYZE calls_call")
        if not concurrently:  # Django's foreign keys are checked at commit again.
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        return cursor.fetchone()[0]
