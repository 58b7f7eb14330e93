"""The syndication feed for partners: published stories as IPTC ninjs 2.1 JSON at /api/ninjs/ (Arabic edition)
and /en/api/ninjs/ (English edition: translated stories only, as every English page).

Two ways to read it, 50 stories a page:

- ``/api/ninjs/?page=N``: newest first, as the site lists stories; ``next`` and ``previous`` links.
- ``/api/ninjs/?since=2026-03-01T12:00:00Z``: what changed at or after that moment, oldest change first, for a
  partner keeping a copy up to date. Its ``next`` link carries a cursor (``since`` and ``after``, the last item's
  change time and id), so a story edited while a partner pages through moves to the end instead of shifting
  every later page by one and making them miss a story. A ``since`` without an offset is the newsroom's time
  (TIME_ZONE).

A story's change time (``versioncreated``) is its last save or, for a story scheduled before it came due, its
publication time: it reached readers then, without being saved again. A story that left an edition's readers
(unpublished, moved to the trash, its time moved into the future, its translation removed; and not back since)
is announced in that edition's ``since`` listing, at the moment it left, as an item with only its ``uri`` and
``pubstatus: canceled``, so a partner takes it down too (a correction, a legal takedown); nothing of its text is
sent again. The newest-first pages list only what readers see now.
"""

import datetime
import heapq
import re
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import BigIntegerField, Case, Exists, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast, Greatest
from django.http import JsonResponse
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext

from .audit import WITHDRAWALS, AuditEntry
from .models import Article
from .renditions import EXTENSIONS, SIZES, picture, stored_renditions
from .text import clean_body_html, replace_inline_photos

PAGE_SIZE = 50
# Deep enough for any archive (50 million stories), small enough that the offset is never a problem for the database.
MAX_PAGE = 1_000_000
STANDARD = {"name": "ninjs", "version": "2.1", "schema": "https://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"}
CONTENT_TYPE = "application/json; charset=utf-8"
# ninjs calls the picture at the top of a story its feature image (the name of the association).
LEAD_PHOTO_NAME = "featureimage"
MIME_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg"}
_DIGITS = re.compile(r"[0-9]{1,19}")
# "+03:00" sent unencoded in a query string arrives as " 03:00": read it as the offset it was meant to be.
_SPACE_FOR_PLUS = re.compile(r" (\d\d(?::?\d\d)?)$")


class BadRequest(ValueError):
    """A parameter the feed cannot read; its message is the partner's explanation."""


def feed(request):
    """One page of the feed, as {"items": [...], "next": url, "previous": url}, with the same links in a Link
    header. A parameter it cannot read answers 400 with {"error": "..."}; a page past the end, 404."""
    stories = Article.objects.for_readers().in_full().with_inline_photos()
    stories = stories.annotate(changed_at=Greatest("updated_at", "published_at"))
    try:
        if "since" in request.GET:
            items, links = _changed_since(request, stories)
        else:
            items, links = _newest(request, stories)
    except BadRequest as problem:
        return _error(str(problem), status=400)
    if items is None:
        return _error(gettext("There is no such page."), status=404)
    response = JsonResponse(
        {"items": [
            ninjs_item(request, item) if isinstance(item, Article) else canceled_item(request, item) for item in items
        ]} | links,
        json_dumps_params={"ensure_ascii": False}, content_type=CONTENT_TYPE,
    )
    pairs = (("next", links["next"]), ("prev", links["previous"]))
    if link_header := ", ".join(f'<{url}>; rel="{rel}"' for rel, url in pairs if url):
        response["Link"] = link_header
    return response


def _newest(request, stories):
    page = _number(request.GET.get("page", "1"), gettext("page must be a whole number from 1."))
    if not 1 <= page <= MAX_PAGE:
        raise BadRequest(gettext("page must be a whole number from 1."))
    start = (page - 1) * PAGE_SIZE
    # One more than a page: whether there is a next page, without counting the whole archive.
    items = list(stories[start:start + PAGE_SIZE + 1])
    if not items and page > 1:
        return None, {}
    links = {
        "next": _address(request, page=page + 1) if len(items) > PAGE_SIZE else None,
        "previous": _address(request, page=page - 1) if page > 1 else None,
    }
    return items[:PAGE_SIZE], links


def _changed_since(request, stories):
    """Stories changed and stories withdrawn since the moment asked, together in the order they happened."""
    since = parse_since(request.GET["since"])
    changed, left = stories.order_by("changed_at", "pk"), withdrawals().order_by("at", "story_id")
    if "after" in request.GET:
        after = _number(request.GET["after"], gettext("after must be a story id, as in the next link."))
        changed = changed.filter(Q(changed_at__gt=since) | Q(changed_at=since, pk__gt=after))
        left = left.filter(Q(at__gt=since) | Q(at=since, story_id__gt=after))
    else:
        # At or after: a partner passing the last change time it saw gets that story again rather than missing
        # another changed in the same instant.
        changed, left = changed.filter(changed_at__gte=since), left.filter(at__gte=since)
    # Each already in its order: a page is the first of the two merged, by (moment, story id) as the cursor reads.
    merged = heapq.merge(
        ((story.changed_at, story.pk, story) for story in changed[:PAGE_SIZE + 1]),
        ((entry.at, entry.story_id, entry) for entry in left[:PAGE_SIZE + 1]),
        key=lambda moment_id_item: moment_id_item[:2],
    )
    page = list(islice(merged, PAGE_SIZE + 1))
    links = {"next": None, "previous": None}
    if len(page) > PAGE_SIZE:
        moment, story_id, _item = page[PAGE_SIZE - 1]
        links["next"] = _address(request, since=moment.astimezone(datetime.UTC).isoformat(), after=story_id)
    return [item for _moment, _id, item in page[:PAGE_SIZE]], links


def withdrawals():
    """The audit log's entries for stories leaving readers of this edition, each with ``story_id``, for those that
    are not back now.

    Every save that takes a story off an edition its readers saw writes an entry for that edition ("withdrawn",
    Article._record_editions_left()): unpublished, trashed, moved into the future, its translation removed. The
    transitions' own entries (unpublished, moved to the trash) count too, for the log written before those
    existed: where readers had seen the story by then (a trashed draft, or a story unpublished before its time
    came, was never sent), judged by the edition it is in now. A story deleted for good went through the trash;
    with its row gone there is no telling which edition had it, so such an entry is announced in every edition."""
    article_type = ContentType.objects.get_for_model(Article)
    story = Article.objects.filter(pk=OuterRef("story_id"))
    in_this_edition = Article.objects.in_edition().filter(pk=OuterRef("story_id"))
    left_this_edition = Q(action=AuditEntry.Action.WITHDRAWN, detail=get_language())
    left_the_site = ~Q(action=AuditEntry.Action.WITHDRAWN) & (
        Exists(in_this_edition.filter(published_at__lte=OuterRef("at"))) | ~Exists(story)
    )
    entries = (
        AuditEntry.objects.filter(target_type=article_type, action__in=WITHDRAWALS)
        # Only an article's entries have a number for an id; the CASE keeps the cast from seeing anyone else's.
        .annotate(story_id=Case(When(target_type=article_type, then=Cast("target_id", BigIntegerField()))))
        .filter(left_this_edition | left_the_site)
        .exclude(Exists(in_this_edition.published()))
    )
    # A story that left, came back and left again is announced once, at the last time it left.
    last = entries.filter(target_id=OuterRef("target_id")).order_by("-at", "-pk").values("pk")[:1]
    return entries.filter(pk=Subquery(last)).only("at", "target_id")


def canceled_item(request, entry):
    """A withdrawn story: its address and the moment it left, nothing of its text."""
    return {
        "uri": request.build_absolute_uri(reverse("article_by_id", kwargs={"pk": entry.story_id})),
        "standard": STANDARD,
        "type": "text",
        "versioncreated": _iso(entry.at),
        "pubstatus": "canceled",
        "language": get_language(),
    }


def parse_since(value):
    """An ISO 8601 date or date and time as an aware datetime; raises BadRequest with the reason."""
    problem = gettext("since must be an ISO 8601 date and time, such as 2026-03-01T12:00:00Z.")
    if len(value) > 64:
        raise BadRequest(problem)
    try:
        moment = datetime.datetime.fromisoformat(_SPACE_FOR_PLUS.sub(r"+\1", value.strip()))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # In UTC at once: a moment near year 1 or 9999 that cannot be has its error here, not in the query.
        return moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise BadRequest(problem) from None


def _number(value, problem):
    if not _DIGITS.fullmatch(value):
        raise BadRequest(problem)
    return int(value)


def _address(request, **query):
    return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")


def _error(message, status):
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False},
                        content_type=CONTENT_TYPE)


def _iso(moment):
    return timezone.localtime(moment).isoformat()


def ninjs_item(request, story):
    """One story (fetched with in_full() and the changed_at annotation) as a ninjs 2.1 news item, in the
    active language's edition. Every address in it is absolute: a partner's site has no use for a relative one."""
    absolute = request.build_absolute_uri
    item = {
        # The address by id, without the slug: it stays the same when the headline (and so the slug) changes.
        "uri": absolute(reverse("article_by_id", kwargs={"pk": story.pk})),
        "standard": STANDARD,
        "type": "text",
        "version": str(story.version),
        "firstcreated": _iso(story.published_at),
        "versioncreated": _iso(story.changed_at),
        "pubstatus": "usable",
        "language": get_language(),
        "headlines": [{"role": "main", "value": story.headline}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": body_html(request, story)}],
    }
    if story.summary:
        item["descriptions"] = [{"role": "summary", "contenttype": "text/plain", "value": story.summary}]
    authors = list(story.authors.all())
    if authors:
        # The byline as the page prints it, and each author with their page.
        item["by"] = gettext(", ").join(person.name for person in authors)
        item["people"] = [
            {"name": person.name, "rel": "author", "uri": absolute(person.get_absolute_url())} for person in authors
        ]
    tags = story.tags_shown()
    if tags:
        item["subjects"] = [{"name": tag.name, "uri": absolute(tag.get_absolute_url())} for tag in tags]
    if story.lead_photo_id:
        item["associations"] = [lead_photo(request, story)]
    return item


def lead_photo(request, story):
    """The story's lead photo as an associated picture: caption, alt text, credit and every rendition."""
    photo = story.lead_photo
    association = {
        "name": LEAD_PHOTO_NAME,
        "uri": photo_uri(request, photo),
        "type": "picture",
        "renditions": renditions(request, photo),
    }
    descriptions = []
    if caption := story.display_lead_caption:
        descriptions.append({"role": "caption", "contenttype": "text/plain", "value": caption})
    if photo.alt_text:
        descriptions.append({"role": "alt", "contenttype": "text/plain", "value": photo.alt_text})
    if descriptions:
        association["descriptions"] = descriptions
    # ninjs's "by" is the statement about who made the content: the credit line printed under the photo.
    if photo.credit_line:
        association["by"] = photo.credit_line
    # Not the copyright notice or creator read from the file: a camera writes its owner's name there, and a
    # photographer credited under another name (a source's safety can hang on it) must not be named to partners.
    # Partners get what readers see.
    if photo.is_sensitive:
        # An editor's note is for the partner's staff, never printed: the site blurs this photo behind a warning.
        association["ednote"] = gettext("Graphic content: this photo is shown blurred behind a warning on our site.")
    return association


def photo_uri(request, photo):
    """A photo has no page of its own: a tag URI (RFC 4151) on the site's host name (no port) names it for good."""
    host, _port = split_domain_port(request.get_host())
    return f"tag:{host},{photo.uploaded_at:%Y}:photo:{photo.pk}"


def renditions(request, photo):
    """Every stored rendition of the photo, each format a rendition of its own; the original until they exist."""
    absolute = request.build_absolute_uri
    # Only the renditions of the photo's current image and focal point, as the site shows them.
    entries = [(size, entry) for size in SIZES for entry in stored_renditions(photo, size)]
    if not entries:
        original = picture(photo, "article")
        return [{"name": "original", "href": absolute(original.src), "width": original.width,
                 "height": original.height}]
    return [
        {
            "name": f"{size}-{entry['width']}-{fmt}",
            "href": absolute(default_storage.url(entry[fmt])),
            "contenttype": MIME_TYPES[fmt],
            "width": entry["width"],
            "height": entry["height"],
        }
        for size, entry in entries
        for fmt in EXTENSIONS
        if entry.get(fmt)
    ]


def body_html(request, story):
    """The body readers get, with each inline photo as a plain <figure> (absolute address, alt text, caption and
    credit) a partner's page can show without our stylesheet. A sensitive photo is left out: the site shows it
    only behind a warning, which a partner's page would not have."""
    photos = {photo.pk: photo for photo in story.inline_photos.all()}

    def figure(photo_id):
        photo = photos.get(photo_id)
        if photo is None or photo.is_sensitive:
            return ""
        shown = picture(photo, "article")
        caption = format_html(" <small>({})</small>", photo.credit_line) if photo.credit_line else ""
        return format_html(
            '<figure><img src="{}" alt="{}" width="{}" height="{}"><figcaption>{}{}</figcaption></figure>',
            request.build_absolute_uri(shown.src), photo.alt_text, shown.width, shown.height, photo.caption, caption,
        )

    return replace_inline_photos(clean_body_html(story.body), figure)
