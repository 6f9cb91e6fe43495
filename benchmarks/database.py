"""Create, drop and mark the benchmark database, on SQLite or PostgreSQL alike."""

from pathlib import Path

import psycopg
from django.db import connection

META_TABLE = "bench_meta"


def is_sqlite():
    return connection.vendor == "sqlite"


def _pg_admin():
    """A connection to the server's maintenance database, to create or drop ours."""
    settings = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    )


def ensure_exists():
    if is_sqlite():
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        return
    name = connection.settings_dict["NAME"]
    with _pg_admin() as admin:
        found = admin.execute("select 1 from pg_database where datname = %s", [name]).fetchone()
        if not found:
            admin.execute(f'create database "{name}"')


def drop():
    connection.close()
    name = connection.settings_dict["NAME"]
    if is_sqlite():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        return
    with _pg_admin() as admin:
        admin.execute(f'drop database if exists "{name}" with (force)')


def built_steps():
    """{step name: signature} of what this database already holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"create table if not exists {META_TABLE} "
            "(step text primary key, signature text not null)"
        )
        cursor.execute(f"select step, signature from {META_TABLE}")
        return dict(cursor.fetchall())


def mark_built(step, signature):
    with connection.cursor() as cursor:
        cursor.execute(f"delete from {META_TABLE} where step = %s", [step])
        cursor.execute(f"insert into {META_TABLE} values (%s, %s)", [step, signature])


def analyze():
    """Refresh the planner's statistics after a bulk load, as autovacuum would in production;
    without them PostgreSQL plans for tables a tenth of their size."""
    with connection.cursor() as cursor:
        cursor.execute("analyze")


def vacuum():
    """VACUUM ANALYZE every table (PostgreSQL; outside any transaction), ANALYZE on SQLite."""
    with connection.cursor() as cursor:
        cursor.execute("vacuum analyze" if not is_sqlite() else "analyze")
