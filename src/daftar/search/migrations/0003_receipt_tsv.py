"""PostgreSQL: a second GIN index over the entries that belong to a receipt (receipts and
their pages, a fifth of the index). A search reads the entries of the receipts open to the
searcher apart from those of the files; with this index a word found mostly in notes no
longer makes that half visit every note that contains it (docs/search-engine.md)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_entry_tsv_receipt ON search_entry USING gin (tsv) "
            "WHERE receipt_id IS NOT NULL"
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_tsv_receipt")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engines")]
    operations = [migrations.RunPython(forwards, backwards)]
