"""Reading a WordPress export (WXR 1.0, 1.1 and 1.2) into plain dataclasses, item by item, without the database.

The file is streamed: the channel's header (site, authors, categories, tags) is parsed once, then each
``<item>…</item>`` is cut from the byte stream and parsed on its own, wrapped in the ``<rss>`` element's namespace
declarations. A broken item (bad XML, an undefined entity, invalid UTF-8) becomes a ``BrokenItem`` with its reason,
and the items after it are read as usual; a huge export never sits in memory at once.

Every parse goes through defusedxml with DTDs forbidden: a file that declares entities (the "billion laughs") is
refused before anything expands, and no external entity is ever fetched.
"""

import codecs
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import unquote

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext

# WordPress writes these prefixes; the URIs differ between WXR versions (wp:), so they are read from the file.
KNOWN_NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
CHUNK_SIZE = 1 << 20
# One item larger than this is garbage, not a post: it is skipped without being parsed or kept in memory.
MAX_ITEM_BYTES = 64 << 20
MAX_HEADER_BYTES = 256 << 20
_ITEM_START = b"<item>"
# An item ends at </item> followed by the next item or the end of the channel: a literal "</item>" inside a post's
# text (CDATA) is then not taken for the end.
_ITEM_END = re.compile(rb"</item>\s*(?=<item>|</channel>|$)")
_NAMESPACE = re.compile(rb'\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*("[^"]*"|\'[^\']*\')')
_RSS_START = re.compile(rb"<rss\b[^>]*>", re.S)
_POST_ID = re.compile(rb"<wp:post_id>\s*(?:<!\[CDATA\[)?\s*(\d{1,20})")
_TITLE = re.compile(rb"<title>\s*(?:<!\[CDATA\[)?([^<\]]{0,200})")
_POST_TYPE = re.compile(rb"<wp:post_type>\s*(?:<!\[CDATA\[)?\s*([\w-]{1,40})")
_XML_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\?>")
_DECLARED_ENCODING = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.-]{0,40})["']"""
)


class WXRError(Exception):
    """The file as a whole cannot be read (not a WXR export, or a header that is not well-formed)."""


@dataclass
class Author:
    id: str
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self):
        full = f"{self.first_name} {self.last_name}".strip()
        return self.display_name or full or self.login


@dataclass
class Term:
    kind: str  # "category" or "tag"
    id: str
    slug: str  # decoded: Arabic letters, not %D8%…
    name: str
    parent: str = ""  # the parent category's slug
    description: str = ""


@dataclass
class PostTerm:
    domain: str  # "category", "post_tag", "post_format", …
    slug: str
    name: str


@dataclass
class Item:
    """A post, a page or an attachment, with the fields the importer reads (everything as exported, as text)."""

    post_id: str
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    modified: str = ""
    modified_gmt: str = ""
    status: str = ""
    post_name: str = ""  # decoded
    post_name_raw: str = ""  # as exported (percent-encoded for Arabic slugs)
    parent: str = ""
    attachment_url: str = ""
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    number: int = 0  # position in the file, counted from 1

    def fingerprint(self, *extra):
        """A hash of everything exported about the item (its modified date included), and of ``extra``."""
        data = asdict(self)
        data.pop("number")
        return hashlib.sha256(json.dumps([data, extra], sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class BrokenItem:
    number: int
    post_id: str
    title: str
    reason: str
    post_type: str = ""


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    language: str = ""
    wxr_version: str = ""
    authors: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    tags: list = field(default_factory=list)

    @property
    def source(self):
        """The site's address, the same however it was written: what keeps two sites' post 12 apart."""
        url = (self.base_site_url or self.base_blog_url or self.link or "").strip().rstrip("/")
        return re.sub(r"^[a-z]+://", "", url, flags=re.I).lower()[:300]


class WXRFile:
    """One export on disk: ``site`` is its header, ``items()`` streams its items."""

    def __init__(self, path):
        self.path = path
        self._declarations = b"<rss>"
        self.encoding = "utf-8"
        self.namespaces = dict(KNOWN_NAMESPACES)
        self.site = self._read_header()

    def _read_header(self):
        buffer = b""
        with open(self.path, "rb") as handle:
            while _ITEM_START not in buffer and len(buffer) < MAX_HEADER_BYTES:
                chunk = handle.read(CHUNK_SIZE)
                if not chunk:
                    break
                buffer += chunk
        self.encoding = _declared_encoding(buffer)
        start = buffer.find(_ITEM_START)
        header = buffer[:start] if start != -1 else buffer.split(b"</channel>")[0]
        rss = _RSS_START.search(header)
        if not rss or b"<channel" not in header:
            raise WXRError(gettext("this is not a WordPress export (it has no <rss> and <channel>)."))
        # Each item is parsed inside this start tag, so its prefixes mean what they mean in the whole file.
        self._declarations = rss.group(0)
        for prefix, uri in _NAMESPACE.findall(self._declarations):
            self.namespaces[prefix.decode()] = uri[1:-1].decode("utf-8", "replace")
        try:
            header = _XML_DECLARATION.sub(b"", header, count=1)
            root = fromstring(self._xml(header + b"</channel></rss>"), forbid_dtd=True)
        except DTDForbidden:
            raise WXRError(gettext(
                "the file declares a DOCTYPE, which WordPress exports never do (it can hide entities that expand "
                "to gigabytes): it was refused unread."
            )) from None
        except (DefusedXmlException, SyntaxError, ValueError) as error:
            reason = gettext("the export's header is not well-formed XML (%(error)s).") % {"error": error}
            raise WXRError(reason) from None
        return self._site(root)

    def _site(self, root):
        channel = root.find("channel")
        if channel is None:
            raise WXRError(gettext("this is not a WordPress export (it has no <channel>)."))
        text = self._text
        site = Site(
            title=text(channel, "title"), link=text(channel, "link"),
            base_site_url=text(channel, "wp:base_site_url"), base_blog_url=text(channel, "wp:base_blog_url"),
            language=text(channel, "language"), wxr_version=text(channel, "wp:wxr_version"),
        )
        for element in channel.findall(self._tag("wp:author")):
            site.authors.append(Author(
                id=text(element, "wp:author_id"), login=text(element, "wp:author_login"),
                email=text(element, "wp:author_email"), display_name=text(element, "wp:author_display_name"),
                first_name=text(element, "wp:author_first_name"), last_name=text(element, "wp:author_last_name"),
            ))
        for element in channel.findall(self._tag("wp:category")):
            site.categories.append(Term(
                kind="category", id=text(element, "wp:term_id"),
                slug=decode_slug(text(element, "wp:category_nicename")),
                name=text(element, "wp:cat_name"), parent=decode_slug(text(element, "wp:category_parent")),
                description=text(element, "wp:category_description"),
            ))
        for element in channel.findall(self._tag("wp:tag")):
            site.tags.append(Term(
                kind="tag", id=text(element, "wp:term_id"), slug=decode_slug(text(element, "wp:tag_slug")),
                name=text(element, "wp:tag_name"), description=text(element, "wp:tag_description"),
            ))
        return site

    def _tag(self, name):
        prefix, _colon, local = name.rpartition(":")
        return f"{{{self.namespaces[prefix]}}}{local}" if prefix else local

    def _text(self, element, name):
        child = element.find(self._tag(name))
        return (child.text or "").strip() if child is not None else ""

    # Items --------------------------------------------------------------------------------------------------

    def raw_items(self):
        """(number, bytes) of every item in the file, in order; a too-large item as (number, None)."""
        number = 0
        buffer = b""
        with open(self.path, "rb") as handle:
            eof = False
            skipping = False  # inside an item too large to keep: drop bytes until its end
            while True:
                start = buffer.find(_ITEM_START)
                if start == -1 and not skipping:
                    if eof:
                        return
                    buffer = buffer[-len(_ITEM_START):]  # a marker may straddle two chunks
                else:
                    begin = 0 if skipping else start
                    end = _ITEM_END.search(buffer, begin + (0 if skipping else len(_ITEM_START)))
                    # The end is certain only once the lookahead could see what follows it.
                    if end and (end.end() < len(buffer) - 16 or eof):
                        if skipping:
                            skipping = False
                        else:
                            number += 1
                            yield number, buffer[start:end.end()]
                        buffer = buffer[end.end():]
                        continue
                    if eof:
                        if not skipping and start != -1:
                            number += 1
                            yield number, buffer[start:]  # unterminated: reported as broken
                        return
                    if len(buffer) - begin > MAX_ITEM_BYTES:
                        if not skipping:
                            number += 1
                            yield number, None
                        skipping = True
                        buffer = buffer[-64:]
                    elif begin:
                        buffer = buffer[begin:]
                chunk = handle.read(CHUNK_SIZE)
                eof = not chunk
                buffer += chunk

    def items(self, *, want=None):
        """Every item as an Item, or a BrokenItem with the reason it could not be read.

        ``want(post_type)`` picks items by their type before they are parsed (a broken item is always given).
        """
        for number, raw in self.raw_items():
            if raw is None:
                yield BrokenItem(number, "", "", "too_large")
                continue
            post_type = _guess_type(raw)
            if want is not None and post_type and not want(post_type):
                continue
            item = self._parse(number, raw)
            if want is not None and not post_type and getattr(item, "post_type", "") and not want(item.post_type):
                continue  # its bytes named two types; parsed, it is one of those not wanted
            parts = _split_unterminated(raw) if isinstance(item, BrokenItem) else [raw]
            if len(parts) == 1:
                yield item
            else:
                yield from (self._parse(number, part) for part in parts)

    def _xml(self, fragment):
        """A part of the file, as a document in the encoding the file declares (older Arabic sites exported
        windows-1256), under the name Python gives it ("utf8" is "utf-8", which expat reads itself)."""
        return f'<?xml version="1.0" encoding="{self.encoding}"?>'.encode() + fragment

    def _parse(self, number, raw):
        wrapped = self._xml(self._declarations + raw + b"</rss>")
        try:
            root = fromstring(wrapped, forbid_dtd=True)
            element = root.find("item")
            if element is None:
                raise ValueError("no item")
            return self._item(number, element)
        except (DefusedXmlException, SyntaxError, ValueError, KeyError) as error:
            return BrokenItem(
                number, _guess(_POST_ID, raw), _guess(_TITLE, raw, self.encoding), f"xml: {error}"[:300],
                _guess_type(raw),
            )

    def _item(self, number, element):
        text = self._text
        item = Item(
            post_id=text(element, "wp:post_id"), post_type=text(element, "wp:post_type"),
            title=text(element, "title"), link=text(element, "link"), guid=text(element, "guid"),
            creator=text(element, "dc:creator"), content=_raw_text(element.find(self._tag("content:encoded"))),
            excerpt=_raw_text(element.find(self._tag("excerpt:encoded"))),
            post_date=text(element, "wp:post_date"), post_date_gmt=text(element, "wp:post_date_gmt"),
            modified=text(element, "wp:post_modified"), modified_gmt=text(element, "wp:post_modified_gmt"),
            status=text(element, "wp:status"), post_name_raw=text(element, "wp:post_name"),
            parent=text(element, "wp:post_parent"), attachment_url=text(element, "wp:attachment_url"),
            number=number,
        )
        if not (item.post_id.isascii() and item.post_id.isdigit() and len(item.post_id) <= 19):
            raise ValueError("no wp:post_id, or one no database integer holds")
        item.post_name = decode_slug(item.post_name_raw)
        for category in element.findall("category"):
            item.terms.append(PostTerm(
                domain=category.get("domain", ""), slug=decode_slug(category.get("nicename", "")),
                name=(category.text or "").strip(),
            ))
        for meta in element.findall(self._tag("wp:postmeta")):
            key = text(meta, "wp:meta_key")
            if key:
                item.meta[key] = _raw_text(meta.find(self._tag("wp:meta_value")))
        return item


def decode_slug(value):
    """WordPress stores Arabic slugs percent-encoded (upper- or lower-case hex); we keep the letters. A %00 is
    dropped: SQLite keeps a NUL, PostgreSQL refuses it (and a backup of the one would not restore into the other)."""
    return unquote(value or "", errors="replace").replace("\x00", "").strip()


def _raw_text(element):
    return "" if element is None else element.text or ""


def _guess(pattern, raw, encoding="utf-8"):
    """A field read from the bytes of an item that does not parse, to name it in the report."""
    match = pattern.search(raw or b"")
    return match.group(1).decode(encoding, "replace").strip() if match else ""


def _guess_type(raw):
    """The item's post type read from its bytes, or "" when they name more than one: a post's own text may show
    a <wp:post_type> (an article about WordPress), and only parsing it tells which is the item's."""
    found = {match.strip() for match in _POST_TYPE.findall(raw or b"")}
    return found.pop().decode() if len(found) == 1 else ""


def _declared_encoding(head):
    """The encoding the file's XML declaration names (UTF-8 without one). Items are cut from the bytes at their
    ASCII tags, so an encoding that does not write ASCII as ASCII (UTF-16, UTF-32) is refused with what to do."""
    declared = _DECLARED_ENCODING.match(head)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (declared is None and b"\x00" in head[:4]):
        name = "UTF-16"
    else:
        name = declared.group(1).decode() if declared else "utf-8"
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise WXRError(gettext("the export names an encoding that is not known: %(name)s.") % {"name": name}) from None
    if codec.encode("<item>")[0] != _ITEM_START:
        raise WXRError(gettext(
            "the export is in %(name)s: save it as UTF-8 (for example with iconv) and import that."
        ) % {"name": name})
    return codec.name


def _split_unterminated(raw):
    """An item whose </item> is missing swallows the next one: give each its own chance to parse (only an item
    that does not parse whole, so a post quoting "<item>" in its text stays one post)."""
    parts = raw.split(b"\n\t<item>")
    if len(parts) == 1:
        return [raw]
    return [parts[0], *(b"<item>" + part for part in parts[1:])]
