"""A photo readers see may be changed only by the photo desk and editors (Photo.may_change): the permission, given
to the photographers', editors' and administrators' roles."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["مصور", "محرر", "مدير"]  # photographer, editor, administrator


def _groups_and_permission(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    # Permissions are normally created after migrate (post_migrate), too late for the groups.
    create_permissions(global_apps.get_app_config("articles"), verbosity=0, using=db, apps=apps)
    permission = Permission.objects.using(db).get(content_type__app_label="articles", codename="change_photo_on_site")
    return Group.objects.using(db).filter(name__in=GROUPS), permission


def grant(apps, schema_editor):
    groups, permission = _groups_and_permission(apps, schema_editor)
    for group in groups:
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    groups, permission = _groups_and_permission(apps, schema_editor)
    for group in groups:
        group.permissions.remove(permission)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0024_authenticator_apps"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="photo",
            options={
                "ordering": ["-uploaded_at", "-pk"],
                "permissions": [("change_photo_on_site", "Can change photos readers see")],
                "verbose_name": "photo",
                "verbose_name_plural": "photos",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
