"""The four roles as groups: writer, photographer, editor and administrator, with their permissions.

The table is a copy of articles.roles.ROLES as it stood when this migration was written (a migration must not
import app code that may change); a later change to the roles needs a migration of its own.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = "__all__"

ROLES = {
    "photographer": {
        "group": "مصور",
        "permissions": {
            "articles": [
                "add_photo", "change_photo", "delete_photo", "view_photo",
                "view_person", "view_section",
            ],
        },
    },
    "writer": {
        "group": "كاتب",
        "permissions": {
            "articles": [
                "add_article", "change_article", "view_article",
                "add_articleauthor", "change_articleauthor", "delete_articleauthor", "view_articleauthor",
                "view_section", "view_person",
                "add_tag", "view_tag",
                "add_photo", "change_photo", "view_photo",
            ],
        },
    },
    "editor": {
        "group": "محرر",
        "permissions": {
            "articles": [
                "add_article", "change_article", "delete_article", "view_article",
                "edit_any_article", "publish_article",
                "add_articleauthor", "change_articleauthor", "delete_articleauthor", "view_articleauthor",
                "add_section", "change_section", "delete_section", "view_section",
                "add_person", "change_person", "delete_person", "view_person",
                "add_tag", "change_tag", "delete_tag", "view_tag",
                "add_photo", "change_photo", "delete_photo", "view_photo",
                "add_supportappeal", "change_supportappeal", "delete_supportappeal", "view_supportappeal",
            ],
        },
    },
    "administrator": {
        "group": "مدير",
        "permissions": {
            "articles": ALL,
            "auth": [
                "add_user", "change_user", "delete_user", "view_user",
                "add_group", "change_group", "delete_group", "view_group",
            ],
            "axes": ALL,
            "otp_totp": ALL,
        },
    },
}


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    labels = {label for role in ROLES.values() for label in role["permissions"]}
    for label in sorted(labels):
        # Permissions are normally created after migrate (post_migrate), too late for these groups.
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=db, apps=apps)
    for role in ROLES.values():
        permissions = []
        for label, codenames in role["permissions"].items():
            found = Permission.objects.using(db).filter(content_type__app_label=label)
            if codenames != ALL:
                found = found.filter(codename__in=codenames)
                missing = set(codenames) - {permission.codename for permission in found}
                if missing:
                    raise LookupError(f"No such permissions in {label}: {', '.join(sorted(missing))}")
            permissions += found
        group, _created = Group.objects.using(db).get_or_create(name=role["group"])
        group.permissions.set(permissions)


def delete_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name__in=[role["group"] for role in ROLES.values()]
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0004_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(create_role_groups, delete_role_groups),
    ]
