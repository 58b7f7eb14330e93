from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")

    def ready(self):
        # Registers revisions, and connects the receivers (the search index's live in search.py).
        from . import history, search, signals  # noqa: F401
