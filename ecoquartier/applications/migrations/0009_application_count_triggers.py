"""Database triggers keeping ApplicationCount equal to a COUNT of the applications in each case
(call, state, eligibility, scored), in the same transaction as every write (ADR 19). The SQL is
written here, frozen with the migration; `applications/counts.py` reads the table."""

from django.db import migrations

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


def create(apps, schema_editor):
    for sql in STATEMENTS[schema_editor.connection.vendor][0]:
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    for sql in STATEMENTS[schema_editor.connection.vendor][1]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("applications", "0008_application_counts")]

    operations = [migrations.RunPython(create, drop)]
