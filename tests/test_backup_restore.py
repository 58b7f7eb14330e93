"""manage.py backup and restore (articles/backup.py): the demo newsroom survives a round trip row for row and byte
for byte, a database with content is refused, and damaged or hostile archives are refused with nothing written."""

import errno
import hashlib
import io
import json
import os
import stat
import tarfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from articles import backup
from articles.history import revision
from articles.models import Article, Photo, SearchDocument, Section
from tests.factories import make_article, make_person, make_photo, make_section, make_user


def media_checksums(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file()
    }


def database_snapshot():
    """Every backed-up row of every model, as Django serialises it (translated fields, dates, hashes, m2m)."""
    snapshot = {}
    for model in backup.backed_up_models():
        rows = model._base_manager.order_by(model._meta.pk.name)
        snapshot[model._meta.label_lower] = serializers.serialize(
            "python", rows, use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
    return snapshot


def assert_same_rows(after, before):
    """Equal snapshots, or the first differing fields by model and id (a plain == would only say "differ")."""
    differences = [
        (label, old.get("pk"), name, old["fields"][name], new["fields"].get(name))
        for label in before
        for old, new in zip(before[label], after[label], strict=False)
        for name in old["fields"]
        if old["fields"][name] != new["fields"].get(name) or old.get("pk") != new.get("pk")
    ]
    assert not differences, differences[:5]
    assert {label: len(rows) for label, rows in after.items()} == {label: len(rows) for label, rows in before.items()}


@pytest.fixture(autouse=True)
def content_types_as_the_database_has_them():
    """flush (below) recreates the content types under new ids and Django caches them per process; the test's
    rollback brings the old ids back, so the cache would send later tests' lookups to the wrong models."""
    yield
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def empty_database():
    """flush inside the test's transaction. PostgreSQL refuses to TRUNCATE a table with foreign-key checks
    still pending (they are deferred to the commit): run them now, then defer again, as a fresh transaction is."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def empty_everything(media_root):
    empty_database()
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


@pytest.fixture
def demo_newsroom(db, django_capture_on_commit_callbacks):
    """The demo content (with renditions, which follow the commit), plus what seed_demo does not make: a writer
    in a role group, revisions, a story in the trash, related stories."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
        writer = make_user("writer", username="كاتب-الموقع")
        editor = make_user("editor")
        first, second = Article.objects.order_by("pk")[:2]
        with revision(writer, "تعديل العنوان"):
            first.headline_ar += " (محدث)"
            first.save()
        with revision(writer, "ربط"):
            first.related_articles.add(second)
            first.save()
        trashed = make_article("خبر في سلة المهملات", tags=("حذف",))
        trashed.move_to_trash(by=editor)
    return writer


def test_backup_and_restore_give_back_every_row_and_media_file(demo_newsroom, media_in_tmp, tmp_path):
    assert Photo.objects.exclude(renditions={}).exists(), "the demo photos should have their renditions"
    assert Article.objects.exclude(headline_en="").exists(), "the demo should carry English translations"
    from reversion.models import Version

    assert Version.objects.exists()
    before = database_snapshot()
    files_before = media_checksums(media_in_tmp)
    first = Article.objects.order_by("pk").first()
    authors_before = list(first.articleauthor_set.order_by("order").values_list("person__name_ar", flat=True))
    archive = tmp_path / "newsroom.tar.gz"

    call_command("backup", output=str(archive), verbosity=0)
    empty_everything(media_in_tmp)
    assert not Article.objects.exists() and not get_user_model().objects.exists()
    assert media_checksums(media_in_tmp) == {}
    call_command("restore", str(archive), yes=True, verbosity=0)

    assert_same_rows(database_snapshot(), before)
    assert media_checksums(media_in_tmp) == files_before
    for photo in Photo.objects.all():
        # Originals and every listed rendition are where the rows say.
        assert default_storage.exists(photo.image.name)
        for entries in photo.renditions.get("sizes", {}).values():
            assert all(default_storage.exists(entry["jpeg"]) and default_storage.exists(entry["webp"])
                       for entry in entries)
    first = Article.objects.get(pk=first.pk)
    assert list(first.articleauthor_set.order_by("order").values_list("person__name_ar", flat=True)) == (
        authors_before
    )
    # The search index is rebuilt, and new rows get fresh ids (PostgreSQL sequences follow the restored rows).
    assert SearchDocument.objects.filter(article=first).exists()
    assert make_article().pk > max(row["pk"] for row in before["articles.article"])
    assert make_person().pk
    writer = get_user_model().objects.get(username="كاتب-الموقع")
    assert writer.check_password("a-long-demo-password")
    assert writer.groups.filter(name=demo_newsroom.groups.get().name).exists()


def test_manifest_lists_counts_migrations_and_a_checksum_for_every_media_file(db, media_in_tmp, tmp_path):
    article = make_article(published=True)
    archive = tmp_path / "backup.tar.gz"
    manifest = backup.write_backup(archive)
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["counts"]["articles.article"] == 1
    assert "0001_initial" in manifest["migrations"]["articles"]
    name = article.lead_photo.image.name
    assert manifest["media"][name]["sha256"] == hashlib.sha256(default_storage.open(name).read()).hexdigest()
    assert "contenttypes.contenttype" not in manifest["counts"]
    assert "sessions.session" not in manifest["counts"]


def test_restore_refuses_a_database_that_already_has_articles(db, media_in_tmp, tmp_path):
    make_article(headline="قصة موجودة")
    archive = tmp_path / "backup.tar.gz"
    backup.write_backup(archive)
    with pytest.raises(CommandError, match=r"already holds .*\b1 articles\.article\b"):
        call_command("restore", str(archive), yes=True, verbosity=0)
    assert Article.objects.get().headline_ar == "قصة موجودة"


def test_a_failure_midway_keeps_the_database_as_it_was_and_removes_the_media_written(db, media_in_tmp, tmp_path):
    make_article(headline="قصة للنسخ")
    default_storage.save("renditions/9/x/card-400.jpg", io.BytesIO(b"rendition"))
    archive = tmp_path / "backup.tar.gz"
    backup.write_backup(archive)
    empty_everything(media_in_tmp)
    # A real fault: "renditions" is a plain file, so writing the photo's original works and the next file fails.
    (media_in_tmp / "renditions").write_bytes(b"in the way")

    with pytest.raises(CommandError, match="could not write renditions/9/x/card-400.jpg .* nothing was restored"):
        call_command("restore", str(archive), yes=True, verbosity=0)

    assert not Article.objects.exists()
    assert not Photo.objects.exists()
    assert media_checksums(media_in_tmp) == {"renditions": hashlib.sha256(b"in the way").hexdigest()}


# Damaged and hostile archives ------------------------------------------------------------------------------


def build_archive(path, members, manifest=None, rows=(), counts=None):
    """A tar.gz of (name, bytes) members after a manifest (a valid one for those members and rows unless given)."""
    database = json.dumps(list(rows)).encode()
    if manifest is None:
        if counts is None:
            counts = {}
            for row in rows:
                counts[row["model"]] = counts.get(row["model"], 0) + 1
        manifest = {
            "format": backup.FORMAT, "format_version": backup.FORMAT_VERSION, "migrations": {}, "counts": counts,
            "database": {"size": len(database), "sha256": hashlib.sha256(database).hexdigest()},
            "media": {
                name.removeprefix("media/"): {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                for name, data in members if isinstance(data, bytes)
            },
        }
    with tarfile.open(path, "w:gz") as archive:
        for name, data in [("manifest.json", json.dumps(manifest).encode()), ("database.json", database),
                           *members]:
            member = tarfile.TarInfo(name)
            if isinstance(data, tarfile.TarInfo):
                member = data
                archive.addfile(member)
                continue
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return path


def assert_refused(path, message):
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path), yes=True, verbosity=0)


@pytest.fixture
def nothing_written_outside(tmp_path, media_in_tmp):
    def files():
        return {path for path in tmp_path.parent.rglob("*") if path.is_file() and "archives" not in path.parts}
    before = files()
    (tmp_path / "archives").mkdir()
    yield tmp_path / "archives"
    assert files() == before
    assert not Article.objects.exists()


@pytest.mark.parametrize("name", ["media/../../escaped.txt", "../escaped.txt", "/tmp/escaped.txt",
                                  "media//escaped.txt", "media/photos/./x.jpg", "media/a\\..\\..\\x"])
def test_restore_refuses_member_names_that_leave_the_media_folder(db, nothing_written_outside, name):
    path = build_archive(nothing_written_outside / "evil.tar.gz", [(name, b"owned")])
    assert_refused(path, "not allowed|unsafe path")


def test_restore_refuses_symbolic_and_hard_links(db, nothing_written_outside):
    for kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
        link = tarfile.TarInfo("media/photos/link.jpg")
        link.type, link.linkname = kind, "/etc/passwd"
        path = build_archive(nothing_written_outside / f"link-{kind!r}.tar.gz", [("media/photos/link.jpg", link)])
        assert_refused(path, "not a plain file")


def test_restore_refuses_an_archive_with_more_members_than_its_manifest(db, nothing_written_outside):
    members = [(f"media/photos/{number}.jpg", b"x") for number in range(3000)]
    manifest = json.loads(json.dumps({
        "format": backup.FORMAT, "format_version": backup.FORMAT_VERSION, "migrations": {}, "counts": {},
        "database": {"size": 2, "sha256": hashlib.sha256(b"[]").hexdigest()}, "media": {},
    }))
    path = build_archive(nothing_written_outside / "many.tar.gz", members, manifest)
    assert_refused(path, "more members than its manifest")


def test_restore_refuses_a_checksum_mismatch_before_writing_anything(db, nothing_written_outside):
    path = nothing_written_outside / "tampered.tar.gz"
    good = build_archive(path, [("media/photos/a.jpg", b"original")])
    with tarfile.open(good) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
    build_archive(path, [("media/photos/a.jpg", b"tampered")], manifest)
    assert_refused(path, "checksum mismatch")


def test_restore_refuses_an_unknown_format_version(db, nothing_written_outside):
    manifest = {"format": backup.FORMAT, "format_version": 99, "media": {}}
    path = build_archive(nothing_written_outside / "future.tar.gz", [], manifest)
    assert_refused(path, "format version 99 is unknown")


def test_restore_refuses_a_truncated_archive(db, media_in_tmp, nothing_written_outside):
    make_article()
    real = nothing_written_outside / "real.tar.gz"
    backup.write_backup(real)
    empty_database()
    truncated = nothing_written_outside / "truncated.tar.gz"
    truncated.write_bytes(real.read_bytes()[: real.stat().st_size // 2])
    for path in media_in_tmp.rglob("*"):
        path.unlink() if path.is_file() else None
    assert_refused(truncated, "damaged|not a readable")


def test_restore_refuses_a_backup_made_by_newer_migrations(db, nothing_written_outside):
    manifest = {
        "format": backup.FORMAT, "format_version": backup.FORMAT_VERSION, "counts": {},
        "migrations": {"articles": ["9999_from_the_future"]},
        "database": {"size": 2, "sha256": hashlib.sha256(b"[]").hexdigest()}, "media": {},
    }
    path = build_archive(nothing_written_outside / "newer.tar.gz", [], manifest)
    assert_refused(path, "9999_from_the_future")


def test_every_model_with_rows_of_its_own_is_in_the_backup_or_deliberately_left_out():
    backed_up = {model._meta.label_lower for model in backup.backed_up_models()}
    for model in apps.get_models():
        label = model._meta.label_lower
        assert label in backed_up or label in backup.EXCLUDED_MODELS or model._meta.proxy, label


# Hardening: a private archive, only carried models, only images, one read per file --------------------------


def archive_members(path):
    with tarfile.open(path) as archive:
        return archive.getnames()


def section_rows(folder):
    """A real section row as a backup serialises it; the database is emptied again."""
    make_section(name="قسم من الأرشيف")
    manifest = backup.write_backup(folder / "section.tar.gz")
    with tarfile.open(folder / "section.tar.gz") as opened:
        rows = json.load(opened.extractfile("database.json"))
    empty_database()
    assert manifest["counts"]["articles.section"] == 1
    return [row for row in rows if row["model"] == "articles.section"]


def test_the_archive_is_readable_by_its_owner_only_and_replaces_an_older_one_whole(db, media_in_tmp, tmp_path):
    make_article()
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(b"last night's archive")
    archive.chmod(0o644)
    old_umask = os.umask(0o022)
    try:
        backup.write_backup(archive)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert not (tmp_path / "backup.tar.gz.partial").exists()
    assert "database.json" in archive_members(archive)


class FailingStorage(FileSystemStorage):
    def _open(self, name, mode="rb"):
        raise PermissionError(f"cannot read {name}")


def test_a_failed_backup_keeps_the_previous_archive_and_leaves_no_partial_file(db, media_in_tmp, tmp_path):
    make_article()
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(b"last night's archive")
    with pytest.raises(PermissionError):
        backup.write_backup(archive, storage=FailingStorage(location=media_in_tmp))
    assert archive.read_bytes() == b"last night's archive"
    assert not (tmp_path / "backup.tar.gz.partial").exists()


class RewrittenOnEveryRead(FileSystemStorage):
    """As a file the site keeps rewriting during the backup: every open finds other bytes of the same size."""

    def __init__(self, target, **kwargs):
        super().__init__(**kwargs)
        self.target, self.reads = target, 0

    def _open(self, name, mode="rb"):
        if name == self.target:
            self.reads += 1
            with open(self.path(name), "wb") as out:
                out.write(f"version {self.reads}".encode().ljust(200, b"."))
        return super()._open(name, mode)


def test_a_file_rewritten_during_the_backup_still_gives_a_restorable_archive(db, media_in_tmp, tmp_path):
    photo = make_photo()
    storage = RewrittenOnEveryRead(photo.image.name, location=media_in_tmp)
    archive = tmp_path / "backup.tar.gz"
    manifest = backup.write_backup(archive, storage=storage)
    assert storage.reads == 1, "each file is read once"
    assert archive_members(archive)[-1] == "manifest.json", "the manifest is written last"
    empty_everything(media_in_tmp)

    backup.restore_backup(archive)

    restored = default_storage.open(photo.image.name).read()
    assert restored == b"version 1".ljust(200, b".")
    assert manifest["media"][photo.image.name]["sha256"] == hashlib.sha256(restored).hexdigest()


def test_backup_warns_about_a_referenced_file_missing_from_the_storage(db, media_in_tmp, tmp_path):
    kept, lost = make_photo(), make_photo()
    default_storage.delete(lost.image.name)
    errors = io.StringIO()
    call_command("backup", output=str(tmp_path / "backup.tar.gz"), verbosity=0, stderr=errors)
    assert "missing from the storage" in errors.getvalue()
    assert lost.image.name in errors.getvalue()
    assert kept.image.name not in errors.getvalue()


@pytest.mark.parametrize("row", [
    {"model": "sessions.session", "pk": "a" * 32,
     "fields": {"session_data": "e30:1", "expire_date": "2030-01-01T00:00:00Z"}},
    {"model": "axes.accessattempt", "pk": 1,
     "fields": {"username": "admin", "ip_address": "10.0.0.1", "user_agent": "", "http_accept": "",
                "path_info": "/admin/", "attempt_time": "2030-01-01T00:00:00Z", "get_data": "", "post_data": "",
                "failures_since_start": 99}},
    {"model": "contenttypes.contenttype", "pk": 999, "fields": {"app_label": "x", "model": "y"}},
])
def test_restore_refuses_rows_of_a_model_a_backup_never_carries_before_writing_anything(
    db, tmp_path, nothing_written_outside, row
):
    rows = [*section_rows(nothing_written_outside), row]
    path = build_archive(nothing_written_outside / "foreign.tar.gz", [("media/photos/a.jpg", b"jpeg")], rows=rows)
    assert_refused(path, f"never carries \\({row['model']}\\)")
    assert not Section.objects.exists()
    assert not apps.get_model(row["model"])._base_manager.filter(pk=row["pk"]).exists()


def test_restore_refuses_rows_other_than_the_manifest_counts(db, tmp_path, nothing_written_outside):
    path = build_archive(nothing_written_outside / "counts.tar.gz", [], rows=section_rows(nothing_written_outside),
                         counts={"articles.section": 2})
    assert_refused(path, "does not hold the rows its manifest counts \\(articles.section\\)")
    assert not Section.objects.exists()


def test_restore_rolls_back_when_the_rows_loaded_differ_from_the_manifest(db, tmp_path, nothing_written_outside):
    [row] = section_rows(nothing_written_outside)
    # Two rows with one id: the manifest counts two, loaddata writes one.
    twin = {**row, "fields": {**row["fields"], "slug": "قسم-آخر"}}
    path = build_archive(nothing_written_outside / "twins.tar.gz", [("media/photos/a.jpg", b"jpeg")],
                         rows=[row, twin])
    assert_refused(path, "Loading gave 1 articles.section rows where the manifest counts 2")
    assert not Section.objects.exists()


@pytest.mark.parametrize("name", ["media/photos/x.js", "media/photos/x.html", "media/photos/2024/x.svg",
                                  "media/exports/x.jpg", "media/x.jpg", "media/renditions/1/k/card.php"])
def test_restore_refuses_media_outside_the_sites_folders_or_not_an_image(db, nothing_written_outside, name):
    path = build_archive(nothing_written_outside / "planted.tar.gz", [("media/photos/a.jpg", b"jpeg"),
                                                                      (name, b"<script>alert(1)</script>")])
    assert_refused(path, "not allowed|never holds")
    # A manifest that does not list it either: the member itself is refused.
    listed = {"photos/a.jpg": {"size": 4, "sha256": hashlib.sha256(b"jpeg").hexdigest()}}
    manifest = {"format": backup.FORMAT, "format_version": backup.FORMAT_VERSION, "migrations": {}, "counts": {},
                "database": {"size": 2, "sha256": hashlib.sha256(b"[]").hexdigest()}, "media": listed}
    path = build_archive(nothing_written_outside / "unlisted.tar.gz", [(name, b"<script>")], manifest)
    assert_refused(path, "not allowed")


def test_restore_refuses_a_manifest_naming_a_file_that_is_not_an_image(db, nothing_written_outside):
    manifest = {
        "format": backup.FORMAT, "format_version": backup.FORMAT_VERSION, "migrations": {}, "counts": {},
        "database": {"size": 2, "sha256": hashlib.sha256(b"[]").hexdigest()},
        "media": {"photos/x.html": {"size": 1, "sha256": "0" * 64}},
    }
    path = build_archive(nothing_written_outside / "manifest.tar.gz", [], manifest)
    assert_refused(path, "never holds")


def test_restore_refuses_a_database_holding_only_a_section(db, media_in_tmp, tmp_path):
    make_article()
    archive = tmp_path / "backup.tar.gz"
    backup.write_backup(archive)
    empty_everything(media_in_tmp)
    make_section(name="قسم وحيد")
    assert_refused(archive, "already holds 1 articles.section")
    assert list(Section.objects.values_list("name_ar", flat=True)) == ["قسم وحيد"]
    assert not Article.objects.exists()


def test_restore_lists_the_staff_accounts_before_asking(db, media_in_tmp, tmp_path, monkeypatch, capsys):
    get_user_model().objects.create_superuser("رئيس-التحرير", "chief@example.org", "a-long-demo-password")
    make_user(username="قارئ-عادي")  # no role: not staff
    archive = tmp_path / "backup.tar.gz"
    backup.write_backup(archive)
    empty_everything(media_in_tmp)
    shown = []
    monkeypatch.setattr("builtins.input", lambda prompt: shown.append(capsys.readouterr().out) or "n")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive))

    assert "رئيس-التحرير <chief@example.org> (superuser)" in shown[0]
    assert "قارئ-عادي" not in shown[0]
    assert not get_user_model().objects.exists()


def test_restore_asked_with_no_one_to_answer_is_cancelled(db, media_in_tmp, tmp_path, monkeypatch):
    make_article()
    archive = tmp_path / "backup.tar.gz"
    backup.write_backup(archive)
    empty_everything(media_in_tmp)

    def stdin_closed(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", stdin_closed)

    with pytest.raises(CommandError, match="cancelled.*--yes"):
        call_command("restore", str(archive))
    assert not Article.objects.exists()


def test_a_media_name_too_long_for_the_file_system_is_a_clear_error_and_restores_nothing(
    db, nothing_written_outside
):
    [row] = section_rows(nothing_written_outside)
    name = "media/photos/" + "ص" * 200 + ".jpg"  # 400 bytes: past the 255 a file name may have
    path = build_archive(nothing_written_outside / "long.tar.gz", [(name, b"jpeg")], rows=[row])
    assert_refused(path, "could not write .* so nothing was restored")
    assert not Section.objects.exists()


class DiskFillsUp(FileSystemStorage):
    """Writes the first few bytes of a file, then the disk is full: as FileSystemStorage leaves such a file."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as partial:
            partial.write(content.read(3))
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_disk_filling_up_midway_is_a_clear_error_and_leaves_no_partial_file(db, media_in_tmp, tmp_path):
    make_article()
    archive = tmp_path / "backup.tar.gz"
    backup.write_backup(archive)
    empty_everything(media_in_tmp)

    with pytest.raises(backup.BackupError, match="No space left on device.*nothing was restored"):
        backup.restore_backup(archive, storage=DiskFillsUp(location=media_in_tmp))

    assert not Article.objects.exists()
    assert [path for path in media_in_tmp.rglob("*") if path.is_file()] == []


def test_a_lockout_expiration_does_not_make_the_backup_unrestorable(db, media_in_tmp, tmp_path):
    from axes.models import AccessAttempt, AccessAttemptExpiration

    attempt = AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", user_agent="", http_accept="",
                                           path_info="/", failures_since_start=3)
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now())
    make_article()
    archive = tmp_path / "backup.tar.gz"
    backup.write_backup(archive)
    empty_everything(media_in_tmp)
    backup.restore_backup(archive)
    assert Article.objects.exists()


@pytest.mark.parametrize("change", [
    {"database": None}, {"database": {}}, {"database": {"size": "2", "sha256": "x"}}, {"migrations": []},
], ids=["no database entry", "empty database entry", "size not a number", "migrations not a mapping"])
def test_restore_refuses_a_malformed_manifest_before_writing_anything(db, nothing_written_outside, change):
    manifest = {
        "format": backup.FORMAT, "format_version": backup.FORMAT_VERSION, "migrations": {}, "counts": {},
        "database": {"size": 2, "sha256": hashlib.sha256(b"[]").hexdigest()}, "media": {},
    } | change
    manifest = {key: value for key, value in manifest.items() if value is not None}
    path = build_archive(nothing_written_outside / "malformed.tar.gz", [], manifest)
    assert_refused(path, "malformed")


@pytest.mark.parametrize("bad", ["not a number", "a number past 64 bits", "one address twice", "NUL"])
def test_a_row_this_database_refuses_is_a_clear_error_and_restores_nothing(db, tmp_path, nothing_written_outside,
                                                                            bad):
    [row] = section_rows(nothing_written_outside)
    rows = [row]
    if bad == "one address twice":  # a unique slug: the database itself refuses the second row
        rows.append({**row, "pk": row["pk"] + 1})
    elif bad == "NUL":
        if connection.vendor != "postgresql":
            pytest.skip("SQLite keeps a NUL in text; only PostgreSQL refuses it")
        row["fields"]["name_ar"] = "قسم\x00مخفي"  # a backup of SQLite may hold one, from an old import
    elif bad == "a number past 64 bits":
        row["fields"]["order"] = 10**30
    else:
        row["fields"]["order"] = "الأول"
    path = build_archive(nothing_written_outside / "refused.tar.gz", [("media/photos/a.jpg", b"jpeg")], rows=rows)
    assert_refused(path, "refused a row of the backup, so nothing was restored")
    assert not Section.objects.exists()


def test_backup_refuses_a_path_or_database_it_cannot_use_before_dumping_anything(db, tmp_path, monkeypatch):
    dumped = []
    monkeypatch.setattr(backup, "dump_database", lambda *args, **kwargs: dumped.append(args))
    for options, message in [
        ({"output": str(tmp_path / "missing" / "x.tar.gz")}, "does not exist"),
        ({"output": str(tmp_path)}, "is a folder"),
        ({"output": str(tmp_path / "x.tar.gz"), "database": "nope"}, "No database is configured as 'nope'"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("backup", verbosity=0, **options)
    assert dumped == []
    with pytest.raises(CommandError, match="No database is configured as 'nope'"):
        call_command("restore", str(tmp_path / "x.tar.gz"), database="nope", yes=True, verbosity=0)
