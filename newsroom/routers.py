"""The optional read replica (DATABASE_REPLICA_URL): readers' pages read from it, everything else from the primary.

Django's routers never see the request, so ReaderRequestMiddleware marks the requests that may read from the
replica in a context variable for as long as they are handled: a GET or HEAD for a public page, never the
admin, a preview, the account pages or the language switch (the page cache's PRIVATE_PATH). Everything else
reads from the primary: every write, the admin, any query inside a transaction, management commands
(publish_scheduled, backup) and the background of the request (a streaming response read after the middleware
returned).

A replica trails the primary by its replication lag, usually well under a second. An editor never sees it:
the admin reads the primary, so a saved article shows there at once. Readers may see the old version of a page
for that long; the page cache (articles/page_cache.py) starts a new generation when the save commits, so a
page rendered in that moment from the replica's older copy may be kept until the next change or until
NEWSROOM_PAGE_CACHE_SECONDS, which is the price of a replica and why it stays optional.
"""

from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

from articles.page_cache import PRIVATE_PATH

REPLICA = "replica"

# Login state and the people behind it are read from the primary even on public pages: a lagging copy could
# keep a session alive after its editor logged out, or a removed account's rights a moment longer.
PRIMARY_ONLY_APPS = {"admin", "auth", "axes", "otp_totp", "otp_static", "otp_email", "django_otp", "sessions"}

reader_request = ContextVar("reader_request", default=False)


class ReaderRequestMiddleware:
    """Marks a reader's request (a GET or HEAD for a public page) so its queries may go to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_reader = request.method in ("GET", "HEAD") and not PRIVATE_PATH.match(request.path_info)
        token = reader_request.set(is_reader)
        try:
            return self.get_response(request)
        finally:
            reader_request.reset(token)


class ReplicaRouter:
    """Reads of a reader's request go to the replica; all else, and every write, to the primary."""

    def db_for_read(self, model, **hints):
        if not reader_request.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        # Inside a transaction the primary may hold rows the replica has not seen yet, its own included.
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: a row read from either is the same row.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica gets its tables by replication, never from migrate.
        return db == DEFAULT_DB_ALIAS
