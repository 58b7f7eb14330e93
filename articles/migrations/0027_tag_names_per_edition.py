"""Tags get a name per edition (django-modeltranslation): the Arabic one is the name they had, the English one is
empty until an editor writes it, and the English edition shows only tags that have one."""

from django.db import migrations, models
from django.db.models import F


def arabic_name_is_the_name(apps, schema_editor):
    apps.get_model("articles", "Tag").objects.update(name_ar=F("name"))


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0026_vectors_without_joined_waw'),
    ]

    operations = [
        migrations.AddField(
            model_name='tag',
            name='name_ar',
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='tag',
            name='name_en',
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name='name'),
        ),
        migrations.RunPython(arabic_name_is_the_name, migrations.RunPython.noop),
    ]
