"""SQLite: a trigram full-text index (FTS5) over the search documents, for substring search (articles/search.py).

At 100,000 articles, SQLite's substring search read every document (300 MB of text) for each query: 0.85 s for a
reader's search, 0.8 s for the admin's. An FTS5 table with the trigram tokenizer answers the same substrings
from an index. It is an "external content" table: the text stays in articles_searchdocument, and the triggers
below keep the index in step with every insert, update and delete, whoever makes them (saves, bulk loads,
restores, cascades).

Django rebuilds a SQLite table to alter it (a new table copied over the old), which drops its triggers: a later
migration that alters SearchDocument must run create_triggers() again (and rebuild the index). PostgreSQL has its
own indexes (migrations 0009 and 0012) and gets nothing here; a SQLite built without FTS5 gets a warning and
searches without the index, as before.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "articles_searchdocument_fts"
DOCUMENTS = "articles_searchdocument"
COLUMNS = "headline, summary, body"


def create_triggers(schema_editor):
    new = "new.id, new.headline, new.summary, new.body"
    old = "'delete', old.id, old.headline, old.summary, old.body"
    schema_editor.execute(
        f"CREATE TRIGGER {INDEX}_insert AFTER INSERT ON {DOCUMENTS} BEGIN "
        f"INSERT INTO {INDEX}(rowid, {COLUMNS}) VALUES ({new}); END"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {INDEX}_delete AFTER DELETE ON {DOCUMENTS} BEGIN "
        f"INSERT INTO {INDEX}({INDEX}, rowid, {COLUMNS}) VALUES ({old}); END"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {INDEX}_update AFTER UPDATE ON {DOCUMENTS} BEGIN "
        f"INSERT INTO {INDEX}({INDEX}, rowid, {COLUMNS}) VALUES ({old}); "
        f"INSERT INTO {INDEX}(rowid, {COLUMNS}) VALUES ({new}); END"
    )


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {INDEX} USING fts5({COLUMNS}, content='{DOCUMENTS}', content_rowid='id', "
                "tokenize='trigram')"
            )
    except DatabaseError as error:
        logger.warning("No trigram index (%s): SQLite searches read every document, slower.", error)
        return
    create_triggers(schema_editor)
    schema_editor.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES('rebuild')")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {INDEX}_{trigger}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_indexes_without_status")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
