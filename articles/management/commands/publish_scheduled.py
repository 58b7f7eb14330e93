"""``manage.py publish_scheduled``: mark the scheduled articles whose time has come as published.

Readers do not wait for it: their query shows a scheduled article as soon as its time comes. The command keeps
the status, the admin's lists and the audit log in step. Run it every minute from cron or a systemd timer
(docs/operations.md); a second run, or a run on another server at the same time, publishes nothing twice.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext, ngettext, override

from articles.history import revision
from articles.models import Article


class Command(BaseCommand):
    help = "Mark the scheduled articles whose publication time has come as published, and say how many."

    def handle(self, *args, **options):
        # One revision for the run, signed by the system, so each story's history shows when it went live. Its
        # comment is stored as written: in the newsroom's language, which the history is read in.
        with override(settings.LANGUAGE_CODE):
            comment = gettext("Published at its scheduled time.")
        with revision(None, comment):
            published = Article.publish_due()
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            ngettext(
                "%(count)d scheduled article published.", "%(count)d scheduled articles published.", published
            ) % {"count": published}
        )
