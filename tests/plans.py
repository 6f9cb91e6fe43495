"""PostgreSQL query plans of what a piece of code runs, for the tests that show a query stays
flat as the data grows: no sequential scan of a big table (ADR 19)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def analyze(*tables):
    """VACUUM ANALYZE `tables`, as autovacuum would after a bulk load: fresh statistics and the
    visibility map an index-only scan needs. Needs committed rows (django_db(transaction=True))."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def plans(run):
    """[(sql, plan)] of every SELECT that `run()` sends, as PostgreSQL would execute it."""
    with CaptureQueriesContext(connection) as captured:
        run()
    found = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH", "(SELECT")):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}")
            found.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return found


def sequential_scans(run, tables):
    """The plans, among those of `run()`, that read one of `tables` whole: [(table, sql, plan)]."""
    return [
        (table, sql, plan)
        for sql, plan in plans(run)
        for table in tables
        if f"Seq Scan on {table} " in plan + " "
    ]


def rows_read(run, tables):
    """{table: rows} that the SELECTs `run()` sends read from `tables`, as EXPLAIN ANALYZE counts
    them: the rows each scan returned plus those its filters removed, over all its loops."""
    with CaptureQueriesContext(connection) as captured:
        run()
    totals = dict.fromkeys(tables, 0)
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH", "(SELECT")):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            [[document]] = cursor.fetchall()
        for node in _nodes(document[0]["Plan"]):
            if node.get("Relation Name") in totals:
                read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
                read += node.get("Rows Removed by Index Recheck", 0)
                totals[node["Relation Name"]] += read * node.get("Actual Loops", 1)
    return totals


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)
