"""Counts of a call's applications that do not grow with their number (ADR 19).

`ApplicationCount` holds, per call, how many applications are in each (state, eligibility,
scored) case: at most 54 rows per call. Database triggers (migration 0010) keep it in the same
transaction as every write to the applications table — a service's save, a bulk action's
UPDATE, a cascade or a bulk load alike — so no Python path can forget it. The dashboard and the
ranking read it for those who instruct the whole call (its managers); a State referent, who
instructs the call's applications in their territories only, still gets a COUNT over those.
"""

from ecoquartier.applications.models import ApplicationCount

# --- The triggers (installed by migration 0010, re-installed after any migration that dropped
# them: on SQLite, Django rebuilds a table to alter it, and its triggers go with the old one) ---

KEY_OLD = (
    "call_id = OLD.call_id AND state = OLD.state AND scored = (OLD.score IS NOT NULL) AND "
    "eligible = CASE WHEN OLD.eligible THEN 1 WHEN NOT OLD.eligible THEN 0 ELSE 2 END"
)
VALUES_NEW = (
    "NEW.call_id, NEW.state, CASE WHEN NEW.eligible THEN 1 WHEN NOT NEW.eligible THEN 0 ELSE 2 "
    "END, NEW.score IS NOT NULL, 1"
)
COLUMNS = "call_id, state, eligible, scored, total"
TABLE = "applications_applicationcount"
# A null-safe "differs": SQLite's IS NOT, PostgreSQL's IS DISTINCT FROM.
CHANGED = (
    "OLD.call_id {ne} NEW.call_id OR OLD.state {ne} NEW.state OR OLD.eligible {ne} NEW.eligible "
    "OR (OLD.score IS NULL) {ne} (NEW.score IS NULL)"
)
DECREMENT = f"UPDATE {TABLE} SET total = total - 1 WHERE {KEY_OLD};"

SQLITE_INCREMENT = (
    f"INSERT INTO {TABLE} ({COLUMNS}) VALUES ({VALUES_NEW}) "
    "ON CONFLICT (call_id, state, eligible, scored) DO UPDATE SET total = total + 1;"
)
SQLITE = [
    "CREATE TRIGGER application_count_insert AFTER INSERT ON applications_application "
    f"BEGIN {SQLITE_INCREMENT} END",
    "CREATE TRIGGER application_count_delete AFTER DELETE ON applications_application "
    f"BEGIN {DECREMENT} END",
    "CREATE TRIGGER application_count_update "
    "AFTER UPDATE OF call_id, state, eligible, score ON applications_application "
    f"WHEN {CHANGED.format(ne='IS NOT')} BEGIN {DECREMENT} {SQLITE_INCREMENT} END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS application_count_{op}" for op in ("insert", "delete", "update")
]

POSTGRESQL = [
    f"""CREATE FUNCTION application_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {DECREMENT}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {TABLE} AS counted ({COLUMNS}) VALUES ({VALUES_NEW})
        ON CONFLICT (call_id, state, eligible, scored)
        DO UPDATE SET total = counted.total + 1;
    END IF;
    RETURN NULL;
END
$$""",
    "CREATE TRIGGER application_count_insert AFTER INSERT ON applications_application "
    "FOR EACH ROW EXECUTE FUNCTION application_count_change()",
    "CREATE TRIGGER application_count_delete AFTER DELETE ON applications_application "
    "FOR EACH ROW EXECUTE FUNCTION application_count_change()",
    "CREATE TRIGGER application_count_update "
    "AFTER UPDATE OF call_id, state, eligible, score ON applications_application "
    f"FOR EACH ROW WHEN ({CHANGED.format(ne='IS DISTINCT FROM')}) "
    "EXECUTE FUNCTION application_count_change()",
]
POSTGRESQL_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS application_count_{op} ON applications_application"
        for op in ("insert", "delete", "update")
    ),
    "DROP FUNCTION IF EXISTS application_count_change()",
]

STATEMENTS = {"sqlite": (SQLITE, SQLITE_DROP), "postgresql": (POSTGRESQL, POSTGRESQL_DROP)}

RECOUNT = [
    f"DELETE FROM {TABLE}",
    f"INSERT INTO {TABLE} ({COLUMNS}) "
    "SELECT call_id, state, CASE WHEN eligible THEN 1 WHEN NOT eligible THEN 0 ELSE 2 END, "
    "score IS NOT NULL, COUNT(*) FROM applications_application GROUP BY 1, 2, 3, 4",
]
TRIGGERS = {f"application_count_{op}" for op in ("insert", "delete", "update")}


def _run(connection, statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install_triggers(connection):
    _run(connection, STATEMENTS[connection.vendor][0])


def drop_triggers(connection):
    _run(connection, STATEMENTS[connection.vendor][1])


def recount(connection):
    """Count every application from scratch: idempotent, and exact whatever happened before."""
    _run(connection, RECOUNT)


def installed_triggers(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()} & TRIGGERS


def ensure_triggers(connection):
    """After migrations: the triggers all there, or installed again and the counts redone."""
    tables = connection.introspection.table_names()
    if TABLE not in tables or "applications_application" not in tables:
        return False
    if installed_triggers(connection) == TRIGGERS:
        return False
    drop_triggers(connection)
    install_triggers(connection)
    recount(connection)
    return True


# The `eligible` key of ApplicationCount and the Application.eligible value it stands for.
ELIGIBLE = {1: True, 0: False, 2: None}


def rows(call):
    """(state, eligible, scored, total) of every non-empty case of `call`: one query."""
    return [
        (state, ELIGIBLE[eligible], scored, total)
        for state, eligible, scored, total in ApplicationCount.objects.filter(
            call=call, total__gt=0
        ).values_list("state", "eligible", "scored", "total")
    ]


def by_state_and_eligibility(call):
    """{(state, eligible): number} of all the applications of `call`."""
    counts = {}
    for state, eligible, _scored, total in rows(call):
        counts[state, eligible] = counts.get((state, eligible), 0) + total
    return counts


def ranking_totals(call, states):
    """{"scored": n, "unscored": n} of the applications of `call` in `states`."""
    totals = {"scored": 0, "unscored": 0}
    for state, _eligible, scored, total in rows(call):
        if state in states:
            totals["scored" if scored else "unscored"] += total
    return totals
