"""Old links keep working: the addresses a story, a section, a tag or a writer had on the site it was moved from
answer 301 to its page here.

An importer calls ``remember(target, addresses)`` with a story's old permalink, /?p=ID, /archives/ID and its old
slug, or a category's, tag's or author's archive address (under the folder the old site lived in, /blog/?p=ID for
a blog at /blog/); ``OldAddressMiddleware`` answers the requests for them. Both sides go through
``address_key()``, so an address is found whatever the request's trailing slash, percent-encoding (WordPress keeps
Arabic slugs as %d8%b3…, in either case of hex), /index.php/ prefix (WordPress's PATH_INFO permalinks) or tracking
query (utm_source=…) looks like.
"""

import re
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.urls import Resolver404, resolve
from django.utils.encoding import repercent_broken_unicode
from django.utils.translation import override

from .models import Article, OldAddress, Person, Section, Tag

# WordPress answers its "ugly" permalink, /?p=123 (also as /index.php?p=123), on the home page's address; a
# site installed in a folder on the folder's (/blog/?p=123, /blog/index.php?p=123).
HOME_PATHS = ("/", "/index.php")
# /index.php/2019/03/slug/ is /2019/03/slug/ on a server without rewrite rules ("PATH_INFO" permalinks).
_INDEX_PHP = re.compile(r"/index\.php(?=/)")
# A post id: digits only (no sign, no Arabic-Indic digits), at most the width of a 64-bit integer.
POST_ID = re.compile(r"[0-9]{1,19}")
MAX_LENGTH = OldAddress._meta.get_field("path").max_length


def address_key(path, query=""):
    """The form an old address is stored and looked up in: a decoded path (Arabic letters, as Django's
    ``request.path`` has them) without its trailing slash or /index.php/ prefix, plus ``?p=ID`` on a home page
    (any path ending in "/" or "/index.php": /?p=7, /blog/?p=7) and nothing else of the query. None for an
    address that cannot be one (a ?p= that is no post id, a NUL byte, too long)."""
    path = _INDEX_PHP.sub("", "/" + path.lstrip("/"), count=1)
    if "\x00" in path or len(path) > MAX_LENGTH:  # PostgreSQL refuses NUL in text; the column holds 1000
        return None
    if query and path.endswith(("/", "/index.php")) and "p" in (params := QueryDict(query)):
        post_id = params.get("p", "")
        if not POST_ID.fullmatch(post_id):
            return None
        return f"{path.removesuffix('index.php')}?p={int(post_id)}"
    # Both /2019/03/news/ and /2019/03/news find the same row: WordPress printed one, readers typed the other.
    return path.rstrip("/") or "/"


def _decoded_path(url):
    """The path of an absolute URL or a path, percent-decoded exactly as a web server and Django decode a
    request's (a byte sequence that is not UTF-8 stays percent-encoded), so both sides compare equal."""
    return repercent_broken_unicode(unquote_to_bytes(urlsplit(url).path)).decode()


# Pages found by a slug: an old address shaped like one of them (WordPress's /tag/markets/ beside our /tag/<slug>/)
# is only ours once something here has that slug.
_BY_SLUG = {"section": Section, "tag": Tag, "person": Person}


def is_live_address(path):
    """Whether ``path`` (with or without its trailing slash) is an address of this site in some edition: such an
    address belongs to our own views and must never be taken over by an old one."""
    for candidate in {path, path.rstrip("/") + "/"}:
        for code, _name in settings.LANGUAGES:
            with override(code):
                try:
                    match = resolve(candidate)
                except Resolver404:
                    continue
            model = _BY_SLUG.get(match.url_name)
            if model is not None and not model.objects.filter(slug=match.kwargs.get("slug")).exists():
                continue
            return True
    return False


def remember(target, addresses):
    """Record ``addresses`` (absolute URLs or paths, percent-encoded or not) as old addresses of ``target``, a story,
    a section, a tag or a person.

    An address that already belongs to another page is given to this one: the newest import wins. An address
    this site answers itself ("/", "/search/", an article's address…) is skipped, as is one that cannot be
    requested (see address_key), and one whose query address_key would drop: /blog/?page_id=5 is not /blog.
    Returns the stored keys. One query, however many addresses.
    """
    keys = []
    for address in addresses:
        parts = urlsplit(address.strip())
        key = address_key(_decoded_path(address.strip()), parts.query)
        if key is None or key in keys or (parts.query and "?" not in key):
            continue
        if "?" not in key and is_live_address(key):
            continue
        keys.append(key)
    if keys:
        field = target._meta.model_name
        OldAddress.objects.bulk_create(
            [OldAddress(path=key, **{field: target}) for key in keys],
            update_conflicts=True, unique_fields=["path"], update_fields=list(OldAddress.TARGETS),
        )
    return keys


def current_address(key):
    """The Arabic address of the page an old address points to, or None: unknown, or a page readers may not see
    (a draft's or a trashed story's old address stays a 404, as does a tag's or a writer's with nothing published)."""
    if key is None:
        return None
    # The Arabic edition, unprefixed: the old site was Arabic, and every page has an Arabic edition.
    with override(settings.LANGUAGE_CODE):
        # Most old links are stories': one query finds a story readers may see.
        story = Article.objects.published().filter(old_addresses__path=key).only("pk", *_slug_fields()).first()
        if story is not None:
            return story.get_absolute_url()
        address = OldAddress.objects.filter(path=key, article=None).values(*OldAddress.TARGETS).first()
        if address is None:
            return None
        if address["section"]:
            found = Section.objects.filter(pk=address["section"])
        elif address["tag"]:
            found = Tag.objects.shown_in(settings.LANGUAGE_CODE).filter(pk=address["tag"])
        else:
            found = Person.objects.shown_in(settings.LANGUAGE_CODE).filter(pk=address["person"])
        page = found.first()
        return page.get_absolute_url() if page else None


def _slug_fields():
    return [f"slug_{code}" for code, _name in settings.LANGUAGES]


class OldAddressMiddleware:
    """Answers 301 for the old addresses of published stories, as django.contrib.redirects' fallback middleware
    does for its table: after the view, only where it answered 404, so an ordinary page costs no query.

    /?p=ID is the exception: the home page would answer it with 200, so it is decided before the view, and a
    ?p= that leads to no published story is a 404 rather than the home page under a junk address. It sits
    before the page cache, which would otherwise keep that home page under /?p=ID.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "")
        if request.path_info in HOME_PATHS and "p" in request.GET:
            target = current_address(address_key(request.path_info, query))
            if target:
                return HttpResponsePermanentRedirect(target)
            # LocaleMiddleware has not run yet: the 404 page of the Arabic edition, whose address this is.
            with override(settings.LANGUAGE_CODE):
                return response_for_exception(request, Http404("No published story has this post id."))
        response = self.get_response(request)
        if response.status_code == 404:
            # With the query: /blog/?p=7 on a site that lived in /blog/ is a post, not the blog's home.
            target = current_address(address_key(request.path_info, query))
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
