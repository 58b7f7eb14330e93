"""A trigram index for the admin's substring search on PostgreSQL (articles/search.py, matching_pks).

Editors search by a half-remembered fragment, so the admin matches substrings (LIKE '%…%'), which no B-tree
serves: at 100,000 articles each search read every document, three times per page (list, count, date
filter), about 1.6 s. pg_trgm's GIN index answers the same LIKE from the index. The extension is
"trusted" (PostgreSQL 13+), so the database owner may create it; where the role may not, the migration says so
and goes on without the index (searches stay correct, only slower). SQLite has neither and needs neither.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "articles_searchdocument_text_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning("pg_trgm could not be created (%s); the admin search works without its index, slower.", error)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_searchdocument "
        "USING gin (headline gin_trgm_ops, summary gin_trgm_ops, body gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_listing_indexes")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
