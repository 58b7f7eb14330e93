"""``manage.py rebuild_search_index``: write the search index afresh for every article and photo.

Saves keep the index current by themselves; this is for after an upgrade that changes the normalisation, a
restore of the database without its index, or bulk changes made with ``QuerySet.update()``. Safe to run while the
site serves: each batch of 200 is replaced in one step.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from articles.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index of every article and photo, and say how many were indexed."

    def handle(self, *args, **options):
        articles, photos = rebuild_index()
        if options["verbosity"] >= 1:
            counts = {"articles": articles, "photos": photos}
            self.stdout.write(gettext("Indexed %(articles)d articles and %(photos)d photos.") % counts)
