"""``manage.py cleanup_media``: list (or with ``--delete`` remove) media files that no row references, such as
the file of an upload whose row was never committed. See articles/media_cleanup.py."""

from argparse import ArgumentTypeError
from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from articles.media_cleanup import MEDIA_FOLDERS, orphaned_media


def minutes(value):
    number = int(value)
    # Ten years is older than any upload in progress; a number of millions of years overflowed the clock.
    if not 0 <= number <= 10 * 366 * 24 * 60:
        raise ArgumentTypeError(f"must be from 0 to 5270400 minutes (ten years), not {number}")
    return number


class Command(BaseCommand):
    help = (
        f"List media files under {', '.join(f'{folder}/' for folder in MEDIA_FOLDERS)} that no row references; "
        "--delete removes them. "
        "Files younger than --min-age minutes are left alone: an upload in progress has no row yet. "
        "CAUTION: --min-age 0 while the site is in use can delete the file of an upload whose row is about to "
        "commit, leaving that photo without its file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the orphans (default: only list them).")
        parser.add_argument(
            "--min-age", type=minutes, default=60, metavar="MINUTES",
            help=(
                "Leave alone files modified in the last MINUTES minutes (default 60). 0 considers every file: use "
                "it only while nothing is being uploaded, or a file whose row is about to commit is deleted."
            ),
        )

    def handle(self, *args, **options):
        orphans, young = orphaned_media(min_age=timedelta(minutes=options["min_age"]))
        for name in orphans:
            if options["delete"]:
                default_storage.delete(name)
            self.stdout.write(name)
        verb = "Removed" if options["delete"] else "Found"
        self.stderr.write(
            f"{verb} {len(orphans)} orphaned media files; left {len(young)} younger than "
            f"{options['min_age']} minutes alone." + ("" if options["delete"] or not orphans else
                                                      " Run again with --delete to remove them.")
        )
