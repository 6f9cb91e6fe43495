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
"""

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
    """Create the index, its triggers, and index every call (idempotent). An index of another
    shape (without the perimeter column, migration 0008's) is replaced."""
    if not supported(connection):
        return False
    if TABLE in connection.introspection.table_names() and _columns(connection) != INDEXED:
        _run(connection, [*DROP_TRIGGERS, f"DROP TABLE {TABLE}"])
    _run(connection, [CREATE_TABLE, *DROP_TRIGGERS, *CREATE_TRIGGERS, REBUILD])
    connection.calls_fts = True
    return True


def drop(connection):
    if connection.vendor != "sqlite":
        return
    _run(connection, [*DROP_TRIGGERS, f"DROP TABLE IF EXISTS {TABLE}"])
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
        installed = {row[0] for row in cursor.fetchall()} & TRIGGERS
    if installed == TRIGGERS and _columns(connection) == INDEXED:
        return False
    return install(connection)


def available(connection):
    """Does this database have the index? Read once per connection wrapper."""
    known = getattr(connection, "calls_fts", None)
    if known is None:
        known = False
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE]
                )
                known = cursor.fetchone() is not None
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
