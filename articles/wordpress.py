"""Moving a WordPress site in: writing what articles/wxr.py read from an export into sections, tags, people,
photos and articles (``manage.py import_wordpress``).

The order is the export's own dependencies: the header's authors, categories and tags first, then every
attachment (a post's featured image may have been uploaded after the post), then the posts. Each item is written
in a transaction of its own: a bad item is skipped and reported with its reason, and a photo file stored for an
item whose transaction rolls back is deleted again.

Running the same export twice changes nothing: each item's ImportedItem row holds a fingerprint of it as exported
(its modified date included, the library photos it resolved to, an attachment's file content), and an item whose
fingerprint is unchanged is not touched. The same row also holds a digest of what an editor can change here (an
article's text, slug, section, lead photo and visibility; a photo's caption, alt text and credit) as the import left
it: a newer export updates what changed, except an article or photo edited here since it was imported, which is kept
and reported. A post already imported that the newer export no longer lets in (trashed there, an unknown status…)
is moved to the trash or unpublished here, and reported. Nothing is ever fetched from the network: media come from
``--media-dir`` alone. With ``later_renditions`` the photos are stored without their renditions, which
``manage.py regenerate_renditions`` makes afterwards (pages show the original meanwhile).
"""

import hashlib
import json
import logging
import os
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import page_cache
from .audit import AuditEntry
from .intake import create_photo, fill_photo_from_file, prepare_upload, store_photo_file
from .models import Article, ArticleAuthor, ImportedItem, Person, Photo, Section, Tag, TaggedArticle
from .search import plain_text
from .text import free_slug, unicode_slug
from .wxr import Author, BrokenItem, WXRFile

logger = logging.getLogger(__name__)
LANGUAGE = settings.LANGUAGE_CODE
IMAGE_EXTENSIONS = {"jpg", "jpeg", "jpe", "jfif", "png", "webp", "gif"}
Kind = ImportedItem.Kind

# Why an item was skipped or a photo is missing: shown in the command's final report.
REASONS = {
    "xml": _("The item is not well-formed XML and was not read: %(detail)s"),
    "too_large": _("The item is larger than the importer reads (64 MB)."),
    "no_author": _("The post names no author: it was imported without a byline."),
    "trash": _("The post is in WordPress's trash."),
    "status": _("WordPress status «%(status)s» is not imported."),
    "photo_edited_here": _(
        "The photo was edited here after it was imported; the newer export did not overwrite it."
    ),
    "caption_unused": _("The post's caption for photo %(photo)s was not used (the photo has its own): «%(caption)s»"),
    "no_date": _("The post is published but has no publication date."),
    "edited_here": _("The article was edited here after it was imported; the newer export did not overwrite it."),
    "no_login": _("The author has no login name."),
    "unsafe_path": _("The file's path leaves the media folder (%(path)s); it was not read."),
    "no_media_dir": _("No --media-dir was given, so the file was not read."),
    "missing_file": _("The file %(path)s is not in the media folder."),
    "refused": _("The image was refused: %(detail)s"),
    "not_image": _("Not an image (%(path)s): only images become library photos."),
    "featured": _("The featured image (attachment %(id)s) is not in the library."),
    "inline": _("An image in the body is not in the library and was left out: %(url)s"),
    "error": _("The item could not be written: %(detail)s"),
    "repeated": _("The file holds this item more than once; only its first copy was imported."),
}


# What was done here to an article imported before that a newer export no longer lets in.
ACTIONS = {
    "trashed": _("The article imported before was moved to the trash here."),
    "unpublished": _("The article imported before was unpublished here."),
    "kept": _("The article imported before was already off the site here."),
}
# WordPress's own status names, as the report shows them.
WORDPRESS_STATUSES = {
    "publish": _("published"),
    "future": _("scheduled"),
    "draft": _("draft"),
    "pending": _("pending review"),
    "private": _("private"),
    "trash": _("trash"),
    "inherit": _("inherit (belongs to its parent)"),
    "auto-draft": _("automatic draft"),
}


class RepeatedItem(Exception):
    """The file names an item this run has already imported."""


@dataclass
class Problem:
    kind: str
    original_id: str
    title: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def reason(self):
        if not self.params:
            return str(REASONS[self.code])
        return str(REASONS[self.code]) % {key: str(value) for key, value in self.params.items()}


@dataclass
class Report:
    """What an import did: per kind, how many items were created, updated and left unchanged; what was skipped."""

    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    skipped: list = field(default_factory=list)
    missing_media: list = field(default_factory=list)
    ignored: Counter = field(default_factory=Counter)  # post types not imported (pages, menus…)
    removed: list = field(default_factory=list)  # (Problem, action): imported before, taken off the site now
    unused_captions: list = field(default_factory=list)  # a post's inline caption its photo did not take

    def count(self, kind, outcome):
        self.counts[kind][outcome] += 1

    def skip(self, kind, original_id, title, code, **params):
        self.skipped.append(Problem(kind, str(original_id), str(title)[:120], code, params))

    def missing(self, kind, original_id, title, code, **params):
        self.missing_media.append(Problem(kind, str(original_id), str(title)[:120], code, params))

    def remove(self, kind, original_id, title, code, action, **params):
        self.removed.append((Problem(kind, str(original_id), str(title)[:120], code, params), action))


def _digest(*parts):
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


# A fingerprint is "<40 hex of the item as exported>.<23 hex of what an editor can change here, as imported>",
# the 64 characters ImportedItem.fingerprint holds. One written before the second part existed is 64 hex: its
# first 40 still compare, and it has no recorded state.
def _stamp(exported, here):
    return f"{exported[:40]}.{here[:23]}"


def _same_export(fingerprint, exported):
    return (fingerprint or "")[:40] == exported[:40]


def _recorded_state(fingerprint):
    return (fingerprint or "").partition(".")[2] or None


def _article_state(text_changed_at, slug, section_id, lead_photo_id, status, deleted_at):
    """What an editor changes on an imported article, not what the system does: publish_scheduled taking a
    scheduled story live changes its status and version but not this (scheduled and published are both "live")."""
    visibility = "trash" if deleted_at else ("live" if status in Article.TIMED else status)
    return _digest(text_changed_at, slug, section_id, lead_photo_id, visibility)[:23]


def _state_of_article(article):
    return _article_state(
        getattr(article, f"text_changed_at_{LANGUAGE}"), getattr(article, f"slug_{LANGUAGE}"), article.section_id,
        article.lead_photo_id, article.status, article.deleted_at,
    )


def _state_of_photo(photo):
    return _digest(*(getattr(photo, f"{name}_{LANGUAGE}") for name in ("caption", "alt_text", "credit")))[:23]


def _revision_time(item, published_at, stored):
    """When WordPress says the post's text last changed, never before its publication (a scheduled post was
    last edited before it came out) nor after the time already stored; None for a draft WordPress never dated."""
    revised = parse_wp_date(item.modified, item.modified_gmt) or published_at
    if revised is None:
        return None
    if published_at:
        revised = max(revised, published_at)
    return min(revised, stored) if stored else revised


def _plain(html, limit):
    """Text for a headline, a name, a caption or a summary: no tags, entities decoded, whitespace folded.
    WordPress keeps titles and names as HTML («Tom &amp; Jerry», «عنوان <em>مائل</em>»)."""
    return plain_text(html)[:limit].strip()


def _cut(value, limit):
    return " ".join((value or "").split())[:limit].strip()


# A credit line at the end of a WordPress caption: «… (تصوير: سامر العلي)», «… — Photo: AFP», «© Reuters».
_CREDIT = re.compile(
    r"(?:[(\[]\s*|[-–—|/]\s*|^|\s)(?:©|photo(?:graph)?\s*:|credit\s*:|image\s*:|تصوير\s*:?|عدسة\s*:?|المصدر\s*:)"
    r"\s*([^()\[\]\n]{2,120}?)\s*[)\]]?\s*$",
    re.IGNORECASE,
)
# WordPress keeps the credit it read from the file's IPTC in the attachment's PHP-serialised metadata.
_SERIALISED_CREDIT = re.compile(r'"credit";s:\d+:"([^"]{1,200})";')


def split_credit(caption):
    """(the caption without its credit line, the credit): «الخزان (تصوير: ريما)» → («الخزان», «ريما»), so a page
    that prints caption and credit does not print the credit twice."""
    caption = caption or ""
    match = _CREDIT.search(caption)
    if not match:
        return caption.strip(), ""
    return caption[:match.start()].rstrip(" \t-–—|/,:،"), match.group(1).strip()


# Where a WordPress address points in the uploads folder: sized copies (-300x200), the big-image copy (-scaled),
# rotated and edited copies all belong to the attachment they were made from.
_VARIANT = re.compile(r"(?:-e\d{10,})?(?:-(?:scaled|rotated))?(?:-\d{1,5}x\d{1,5})?$", re.IGNORECASE)


def uploads_path(address):
    """The part of an address or stored path after ``wp-content/uploads/``, decoded ("2019/03/x.jpg")."""
    path = unquote(urlsplit((address or "").strip()).path, errors="replace")
    lowered = path.lower()
    position = lowered.rfind("/uploads/")
    if position != -1:
        return path[position + len("/uploads/"):]
    return path.lstrip("/")


def media_key(address):
    """What every copy of one upload has in common: its uploads path without a variant's suffix, lower-cased."""
    path = uploads_path(address)
    stem, dot, extension = path.rpartition(".")
    if not dot:
        stem, extension = path, ""
    stem = _VARIANT.sub("", stem)
    return f"{stem}.{extension}".lower() if extension else stem.lower()


def safe_media_file(media_dir, relative):
    """The file under ``media_dir`` for an uploads path, or None if the path would leave the folder."""
    if not relative or "\x00" in relative or "\\" in relative:
        return None
    pure = PurePosixPath(relative)
    if pure.is_absolute() or any(part in {"..", ".", ""} for part in relative.split("/")):
        return None
    root = Path(media_dir).resolve()
    candidate = (root / pure).resolve()
    return candidate if candidate.is_relative_to(root) and candidate != root else None


def parse_wp_date(local, gmt):
    """A post's time: the GMT column when WordPress filled it, else the local one read in the newsroom's zone."""
    for value, zone in ((gmt, timezone.get_fixed_timezone(0)), (local, None)):
        value = (value or "").strip()
        try:
            moment = datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
        except ValueError:  # empty, "0000-00-00 00:00:00" (a draft's GMT date) or garbage
            continue
        if 1900 < moment.year < 2200:
            return timezone.make_aware(moment, zone)
    return None


STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.IN_REVIEW,
    # Only logged-in readers saw a private post there: here it is a draft nobody outside the newsroom sees.
    "private": Article.Status.DRAFT,
}


class Importer:
    """One run of the import. ``progress(phase, done, total)`` is called as items are read."""

    def __init__(self, path, *, media_dir=None, accounts=False, user=None, progress=None, later_renditions=False):
        self.wxr = WXRFile(path)
        self.source = self.wxr.site.source
        self.media_dir = Path(media_dir) if media_dir else None
        self.accounts = accounts
        self.user = user
        self.later_renditions = later_renditions
        # The folder the old site lived in ("/blog" for http://x.example/blog/, "" at the root): its ?p=ID,
        # /archives/ID and /slug/ addresses were under it.
        self.folder = urlsplit(
            self.wxr.site.base_blog_url or self.wxr.site.base_site_url or self.wxr.site.link
        ).path.rstrip("/")
        self.progress = progress or (lambda phase, done, total: None)
        self.report = Report()
        # Caches for the run: what each WordPress login, slug and attachment became here.
        self.people = {}  # author login -> Person pk
        self.sections = {}  # category slug -> Section pk
        self.tags = {}  # tag slug -> Tag pk
        self.photos = {}  # attachment post id -> Photo pk
        self.photos_by_key = {}  # media_key(uploads path) -> Photo pk
        self.known = {}
        self.seen_broken = set()
        self._recorded = set()  # (kind, id) of every item imported in this run: a file naming one twice gets it once
        self.inline_photos = {}  # photo pk -> Photo, for the captions posts give their inline images

    # The run ----------------------------------------------------------------------------------------------

    def run(self):
        # One page generation when the run ends, not one (and a query) after each item's commit.
        with page_cache.one_generation():
            return self._run()

    def _run(self):
        for row in ImportedItem.objects.filter(source=self.source).values(
            "pk", "kind", "original_id", "fingerprint", "article_id", "photo_id", "person_id", "section_id",
            "tag_id", "imported_at", "article__updated_at", f"article__text_changed_at_{LANGUAGE}",
            f"article__slug_{LANGUAGE}", "article__section_id", "article__lead_photo_id", "article__status",
            "article__deleted_at", f"photo__caption_{LANGUAGE}", f"photo__alt_text_{LANGUAGE}",
            f"photo__credit_{LANGUAGE}",
        ):
            self.known[row["kind"], row["original_id"]] = row
        site = self.wxr.site
        for author in site.authors:
            self._guard(Kind.AUTHOR, author.login, author.name, self.import_author, author)
        for term in site.categories + site.tags:
            self._guard(term.kind, term.slug, term.name, self.import_term, term)

        total_posts = 0
        attachments = 0

        def first_pass(post_type):
            nonlocal total_posts
            if post_type == "post":
                total_posts += 1
            elif post_type != "attachment":
                self.report.ignored[post_type] += 1
            return post_type == "attachment"

        for item in self.wxr.items(want=first_pass):
            if isinstance(item, BrokenItem):
                self._broken(item)
                continue
            if item.post_type != "attachment":  # its type could not be told from the bytes alone
                continue
            attachments += 1
            self._guard(Kind.ATTACHMENT, item.post_id, item.title, self.import_attachment, item)
            self.progress("attachments", attachments, None)
        self.progress("attachments", attachments, attachments)
        done = 0
        for item in self.wxr.items(want=lambda post_type: post_type == "post"):
            if isinstance(item, BrokenItem):
                self._broken(item)
                continue
            if item.post_type != "post":  # its type could not be told from the bytes alone
                continue
            done += 1
            self._guard(Kind.POST, item.post_id, item.title, self.import_post, item)
            self.progress("posts", done, max(total_posts, done))
        self.progress("posts", done, done)  # the last line, whatever the file's broken items did to the count
        return self.report

    def _broken(self, item):
        if item.number in self.seen_broken:
            return
        self.seen_broken.add(item.number)
        kind = item.post_type if item.post_type in {Kind.POST, Kind.ATTACHMENT} else Kind.POST
        title = item.title or gettext("item %(number)s in the file") % {"number": item.number}
        if item.reason == "too_large":
            self.report.skip(kind, item.post_id, title, "too_large")
        else:
            self.report.skip(kind, item.post_id, title, "xml", detail=item.reason.removeprefix("xml: "))

    def _guard(self, kind, original_id, title, function, *args):
        """Run one item's import in its own transaction; an error skips the item, never the run.

        A photo file stored for the item is deleted if its transaction rolls back: create_photo cleans up after
        its own failures, but not after a later step of the same item fails.
        """
        self._stored_files = []
        self._new_terms = []
        self._recording = []
        try:
            with transaction.atomic():
                function(*args)
            self._recorded.update(self._recording)  # committed: a later copy of it is a repeat
        except BaseException as error:  # noqa: BLE001 - one bad item must not stop the archive's import
            for cache, key in self._new_terms:  # rolled back with the item: not to be used by the next one
                cache.pop(key, None)
            for photo in self._stored_files:
                photo.image.storage.delete(photo.image.name)
            if not isinstance(error, Exception):
                raise  # Ctrl-C, or the process told to stop: the item's file has gone with its rolled-back row
            if isinstance(error, RepeatedItem):
                self.report.skip(kind, original_id, title, "repeated")
                return
            if isinstance(error, ValidationError):
                detail = "; ".join(error.messages)
            else:
                logger.warning("WordPress import: %s %s failed", kind, original_id, exc_info=error)
                detail = f"{type(error).__name__}: {error}"
            self.report.skip(kind, original_id, title, "error", detail=detail[:300])

    def _claim(self, kind, original_id):
        """The item is this run's: a second copy of one the run has already imported, or found unchanged, raises
        RepeatedItem, so what the copy wrote is rolled back with it and every run keeps the first copy."""
        if (kind, original_id) in self._recorded:
            raise RepeatedItem
        self._recording.append((kind, original_id))

    def _record(self, kind, original_id, fingerprint, **target):
        """Create or update the ImportedItem row linking a WordPress item to what it became (claimed first)."""
        self._claim(kind, original_id)
        known = self.known.get((kind, original_id))
        if known:
            ImportedItem.objects.filter(pk=known["pk"]).update(
                fingerprint=fingerprint, imported_at=timezone.now(), **target
            )
        else:
            ImportedItem.objects.create(
                source=self.source, kind=kind, original_id=original_id, fingerprint=fingerprint, **target
            )

    # Authors, categories, tags ----------------------------------------------------------------------------

    def import_author(self, author):
        if not author.login:
            self.report.skip(Kind.AUTHOR, author.id, author.name, "no_login")
            return
        login = author.login[:300]
        fingerprint = _digest(asdict(author))
        known = self.known.get((Kind.AUTHOR, login))
        name = _plain(author.name, 150) or login[:150]
        if known and known["person_id"]:
            person = Person.objects.get(pk=known["person_id"])
            if known["fingerprint"] == fingerprint:
                self._claim(Kind.AUTHOR, login)
                self.report.count(Kind.AUTHOR, "unchanged")
            else:
                setattr(person, f"name_{LANGUAGE}", name)
                person.save()
                self._record(Kind.AUTHOR, login, fingerprint, person=person)
                self.report.count(Kind.AUTHOR, "updated")
        else:
            person = Person.objects.create(
                **{f"name_{LANGUAGE}": name}, slug=free_slug(Person, name or login, 150),
            )
            self._record(Kind.AUTHOR, login, fingerprint, person=person)
            self.report.count(Kind.AUTHOR, "created")
        if self.accounts and not person.user_id:
            person.user = _inactive_account(author)
            person.save(update_fields=["user"])
            self.report.count("account", "created")
        self.people[author.login] = person.pk
        # WordPress's author archive, /author/<nicename>/: the login as WordPress makes a nicename of it.
        _remember(person, [f"{self.folder}/author/{_NICENAME.sub('-', login.lower()).strip('-')}/"])

    def import_term(self, term):
        """A category as a section, a tag as a tag; its archive's address (/category/<slug>/, /tag/<slug>/, under
        the old site's folder, WordPress's default bases) then leads to its page here."""
        pk = self._import_term(term)
        if pk is not None and term.slug:
            page, base = (Section, "category") if term.kind == "category" else (Tag, "tag")
            _remember(page(pk=pk), [f"{self.folder}/{base}/{term.slug}/"])

    def _import_term(self, term):
        kind = Kind.CATEGORY if term.kind == "category" else Kind.TAG
        key = term.slug or term.name
        if not key:
            return None
        fingerprint = _digest(asdict(term))
        known = self.known.get((kind, key[:300]))
        name = _plain(term.name, 100) or _cut(term.slug, 100)
        target = "section" if kind == Kind.CATEGORY else "tag"
        cache = self.sections if kind == Kind.CATEGORY else self.tags
        if known and known[f"{target}_id"]:
            cache[key] = known[f"{target}_id"]
            if known["fingerprint"] == fingerprint:
                self._claim(kind, key[:300])
                self.report.count(kind, "unchanged")
                return cache[key]
            if kind == Kind.CATEGORY:
                # Saved, not update()d: every public page names the sections, and a save starts a page generation.
                renamed = Section.objects.get(pk=known["section_id"])
                setattr(renamed, f"name_{LANGUAGE}", name)
                renamed.save()
            elif not Tag.objects.called(name).exclude(pk=known["tag_id"]).exists():
                renamed = Tag.objects.get(pk=known["tag_id"])
                renamed.name_ar = name
                renamed.save()  # Tag.save() keeps taggit's own name column the Arabic name
            self._record(kind, key[:300], fingerprint)
            self.report.count(kind, "updated")
            return cache[key]
        if kind == Kind.CATEGORY:
            slug = unicode_slug(term.slug or name, 100) or unicode_slug(name, 100) or "section"
            # A section the newsroom already has under the same address is the same section.
            obj = Section.objects.filter(slug=slug).first() or Section.objects.create(
                **{f"name_{LANGUAGE}": name}, slug=free_slug(Section, slug, 100)
            )
        else:
            obj = Tag.objects.for_names([name])[0]  # found by its name in any edition, as the article form does
        self._record(kind, key[:300], fingerprint, **{target: obj})
        cache[key] = obj.pk
        self.report.count(kind, "created")
        return obj.pk

    def _term_for(self, post_term):
        """A post's category or tag that the header did not list (an export of one category lacks others)."""
        kind = "category" if post_term.domain == "category" else "tag"
        cache = self.sections if kind == "category" else self.tags
        key = post_term.slug or post_term.name
        if key and key not in cache:
            from .wxr import Term

            # Its own savepoint: the term stays cached only if it was written.
            with transaction.atomic():
                self.import_term(Term(kind=kind, id="", slug=post_term.slug, name=post_term.name or post_term.slug))
            self._new_terms.append((cache, key))
        return cache.get(key)

    # Attachments -------------------------------------------------------------------------------------------

    def import_attachment(self, item):
        relative = uploads_path(item.meta.get("_wp_attached_file") or item.attachment_url)
        title = item.title or relative
        extension = relative.rpartition(".")[2].lower()
        if extension not in IMAGE_EXTENSIONS:
            self.report.ignored["non-image attachment"] += 1
            return
        if self.media_dir is None:
            self.report.missing(Kind.ATTACHMENT, item.post_id, title, "no_media_dir")
            return
        path = safe_media_file(self.media_dir, relative)
        if path is None:
            self.report.skip(Kind.ATTACHMENT, item.post_id, title, "unsafe_path", path=relative[:200])
            return
        if not path.is_file():
            self.report.missing(Kind.ATTACHMENT, item.post_id, title, "missing_file", path=relative[:200])
            return
        with path.open("rb") as file:
            # Never more than one byte past the photo limit: a file that large is refused by its size below,
            # and an uploads folder may hold a video or a scan of several gigabytes under an image's name.
            data = file.read(settings.NEWSROOM_PHOTO_MAX_BYTES + 1)
            size = os.fstat(file.fileno()).st_size
        # The content, not the file's size and date: a re-copied uploads folder is the same export.
        exported = item.fingerprint(relative, hashlib.sha256(data).hexdigest())
        known = self.known.get((Kind.ATTACHMENT, item.post_id))
        if known and known["photo_id"]:
            if _same_export(known["fingerprint"], exported):
                self._claim(Kind.ATTACHMENT, item.post_id)
                self._remember_photo(item, relative, known["photo_id"])
                self.report.count(Kind.ATTACHMENT, "unchanged")
                return
            recorded = _recorded_state(known["fingerprint"])
            now = _digest(*(known[f"photo__{name}_{LANGUAGE}"] for name in ("caption", "alt_text", "credit")))
            if recorded and recorded != now[:23]:
                self._remember_photo(item, relative, known["photo_id"])
                self.report.skip(Kind.ATTACHMENT, item.post_id, title, "photo_edited_here")
                return
        try:
            upload = ContentFile(data, name=path.name)
            upload.size = size  # the whole file's, which the refusal of one too large names
            prepared = prepare_upload(upload)
        except ValidationError as error:
            self.report.skip(Kind.ATTACHMENT, item.post_id, title, "refused", detail="; ".join(error.messages))
            return
        caption, credit = split_credit(_plain(item.excerpt, 2000))
        description = _plain(item.content, 2000)
        serialised = _SERIALISED_CREDIT.findall(item.meta.get("_wp_attachment_metadata", ""))
        credit = _cut(credit or (serialised or [""])[0], 200)
        fields = {
            f"caption_{LANGUAGE}": caption or description,
            f"alt_text_{LANGUAGE}": _cut(item.meta.get("_wp_attachment_image_alt", ""), 300),
            f"credit_{LANGUAGE}": credit,
        }
        photo = Photo.objects.filter(pk=known["photo_id"]).first() if known and known["photo_id"] else None
        if photo is None:
            photo = self._create_photo(prepared, fields)
            outcome = "created"
        else:
            for name, value in fields.items():
                setattr(photo, name, value)
            if prepared.digest != photo.source_digest:
                self._replace_image(photo, prepared)
            outcome = "updated"
        if description and caption and description != caption:
            # The Photo has no description field; kept beside what the file said, so nothing is lost.
            kept = {"value": description, "source": "WordPress"}
            photo.embedded_metadata = {**(photo.embedded_metadata or {}), "wordpress_description": kept}
            if outcome == "created":
                photo.save(update_fields=["embedded_metadata"])
        if outcome == "updated":
            photo.save()
        self._record(Kind.ATTACHMENT, item.post_id, _stamp(exported, _state_of_photo(photo)), photo=photo)
        self._remember_photo(item, relative, photo.pk)
        self.report.count(Kind.ATTACHMENT, outcome)

    def _create_photo(self, prepared, fields):
        content = prepared.content
        content.prepared = prepared
        if not self.later_renditions:
            photo = create_photo(file=content, uploaded_by=self.user, **fields)
            self._stored_files.append(photo)
            return photo
        # create_photo's steps without the renditions it makes after the commit: regenerate_renditions makes
        # them after the import, and pages show the original until then (renditions.picture()).
        photo = Photo(uploaded_by=self.user, **fields)
        fill_photo_from_file(photo, prepared)
        photo.full_clean()
        store_photo_file(photo)
        self._stored_files.append(photo)  # deleted again if the item's transaction rolls back
        photo.save()
        return photo

    def _replace_image(self, photo, prepared):
        from .intake import fill_photo_from_file, store_photo_file
        from .renditions import ensure_renditions

        old = photo.image.name
        fill_photo_from_file(photo, prepared)
        store_photo_file(photo)
        self._stored_files.append(photo)
        storage = photo.image.storage
        transaction.on_commit(lambda: storage.delete(old) if old else None, robust=True)
        if not self.later_renditions:
            transaction.on_commit(lambda: ensure_renditions(photo), robust=True)

    def _remember_photo(self, item, relative, pk):
        self.photos[item.post_id] = pk
        self.photos_by_key[media_key(relative)] = pk
        if item.attachment_url:
            self.photos_by_key.setdefault(media_key(item.attachment_url), pk)

    def photo_for(self, address):
        """The library photo's pk for an image address (any sized copy) or "attachment:ID", else None."""
        if address.startswith("attachment:"):
            return self.photos.get(address.removeprefix("attachment:").strip())
        return self.photos_by_key.get(media_key(address))

    # Posts -------------------------------------------------------------------------------------------------

    def _not_importable(self, item):
        """(reason code, params) for a post this run does not import, else None."""
        if item.status == "trash":
            return "trash", {}
        status = STATUSES.get(item.status)
        if status is None:
            return "status", {"status": WORDPRESS_STATUSES.get(item.status, item.status[:40])}
        if status in Article.TIMED and parse_wp_date(item.post_date, item.post_date_gmt) is None:
            return "no_date", {}
        return None

    def _byline_for(self, item, title):
        """The person a post is signed by. An author the export's header does not list (a WXR 1.0 file lists none;
        a deleted author's posts keep the login) is made from the login, as the header's authors are; a post that
        names no author is imported unsigned, and the report says so. Dropped, such posts were lost, and their
        old addresses with them."""
        login = item.creator.strip()
        if not login:
            self.report.missing(Kind.POST, item.post_id, title, "no_author")
            return None
        if login not in self.people:
            self.import_author(Author(id="", login=login))
        return self.people.get(login)

    def import_post(self, item):
        title = _plain(item.title, 250) or gettext("Untitled WordPress post %(id)s") % {"id": item.post_id}
        known = self.known.get((Kind.POST, item.post_id))
        if refused := self._not_importable(item):
            if known and known["article_id"]:
                self._withdraw(item, known, title, *refused)
            else:
                self.report.skip(Kind.POST, item.post_id, title, refused[0], **refused[1])
            return
        status = STATUSES[item.status]
        person_id = self._byline_for(item, title)
        published_at = parse_wp_date(item.post_date, item.post_date_gmt) if status in Article.TIMED else None

        used = []

        def photo_for_url(url, caption=None, alt=None):
            pk = self.photo_for(url or "")
            if pk is None:
                self.report.missing(Kind.POST, item.post_id, title, "inline", url=(url or "")[:200])
                return None
            used.append((pk, caption or "", alt or ""))
            return Photo(pk=pk)

        body = _convert_body(item.content, photo_for_url)
        lead_id = None
        if thumbnail := item.meta.get("_thumbnail_id", "").strip():
            lead_id = self.photos.get(thumbnail)
            if lead_id is None:
                self.report.missing(Kind.POST, item.post_id, title, "featured", id=thumbnail[:20])
        section_id, tag_ids = None, []
        for post_term in item.terms:
            if post_term.domain not in {"category", "post_tag"}:
                continue
            pk = self._term_for(post_term)
            if pk is None:
                continue
            if post_term.domain == "category" and section_id is None:
                section_id = pk
            elif post_term.domain == "category":
                # An article has one section: the post's further categories are kept as tags.
                tag_pk = self._term_for(type(post_term)("post_tag", post_term.slug, post_term.name))
                tag_ids.append(tag_pk)
            else:
                tag_ids.append(pk)
        tag_ids = list(dict.fromkeys(pk for pk in tag_ids if pk))
        exported = item.fingerprint(lead_id, sorted({pk for pk, _c, _a in used}), section_id, tag_ids, person_id)

        restore = False
        if known and known["article_id"]:
            if _same_export(known["fingerprint"], exported):
                self._claim(Kind.POST, item.post_id)
                self._redate_an_earlier_import(item, known, published_at, exported)
                self.report.count(Kind.POST, "unchanged")
                return
            if self._edited_here(known):
                self.report.skip(Kind.POST, item.post_id, title, "edited_here")
                return
            article = Article.objects.get(pk=known["article_id"])
            # Not edited here, yet in the trash: an earlier export had it in WordPress's trash, this one not.
            restore = article.deleted_at is not None
            outcome = "updated"
        else:
            article = Article(created_by=self.user)
            outcome = "created"
        was_timed = article.pk is not None and article.status in Article.TIMED
        setattr(article, f"headline_{LANGUAGE}", title)
        setattr(article, f"summary_{LANGUAGE}", _plain(item.excerpt, 2000))
        setattr(article, f"body_{LANGUAGE}", body)
        setattr(article, f"slug_{LANGUAGE}", unicode_slug(item.post_name, 200) or "")
        article.section_id = section_id
        article.lead_photo_id = lead_id
        if outcome == "updated" and article.status in Article.TIMED and status == Article.Status.DRAFT:
            status = Article.Status.UNPUBLISHED  # taken off the old site: taken off this one too
        article.status = status
        article.published_at = published_at
        article.updated_by = self.user
        # The archive keeps its dates and stays published even where our publishing checklist is unmet
        # (publish_blockers()): publishing through publish() would refuse, and the archive would vanish.
        article.save()
        self._date_revision(article, item, published_at)
        if restore:
            article.restore_from_trash(by=None)
        if outcome == "updated":
            ArticleAuthor.objects.filter(article=article).delete()
            TaggedArticle.objects.filter(content_object=article).delete()
        if person_id is not None:
            ArticleAuthor.objects.create(article=article, person_id=person_id, order=0)
        TaggedArticle.objects.bulk_create([TaggedArticle(content_object=article, tag_id=pk) for pk in tag_ids])
        self._fill_photos(used, item, title)
        _remember(article, [address for address in self._old_addresses(item) if address])
        if status in Article.TIMED and not was_timed:
            AuditEntry.record(
                "scheduled" if status == Article.Status.SCHEDULED else "published", article,
                actor=self.user, detail=gettext("imported from WordPress"),
            )
        elif was_timed and status not in Article.TIMED:
            # Taken off the old site, so off this one: on record, and the ninjs feed tells partners (withdrawals()).
            AuditEntry.record("unpublished", article, actor=self.user, detail=gettext("imported from WordPress"))
        self._record(Kind.POST, item.post_id, _stamp(exported, _state_of_article(article)), article=article)
        self.report.count(Kind.POST, outcome)

    @staticmethod
    def _date_revision(article, item, published_at):
        """The text's last change as WordPress knew it, not the moment of the import: else every imported story
        reads «Updated» today (Article.was_updated), in its byline, its structured data and the sitemap."""
        revised = _revision_time(item, published_at, getattr(article, f"text_changed_at_{LANGUAGE}"))
        if revised is not None:
            setattr(article, f"text_changed_at_{LANGUAGE}", revised)
            Article.objects.filter(pk=article.pk).update(**{f"text_changed_at_{LANGUAGE}": revised})

    def _redate_an_earlier_import(self, item, known, published_at, exported):
        """A post imported, unchanged since, before the importer kept WordPress's revision time reads «Updated» at
        the moment of that import: re-dated once, as the import would date it now, unless it was edited here."""
        stored = known[f"article__text_changed_at_{LANGUAGE}"]
        revised = _revision_time(item, published_at, stored) if stored else None
        if revised is None or revised == stored or self._edited_here(known):
            return
        Article.objects.filter(pk=known["article_id"]).update(**{f"text_changed_at_{LANGUAGE}": revised})
        state = _article_state(
            revised, known[f"article__slug_{LANGUAGE}"], known["article__section_id"],
            known["article__lead_photo_id"], known["article__status"], known["article__deleted_at"],
        )
        # Recorded as this run's state of the story, so the next run does not take the new date for an edit here.
        ImportedItem.objects.filter(pk=known["pk"]).update(fingerprint=_stamp(exported, state))

    def _old_addresses(self, item):
        """The post's permalink, and /?p=ID, /archives/ID and /slug/ under the folder the old site lived in."""
        addresses = [item.link, f"{self.folder}/?p={item.post_id}", f"{self.folder}/archives/{item.post_id}"]
        if item.post_name_raw:
            addresses.append(f"{self.folder}/{item.post_name_raw}/")
        return addresses

    def _edited_here(self, known):
        """Whether an editor changed the imported article here since (see _article_state)."""
        recorded = _recorded_state(known["fingerprint"])
        if recorded is None:  # imported before the state was recorded: the save dates are all there is
            edited = known["article__updated_at"]
            return bool(edited and known["imported_at"] and edited > known["imported_at"])
        now = _article_state(
            known[f"article__text_changed_at_{LANGUAGE}"], known[f"article__slug_{LANGUAGE}"],
            known["article__section_id"], known["article__lead_photo_id"], known["article__status"],
            known["article__deleted_at"],
        )
        return recorded != now

    def _withdraw(self, item, known, title, code, params):
        """A post imported before that this export no longer lets in: readers must not keep seeing it here.

        Trashed in WordPress: moved to our trash (an editor can restore it). Otherwise (a status we do not
        import, an unknown author…): unpublished. Recorded, so the same export does it, and reports it, once.
        """
        exported = item.fingerprint("withdrawn", code)
        if _same_export(known["fingerprint"], exported):
            self._claim(Kind.POST, item.post_id)
            self.report.count(Kind.POST, "unchanged")
            return
        article = Article.objects.get(pk=known["article_id"])
        if code == "trash" and article.deleted_at is None:
            article.move_to_trash(by=None)
            action = "trashed"
        elif article.deleted_at is None and article.status in Article.TIMED:
            article.unpublish(by=None)
            action = "unpublished"
        else:
            action = "kept"
        self._record(Kind.POST, item.post_id, _stamp(exported, _state_of_article(article)))
        self.report.remove(Kind.POST, item.post_id, title, code, action, **params)

    def _fill_photos(self, used, item, title):
        """A body photo takes the caption, credit and alt text its post gave it where it has none of its own; a
        post's caption that a photo with its own did not take is listed in the report, so none is lost silently.
        A photo is read once a run, so a pool used by thousands of posts costs no queries."""
        wanted = {pk for pk, caption, alt in used if caption or alt} - self.inline_photos.keys()
        for photo in Photo.objects.filter(pk__in=wanted) if wanted else []:
            self.inline_photos[photo.pk] = photo
        for pk, caption, alt in used:
            photo = self.inline_photos.get(pk)
            if photo is None:
                continue
            text, credit = split_credit(_plain(caption, 2000))
            credit = _cut(credit, 200)
            changed = []
            own = getattr(photo, f"caption_{LANGUAGE}")
            if text and not own:
                setattr(photo, f"caption_{LANGUAGE}", text)
                changed.append(f"caption_{LANGUAGE}")
            elif text and " ".join(text.split()) != " ".join(split_credit(own)[0].split()):
                self.report.unused_captions.append(
                    Problem(Kind.POST, item.post_id, title[:120], "caption_unused", {"photo": pk, "caption": text})
                )
            if credit and not getattr(photo, f"credit_{LANGUAGE}"):
                setattr(photo, f"credit_{LANGUAGE}", credit)
                changed.append(f"credit_{LANGUAGE}")
            if alt and not getattr(photo, f"alt_text_{LANGUAGE}"):
                setattr(photo, f"alt_text_{LANGUAGE}", _cut(alt, 300))
                changed.append(f"alt_text_{LANGUAGE}")
            if changed:
                photo.save(update_fields=changed)
                self._restamp_photo(photo)

    def _restamp_photo(self, photo):
        """The importer filled this photo's fields from a post: that is the state as imported, not an edit."""
        for row in ImportedItem.objects.filter(source=self.source, kind=Kind.ATTACHMENT, photo=photo):
            row.fingerprint = _stamp(row.fingerprint[:40], _state_of_photo(photo))
            row.save(update_fields=["fingerprint"])


def _convert_body(raw_html, photo_for_url):
    # Imported here: the body converter is its own module (articles/wordpress_content.py).
    from .wordpress_content import convert_post_body

    return convert_post_body(raw_html or "", photo_for_url=photo_for_url)


def _remember(page, addresses):
    from .old_addresses import remember

    remember(page, addresses)


_NICENAME = re.compile(r"[^a-z0-9_-]+")


_USERNAME = re.compile(r"[^\w.@+-]")


def _inactive_account(author):
    """An account for a WordPress author that cannot log in until an administrator invites them.

    Inactive, no usable password, no role: an importer never hands out access, and never takes over an
    existing account (a free username is chosen if the login is taken here).
    """
    users = get_user_model()
    base = _USERNAME.sub("", author.login)[:140] or "wordpress"
    username, number = base, 1
    while users.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}-{number}"
    email = author.email.strip()[:254] if "@" in author.email else ""
    user = users(
        username=username, email=email, first_name=_cut(author.first_name, 150),
        last_name=_cut(author.last_name, 150), is_active=False,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        user.username = f"{base}-{timezone.now():%Y%m%d%H%M%S%f}"[:150]
        user.save()
    return user
