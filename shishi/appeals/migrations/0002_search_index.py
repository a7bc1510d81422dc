"""Full-text index over Appeal.search_text (jieba tokens), one per database engine.

SQLite: an external-content FTS5 table kept in step by triggers.
PostgreSQL: a GIN index on to_tsvector('simple', search_text).
Used by shishi.appeals.search.matching().
"""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE appeals_appeal_fts USING fts5("
    "search_text, content='appeals_appeal', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER appeals_appeal_fts_ai AFTER INSERT ON appeals_appeal BEGIN "
    "INSERT INTO appeals_appeal_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER appeals_appeal_fts_ad AFTER DELETE ON appeals_appeal BEGIN "
    "INSERT INTO appeals_appeal_fts(appeals_appeal_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER appeals_appeal_fts_au AFTER UPDATE OF search_text ON appeals_appeal BEGIN "
    "INSERT INTO appeals_appeal_fts(appeals_appeal_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO appeals_appeal_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO appeals_appeal_fts(appeals_appeal_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_ai",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_ad",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_au",
    "DROP TABLE IF EXISTS appeals_appeal_fts",
]
POSTGRES_CREATE = [
    "CREATE INDEX appeal_search_gin ON appeals_appeal "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS appeal_search_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
