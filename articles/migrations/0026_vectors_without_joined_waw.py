"""PostgreSQL's Arabic search vectors made again, each also holding its words with «و» or «ف» set aside before
«ال» (articles/search.py, _weighted_vector): stories printing «والحكومة» become findable by «الحكومة».

In batches of a thousand documents, each its own transaction, so a large archive's saves wait a moment at most
rather than for the whole rewrite (about 0.8 ms a document). Nothing to do on SQLite, nor for English documents.
"""

from django.contrib.postgres.search import SearchVector
from django.db import migrations, transaction
from django.db.models import F, Func, TextField, Value

# articles.search.JOINED_BEFORE_ARTICLE as this migration was written.
JOINED_BEFORE_ARTICLE = r"(^|\s)[وف](ال\S{4,})"
BATCH = 1000


def arabic_vector():
    def set_aside(column):
        return Func(
            F(column), Value(JOINED_BEFORE_ARTICLE), Value(r"\1\2"), Value("g"),
            function="regexp_replace", output_field=TextField(),
        )

    vector = None
    for column, weight in (("headline", "A"), ("summary", "B"), ("body", "C")):
        part = SearchVector(column, weight=weight, config=F("config"))
        part += SearchVector(set_aside(column), weight=weight, config=F("config"))
        vector = part if vector is None else vector + part
    return vector


def remake_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    alias = schema_editor.connection.alias
    documents = apps.get_model("articles", "SearchDocument").objects.using(alias)
    ids = list(documents.filter(config="arabic").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic(using=alias):
            documents.filter(pk__in=ids[start:start + BATCH]).update(vector=arabic_vector())


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0025_change_photo_on_site"),
    ]

    operations = [
        migrations.RunPython(remake_vectors, migrations.RunPython.noop),
    ]
