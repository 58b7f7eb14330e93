"""``manage.py regenerate_renditions``: re-encode the originals stored before the upload intake, then bring every
photo's renditions up to date, with a progress bar."""

import posixpath
from argparse import ArgumentTypeError

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.intake import prepare_upload
from articles.models import Photo
from articles.renditions import ensure_renditions

BAR_WIDTH = 30


def clean_original(photo):
    """Re-encode the original of a photo stored before the upload intake (it has no source digest), whose file
    may still carry GPS positions, camera serial numbers and the like.

    Only the file and what describes it change (image, width, height, source_digest, and embedded_metadata if
    it is empty); nothing an editor entered is touched. The old file is deleted once the new one is committed.
    Returns the photo as saved; raises ValidationError if the intake refuses the file.
    """
    storage = photo.image.storage
    old_name = photo.image.name
    with storage.open(old_name, "rb") as handle:
        # Named like the original: the intake checks the extension against the content.
        prepared = prepare_upload(ContentFile(handle.read(), name=posixpath.basename(old_name)))
    new_name = None
    try:
        with transaction.atomic():
            locked = Photo.objects.select_for_update().get(pk=photo.pk)
            if locked.source_digest or locked.image.name != old_name:
                return locked  # replaced or re-encoded by someone else meanwhile
            locked.image.save(prepared.content.name, prepared.content, save=False)
            new_name = locked.image.name
            locked.width, locked.height = prepared.width, prepared.height
            locked.source_digest = prepared.digest
            fields = ["image", "width", "height", "source_digest"]
            if not locked.embedded_metadata:
                locked.embedded_metadata = prepared.metadata
                fields.append("embedded_metadata")
            locked.save(update_fields=fields)
            transaction.on_commit(lambda: storage.delete(old_name), robust=True)
    except BaseException:
        if new_name:
            storage.delete(new_name)
        raise
    return locked


def batch_size(value):
    number = int(value)
    if not 1 <= number <= 10_000:  # more than a database integer failed in the query
        raise ArgumentTypeError(f"must be from 1 to 10000, not {number}")
    return number


class Command(BaseCommand):
    help = (
        "Re-encode the originals of photos stored before the upload intake (their files may carry GPS positions "
        "and camera serial numbers), then generate the renditions of every photo whose files are missing or out "
        "of date (a new source, focal point or rendition spec); with --force, regenerate them all. Photos whose "
        "file is missing or unreadable are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Regenerate every photo's renditions.")
        parser.add_argument(
            "--keep-originals", action="store_true",
            help="Leave the originals stored before the upload intake as they are (not recommended).",
        )
        parser.add_argument(
            "--batch-size", type=batch_size, default=200, help="Photos read per query (default 200, at least 1)."
        )

    def handle(self, *args, force=False, keep_originals=False, batch_size=200, **options):
        photos = Photo.objects.order_by("pk")
        total = photos.count()
        counts = {"generated": 0, "up to date": 0, "missing file": 0, "failed": 0}
        self.originals = {"re-encoded": 0, "refused": 0}
        self.keep_originals = keep_originals
        if keep_originals and (legacy := photos.filter(source_digest="").count()):
            self.stderr.write(self.style.WARNING(
                f"--keep-originals: {legacy} photos stored before the upload intake keep their original files, "
                "which may carry GPS positions and camera serial numbers. Readers get their renditions once they exist."
            ))
        done, last_pk = 0, 0
        self.live = self.stderr.isatty()
        # Batches by primary key rather than one long cursor: every photo commits its own transaction as the
        # walk goes on, which an open server-side or SQLite cursor over the same table does not tolerate well.
        while batch := list(photos.filter(pk__gt=last_pk)[:batch_size]):
            for photo in batch:
                counts[self.regenerate(photo, force)] += 1
                done += 1
                if self.live:
                    self.draw(done, total)
            last_pk = batch[-1].pk
            if not self.live:
                self.draw(done, total)
        if self.live:
            self.stderr.write("", style_func=_plain)
        self.stdout.write(
            f"{total} photos: {counts['generated']} generated, {counts['up to date']} already up to date, "
            f"{counts['missing file']} with a missing file, {counts['failed']} failed."
        )
        if not keep_originals:
            self.stdout.write(
                f"Originals stored before the upload intake: {self.originals['re-encoded']} re-encoded without "
                f"their metadata, {self.originals['refused']} refused by the intake and left as they are."
            )

    def regenerate(self, photo, force):
        try:
            if not photo.image.name:
                raise FileNotFoundError
            if not photo.source_digest and not self.keep_originals:
                photo = self.clean(photo)
            return "generated" if ensure_renditions(photo, force=force) else "up to date"
        except FileNotFoundError:
            self.report(f"Photo {photo.pk}: file {photo.image.name or '(none)'!r} is missing; skipped.")
            return "missing file"
        except Exception as error:  # one unreadable file must not stop the archive
            self.report(f"Photo {photo.pk}: {type(error).__name__}: {error}; skipped.")
            return "failed"

    def clean(self, photo):
        try:
            photo = clean_original(photo)
        except ValidationError as error:
            # Its renditions are still made: readers get those, which carry no metadata, rather than this file.
            self.report(
                f"Photo {photo.pk}: the intake refuses {photo.image.name!r} "
                f"({error.code}: {' '.join(error.messages)}); the original is left as it is."
            )
            self.originals["refused"] += 1
            return photo
        self.originals["re-encoded"] += 1
        return photo

    def draw(self, done, total):
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total}"
        self.stderr.write(f"\r{bar}" if self.live else bar, style_func=_plain, ending="" if self.live else "\n")

    def report(self, message):
        # On a terminal, the message takes the bar's line and the bar is drawn again below it.
        self.stderr.write(f"\r\033[K{message}" if self.live else message)


def _plain(text):
    return text
