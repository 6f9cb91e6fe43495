"""Statements PostgreSQL plans once per connection (server-side prepared statements, ADR 27).

Django sends every query with its values written into the text (client-side binding), so
PostgreSQL plans each one anew. For a statement a page runs at every request whose planning
costs as much as running it — the aid finder's search: about 0.26 ms planned for 0.19 ms run —
`cursor()` gives a cursor whose statements are prepared: psycopg prepares each distinct text
once per connection (at most `prepared_max` of them, 100 by default) and PostgreSQL reuses its
plan: the first five executions are planned for their values, then a generic plan is kept if it
is no costlier than those (`plan_cache_mode = auto`, PostgreSQL's default).

Values travel apart from the text (server-side binding), so a statement must have one text per
shape: `= ANY(%s)` with a list rather than an `IN` list whose length varies. Queries are logged
and their errors wrapped as by Django's own cursor. On SQLite it is Django's cursor.

`column()` and `convert()` read a model field's value from such a statement's rows as the ORM
would on the current database (a date from SQLite's text, a decimal, a JSON document).
"""

from contextlib import contextmanager

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper


@contextmanager
def cursor():
    """A cursor on the default connection whose statements PostgreSQL prepares."""
    if connection.vendor != "postgresql":
        with connection.cursor() as plain:
            yield plain
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = _cursor_class()(connection.connection)
    if raw.connection.prepare_threshold is None:
        # Django turns preparing off (None), which psycopg applies to explicit requests too;
        # a threshold no statement reaches prepares only the statements that ask.
        raw.connection.prepare_threshold = ONLY_WHEN_ASKED
    wrapped = (
        LoggedPrepared(raw, connection)
        if connection.queries_logged
        else connection.make_cursor(raw)
    )
    with wrapped:
        yield wrapped


ONLY_WHEN_ASKED = 2**31 - 1
_CLASSES = {}


def _cursor_class():
    """psycopg's server-side binding cursor, every execution prepared (made once: psycopg is
    imported only on PostgreSQL)."""
    if "cursor" not in _CLASSES:
        import psycopg

        class PreparedCursor(psycopg.Cursor):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                return super().execute(query, params, prepare=True, binary=binary)

        _CLASSES["cursor"] = PreparedCursor
    return _CLASSES["cursor"]


class LoggedPrepared(CursorDebugWrapper):
    """Django's logging cursor (DEBUG, tests counting queries), logging each statement with its
    values written in, as Django logs its own: a prepared execution leaves psycopg no query
    text to report, and the logs (and EXPLAIN in tests) need one."""

    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        if use_last_executed_query and not many:
            sql = self.db.ops.compose_sql(sql, params)
        return super().debug_sql(sql, params, use_last_executed_query=False, many=many)


_COLUMNS = {}


def column(field, alias):
    """(`alias."column"` in SQL, the column, its converters) of a model field read by hand from
    the table aliased `alias`: the backend's converters, then the field's own, as the ORM applies
    them; made once per database, field and alias."""
    key = (connection.vendor, field, alias)
    if key not in _COLUMNS:
        col = field.get_col(alias)
        converters = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        _COLUMNS[key] = (f"{alias}.{connection.ops.quote_name(field.column)}", col, converters)
    return _COLUMNS[key]


def convert(value, col, converters):
    """`value` as read from the database, converted as the ORM would (see column())."""
    for converter in converters:
        value = converter(value, col, connection)
    return value
