"""PostgreSQL only: the `eq_french` text search configuration (unaccent, then the French Snowball
stemmer) and a GIN index on the call vector. Other databases use the fallback columns
(see docs/adr/0013-calls-french-full-text-search.md)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'eq_french') THEN
        CREATE TEXT SEARCH CONFIGURATION eq_french (COPY = pg_catalog.french);
        ALTER TEXT SEARCH CONFIGURATION eq_french
          ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
          WITH unaccent, french_stem;
      END IF;
    END
    $$
    """,
    "CREATE INDEX IF NOT EXISTS calls_call_search_vector_gin ON calls_call USING gin (search_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS calls_call_search_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS eq_french",
]


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases, so one migration history serves both."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("calls", "0001_initial")]

    operations = [PostgresOnlySQL(FORWARD, BACKWARD)]
