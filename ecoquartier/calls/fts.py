"""SQLite's full-text index of the finder's fallback columns (ADR 13, ADR 22).

On SQLite the finder matches a query word against the folded, stemmed words of three columns
(`search_title`, `search_summary`, `search_body`: ASCII letters and digits separated by single
spaces, calls/text.py). `LIKE '% word %'` reads every candidate call's row; an FTS5 table over
the same three columns finds the calls holding a word from its index. Its tokenizer splits on
anything but letters and digits, so its words are exactly the columns' words: a word matches the
index if and only if `LIKE '% word %'` matches a column (tests/calls/test_fts.py compares both).

`calls_call_fts` is an external-content FTS5 table (it stores the index, not the text: the
columns stay in `calls_call`), kept by three triggers in the same transaction as every insert,
update and delete of a call, whoever writes it (a save, a queryset update, a bulk load, a
cascade). Migration 0008 creates it on SQLite only, when FTS5 is compiled in; PostgreSQL has its
own GIN index. On SQLite, Django rebuilds a table to alter it, and the triggers go with the old
one: `ensure` (after every migration run) puts them back and rebuilds the index. Without the
table (another database, an SQLite built without FTS5) the finder keeps its LIKE search.

A fourth column indexes each call's perimeter id (a number, hence one token): a search of a
commune asks the index for the calls holding its words *and* lying in one of the commune's few
perimeters (the commune and the territories containing it), so that the index intersects both
lists itself and hands SQLite the few hundred calls of both, rather than every call holding a
common word (ADR 22). The words are looked for in the three text columns only: a number typed
in the search never matches a perimeter id.

A second index, `calls_call_fts_open`, holds only the calls still open at its *horizon* (ADR 26):
exactly the calls whose `deadline_order` is at or after the instant stored in
`calls_call_fts_open_horizon`, kept so by triggers (a call is indexed when written with a
deadline at or after the horizon, and forgotten when written otherwise or deleted). Seven calls in
ten are closed, and a word's or a perimeter's list of calls in it is that much shorter. Calls
close as time passes without anyone writing them: `advance` (a daily job) moves the horizon to
now and forgets the calls that closed in between, in one transaction. A search of the open calls
at `now` may read this index when `now` is at or after the horizon (every call open at `now` is
in it), and reads the whole index otherwise (a date before the horizon, as a test may set): the
statement chooses by itself (`matching_open_ids_sql`), so that no clock but the database's rows
decides what is found.
"""

from django.db import transaction
from django.utils import timezone

TABLE = "calls_call_fts"
COLUMNS = ("search_title", "search_summary", "search_body")
PERIMETER = "perimeter_id"
INDEXED = (*COLUMNS, PERIMETER)
TRIGGERS = {f"calls_call_fts_{op}" for op in ("insert", "delete", "update")}

_NAMES = ", ".join(INDEXED)
_NEW = ", ".join(f"NEW.{c}" for c in INDEXED)
_OLD = ", ".join(f"OLD.{c}" for c in INDEXED)
_INSERT = f"INSERT INTO {TABLE} (rowid, {_NAMES}) VALUES (NEW.id, {_NEW});"
_DELETE = f"INSERT INTO {TABLE} ({TABLE}, rowid, {_NAMES}) VALUES ('delete', OLD.id, {_OLD});"

CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({_NAMES}, "
    "content='calls_call', content_rowid='id', tokenize='unicode61', detail='column')"
)
CREATE_TRIGGERS = [
    f"CREATE TRIGGER calls_call_fts_insert AFTER INSERT ON calls_call BEGIN {_INSERT} END",
    f"CREATE TRIGGER calls_call_fts_delete AFTER DELETE ON calls_call BEGIN {_DELETE} END",
    f"CREATE TRIGGER calls_call_fts_update AFTER UPDATE OF id, {_NAMES} ON calls_call "
    f"BEGIN {_DELETE} {_INSERT} END",
]
DROP_TRIGGERS = [f"DROP TRIGGER IF EXISTS {name}" for name in sorted(TRIGGERS)]
REBUILD = f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')"

# The open calls' index (ADR 26): its own copy of the columns, for the calls written with a
# deadline at or after the horizon; `closes_at` is what `deadline_order` (generated) follows.
OPEN_TABLE = "calls_call_fts_open"
HORIZON = "calls_call_fts_open_horizon"
OPEN_TRIGGERS = {f"calls_call_fts_open_{op}" for op in ("insert", "delete", "update")}
CREATE_OPEN_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {OPEN_TABLE} USING fts5({_NAMES}, "
    "tokenize='unicode61', detail='column')"
)
CREATE_HORIZON = (
    f"CREATE TABLE IF NOT EXISTS {HORIZON} "
    "(id INTEGER PRIMARY KEY CHECK (id = 1), horizon TEXT NOT NULL)"
)
_KEPT = (
    f"INSERT INTO {OPEN_TABLE} (rowid, {_NAMES}) SELECT NEW.id, {_NEW} "
    f"WHERE NEW.deadline_order >= (SELECT horizon FROM {HORIZON});"
)
_FORGET = f"DELETE FROM {OPEN_TABLE} WHERE rowid = OLD.id;"
CREATE_OPEN_TRIGGERS = [
    f"CREATE TRIGGER calls_call_fts_open_insert AFTER INSERT ON calls_call BEGIN {_KEPT} END",
    f"CREATE TRIGGER calls_call_fts_open_delete AFTER DELETE ON calls_call BEGIN {_FORGET} END",
    f"CREATE TRIGGER calls_call_fts_open_update AFTER UPDATE OF id, {_NAMES}, closes_at "
    f"ON calls_call BEGIN {_FORGET} {_KEPT} END",
]
DROP_OPEN_TRIGGERS = [f"DROP TRIGGER IF EXISTS {name}" for name in sorted(OPEN_TRIGGERS)]
# Each write adds a small segment to an FTS5 index, merged by and by; a search reads every
# segment. Merged into one after a rebuild and each night: a word's lookup in the open calls'
# index went from 1.15 to 0.21 ms at 10× (0.15 s to merge the whole index there).
OPTIMIZE = [f"INSERT INTO {name} ({name}) VALUES ('optimize')" for name in (TABLE, OPEN_TABLE)]


def supported(connection):
    """SQLite with the FTS5 extension compiled in."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA compile_options")
        return any(row[0] == "ENABLE_FTS5" for row in cursor.fetchall())


def _run(connection, statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection):
    """Create both indexes, their triggers, and index every call (idempotent). An index of
    another shape (without the perimeter column, migration 0008's) is replaced. The open calls'
    horizon is now."""
    if not supported(connection):
        return False
    if TABLE in connection.introspection.table_names() and _columns(connection) != INDEXED:
        _run(connection, [*DROP_TRIGGERS, f"DROP TABLE {TABLE}"])
    _run(connection, [CREATE_TABLE, *DROP_TRIGGERS, *CREATE_TRIGGERS, REBUILD])
    _run(connection, [*DROP_OPEN_TRIGGERS, CREATE_OPEN_TABLE, CREATE_HORIZON])
    moment = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {HORIZON}")
        cursor.execute(f"INSERT INTO {HORIZON} (id, horizon) VALUES (1, %s)", [moment])
        cursor.execute(f"DELETE FROM {OPEN_TABLE}")
        cursor.execute(
            f"INSERT INTO {OPEN_TABLE} (rowid, {_NAMES}) SELECT id, {_NAMES} FROM calls_call "
            "WHERE deadline_order >= %s",
            [moment],
        )
    _run(connection, [*CREATE_OPEN_TRIGGERS, *OPTIMIZE])
    connection.calls_fts = True
    return True


def advance(connection, now=None):
    """Move the open calls' horizon forward to `now` (never back), forgetting the calls that
    closed in between, and merge both indexes' segments; the number forgotten (None without the
    index)."""
    if not getattr(connection, "calls_fts", None) and not available(connection):
        return None
    moment = connection.ops.adapt_datetimefield_value(now or timezone.now())
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"SELECT horizon FROM {HORIZON}")
        row = cursor.fetchone()
        if row is None or row[0] >= moment:
            return 0
        cursor.execute(
            f"DELETE FROM {OPEN_TABLE} WHERE rowid IN (SELECT id FROM calls_call "
            "WHERE deadline_order >= %s AND deadline_order < %s)",
            [row[0], moment],
        )
        forgotten = cursor.rowcount
        cursor.execute(f"UPDATE {HORIZON} SET horizon = %s", [moment])
        for sql in OPTIMIZE:
            cursor.execute(sql)
    return forgotten


def advance_horizon():
    """The daily job (calls/apps.py): the open calls' index forgets the calls closed since (on
    PostgreSQL, calls/open_words.py)."""
    from django.db import connection

    from ecoquartier.calls import open_words

    if connection.vendor == "postgresql":  # Its own partial index, rebuilt at today's horizon.
        return f"index des appels ouverts : {open_words.advance(connection)}"
    forgotten = advance(connection)
    if forgotten is None:
        return "pas d'index des appels ouverts sur cette base"
    return f"{forgotten} appel(s) clos retiré(s) de l'index des appels ouverts"


def drop(connection):
    if connection.vendor != "sqlite":
        return
    _run(connection, [*DROP_TRIGGERS, f"DROP TABLE IF EXISTS {TABLE}"])
    drop_open(connection)


def drop_open(connection):
    """The open calls' index and its horizon, gone (the finder reads the whole index)."""
    if connection.vendor != "sqlite":
        return
    tables = [f"DROP TABLE IF EXISTS {name}" for name in (OPEN_TABLE, HORIZON)]
    _run(connection, [*DROP_OPEN_TRIGGERS, *tables])
    connection.calls_fts = False


def _columns(connection):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM pragma_table_info('{TABLE}')")
        return tuple(row[0] for row in cursor.fetchall())


def ensure(connection):
    """After migrations: the index (of this shape) and its three triggers there, or put back
    and rebuilt."""
    if connection.vendor != "sqlite":
        return False
    tables = connection.introspection.table_names()
    if TABLE not in tables or "calls_call" not in tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        installed = {row[0] for row in cursor.fetchall()} & (TRIGGERS | OPEN_TRIGGERS)
    complete = {OPEN_TABLE, HORIZON} <= set(tables) and installed == TRIGGERS | OPEN_TRIGGERS
    if complete and _columns(connection) == INDEXED:
        return False
    return install(connection)


def available(connection):
    """Does this database have both indexes? Read once per connection wrapper."""
    known = getattr(connection, "calls_fts", None)
    if known is None:
        known = False
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN (%s, %s)",
                    [TABLE, OPEN_TABLE],
                )
                known = cursor.fetchone()[0] == 2
        connection.calls_fts = known
    return known


def match_expression(terms, perimeters=()):
    """An FTS5 query: every term, as a whole word, in any of the three text columns; and, when
    `perimeters` (ids) are given, the call's perimeter one of them. Terms are folded words
    (letters and digits only), quoted all the same."""
    words = " AND ".join(_quoted(term) for term in terms)
    expression = f"{{{' '.join(COLUMNS)}}} : ({words})"
    if perimeters:
        ids = " OR ".join(_quoted(str(int(pk))) for pk in sorted(perimeters))
        expression += f" AND {PERIMETER} : ({ids})"
    return expression


def _quoted(token):
    return '"{}"'.format(token.replace('"', '""'))


def matching_ids_sql():
    """SQL of the ids of the calls matching an FTS5 expression (one parameter)."""
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"


# An expression that matches no call, cheaply: no perimeter has the id 0.
NOTHING = f'{PERIMETER} : "0"'


def matching_open_ids_sql(moment, expression):
    """(SQL, params) of the ids of the calls matching `expression` among those open at `moment`
    (an adapted datetime), or more: from the open calls' index when `moment` is at or after its
    horizon, else from the whole index. Both are in the statement; the horizon, read once by it,
    gives the other one an expression matching nothing, so that only one index is searched."""
    horizon = f"COALESCE((SELECT horizon FROM {HORIZON}), '9999')"
    sql = (
        f"SELECT rowid FROM {OPEN_TABLE} WHERE {OPEN_TABLE} MATCH "
        f"(CASE WHEN %s >= {horizon} THEN %s ELSE %s END) UNION ALL "
        f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH "
        f"(CASE WHEN %s >= {horizon} THEN %s ELSE %s END)"
    )
    return sql, [moment, expression, NOTHING, moment, NOTHING, expression]
