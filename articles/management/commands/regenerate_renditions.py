"""``manage.py regenerate_renditions``: bring every photo's renditions up to date, with a progress bar."""

from django.core.management.base import BaseCommand

from articles.models import Photo
from articles.renditions import ensure_renditions

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Generate the renditions of every photo whose files are missing or out of date (a new source, focal "
        "point or rendition spec); with --force, regenerate them all. Photos whose file is missing are "
        "reported and skipped."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--only-missing", action="store_true",
            help="Only photos without up-to-date renditions (the default).",
        )
        mode.add_argument("--force", action="store_true", help="Regenerate every photo's renditions.")
        parser.add_argument("--batch-size", type=int, default=200, help="Photos read per query (default 200).")

    def handle(self, *args, force=False, batch_size=200, **options):
        photos = Photo.objects.order_by("pk")
        total = photos.count()
        counts = {"generated": 0, "up to date": 0, "missing file": 0, "failed": 0}
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

    def regenerate(self, photo, force):
        try:
            if not photo.image.name:
                raise FileNotFoundError
            return "generated" if ensure_renditions(photo, force=force) else "up to date"
        except FileNotFoundError:
            self.report(f"Photo {photo.pk}: file {photo.image.name or '(none)'!r} is missing; skipped.")
            return "missing file"
        except Exception as error:  # one unreadable file must not stop the archive
            self.report(f"Photo {photo.pk}: {type(error).__name__}: {error}; skipped.")
            return "failed"

    def draw(self, done, total):
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total}"
        self.stderr.write(f"\r{bar}" if self.live else bar, style_func=_plain, ending="" if self.live else "\n")

    def report(self, message):
        # On a terminal, the message takes the bar's line and the bar is drawn again below it.
        self.stderr.write(f"\r\033[K{message}" if self.live else message)


def _plain(text):
    return text
