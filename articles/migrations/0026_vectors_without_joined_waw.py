"""PostgreSQL's search vectors made again, with «و» or «ف» set aside before «ال» (articles/search.py,
_weighted_vector): stories printing «والحكومة» become findable by «الحكومة». Nothing to do on SQLite."""

from django.db import migrations


def remake_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles.search import _weighted_vector

    documents = apps.get_model("articles", "SearchDocument")
    documents.objects.using(schema_editor.connection.alias).update(vector=_weighted_vector())


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0025_change_photo_on_site"),
    ]

    operations = [
        migrations.RunPython(remake_vectors, migrations.RunPython.noop),
    ]
