"""manage.py cleanup_media (articles/media_cleanup.py): the file of an upload whose row never committed survives on its
own and is removed by cleanup_media; files a row references, young files and files outside the site's media
folders are never touched; without --delete nothing is removed."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from articles.intake import create_photo
from articles.models import Photo
from articles.renditions import ensure_renditions
from tests.factories import image_upload, make_photo

pytestmark = pytest.mark.django_db


class Crash(Exception):
    pass


def age(media_root, *names, hours=2):
    """Backdate files, as if written hours ago (the command leaves files younger than an hour alone)."""
    then = time.time() - hours * 3600
    for name in names:
        os.utime(media_root / name, (then, then))


def everything_old(media_root):
    for path in media_root.rglob("*"):
        if path.is_file():
            age(media_root, path.relative_to(media_root))


def cleanup(capsys, *args):
    call_command("cleanup_media", *args)
    return capsys.readouterr().out.split()


def crashed_upload():
    """An upload whose file is written through the intake and the storage, and whose transaction then dies
    before the row commits (what a killed worker or a lost database leaves)."""
    with pytest.raises(Crash), transaction.atomic():
        photo = create_photo(file=image_upload("crash.jpg"), caption_ar="لم يكتمل")
        name = photo.image.name
        raise Crash
    return name


def test_a_crash_between_file_and_row_leaves_an_orphan_that_only_cleanup_media_removes(media_in_tmp, capsys):
    kept = make_photo()
    ensure_renditions(kept)
    orphan = crashed_upload()

    assert not Photo.objects.filter(image=orphan).exists()
    assert default_storage.exists(orphan)
    everything_old(media_in_tmp)

    assert cleanup(capsys) == [orphan]
    assert default_storage.exists(orphan), "a dry run removes nothing"
    assert cleanup(capsys, "--delete") == [orphan]
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.image.name)
    assert all(default_storage.exists(name) for entries in kept.renditions["sizes"].values()
               for entry in entries for name in (entry["jpeg"], entry["webp"]))
    assert cleanup(capsys) == []


def test_renditions_of_deleted_photos_and_unlisted_rendition_files_are_orphans(media_in_tmp, capsys):
    gone, kept = make_photo(), make_photo()
    ensure_renditions(gone)
    ensure_renditions(kept)
    gone_files = [name for name in default_storage.listdir(f"renditions/{gone.pk}/{gone.renditions['key']}")[1]]
    # In a test the deletion never commits, so its after-commit file removal never runs: as after a crash.
    Photo.objects.filter(pk=gone.pk).delete()
    stale = default_storage.save(f"renditions/{kept.pk}/old-key/card-400.jpg", ContentFile(b"old crop"))
    everything_old(media_in_tmp)

    found = cleanup(capsys, "--delete")

    assert stale in found
    assert gone.image.name in found
    assert {f"renditions/{gone.pk}/{gone.renditions['key']}/{name}" for name in gone_files} <= set(found)
    assert not any(name.startswith(f"renditions/{kept.pk}/{kept.renditions['key']}/") for name in found)
    assert default_storage.exists(kept.image.name)


def test_young_orphans_are_left_alone_unless_min_age_says_otherwise(media_in_tmp, capsys):
    orphan = crashed_upload()

    assert cleanup(capsys, "--delete") == []
    assert default_storage.exists(orphan)
    assert cleanup(capsys, "--delete", "--min-age", "0") == [orphan]
    assert not default_storage.exists(orphan)


def test_files_outside_the_sites_media_folders_are_never_listed(media_in_tmp, capsys):
    default_storage.save("exports/readers.csv", ContentFile(b"a,b"))
    everything_old(media_in_tmp)

    assert cleanup(capsys, "--delete") == []
    assert default_storage.exists("exports/readers.csv")


def test_the_help_warns_that_min_age_zero_can_delete_an_upload_about_to_commit():
    from articles.management.commands.cleanup_media import Command

    parser = Command().create_parser("manage.py", "cleanup_media")
    assert "--min-age 0 while the site is in use can delete the file of an upload" in parser.format_help().replace(
        "\n", " ").replace("  ", " ")


@pytest.mark.parametrize("value", ["-1", "5270401", "99999999999999"])
def test_a_min_age_below_zero_or_past_ten_years_is_refused(value):
    # A negative age counted every file as old; millions of years overflowed the clock with a traceback.
    with pytest.raises(CommandError, match="must be from 0 to 5270400 minutes"):
        call_command("cleanup_media", "--min-age", value)
