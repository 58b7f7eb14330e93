"""Arabic-aware slugs, the allow-list that article bodies are cleaned against, and ids read from requests."""

import html as html_module
import re
import unicodedata
from urllib.parse import urlencode

import nh3
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

# Tashkeel (harakat, tanwin, shadda, sukun, superscript alef) and tatweel carry no meaning in a URL.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


# What XML 1.0 cannot carry: the control characters other than tab and the line ends (a headline pasted from a
# word processor may hold a vertical tab for a line break), lone surrogates, and U+FFFE and U+FFFF. Django's feed
# writer refuses the first, and writes the others into a feed no reader can parse.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """``value`` without the characters XML cannot carry; a list or tuple of texts item by item; anything else
    as it is."""
    if isinstance(value, str):
        return _NOT_IN_XML.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(item) for item in value)
    return value


def whole_number(value, below=2**63):
    """``value`` (an id, a position) as an int if it is written in ASCII digits and is under ``below`` (a database
    integer by default), else None. str.isdigit() alone also passes "²", which int() refuses."""
    value = str(value)
    # Nineteen digits hold any database integer; int() refuses a string of thousands outright.
    if value.isascii() and value.isdigit() and len(value) <= 19 and int(value) < below:
        return int(value)
    return None


def unicode_slug(text, max_length=200):
    """A readable slug that keeps Arabic letters: «الأسد يلتقي بوتين» -> «الأسد-يلتقي-بوتين»."""
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", str(text)))
    return slugify(text, allow_unicode=True)[:max_length].strip("-")


def tag_name(text):
    """A tag's name as typed, in one spelling: Unicode's compatible forms (NFKC: «ﻻ» is «لا», a letter and its
    combining accent one letter), no invisible format character (direction marks, zero-width joiners), spaces
    collapsed. Names that look alike are then one name, and one that shows nothing is no name."""
    text = "".join(char for char in unicodedata.normalize("NFKC", str(text)) if unicodedata.category(char) != "Cf")
    return " ".join(text.split())


# Bidirectional embeddings, overrides and isolates (LRE…RLO, LRI…PDI): in a name they reorder what follows.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_direction_controls(text):
    """The text without bidirectional control characters, whitespace folded: a name as the reader should see it."""
    return " ".join(_DIRECTION_CONTROLS.sub("", text).split())


# Format characters that do show a sign: the Arabic number and end-of-ayah marks (۝), among others.
_VISIBLE_FORMAT = set("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2")


def shows_something(text):
    """Whether ``text`` holds anything a reader sees: not only spaces and invisible format characters (direction
    marks, zero-width joiners), which a credit or an alt text must not pass for."""
    return any(
        not char.isspace() and (unicodedata.category(char) != "Cf" or char in _VISIBLE_FORMAT) for char in text or ""
    )


def words_or_nothing(text):
    """``text``, or "" where it shows nothing (shows_something): how a caption, credit or alt text is stored."""
    return text if shows_something(text) else ""


def free_slug(model, text, max_length):
    """A slug for ``text`` that no row of ``model`` has yet: «سامر-العلي», else «سامر-العلي-2»…"""
    base = unicode_slug(text, max_length - 6) or model._meta.model_name
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


# What the rich-text editor offers is what survives a save: nothing else reaches a page.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # A library photo placed in the body (static/js/editor-photo.js). It is stored as an empty
    # <figure data-photo-id="N"></figure>; readers get the photo's renditions, caption and credit.
    # The addresses are resolved when the editor is drawn, so they follow the admin's language prefix.
    "Photo": {
        # The thumbnail view of photo 0: the script puts the chosen photo's id in place of the 0.
        "thumbnailUrl": reverse_lazy("admin:articles_photo_thumbnail", args=[0]),
        # The admin's own autocomplete for the lead photo: it searches the library as the editor may.
        "searchUrl": format_lazy(
            "{}?{}", reverse_lazy("admin:autocomplete"),
            urlencode({"app_label": "articles", "model_name": "article", "field_name": "lead_photo"}),
        ),
        "stylesheet": lazy(static, str)("css/editor-photo.css"),
        "labels": {
            "insert": _("Insert photo"),
            "title": _("Insert a photo from the library"),
            "search": _("Search the photo library"),
            "cancel": _("Cancel"),
            "searching": _("Searching…"),
            "empty": _("No photo matches this search."),
            "failed": _("The photo library could not be searched. Try again."),
            "more": _("More photos match: add words to narrow the search."),
            "preview": _("Photo from the library"),
        },
    },
}

# An inline photo is referenced by its id alone; the sanitiser keeps nothing else of a figure.
_PHOTO_ID = re.compile(r"[0-9]{1,18}")  # 18 digits: never past a 64-bit primary key


def _keep_attribute(element, attribute, value):
    if element == "figure":
        return str(int(value)) if _PHOTO_ID.fullmatch(value) else None
    return value


_body_cleaner = nh3.Cleaner(
    tags={
        "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "ul", "ol", "li",
        "blockquote", "hr", "a", "figure",
    },
    attributes={"a": {"href", "title"}, "ol": {"start"}, "figure": {"data-photo-id"}},
    attribute_filter=_keep_attribute,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)

# nh3 serialises a parsed tree: every element is closed, and "<" or ">" inside text or an attribute value is
# escaped, so in its output these patterns can only match real tags.
_TAG = re.compile(r"<(/?)([a-z0-9]+)([^>]*)>")
_FIGURE_ID = re.compile(r' data-photo-id="([0-9]+)"')
_INLINE_PHOTO = re.compile(r'<figure data-photo-id="([0-9]+)"></figure>')
_VOID = {"br", "hr"}
# A figure is a block: it may stand at the top level, in a quotation or in a list item, where the editor
# can put it. Inside a paragraph, heading, link or bold text it would break the page, so it goes.
_FIGURE_PARENTS = {"blockquote", "li"}
_FIGURE_ANCESTORS = {"blockquote", "ul", "ol", "li"}


def _normalise_figures(html):
    """Every figure becomes exactly ``<figure data-photo-id="N"></figure>``, or goes if it has no id."""
    if "<figure" not in html:
        return html
    pieces, stack, copied_up_to = [], [], 0
    figure = None  # (depth, id to keep or None) of the outermost figure being dropped or rewritten
    for tag in _TAG.finditer(html):
        closing, name = tag[1], tag[2]
        if name in _VOID:
            continue
        if not closing:
            if name == "figure" and figure is None:
                pieces.append(html[copied_up_to:tag.start()])
                photo_id = _FIGURE_ID.search(tag[3])
                well_placed = not stack or (stack[-1] in _FIGURE_PARENTS and _FIGURE_ANCESTORS.issuperset(stack))
                figure = (len(stack), photo_id[1] if photo_id and well_placed else None)
            stack.append(name)
            continue
        stack.pop()
        if name == "figure" and figure is not None and len(stack) == figure[0]:
            if figure[1]:
                pieces.append(f'<figure data-photo-id="{figure[1]}"></figure>')
            copied_up_to, figure = tag.end(), None
    pieces.append(html[copied_up_to:])
    return "".join(pieces)


# Leading space and byte order marks; the trailing space goes with rstrip(). One pattern for both ends ("\s+$")
# retried at every position of a long run of spaces inside the text: 100,000 spaces took 70 s.
_LEADING_SPACE = re.compile(r"^[\s\ufeff]+")
_SHOWN_WITHOUT_TEXT = re.compile(r"<(?:figure|hr)\b")


def clean_body_html(html):
    """Sanitise editor HTML: scripts, event handlers, styles, iframes and javascript: links go."""
    # A byte order mark that ends up first is dropped by the parser on the next cleaning: it goes now, so
    # cleaning a clean body changes nothing (tests/test_fuzz_sanitiser.py found it).
    cleaned = _LEADING_SPACE.sub("", _normalise_figures(_body_cleaner.clean(html or ""))).rstrip()
    return cleaned if _shows_something_in(cleaned) else ""


def _shows_something_in(cleaned):
    """Whether a clean body shows readers anything: text, or a photo or a rule. The editor posts a body emptied
    with Enter as «<p></p><p><br></p>», which must not pass for a body (a translation would go live empty)."""
    return bool(_SHOWN_WITHOUT_TEXT.search(cleaned)) or shows_something(html_module.unescape(_TAG.sub(" ", cleaned)))


def inline_photo_ids(html):
    """The ids of the library photos a body shows, in order of appearance, each once."""
    return list(dict.fromkeys(int(photo_id) for photo_id in _INLINE_PHOTO.findall(clean_body_html(html))))


def replace_inline_photos(clean_html, render):
    """Put ``render(photo_id)`` in place of each inline photo of an already cleaned body."""
    return _INLINE_PHOTO.sub(lambda match: render(int(match[1])), clean_html)
