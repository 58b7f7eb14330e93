"""``manage.py import_wordpress EXPORT.xml [--media-dir DIR] [--accounts] [--user NAME] [--later-renditions]``: move a
WordPress site in.

The work is articles/wordpress.py's; this prints the progress (to stderr) and the final report (to stdout).
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.wordpress import ACTIONS, Importer
from articles.wxr import WXRError

KIND_LABELS = {
    "author": _("authors → people"),
    "account": _("accounts (inactive)"),
    "category": _("categories → sections"),
    "tag": _("tags"),
    "attachment": _("attachments → photos"),
    "post": _("posts → articles"),
}
# One item's kind, as a line of the report names it.
KIND_NAMES = {
    "author": _("author"),
    "category": _("category"),
    "tag": _("tag"),
    "attachment": _("attachment"),
    "post": _("post"),
}
# WordPress's post types that are not imported, as the report names them; another type keeps its own name.
POST_TYPES = {
    "non-image attachment": _("attachments that are not images"),
    "page": _("pages"),
    "nav_menu_item": _("menu items"),
    "revision": _("revisions"),
    "wp_block": _("reusable blocks"),
    "custom_css": _("custom CSS"),
    "wp_template": _("templates"),
    "wp_template_part": _("template parts"),
    "wp_global_styles": _("global styles"),
    "wp_navigation": _("navigation menus"),
}


class Command(BaseCommand):
    help = _(
        "Import a WordPress export (WXR 1.1 or 1.2): posts, categories, tags, authors, attachments and featured "
        "images. Running it again changes only what changed. Never reads the network."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse formats its texts with re, which takes no lazy string: translated here, in the active language.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("export", help=gettext("The WXR file (Tools → Export in WordPress)."))
        parser.add_argument(
            "--media-dir", help=gettext("A copy of wp-content/uploads: the attachments' files are read from here.")
        )
        parser.add_argument(
            "--accounts", action="store_true",
            help=gettext("Also give every author an inactive account without a password (invite them later)."),
        )
        parser.add_argument("--user", help=gettext("Username recorded as having created the articles (default: none)."))
        parser.add_argument(
            "--later-renditions", action="store_true",
            help=gettext(
                "Store the photos without making their renditions, for a large archive: run "
                "“manage.py regenerate_renditions” afterwards. Until then pages show each photo's stored original."
            ),
        )

    def handle(self, *args, export, media_dir, accounts, user, later_renditions=False, **options):
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
            importer = Importer(
                export, media_dir=media_dir, accounts=accounts, user=by, progress=self.progress,
                later_renditions=later_renditions,
            )
        except (WXRError, OSError) as error:
            raise CommandError(gettext("The file cannot be imported: %(reason)s") % {"reason": error}) from None
        report = importer.run()
        if self.verbose:
            self.print_report(report, time.monotonic() - self.started)
            if later_renditions and report.counts.get("attachment", {}).get("created"):
                self.stdout.write(gettext(
                    "The photos' renditions were not made: run “manage.py regenerate_renditions” now."
                ))

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
                      % {"label": label, "created": counts["created"], "updated": counts["updated"],
                         "unchanged": counts["unchanged"]})
        for post_type, count in sorted(report.ignored.items()):
            # A type this list does not know (a plugin's) keeps the name the site gave it.
            label = POST_TYPES.get(post_type, post_type)
            write("  " + gettext("not imported: %(count)d × %(type)s") % {"count": count, "type": label})
        if report.skipped:
            write(self.style.WARNING(ngettext(
                "%(count)d item skipped:", "%(count)d items skipped:", len(report.skipped)
            ) % {"count": len(report.skipped)}))
            for problem in report.skipped:
                write(self.line(problem))
        if report.missing_media:
            write(self.style.WARNING(ngettext(
                "%(count)d photo missing:", "%(count)d photos missing:", len(report.missing_media)
            ) % {"count": len(report.missing_media)}))
            for problem in report.missing_media:
                write(self.line(problem))
        if report.removed:
            write(self.style.WARNING(ngettext(
                "%(count)d article taken off the site:", "%(count)d articles taken off the site:", len(report.removed)
            ) % {"count": len(report.removed)}))
            for problem, action in report.removed:
                write(self.line(problem) + " " + str(ACTIONS[action]))
        if report.unused_captions:
            write(self.style.WARNING(ngettext(
                "%(count)d caption in a post not used:", "%(count)d captions in posts not used:",
                len(report.unused_captions),
            ) % {"count": len(report.unused_captions)}))
            for problem in report.unused_captions:
                write(self.line(problem))

    def line(self, problem):
        kind = KIND_NAMES.get(problem.kind, problem.kind)
        return f"  - {kind} {problem.original_id} «{problem.title}»: {problem.reason}"
