"""Two-factor devices under the newsroom's own names (AuthenticatorApp, a proxy of django-otp's TOTPDevice): the
administrators' role gets its permissions in place of django-otp's, whose screen is no longer offered."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATORS = "مدير"
CODENAMES = ["view_authenticatorapp", "delete_authenticatorapp"]


def _administrators_and_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    # Permissions are normally created after migrate (post_migrate), too late for the group.
    create_permissions(global_apps.get_app_config("articles"), verbosity=0, using=db, apps=apps)
    ours = Permission.objects.using(db).filter(content_type__app_label="articles", codename__in=CODENAMES)
    theirs = Permission.objects.using(db).filter(content_type__app_label="otp_totp")
    return Group.objects.using(db).filter(name=ADMINISTRATORS).first(), ours, theirs


def give_administrators_authenticator_apps(apps, schema_editor):
    group, ours, theirs = _administrators_and_permissions(apps, schema_editor)
    if group is not None:  # none where the role groups were removed by hand
        group.permissions.add(*ours)
        group.permissions.remove(*theirs)


def give_back_django_otps_screen(apps, schema_editor):
    group, ours, theirs = _administrators_and_permissions(apps, schema_editor)
    if group is not None:
        group.permissions.remove(*ours)
        group.permissions.add(*theirs)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0023_one_autosave_per_new_form"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuthenticatorApp",
            fields=[],
            options={
                "verbose_name": "authenticator app",
                "verbose_name_plural": "authenticator apps",
                "proxy": True,
                "default_permissions": ("view", "delete"),
                "indexes": [],
                "constraints": [],
            },
            bases=("otp_totp.totpdevice",),
        ),
        migrations.RunPython(give_administrators_authenticator_apps, give_back_django_otps_screen),
    ]
