"""While the database is unreachable, readers and editors get a short «try again shortly» page (503 with
Retry-After), never a 500.

Django opens a database connection per request (or checks a persistent one before reusing it,
CONN_HEALTH_CHECKS), so nothing has to be restarted when the database comes back: the next request simply
connects again. Every save runs in one transaction (the admin wraps each form in one), so an outage in the
middle of a save leaves the old article whole, never half of the new one.

Two paths lead here. An error raised by a view or while a template renders reaches process_exception. An
error raised by another middleware (the page cache starting a generation, the session saved on the way out,
the two-factor check loading the user in process_view) never reaches process_exception: Django turns it into
a 500 response at that middleware's own layer. The got_request_exception signal, sent at that moment while
the error is still being handled, marks the request, and __call__ swaps the 500 for the 503 on the way out.
That is why DatabaseOutageMiddleware sits before every middleware that may query: it must see their answers.
"""

import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

# Seconds a client (or a crawler) is asked to wait. A database restart or failover takes about this long.
RETRY_AFTER_SECONDS = 30

# What a lost or refused database connection raises: OperationalError (server gone, connection refused,
# terminated by an administrator) or InterfaceError (a connection already closed under Django's feet).
# OperationalError also covers a deadlock or a lock timeout: passing trouble too, for which "try again" is right.
UNREACHABLE = (OperationalError, InterfaceError)

_MARK = "_newsroom_database_unreachable"


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _MARK, False):
            return outage_response(request)
        return response

    def process_exception(self, request, exception):
        # Not logged here: Django logs every 5xx answer (django.request, "Service Unavailable").
        if isinstance(exception, UNREACHABLE):
            return outage_response(request)
        return None


@receiver(got_request_exception, dispatch_uid="newsroom.outage.mark_database_outage")
def mark_database_outage(sender, request=None, **kwargs):
    """Called by Django while it turns a middleware's exception into a 500; sys.exc_info() is that exception."""
    if request is not None and isinstance(sys.exc_info()[1], UNREACHABLE):
        setattr(request, _MARK, True)


def outage_response(request):
    """The 503 page, in the language of the address. Rendered without the request: no context processor may
    touch the session or the user, which would need the database that is not there."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        content = render_to_string("503.html")
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Never kept by the page cache, a CDN or the browser: the page must go as soon as the database is back.
    add_never_cache_headers(response)
    return response
