"""Arabic-aware slugs and the allow-list that article bodies are cleaned against."""

import re
import unicodedata

import nh3
from django.utils.text import slugify

# Tashkeel (harakat, tanwin, shadda, sukun, superscript alef) and tatweel carry no meaning in a URL.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def unicode_slug(text, max_length=200):
    """A readable slug that keeps Arabic letters: «الأسد يلتقي بوتين» -> «الأسد-يلتقي-بوتين»."""
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", str(text)))
    return slugify(text, allow_unicode=True)[:max_length].strip("-")


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
}

_body_cleaner = nh3.Cleaner(
    tags={
        "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "ul", "ol", "li",
        "blockquote", "hr", "a",
    },
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def clean_body_html(html):
    """Sanitise editor HTML: scripts, event handlers, styles, iframes and javascript: links go."""
    cleaned = _body_cleaner.clean(html or "").strip()
    return "" if re.fullmatch(r"(<p>\s*</p>\s*)*", cleaned) else cleaned
