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

Only an unreachable database gets the 503. Any other database error ("no such table", a lock or statement
timeout, a deadlock) is a bug or a load problem someone must see: it stays a 500, logged by Django with its
traceback and reported through got_request_exception like every other error.
"""

import logging
import sqlite3
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

# Seconds a client (or a crawler) is asked to wait. A database restart or failover takes about this long.
RETRY_AFTER_SECONDS = 30

# PostgreSQL's SQLSTATEs for "no connection": class 08 (connection exception: refused, lost, failed), and the
# server going away under a working connection: admin shutdown (also pg_terminate_backend), crash shutdown,
# "cannot connect now" (starting up or shutting down).
CONNECTION_EXCEPTION_CLASS = "08"
SERVER_GOING_AWAY = {"57P01", "57P02", "57P03"}

_MARK = "_newsroom_database_unreachable"

logger = logging.getLogger(__name__)


def database_unreachable(exception):
    """Whether ``exception`` says the database cannot be reached, rather than that a query went wrong."""
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return False
    # Django keeps the driver's own error as the cause; it carries the code.
    driver_error = exception.__cause__
    sqlstate = getattr(driver_error, "sqlstate", None) or getattr(driver_error, "pgcode", None)
    if sqlstate:
        return sqlstate.startswith(CONNECTION_EXCEPTION_CLASS) or sqlstate in SERVER_GOING_AWAY
    if getattr(driver_error, "sqlite_errorcode", None) == sqlite3.SQLITE_CANTOPEN:
        return True
    # No code (a refused connection, or a socket closed under the driver): the connection itself tells.
    return any(not connected(connection) for connection in connections.all(initialized_only=True))


def connected(connection):
    """False when the connection could not be opened or the driver found it dead. No query is sent: in a failed
    transaction even a working connection refuses one."""
    if connection.connection is None:
        return False
    return not (getattr(connection.connection, "closed", False) or getattr(connection.connection, "broken", False))


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _MARK, False):
            return outage_response(request)
        return response

    def process_exception(self, request, exception):
        if database_unreachable(exception):
            log_outage(request, exception)
            return outage_response(request)
        return None


@receiver(got_request_exception, dispatch_uid="newsroom.outage.mark_database_outage")
def mark_database_outage(sender, request=None, **kwargs):
    """Called by Django while it turns a middleware's exception into a 500; sys.exc_info() is that exception."""
    exception = sys.exc_info()[1]
    if request is not None and database_unreachable(exception):
        if not getattr(request, _MARK, False):  # two middlewares may fail on the same outage: one line
            log_outage(request, exception)
        setattr(request, _MARK, True)


def log_outage(request, exception):
    # Django only logs the 503 answer, without the cause: this line says which error and where it came from.
    logger.warning("Database unreachable, answered 503: %s %s", request.method, request.path, exc_info=exception)


def language_of_address(request):
    """The edition the address asks for, for a page answered before LocaleMiddleware has chosen the language."""
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def outage_response(request):
    """The 503 page, in the language of the address. Rendered without the request: no context processor may
    touch the session or the user, which would need the database that is not there."""
    with translation.override(language_of_address(request)):
        content = render_to_string("503.html")
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Never kept by the page cache, a CDN or the browser: the page must go as soon as the database is back.
    add_never_cache_headers(response)
    return response
