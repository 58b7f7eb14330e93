"""Tags' names in one spelling, as Tag.normalise_names() now keeps them: Unicode's compatible forms («ﻻ» is «لا»),
no invisible format characters, spaces collapsed. A name that would then be another tag's stays as it was, for
an editor to merge the two; the slug, the tag's address, never changes."""

import unicodedata

from django.db import migrations
from django.db.models import Q


def tag_name(text):
    # articles.text.tag_name as it was when this migration was written: a migration must not change with the code.
    text = "".join(char for char in unicodedata.normalize("NFKC", text) if unicodedata.category(char) != "Cf")
    return " ".join(text.split())


def names_in_one_spelling(apps, schema_editor):
    Tag = apps.get_model("articles", "Tag")
    for tag in Tag.objects.order_by("pk").iterator():
        changed = {}
        for field in ("name_ar", "name_en"):
            name = getattr(tag, field)
            spelled = tag_name(name) if name else name
            if spelled == name or not spelled:
                continue
            taken = Tag.objects.exclude(pk=tag.pk).filter(Q(name_ar__iexact=spelled) | Q(name_en__iexact=spelled))
            if not taken.exists():
                changed[field] = spelled
        if changed:
            if "name_ar" in changed:
                changed["name"] = changed["name_ar"]  # taggit's own column keeps the Arabic name
            Tag.objects.filter(pk=tag.pk).update(**changed)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0027_tag_names_per_edition"),
    ]

    operations = [
        migrations.RunPython(names_in_one_spelling, migrations.RunPython.noop),
    ]
