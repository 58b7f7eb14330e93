"""The public site's page cache: every reader gets the same page, so each page is rendered once per change.

Whole responses are kept in Django's default cache under their full address and the site's current
*generation*. Any change that can show on a public page starts a new generation (articles/signals.py), so
every page is rendered afresh on its next request; the old ones simply expire. The cache time
(NEWSROOM_PAGE_CACHE_SECONDS) only bounds what time alone changes: relative times such as «منذ ساعتين»,
the news sitemap's 48-hour window. Scheduled stories do not wait for it: the generation also ends when the
next one comes due.

Where the generation lives decides who agrees on it: in a shared cache (Redis) every app server reads the
same one; Django's local-memory cache is private to each process, so then it is kept in a small file that
all the processes of one server read (NEWSROOM_PAGE_CACHE_STAMP). When that file cannot be read or written,
pages are served uncached, never not at all.
"""

import contextvars
import hashlib
import logging
import os
import re
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csp import get_nonce
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils import timezone
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe, split_header_value

from .models import Article

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"

# The query parameters public pages read: the page of a list (page), the search (q, section, from, to, before) and
# Django's sitemap view (p). Any other (utm_source=…, fbclid=…, a cache-buster) is dropped before the view sees
# it, so it changes nothing on the page, and then neither in the cache key: otherwise each junk address would
# cost a full rendering and push a real page out of the cache. A public view reading a new parameter adds it here.
PAGE_PARAMETERS = ("after", "before", "from", "p", "page", "q", "section", "since", "to")

# Never cached, whatever their answer looks like: the admin, previews of unpublished work, account pages and
# the language switch. Matched with or without a language prefix (/en/admin/).
_PREFIXES = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
PRIVATE_PATH = re.compile(rf"^/(?:(?:{_PREFIXES})/)?(?:admin|preview|accounts|i18n)/")

# What a CDN (or the reader's browser) may keep. The origin's copy is invalidated the moment an edit commits,
# but nothing tells a CDN or a browser, so they keep a page only briefly: browsers always ask again
# (max-age=0; the answer is usually a 304, which costs the origin no query), a CDN keeps a page for a minute,
# which is what turns a front-page rush into one origin request a minute per edge, and may serve it 30
# seconds longer while it fetches the new one in the background. A corrected headline is thus everywhere
# within about a minute and a half at worst, and at once for everyone who reaches the origin.
PUBLIC_CACHE_CONTROL = {"public": True, "max_age": 0, "s_maxage": 60, "stale_while_revalidate": 30}


class PageCacheMiddleware:
    """Answers GET and HEAD requests for public pages from the cache, and keeps every answer that may be shared,
    with its ETag, Last-Modified and Cache-Control, compressed for the clients that accept it.

    It sits before the session, locale and authentication middleware, so a page served from the cache costs
    no query and touches no session. A response is kept only if it is a 200 that sets no cookie, does not vary
    by cookie and is not marked private: a view that looked at the session or the user (Vary: Cookie) is never
    shared, so what is kept is what every visitor, logged in or not, would get.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or PRIVATE_PATH.match(request.path_info):
            return self.get_response(request)
        keep_page_parameters(request)
        # With the cache off (0 seconds) pages are still validated, compressed and marked for a CDN.
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        key = page_key(request) if seconds else None
        stored = cache.get(key) if key else None
        if stored is None:
            response = self.get_response(request)
            if not shareable(request, response):
                return response
            prepare(response)
            if key:
                stored = encodings(response)
                cache.set(key, stored, seconds)
            else:
                # Kept for no one else: only the encoding this client takes (gzip costs more than a small page).
                stored = encodings(response, [taken_encoding(request)])
        return answer(request, stored)


def keep_page_parameters(request):
    """Leave the request only the query parameters public pages read (PAGE_PARAMETERS), sorted: the view, the
    language switcher's links and the cache key all see the same cleaned address."""
    kept = QueryDict(mutable=True)
    for name in sorted(set(request.GET) & set(PAGE_PARAMETERS)):
        kept.setlist(name, request.GET.getlist(name))
    query = kept.urlencode()
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def page_key(request):
    """The cache key of the page, or None when there is no generation to be had (then it is not cached)."""
    generation = current_generation()
    if generation is None:
        return None
    # Scheme, host, path (with its language prefix: the language comes from the address alone, see prepare())
    # and the cleaned query string, under the current generation. Hashed: addresses may be long and Arabic. The
    # path as asked, not build_absolute_uri()'s, which resolves "..": /tag/x/../../ is no page, but was the home
    # page's key, and got its copy.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    address = hashlib.sha256(address.encode()).hexdigest()
    return f"page-cache:page:{generation}:{address}"


def shareable(request, response):
    # A page that used its CSP nonce (an inline script or style) is tied to this response's header: a cached
    # copy would carry a nonce every later header contradicts. Public pages carry none (tested); this keeps a
    # template that starts to from being frozen broken in the cache.
    if get_nonce(request):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if has_vary_header(response, "Cookie") or has_vary_header(response, "*"):
        return False
    cache_control = {part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}
    return not {"private", "no-store", "no-cache"} & cache_control


def prepare(response):
    """The validators and cache headers a shared page carries, set once when it is rendered."""
    set_response_etag(response)
    # The time of rendering: the page cannot have changed before it (any change starts a new generation and
    # so a new rendering). Set here even where a view gave its own (the sitemap's newest lastmod), because
    # that one can go back in time when a story leaves the list, and then If-Modified-Since would lie.
    response["Last-Modified"] = http_date()
    patch_cache_control(response, **PUBLIC_CACHE_CONTROL)
    # The language comes from the address alone: with i18n_patterns and an unprefixed Arabic edition,
    # LocaleMiddleware never reads Accept-Language here, yet it adds it to Vary, which would make a CDN keep
    # one copy per browser language setting.
    kept = [header for header in split_header_value(response.get("Vary", "")) if header.lower() != "accept-language"]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif "Vary" in response:
        del response["Vary"]


# Public pages are compressed here rather than by GZipMiddleware for the whole site: they hold no secret, so
# compression gives a BREACH-style attacker nothing to guess, whereas admin pages carry CSRF tokens next to text
# the visitor chose.
_compress = GZipMiddleware(lambda request: None).process_response


def encodings(response, wanted=("gzip", "identity")):
    """The page as it goes to clients that take gzip and to those that do not, for each of ``wanted``:
    ``{"gzip": …, "identity": …}``, each ``(content, headers)``. A cached page is compressed once, when it is
    rendered, and kept so: compressing a 90 KB page took longer than everything else a page from the cache costs."""
    variants = {}
    for encoding in wanted:
        request = HttpRequest()
        request.META["HTTP_ACCEPT_ENCODING"] = "gzip" if encoding == "gzip" else ""
        copy = _compress(request, HttpResponse(response.content, headers=dict(response.items())))
        variants[encoding] = (copy.content, dict(copy.items()))
    return variants


def taken_encoding(request):
    return "gzip" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "identity"


def answer(request, variants):
    """The page in the encoding the client takes, or 304 Not Modified when the reader's copy (If-None-Match,
    If-Modified-Since) is still it."""
    content, headers = variants[taken_encoding(request)]
    response = HttpResponse(content, headers=headers)
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response["Last-Modified"]),
        response=response,
    )


# --- The generation ----------------------------------------------------------------------------------------
# A generation is a random token and the time the next scheduled story comes due ("token:timestamp", the
# timestamp empty when none is scheduled). Random rather than a counter, so a generation lost from the cache
# (evicted, Redis restarted) and made anew can never bring back pages stored under an old one.


# Whether the stamp's trouble is in the log already: once per outage, not once per request.
_stamp_failing = False


def current_generation():
    """The current generation's token; None when the stamp file cannot be read or written (a stamp written
    by another user, a folder that is not there), which means: serve pages uncached until it can."""
    global _stamp_failing
    try:
        record = _read_generation() or _start_generation()
        token, due = record.partition(":")[0], _due(record)
        if due is not None and time.time() >= due:
            # A scheduled story has come due: readers must see it now, not when the pages expire.
            token = _start_generation().partition(":")[0]
    except (OSError, ValueError) as error:  # ValueError: a garbled stamp (bytes that are not UTF-8, no number)
        if not _stamp_failing:
            logger.warning("Pages served uncached: the page generation cannot be read or written: %s", error)
        _stamp_failing = True
        return None
    _stamp_failing = False
    return token


# Inside one_generation(): the changes asking for a new generation, to be answered once when the block ends.
_deferred = contextvars.ContextVar("page_cache_deferred", default=None)


@contextmanager
def one_generation():
    """Within the block, changes start no generation of their own; one starts after the commit that follows it,
    if any change asked. For bulk work (an import of thousands of stories), where a generation per item was a
    quarter of the run: readers see the pages cached before the block until it ends, then everything anew."""
    asked = []
    token = _deferred.set(asked)
    try:
        yield
    finally:
        _deferred.reset(token)
        if asked:
            transaction.on_commit(new_generation, robust=True)


def deferring():
    """Whether changes are being gathered for one generation (one_generation()): then asking costs nothing."""
    return _deferred.get() is not None


def new_generation():
    """Start a new generation: every page cached so far is out of date. Called after the commit of each change
    that shows on public pages (articles/signals.py). A stamp file that cannot be written is logged, not raised:
    the change has committed, and the other workers may go on serving the pages cached before it until they
    expire."""
    if (asked := _deferred.get()) is not None:
        asked.append(True)
        return
    try:
        _start_generation()
    except OSError as error:
        logger.warning(
            "Pages cached before this change may be served for up to %s seconds: no new page generation: %s",
            settings.NEWSROOM_PAGE_CACHE_SECONDS, error,
        )


def ends_by(moment):
    """Whether the current generation ends by ``moment``, as a scheduled story due then needs: its record's due time
    is no later. With no generation yet, the first one learns every due time; a record that cannot be read counts
    as not ending, so the caller starts a new generation to be safe."""
    try:
        record = _read_generation()
        if record is None:
            return True
        due = _due(record)
    except (OSError, ValueError):
        return False
    return due is not None and due <= moment.timestamp()


def _due(record):
    """When the generation of ``record`` ends for a scheduled story, as a timestamp; None if none is scheduled.
    ValueError for a garbled record."""
    due = record.partition(":")[2]
    return float(due) if due else None


def _start_generation():
    """The new generation's record, written where every process reads it."""
    due = (
        Article.objects.live_or_scheduled()
        .filter(published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    record = f"{uuid.uuid4().hex}:{due.timestamp() if due else ''}"
    if _per_process():
        _write_stamp(record)
    else:
        cache.set(GENERATION_KEY, record, timeout=None)
    return record


def _per_process():
    return isinstance(caches["default"], LocMemCache)


def _read_generation():
    if not _per_process():
        return cache.get(GENERATION_KEY)
    try:
        return _stamp_path().read_text() or None
    except FileNotFoundError:
        return None


def _stamp_path():
    return Path(settings.NEWSROOM_PAGE_CACHE_STAMP)


def _write_stamp(record):
    # Written aside and renamed over the old one, so a process reading at that moment gets the old record or
    # the new one, never half of one.
    stamp = _stamp_path()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=stamp.parent, prefix=f".{stamp.name}.")
    # Readable by all (mkstemp makes it 0600): a management command run as root or as a deploy user writes it
    # too, and the web workers, running as another user, must still read it. It holds nothing secret.
    os.fchmod(handle, 0o644)
    with os.fdopen(handle, "w") as file:
        file.write(record)
    os.replace(temporary, stamp)
