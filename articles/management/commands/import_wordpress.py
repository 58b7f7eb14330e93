"""``manage.py import_wordpress EXPORT.xml [--media-dir DIR] [--accounts] [--user NAME]``: move a WordPress site in.

The work is articles/wordpress.py's; this prints the progress (to stderr) and the final report (to stdout).
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from articles.wordpress import Importer
from articles.wxr import WXRError

KIND_LABELS = {
    "author": lambda: gettext("authors → people"),
    "account": lambda: gettext("accounts (inactive)"),
    "category": lambda: gettext("categories → sections"),
    "tag": lambda: gettext("tags"),
    "attachment": lambda: gettext("attachments → photos"),
    "post": lambda: gettext("posts → articles"),
}


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.1 or 1.2): posts, categories, tags, authors, attachments and featured "
        "images. Running it again changes only what changed. Never reads the network."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file (Tools → Export in WordPress).")
        parser.add_argument(
            "--media-dir", help="A copy of wp-content/uploads: the attachments' files are read from here."
        )
        parser.add_argument(
            "--accounts", action="store_true",
            help="Also give every author an inactive account without a password (invite them later).",
        )
        parser.add_argument("--user", help="Username recorded as having created the articles (default: none).")

    def handle(self, *args, export, media_dir, accounts, user, **options):
        if not Path(export).is_file():
            raise CommandError(gettext("No such file: %(path)s") % {"path": export})
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(gettext("No such folder: %(path)s") % {"path": media_dir})
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(gettext("No user named %(name)s.") % {"name": user})
        self.verbose = options["verbosity"] >= 1
        self.last_line = 0.0
        self.started = time.monotonic()
        try:
            importer = Importer(export, media_dir=media_dir, accounts=accounts, user=by, progress=self.progress)
        except (WXRError, OSError) as error:
            raise CommandError(gettext("The file cannot be imported: %(reason)s") % {"reason": error}) from None
        report = importer.run()
        if self.verbose:
            self.print_report(report, time.monotonic() - self.started)

    def progress(self, phase, done, total):
        """A line at most twice a second, and the last one: «  1,234/10,000 posts  12%  40.1 s»."""
        now = time.monotonic()
        if not self.verbose or (now - self.last_line < 0.5 and done != total):
            return
        self.last_line = now
        label = gettext("posts") if phase == "posts" else gettext("attachments")
        seconds = now - self.started
        if total:
            self.stderr.write(f"{done:>9,}/{total:,} {label} {done * 100 // total:3d}%  {seconds:6.1f} s")
        else:
            self.stderr.write(f"{done:>9,} {label}  {seconds:6.1f} s")

    def print_report(self, report, seconds):
        write = self.stdout.write
        write(self.style.SUCCESS(gettext("WordPress import finished in %(seconds).1f s.") % {"seconds": seconds}))
        for kind, label in KIND_LABELS.items():
            counts = report.counts.get(kind)
            if counts:
                write("  " + gettext("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                      % {"label": label(), "created": counts["created"], "updated": counts["updated"],
                         "unchanged": counts["unchanged"]})
        for post_type, count in sorted(report.ignored.items()):
            # WordPress's own type names (page, nav_menu_item…) stay as they are: they are what the site called them.
            label = gettext("attachments that are not images") if post_type == "non-image attachment" else post_type
            write("  " + gettext("not imported: %(count)d × %(type)s") % {"count": count, "type": label})
        if report.skipped:
            write(self.style.WARNING(ngettext(
                "%(count)d item skipped:", "%(count)d items skipped:", len(report.skipped)
            ) % {"count": len(report.skipped)}))
            for problem in report.skipped:
                write(f"  - {problem.kind} {problem.original_id} «{problem.title}»: {problem.reason}")
        if report.missing_media:
            write(self.style.WARNING(ngettext(
                "%(count)d photo missing:", "%(count)d photos missing:", len(report.missing_media)
            ) % {"count": len(report.missing_media)}))
            for problem in report.missing_media:
                write(f"  - {problem.kind} {problem.original_id} «{problem.title}»: {problem.reason}")
