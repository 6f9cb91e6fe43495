"""The finder's commonest search — open calls, a territory and/or words — in plain SQL (ADR 22).

A search nobody made before is computed whole. Its one statement (the page of matches with
their columns and the total, `search.Rows`) cost the ORM about three times longer to build and
compile than the database to run, once the text search had an index. This module writes the
same statement directly, for the shapes most searches have: open calls only (no `clos`), words,
optionally a territory, and no other filter. Any other search goes through the ORM
(`search.ranked`), as before.

It returns exactly the rows, in the order, of `search.ranked(query).values(...)` with the window
count: the same conditions (published, `deadline_order >= now`, not archived by now, the
perimeter's ancestors or descendants, every word), the same score (PostgreSQL's `ts_rank` of the
websearch query; elsewhere each word's best field weight, summed in the same order) and the same
tie-breaks (nearest deadline, then pk). Values are converted by the model fields' own database
converters, as `values()` converts them. tests/calls/test_plain.py compares both paths on many
searches, on SQLite and PostgreSQL.
"""

import heapq
from hashlib import sha256
from operator import itemgetter

from django.db import connection

from ecoquartier.calls import fts, open_words, text
from ecoquartier.calls.models import Call
from ecoquartier.core import prepared
from ecoquartier.core.generations import cached_many
from ecoquartier.territories.models import TerritoryAncestor

ALIASES = {"": "c", "programme": "p", "perimeter": "t"}
WEIGHTS = (("search_title", "1.0"), ("search_summary", "0.4"), ("search_body", "0.2"))


def handles(query):
    """Is `query` one of the shapes written here?"""
    return bool(
        query.terms
        and not query.include_closed
        and not (query.audience or query.stage or query.theme or query.benefit)
        and not query.closes_before
        and (query.territory is None or query.ancestor_ids)
    )


def page(query, now, columns, offset, limit, version=None):
    """(rows, total) of the page: `rows` dicts of `columns` (names as `values()` takes them),
    `total` the number of matches (None when the page is past the end).

    Given a `version` (calls/visitors.py: the data generations and the next instant statuses
    change), the first page of a search on a commune is made of its perimeters' parts, each
    cached under it (`_by_perimeter`)."""
    if version is not None and offset == 0 and _splits(query):
        return _by_perimeter(query, now, tuple(columns), limit, version)
    selected, converted = _selection(tuple(columns))
    where, params = _where(query, now)
    rank, rank_params = _rank(query)
    # The matches are ranked and counted narrow (key, score, deadline), then only the page's
    # rows are read with their columns: the count and the sort no longer carry every match's
    # text (a perimeter and a programme are never null: the joins keep every match). The matches
    # are materialised once and counted apart: a window count made SQLite copy every match
    # into a table of its own before sorting them (0.68 → 0.47 ms at 10×).
    sql = (
        f"{_matches(rank, where)}, "
        "page AS (SELECT id, score, deadline, (SELECT COUNT(*) FROM matches) AS total "
        "FROM matches ORDER BY score DESC, deadline ASC, id ASC LIMIT %s OFFSET %s) "
        f"{_columns_of(selected, 'page', 'page.total')} "
        "ORDER BY page.score DESC, page.deadline ASC, page.id ASC"
    )
    # Prepared on PostgreSQL: planning it cost more than running it (core/prepared.py).
    with prepared.cursor() as cursor:
        cursor.execute(sql, [*rank_params, *params, limit, offset])
        fetched = cursor.fetchall()
    total = fetched[0][-1] if fetched else None
    # The total comes last, past the columns: zip leaves it out.
    return [_row(columns, converted, values) for values in fetched], total


def _row(columns, converted, values):
    """The dict of `columns` from a fetched row (its first values), converted as `values()`
    converts them."""
    row = dict(zip(columns, values, strict=False))
    for name, field, converters in converted:  # Only the columns that need converting.
        row[name] = prepared.convert(row[name], field, converters)
    return row


# --- The first page, perimeter by perimeter ---------------------------------------------------

PART_SECONDS = 600


def _splits(query):
    """Is `query` on a territory that contains no other (a commune), within others?"""
    return query.territory is not None and not query.contains_others and len(query.ancestor_ids) > 1


def _by_perimeter(query, now, columns, limit, version):
    """The first page of a search on a commune, from its perimeters' parts.

    Its matches are the calls whose perimeter is the commune or a territory containing it (its
    EPCI, département, région, the country), and each call has one perimeter: the page is the
    best `limit` of each perimeter's best `limit` (by score, deadline, key, as the statement
    sorts), and the total the sum of their totals. Each perimeter's part is cached under
    `version` and the words, so the country's, the région's and the département's matches —
    nearly all of them at national scale — are read once for every commune around, and a commune
    searched for the first time reads its own and its EPCI's (ADR 29). The parts missing are read
    in one statement."""
    search = repr((version, query.text, columns, limit)).encode()
    prefix = f"calls:finder-part:{sha256(search).hexdigest()[:40]}:"
    keys = {pk: f"{prefix}{pk}" for pk in sorted(query.ancestor_ids)}
    parts = cached_many(
        keys, lambda missing: _parts(query, now, columns, limit, missing), PART_SECONDS
    )
    entries = (entry for _total, best in parts.values() for entry in best)
    page = heapq.nsmallest(limit, entries, key=itemgetter(0, 1, 2))  # the statement's order
    return [row for *_order, row in page], sum(total for total, _best in parts.values())


def _parts(query, now, columns, limit, perimeters):
    """{perimeter id: (total, best)} for `perimeters`: the number of matches whose perimeter it
    is and the best `limit` of them, each (-score, deadline, key, row) — the statement's order."""
    selected, converted = _selection(columns)
    where, params = _where(query, now, perimeters)
    rank, rank_params = _rank(query)
    extra = "best.id, best.perimeter_id, best.score, best.deadline, best.total"
    sql = (
        f"{_matches(rank, where)}, "
        "best AS (SELECT id, perimeter_id, score, deadline, ROW_NUMBER() OVER (PARTITION BY "
        "perimeter_id ORDER BY score DESC, deadline ASC, id ASC) AS n, "
        "COUNT(*) OVER (PARTITION BY perimeter_id) AS total FROM matches) "
        f"{_columns_of(selected, 'best', extra)} "
        "WHERE best.n <= %s"
    )
    with prepared.cursor() as cursor:
        cursor.execute(sql, [*rank_params, *params, limit])
        fetched = cursor.fetchall()
    totals, best = dict.fromkeys(perimeters, 0), {pk: [] for pk in perimeters}
    for values in fetched:
        pk, perimeter, score, deadline, totals[perimeter] = values[-5:]
        best[perimeter].append((-score, deadline, pk, _row(columns, converted, values)))
    return {pk: (totals[pk], best[pk]) for pk in perimeters}


def _matches(rank, where):
    """The `matches` CTE: the key, score, deadline and perimeter of every call matching `where`
    (a perimeter and a programme are never null: the joins of `_columns_of` keep every match)."""
    return (
        f"WITH matches AS MATERIALIZED (SELECT c.id, c.perimeter_id, {rank} AS score, "
        f"c.deadline_order AS deadline FROM {_table(Call)} c WHERE {where})"
    )


def _columns_of(selected, source, extra):
    """SELECT the `selected` columns of the calls keyed in `source` (a CTE), then `extra`."""
    return (
        f"SELECT {', '.join(expr for expr, _f, _c in selected)}, {extra} FROM {source} "
        f"INNER JOIN {_table(Call)} c ON c.id = {source}.id "
        f"INNER JOIN {_table(Call, 'perimeter')} t ON c.perimeter_id = t.id "
        f"INNER JOIN {_table(Call, 'programme')} p ON c.programme_id = p.id"
    )


def _where(query, now, perimeters=None):
    """(SQL, params): the conditions of `query`'s matches at `now`, their perimeter one of
    `perimeters` (ids; by default the territory's and those containing it)."""
    ancestors = query.ancestor_ids if perimeters is None else perimeters
    moment = connection.ops.adapt_datetimefield_value(now)
    conditions = [
        "c.state = %s",
        "c.deadline_order >= %s",
        "(c.archived_at > %s OR c.archived_at IS NULL)",
    ]
    params = [Call.State.PUBLISHED, moment, moment]
    postgresql = connection.vendor == "postgresql"
    searched = fts.available(connection) if not postgresql else False
    # A territory that contains no other (a commune) has a few perimeters: SQLite's index
    # intersects them with the words itself and returns only the calls of both (fts.py), and
    # so does PostgreSQL's index of the open calls (open_words.py), so the perimeters need no
    # condition of their own there.
    perimeters = ancestors if query.territory and not query.contains_others else ()
    if query.territory is not None and not ((searched or postgresql) and perimeters):
        ids = sorted(ancestors)
        if postgresql:  # One text whatever their number (prepared).
            containing = "c.perimeter_id = ANY(%s)"
            params.append(ids)
        else:
            containing = f"c.perimeter_id IN ({', '.join(['%s'] * len(ids))})"
            params += ids
        if query.contains_others:
            links = TerritoryAncestor._meta.db_table
            containing = (
                f"({containing} OR c.perimeter_id IN "
                f"(SELECT descendant_id FROM {links} WHERE ancestor_id = %s))"
            )
            params.append(query.territory.pk)
        conditions.append(containing)
    if postgresql and perimeters:
        found, found_params = open_words.condition(
            "c", now, perimeters, text.SEARCH_CONFIG, query.text
        )
        conditions.append(found)
        params += found_params
    elif postgresql:
        conditions.append(f"c.search_vector @@ {open_words.WORDS}")
        params += [text.SEARCH_CONFIG, query.text]
    elif searched:
        # Among the calls still open (the open calls' index when `now` allows it, fts.py).
        matching, matching_params = fts.matching_open_ids_sql(
            moment, fts.match_expression(query.terms, perimeters)
        )
        conditions.append(f"c.id IN ({matching})")
        params += matching_params
    else:
        for term in query.terms:
            conditions.append(
                "(" + " OR ".join(f"c.{column} LIKE %s" for column, _w in WEIGHTS) + ")"
            )
            params += [f"% {term} %"] * len(WEIGHTS)
    return " AND ".join(conditions), params


def _rank(query):
    if connection.vendor == "postgresql":
        return f"ts_rank(c.search_vector, {open_words.WORDS})", [
            text.SEARCH_CONFIG,
            query.text,
        ]
    scores, params = [], []
    for term in query.terms:
        whens = " ".join(f"WHEN c.{column} LIKE %s THEN {weight}" for column, weight in WEIGHTS)
        scores.append(f"CASE {whens} ELSE 0.0 END")
        params += [f"% {term} %"] * len(WEIGHTS)
    return f"COALESCE({' + '.join(scores)}, 0.0)", params


def _table(model, relation=None):
    if relation is not None:
        model = model._meta.get_field(relation).related_model
    return connection.ops.quote_name(model._meta.db_table)


_SELECTIONS = {}


def _selection(columns):
    """([(SQL expression, field, converters)] of `columns`, [(name, field, converters)] of
    those that have converters), made once per database and list of columns."""
    key = (connection.vendor, columns)
    if key not in _SELECTIONS:
        selected = [_column(name) for name in columns]
        converted = [
            (name, field, converters)
            for name, (_expr, field, converters) in zip(columns, selected, strict=True)
            if converters
        ]
        _SELECTIONS[key] = (selected, converted)
    return _SELECTIONS[key]


def _column(name):
    """(SQL expression, field, converters) of a `values()` name of Call (pk, a field, or
    relation__field through the programme or the perimeter)."""
    relation, _sep, attribute = name.rpartition("__")
    model = Call if not relation else Call._meta.get_field(relation).related_model
    field = model._meta.pk if attribute == "pk" else model._meta.get_field(attribute)
    return prepared.column(field, ALIASES[relation])
