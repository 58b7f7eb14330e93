"""Backup and restore of the whole newsroom (database and media) as one archive. The management commands
``backup`` and ``restore`` are thin wrappers; the search for orphaned media lives in articles/media_cleanup.py.

The archive is a gzipped tar holding ``database.json``, ``media/<name>`` for every image under the site's media
folders and, last (it is only complete once every file has been read), ``manifest.json``. It holds password
hashes, TOTP secrets and e-mail addresses, so it is created readable by its owner only (0600) and appears under
its name only once complete. The database is Django's JSON serialisation (what ``dumpdata`` writes and
``loaddata`` reads), so a backup of SQLite restores into PostgreSQL and back. Foreign keys to content types,
permissions and groups are written as natural keys, because those rows are made by ``migrate`` and their ids
differ between databases; every other row keeps its id, which generic references (revisions, the audit log)
depend on. What ``migrate`` recreates or what is only transient (content types, permissions, sessions,
login-attempt logs) and the search index (rebuilt after a restore) are left out.

A restore is all or nothing: every check (member names and types, sizes, checksums, format version, that the
rows are only of models a backup carries and as many as the manifest counts, migration state, an empty
database) runs before anything is written; the rows are loaded in one transaction, counted again, and the
media files it wrote are removed again if anything fails before that transaction commits.
"""

import contextlib
import datetime
import hashlib
import io
import json
import os
import posixpath
import tarfile
import tempfile
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.timezone import is_aware

from .media_cleanup import MEDIA_FOLDERS, referenced_media, walk

FORMAT = "newsroom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
MEDIA_PREFIX = "media/"
# Rows migrate recreates (content types, permissions), that are transient (sessions, login attempts) or derived
# (the search index, rebuilt after a restore).
EXCLUDED_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",  # one to one with an access attempt, which is left out
    "axes.accesslog",
    "axes.accessfailurelog",
    "articles.searchdocument",
    "articles.photosearchdocument",
}
# Rows migrate creates too (the role groups): matched by their natural key field, so a restore updates them
# rather than clashing. The only backed-up rows an empty, migrated database holds.
NATURAL_PRIMARY_MODELS = {Group: "name"}
# What the site stores under its media folders (articles/intake.py, articles/renditions.py); a restore writes
# nothing else, so an archive cannot plant a script or a page where the site serves media.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif")
# An archive with more members than its manifest lists, or than this, is refused before anything is read.
MAX_MEMBERS = 1_000_000
CHUNK = 1024 * 1024


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (ECMA-262 style); a backup keeps the microseconds, which
    ordering by time (revisions, the audit log, edit-conflict checks) can depend on."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            if is_aware(o) and isinstance(o, datetime.time):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup that cannot be restored, or a database that must not receive it; the message says why."""


# Backup ------------------------------------------------------------------------------------------------------


def backed_up_models():
    """Every concrete model whose rows the backup carries, in an order that loads natural keys before use."""
    models = [
        model for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]
    return serializers.sort_dependencies([(None, models)], allow_cycles=True)


def write_backup(path, *, using=DEFAULT_DB_ALIAS, storage=None):
    """Write the archive to ``path``; returns the manifest. Reads in one repeatable-read snapshot on PostgreSQL
    so the rows agree with each other even while the site keeps saving (SQLite's transaction is one already).

    The archive is written to ``<path>.partial``, created 0600 (it holds password hashes and TOTP secrets), and
    renamed to ``path`` only once complete: an interrupted run never leaves a truncated archive under the name."""
    storage = storage or default_storage
    path = os.fspath(path)
    partial = path + ".partial"
    with tempfile.TemporaryDirectory() as scratch:
        dump = os.path.join(scratch, DATABASE)
        connection = connections[using]
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=using):
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = dump_database(dump, using=using)
            migrations = applied_migrations(using)
            referenced = referenced_media(using)
        if os.path.lexists(partial):  # left by an interrupted run; O_EXCL below refuses to reuse it
            os.remove(partial)
        try:
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                with tarfile.open(fileobj=out, mode="w:gz") as archive:
                    archive.add(dump, arcname=DATABASE, recursive=False)
                    media, skipped = {}, []
                    for name in sorted(name for folder in MEDIA_FOLDERS for name in walk(storage, folder)):
                        if not allowed_media_name(name):
                            skipped.append(name)
                        elif (entry := _add_stored_file(archive, storage, name, scratch)) is not None:
                            media[name] = entry
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": timezone.now().isoformat(),
                        "django": django.get_version(),
                        "database_vendor": connection.vendor,
                        "migrations": migrations,
                        "counts": counts,
                        "database": {"size": _size(dump), "sha256": _sha256_path(dump)},
                        "media": media,
                        # Files the rows name that the storage no longer has: the restored rows will point at
                        # nothing. Reported by the backup command; kept here so the archive says so too.
                        "missing_media": sorted(referenced - set(media)),
                        "skipped_media": skipped,
                    }
                    _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, path)
        except BaseException:
            if os.path.lexists(partial):
                os.remove(partial)
            raise
    return manifest


def _add_stored_file(archive, storage, name, scratch):
    """Copy one stored file into the archive; returns its size and checksum, or None if it was deleted since it
    was listed. The storage is read once, into a scratch copy hashed on the way (a tar header needs the size
    before the content): the checksum is that of the bytes archived even if the site rewrites the file meanwhile.
    """
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK, dir=scratch) as copy:
        try:
            with storage.open(name, "rb") as stored:
                while chunk := stored.read(CHUNK):
                    digest.update(chunk)
                    copy.write(chunk)
        except FileNotFoundError:
            return None
        member = tarfile.TarInfo(MEDIA_PREFIX + name)
        member.size = copy.tell()
        member.mtime = int(time.time())
        copy.seek(0)
        archive.addfile(member, copy)
    return {"size": member.size, "sha256": digest.hexdigest()}


def dump_database(path, *, using=DEFAULT_DB_ALIAS):
    """Serialise every backed-up row into one JSON array at ``path``, model by model, 500 rows at a time.
    Returns the row count of each model."""
    counts = {}
    first = True
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for model in backed_up_models():
            rows = model._base_manager.using(using).order_by(model._meta.pk.name)
            count = 0
            for chunk in _chunks(rows.iterator(chunk_size=500), 500):
                objects = serializers.serialize(
                    "python", chunk, use_natural_foreign_keys=True,
                    use_natural_primary_keys=model in NATURAL_PRIMARY_MODELS,
                )
                for obj in objects:
                    out.write("\n" if first else ",\n")
                    json.dump(obj, out, cls=ExactJSONEncoder, ensure_ascii=False)
                    first = False
                count += len(objects)
            counts[model._meta.label_lower] = count
        out.write("\n]\n")
    return counts


def applied_migrations(using=DEFAULT_DB_ALIAS):
    applied = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def default_backup_name():
    return f"newsroom-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


# Restore -----------------------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict
    rows: int = 0
    media_written: list = field(default_factory=list)
    media_kept: list = field(default_factory=list)
    indexed: tuple = (0, 0)
    staff_accounts: list = field(default_factory=list)


@dataclass
class Rows:
    """What database.json holds, judged before loading: rows per model, the natural keys of the rows matched by
    natural key, and the accounts that can log in to the admin."""
    counts: dict
    natural_keys: dict
    staff_accounts: list


def restore_backup(path, *, using=DEFAULT_DB_ALIAS, storage=None, confirm=None):
    """Bring an archive back into an empty, migrated database. Raises BackupError before touching anything
    when the archive or the database is not fit; undoes what it wrote when anything fails later. ``confirm``,
    if given, is called with the staff accounts the archive will create once every check has passed and before
    anything is written; it cancels the restore by raising."""
    storage = storage or default_storage
    try:
        archive = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"{path} is not a readable backup archive ({error}).") from error
    with archive, tempfile.TemporaryDirectory() as scratch:
        try:
            manifest, members = _read_and_check(archive)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise BackupError(f"{path} is damaged and cannot be read to its end ({error}).") from error
        dump = os.path.join(scratch, DATABASE)
        _extract_checked(archive, members[DATABASE], manifest["database"]["sha256"], dump)
        rows = check_rows(dump, manifest)
        check_database_is_empty(using)
        check_migrations(manifest, using)
        to_write, kept = _media_to_write(manifest, storage)
        result = RestoreResult(
            manifest=manifest, rows=sum(rows.counts.values()), media_kept=kept, staff_accounts=rows.staff_accounts
        )
        if confirm is not None:
            confirm(rows.staff_accounts)
        try:
            with transaction.atomic(using=using):
                try:
                    call_command("loaddata", dump, database=using, verbosity=0)
                except (DatabaseError, DeserializationError, OverflowError) as error:
                    # A row this database cannot hold (SQLite keeps a NUL or an overlong text PostgreSQL refuses;
                    # SQLite's driver refuses a number past 64 bits before the database sees it).
                    raise BackupError(
                        f"This database refused a row of the backup, so nothing was restored: {error}"
                    ) from error
                check_loaded_counts(rows, using)
                for name in to_write:
                    _restore_file(archive, members[MEDIA_PREFIX + name], name, manifest["media"][name], storage,
                                  result.media_written)
                from .search import rebuild_index

                result.indexed = rebuild_index(using=using)
        except BaseException:
            for name in result.media_written:
                storage.delete(name)
            raise
    return result


def _read_and_check(archive):
    """The manifest and every member by name, once every member has been judged safe and its checksum matches
    the manifest. The manifest may be anywhere (a backup writes it last; early backups wrote it first). Nothing
    is written anywhere."""
    members = {}
    manifest = None
    for count, member in enumerate(archive, start=1):
        _check_member(member)
        if count > MAX_MEMBERS or (manifest is not None and count > len(manifest["media"]) + 2):
            raise BackupError("The archive holds more members than its manifest lists; refused.")
        if member.name in members:
            raise BackupError(f"The archive holds {member.name} twice; refused.")
        members[member.name] = member
        if member.name == MANIFEST:
            manifest = _read_manifest(archive, member)
            if count > len(manifest["media"]) + 2:
                raise BackupError("The archive holds more members than its manifest lists; refused.")
    if manifest is None:
        raise BackupError(f"The archive holds no {MANIFEST}: not a newsroom backup.")
    expected = {MANIFEST, DATABASE} | {MEDIA_PREFIX + name for name in manifest["media"]}
    if set(members) != expected:
        missing = sorted(expected - set(members))
        extra = sorted(set(members) - expected)
        raise BackupError(f"The archive does not match its manifest (missing: {missing[:5]}, extra: {extra[:5]}).")
    _check_checksum(archive, members[DATABASE], manifest["database"], DATABASE)
    for name, entry in manifest["media"].items():
        _check_checksum(archive, members[MEDIA_PREFIX + name], entry, name)
    return manifest, members


def _check_member(member):
    name = member.name
    if not (member.isfile() and member.type in (tarfile.REGTYPE, tarfile.AREGTYPE)):
        raise BackupError(f"The archive member {name} is not a plain file (a link or a device?); refused.")
    if name not in (MANIFEST, DATABASE) and not (
        name.startswith(MEDIA_PREFIX) and allowed_media_name(name.removeprefix(MEDIA_PREFIX))
    ):
        raise BackupError(f"The archive member name {name!r} is not allowed; refused.")


def allowed_media_name(name):
    """An image under one of the site's media folders, by a safe relative name: all a backup holds."""
    folder, _slash, rest = name.partition("/")
    return _safe_name(name) and folder in MEDIA_FOLDERS and bool(rest) and name.lower().endswith(IMAGE_EXTENSIONS)


def _safe_name(name):
    """A relative name without "..", ".", empty parts, backslashes or control characters."""
    return (
        bool(name) and not name.startswith("/") and "\\" not in name
        and not any(ord(character) < 32 for character in name)
        and not any(part in ("", ".", "..") for part in name.split("/"))
    )


def _read_manifest(archive, member):
    if member.size > 64 * CHUNK:
        raise BackupError("The manifest is implausibly large; refused.")
    try:
        manifest = json.loads(archive.extractfile(member).read())
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"The manifest is not valid JSON ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("The manifest does not describe a newsroom backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Backup format version {manifest.get('format_version')!r} is unknown to this version of the "
            f"software (it reads version {FORMAT_VERSION})."
        )
    media = manifest.get("media")
    if not isinstance(media, dict) or not all(
        isinstance(entry, dict) and allowed_media_name(name) and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
        for name, entry in media.items()
    ):
        raise BackupError(
            "The manifest's list of media files is malformed or names a file a backup never holds (an unsafe "
            f"path, a file outside {' and '.join(f'{folder}/' for folder in MEDIA_FOLDERS)}, or not an image)."
        )
    counts = manifest.get("counts")
    if not isinstance(counts, dict) or not all(isinstance(count, int) for count in counts.values()):
        raise BackupError("The manifest's row counts are malformed.")
    database = manifest.get("database")
    if not (isinstance(database, dict) and isinstance(database.get("size"), int)
            and isinstance(database.get("sha256"), str)):
        raise BackupError(f"The manifest's entry for {DATABASE} is malformed.")
    if not isinstance(manifest.get("migrations"), dict):
        raise BackupError("The manifest's list of migrations is malformed.")
    return manifest


def check_rows(dump, manifest):
    """Refuse rows of any model a backup never carries (sessions, login attempts, the search index, anything
    else: loaddata would load them all) and rows other than the manifest counts. Reads database.json whole, as
    loaddata does after it."""
    carried = {model._meta.label_lower: model for model in backed_up_models()}
    try:
        with open(dump, encoding="utf-8") as handle:
            objects = json.load(handle)
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{DATABASE} is not valid JSON ({error}).") from error
    if not isinstance(objects, list) or not all(
        isinstance(obj, dict) and isinstance(obj.get("model"), str) and isinstance(obj.get("fields"), dict)
        for obj in objects
    ):
        raise BackupError(f"{DATABASE} is not a list of rows.")
    counts = Counter(obj["model"].lower() for obj in objects)
    foreign = sorted(set(counts) - set(carried))
    if foreign:
        raise BackupError(
            f"{DATABASE} holds rows of models a backup never carries ({', '.join(foreign[:5])}); refused."
        )
    stated = {label: count for label, count in manifest["counts"].items() if count}
    if counts != stated:
        differ = sorted(label for label in set(counts) | set(stated) if counts[label] != stated.get(label, 0))
        raise BackupError(
            f"{DATABASE} does not hold the rows its manifest counts ({', '.join(differ[:5])}); refused."
        )
    user_label = settings.AUTH_USER_MODEL.lower()
    staff = sorted(
        (obj["fields"].get("username", ""), obj["fields"].get("email", ""), bool(obj["fields"].get("is_superuser")))
        for obj in objects
        if obj["model"].lower() == user_label and (obj["fields"].get("is_staff") or obj["fields"].get("is_superuser"))
    )
    natural_keys = {
        model._meta.label_lower: {
            obj["fields"].get(key) for obj in objects if obj["model"].lower() == model._meta.label_lower
        }
        for model, key in NATURAL_PRIMARY_MODELS.items()
    }
    return Rows(counts=dict(counts), natural_keys=natural_keys, staff_accounts=staff)


def check_loaded_counts(rows, using=DEFAULT_DB_ALIAS):
    """Count what loaddata really wrote: two rows with the same id, say, load as one. Raising rolls it back."""
    for model in backed_up_models():
        label = model._meta.label_lower
        loaded = model._base_manager.using(using)
        if model in NATURAL_PRIMARY_MODELS:  # migrate made some of them: count those the backup names
            loaded = loaded.filter(**{f"{NATURAL_PRIMARY_MODELS[model]}__in": rows.natural_keys[label]})
        if (count := loaded.count()) != rows.counts.get(label, 0):
            raise BackupError(
                f"Loading gave {count} {label} rows where the manifest counts {rows.counts.get(label, 0)}; "
                "nothing was restored."
            )


def _check_checksum(archive, member, entry, label):
    if member.size != entry["size"]:
        raise BackupError(f"{label}: the archive holds {member.size} bytes, the manifest says {entry['size']}.")
    digest = hashlib.sha256()
    source = archive.extractfile(member)
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    if digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"{label}: checksum mismatch; the archive is damaged.")


def check_database_is_empty(using=DEFAULT_DB_ALIAS):
    """Every backed-up model must be empty but those whose rows migrate makes (the role groups), which the
    restore matches by name: rows of any other would clash with the backup's ids or mix two newsrooms."""
    held = []
    for model in backed_up_models():
        if model not in NATURAL_PRIMARY_MODELS and (count := model._base_manager.using(using).count()):
            held.append(f"{count} {model._meta.label_lower}")
    if held:
        raise BackupError(
            f"The database already holds {', '.join(held)}. A backup is restored only into an empty, migrated "
            "database: create a new database, run migrate, and restore into it (or empty this one with "
            "`manage.py flush` first, if you mean to throw its content away)."
        )


def check_migrations(manifest, using=DEFAULT_DB_ALIAS):
    """Refuse a backup made by newer code: its rows may carry fields this database does not have yet."""
    here = applied_migrations(using)
    ahead = [
        f"{app_label}.{name}"
        for app_label, names in manifest.get("migrations", {}).items()
        for name in names
        if name not in here.get(app_label, [])
    ]
    if ahead:
        raise BackupError(
            "The backup was made with migrations this database lacks (" + ", ".join(ahead[:5])
            + "): update the code and run migrate before restoring."
        )


def _media_to_write(manifest, storage):
    """The names to write; a name the storage already holds with the same content is kept, with other content
    refused (it would be overwritten or renamed, and the rows point at the name)."""
    to_write, kept = [], []
    for name, entry in manifest["media"].items():
        try:
            exists = storage.exists(name)
        except SuspiciousFileOperation as error:
            raise BackupError(f"The media name {name!r} lies outside the storage; refused.") from error
        if not exists:
            to_write.append(name)
            continue
        with storage.open(name, "rb") as stored:
            if _sha256_file(stored) != entry["sha256"]:
                raise BackupError(f"The storage already holds a different file named {name}; refused.")
        kept.append(name)
    return to_write, kept


def _extract_checked(archive, member, sha256, destination):
    with open(destination, "wb") as out:
        _copy_checked(archive.extractfile(member), out, sha256, member.name)


def _restore_file(archive, member, name, entry, storage, written):
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)
    with buffer:
        _copy_checked(archive.extractfile(member), buffer, entry["sha256"], name)
        buffer.seek(0)
        try:
            stored = storage.save(name, File(buffer, name=posixpath.basename(name)))
        except OSError as error:  # a name too long for this file system, a full disk
            # The storage may leave what it wrote before failing; the name was free (_media_to_write), so it is ours.
            with contextlib.suppress(OSError):
                storage.delete(name)
            raise BackupError(f"The storage could not write {name} ({error}), so nothing was restored.") from error
        written.append(stored)
        if stored != name:
            raise BackupError(f"The storage stored {name} as {stored}; refused.")


def _copy_checked(source, out, sha256, label):
    # The archive was checked before, but it is read again: a file changed in between must not slip through.
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        out.write(chunk)
    if digest.hexdigest() != sha256:
        raise BackupError(f"{label}: checksum mismatch; the archive is damaged.")


# Small helpers ----------------------------------------------------------------------------------------------


def _sha256_file(handle):
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256_path(path):
    with open(path, "rb") as handle:
        return _sha256_file(handle)


def _size(path):
    with open(path, "rb") as handle:
        return handle.seek(0, io.SEEK_END)


def _add_bytes(archive, name, data):
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mtime = int(time.time())
    archive.addfile(member, io.BytesIO(data))


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
