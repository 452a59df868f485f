"""The database's own full-text machinery for ``search_entry`` and ``search_word``.

PostgreSQL: a text search configuration ``daftar`` (English stemming for Latin-script words,
``simple`` for every other script, so Urdu words are matched as written); a generated,
stored ``tsv`` column (title and numbers weighted A, body D) with a GIN index; pg_trgm and a
trigram index on the words, for close spellings.

SQLite: FTS5 tables with external content, kept in step by triggers in the same transaction
(Porter stemming over unicode61 for the entries; trigrams for the words).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'daftar') THEN
        CREATE TEXT SEARCH CONFIGURATION daftar (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION daftar
          ALTER MAPPING FOR word, hword, hword_part WITH simple;
      END IF;
    END $$
    """,
    """
    ALTER TABLE search_entry ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('daftar'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, refs), 'A')
        || to_tsvector('daftar'::regconfig, body)
    ) STORED
    """,
    "CREATE INDEX search_entry_tsv ON search_entry USING gin (tsv)",
    "CREATE INDEX search_word_trgm ON search_word USING gin (word gin_trgm_ops)",
]

SQLITE = [
    """
    CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        title, refs, body,
        content='search_entry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
      INSERT INTO search_entry_fts(rowid, title, refs, body)
      VALUES (new.id, new.title, new.refs, new.body);
    END
    """,
    """
    CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
      INSERT INTO search_entry_fts(search_entry_fts, rowid, title, refs, body)
      VALUES ('delete', old.id, old.title, old.refs, old.body);
    END
    """,
    """
    CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
      INSERT INTO search_entry_fts(search_entry_fts, rowid, title, refs, body)
      VALUES ('delete', old.id, old.title, old.refs, old.body);
      INSERT INTO search_entry_fts(rowid, title, refs, body)
      VALUES (new.id, new.title, new.refs, new.body);
    END
    """,
    """
    CREATE VIRTUAL TABLE search_word_fts USING fts5(
        word, content='search_word', content_rowid='id', tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER search_word_ai AFTER INSERT ON search_word BEGIN
      INSERT INTO search_word_fts(rowid, word) VALUES (new.id, new.word);
    END
    """,
    """
    CREATE TRIGGER search_word_ad AFTER DELETE ON search_word BEGIN
      INSERT INTO search_word_fts(search_word_fts, rowid, word) VALUES ('delete', old.id, old.word);
    END
    """,
]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise RuntimeError(f"Search needs PostgreSQL or SQLite, not {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_word_trgm")
        schema_editor.execute("ALTER TABLE search_entry DROP COLUMN IF EXISTS tsv")
        return
    for name in ("search_entry_ai", "search_entry_ad", "search_entry_au", "search_word_ai",
                 "search_word_ad"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute("DROP TABLE IF EXISTS search_entry_fts")
    schema_editor.execute("DROP TABLE IF EXISTS search_word_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
