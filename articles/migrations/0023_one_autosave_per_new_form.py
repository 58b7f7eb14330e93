from django.conf import settings
from django.db import migrations, models


def keep_the_newest_draft_of_each_new_form(apps, schema_editor):
    """Rows the race left behind: the newest of each new article form's drafts is the one its author last saw."""
    ArticleAutosave = apps.get_model("articles", "ArticleAutosave")
    seen = set()
    for draft in ArticleAutosave.objects.filter(article=None).order_by("-saved_at", "-pk").only(
        "pk", "user_id", "draft_key"
    ):
        if (draft.user_id, draft.draft_key) in seen:
            draft.delete()
        seen.add((draft.user_id, draft.draft_key))


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0022_dates_within_the_calendar"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(keep_the_newest_draft_of_each_new_form, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="articleautosave",
            constraint=models.UniqueConstraint(
                condition=models.Q(("article__isnull", True)), fields=("user", "draft_key"),
                name="one_autosave_per_new_form",
            ),
        ),
    ]
