"""``manage.py generate_articles N``: add N realistic published stories, for measuring the site at archive scale."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from articles.generate import Generator


class Command(BaseCommand):
    help = (
        "Create N published articles with bylines, tags, sections, lead photos and search documents, "
        "with bulk inserts (for benchmarks and load tests, never on a live newsroom)."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many articles to create.")
        parser.add_argument("--seed", type=int, default=0, help="The same seed gives the same articles.")
        parser.add_argument(
            "--photos", type=int, default=12, help="Size of the photo pool the lead photos are drawn from."
        )

    def handle(self, *args, count, seed, photos, **options):
        if count < 1 or photos < 1:
            raise CommandError(gettext("The number of articles and of photos must be at least 1."))
        verbose = options["verbosity"] >= 1

        def progress(done, total, seconds):
            if verbose:
                rate = done / seconds if seconds else 0
                self.stdout.write(f"{done:>9,}/{total:,} articles  {done * 100 // total:3d}%  {seconds:6.1f} s  "
                                  f"{rate:,.0f}/s")

        ids = Generator(seed=seed, photos=photos, progress=progress).run(count)
        if verbose:
            created = {"count": len(ids), "first": ids[0], "last": ids[-1]}
            message = gettext("Created %(count)d articles (ids %(first)d–%(last)d).") % created
            self.stdout.write(self.style.SUCCESS(message))
