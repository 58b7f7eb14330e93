"""Backup and restore of the whole newsroom (database and media) as one archive, and the search for orphaned
media files. The management commands ``backup``, ``restore`` and ``cleanup_media`` are thin wrappers.

The archive is a gzipped tar holding ``manifest.json`` (first), ``database.json`` and ``media/<name>`` for every
stored file. The database is Django's JSON serialisation (what ``dumpdata`` writes and ``loaddata`` reads), so a
backup of SQLite restores into PostgreSQL and back. Foreign keys to content types, permissions and groups are
written as natural keys, because those rows are made by ``migrate`` and their ids differ between databases;
every other row keeps its id, which generic references (revisions, the audit log) depend on. What ``migrate``
recreates or what is only transient (content types, permissions, sessions, login-attempt logs) and the search
index (rebuilt after a restore) are left out.

A restore is all or nothing: every check (member names and types, sizes, checksums, format version, migration
state, an empty database) runs before anything is written; the rows are loaded in one transaction, and the
media files it wrote are removed again if anything fails before that transaction commits.
"""

import datetime
import hashlib
import io
import json
import posixpath
import tarfile
import tempfile
import time
import zlib
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
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.timezone import is_aware

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
    "axes.accesslog",
    "axes.accessfailurelog",
    "articles.searchdocument",
    "articles.photosearchdocument",
}
# Rows migrate creates too (the role groups): matched by name, so a restore updates them rather than clashing.
NATURAL_PRIMARY_MODELS = {Group}
# An archive with more members than its manifest lists, or than this, is refused before anything is read.
MAX_MEMBERS = 1_000_000
CHUNK = 1024 * 1024
# The folders the site writes media into; cleanup_media looks nowhere else.
MEDIA_FOLDERS = ("photos", "renditions")


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
    so the rows agree with each other even while the site keeps saving (SQLite's transaction is one already)."""
    storage = storage or default_storage
    with tempfile.TemporaryDirectory() as scratch:
        dump = posixpath.join(scratch, DATABASE)
        connection = connections[using]
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=using):
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = dump_database(dump, using=using)
            migrations = applied_migrations(using)
        media = {name: _describe(storage, name) for name in sorted(walk(storage, ""))}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "database_vendor": connections[using].vendor,
            "migrations": migrations,
            "counts": counts,
            "database": {"size": _size(dump), "sha256": _sha256_path(dump)},
            "media": media,
        }
        with tarfile.open(path, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
            archive.add(dump, arcname=DATABASE, recursive=False)
            for name, entry in media.items():
                with storage.open(name, "rb") as stored:
                    member = tarfile.TarInfo(MEDIA_PREFIX + name)
                    member.size = entry["size"]
                    member.mtime = int(time.time())
                    archive.addfile(member, stored)
    return manifest


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


def walk(storage, folder):
    """Every file name under ``folder`` of the storage, through the storage API (so S3 works as well)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(folder, name) if folder else name
    for sub in folders:
        yield from walk(storage, posixpath.join(folder, sub) if folder else sub)


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


def restore_backup(path, *, using=DEFAULT_DB_ALIAS, storage=None):
    """Bring an archive back into an empty, migrated database. Raises BackupError before touching anything
    when the archive or the database is not fit; undoes what it wrote when anything fails later."""
    storage = storage or default_storage
    try:
        archive = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"{path} is not a readable backup archive ({error}).") from error
    with archive:
        try:
            manifest, members = _read_and_check(archive)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise BackupError(f"{path} is damaged and cannot be read to its end ({error}).") from error
        check_database_is_empty(using)
        check_migrations(manifest, using)
        to_write, kept = _media_to_write(manifest, storage)
        result = RestoreResult(manifest=manifest, media_kept=kept)
        try:
            with transaction.atomic(using=using):
                with tempfile.TemporaryDirectory() as scratch:
                    dump = posixpath.join(scratch, DATABASE)
                    _extract_checked(archive, members[DATABASE], manifest["database"]["sha256"], dump)
                    call_command("loaddata", dump, database=using, verbosity=0)
                result.rows = sum(manifest["counts"].values())
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
    the manifest. Nothing is written anywhere."""
    members = {}
    manifest = None
    for count, member in enumerate(archive, start=1):
        _check_member(member)
        if count > MAX_MEMBERS or (manifest is not None and count > len(manifest["media"]) + 2):
            raise BackupError("The archive holds more members than its manifest lists; refused.")
        if member.name in members:
            raise BackupError(f"The archive holds {member.name} twice; refused.")
        members[member.name] = member
        if count == 1:
            if member.name != MANIFEST:
                raise BackupError(f"The archive does not start with {MANIFEST}: not a newsroom backup.")
            manifest = _read_manifest(archive, member)
    if manifest is None:
        raise BackupError("The archive is empty.")
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
    if not _safe_name(name.removeprefix(MEDIA_PREFIX)) or not (
        name in (MANIFEST, DATABASE) or name.startswith(MEDIA_PREFIX)
    ):
        raise BackupError(f"The archive member name {name!r} is not allowed; refused.")


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
        isinstance(entry, dict) and _safe_name(name) and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
        for name, entry in media.items()
    ):
        raise BackupError("The manifest's list of media files is malformed or names an unsafe path.")
    return manifest


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
    from .models import Article, Photo

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = {
        "articles": Article._base_manager.using(using).count(),
        "photos": Photo._base_manager.using(using).count(),
        "users": user_model._base_manager.using(using).count(),
    }
    if any(found.values()):
        held = ", ".join(f"{count} {name}" for name, count in found.items() if count)
        raise BackupError(
            f"The database already holds {held}. A backup is restored only into an empty, migrated database: "
            "create a new database, run migrate, and restore into it (or empty this one with "
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
        stored = storage.save(name, File(buffer, name=posixpath.basename(name)))
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


# Orphaned media ----------------------------------------------------------------------------------------------


def referenced_media(using=DEFAULT_DB_ALIAS):
    """Every media name a row points at: each file field's value and each photo's listed renditions."""
    from .models import Photo
    from .renditions import _names

    names = set()
    for model in apps.get_models():
        file_fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        for values in model._base_manager.using(using).values_list(*file_fields).iterator():
            names.update(value for value in values if value)
    for renditions in Photo._base_manager.using(using).values_list("renditions", flat=True).iterator():
        names |= _names(renditions)
    return names


def orphaned_media(*, min_age=datetime.timedelta(hours=1), storage=None, using=DEFAULT_DB_ALIAS):
    """Files under the site's media folders that no row references, oldest first, leaving alone any younger
    than ``min_age`` (an upload or a rendition being written at this moment has no row yet). Returns
    (orphans, skipped_young)."""
    storage = storage or default_storage
    referenced = referenced_media(using)
    cutoff = timezone.now() - min_age
    orphans, young = [], []
    for folder in MEDIA_FOLDERS:
        for name in walk(storage, folder):
            if name in referenced:
                continue
            if min_age and storage.get_modified_time(name) > cutoff:
                young.append(name)
            else:
                orphans.append(name)
    return sorted(orphans), sorted(young)


# Small helpers ----------------------------------------------------------------------------------------------


def _describe(storage, name):
    with storage.open(name, "rb") as stored:
        digest = hashlib.sha256()
        size = 0
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


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
