"""Issue 7, point 9: the body sanitiser (articles/text.py) under property-based fuzzing.

Bodies are drawn from a grammar of the tags, attributes, addresses and entities attackers use, mixed with
random Unicode. Whatever goes in, nothing that runs comes out, and cleaning twice changes nothing.
"""

import re

from hypothesis import example, given
from hypothesis import strategies as st

import tests.fuzzing  # noqa: F401 - loads the bounded CI profile
from articles.text import clean_body_html, inline_photo_ids, replace_inline_photos
from tests.xss_payloads import PAYLOADS, check_html

TAGS = [
    "p", "b", "i", "a", "script", "SCRIPT", "ScRiPt", "style", "iframe", "svg", "math", "img", "figure", "ul",
    "li", "blockquote", "h2", "h3", "div", "object", "embed", "form", "input", "textarea", "title", "noscript",
    "template", "xmp", "plaintext", "br", "hr", "table", "select", "option", "base", "meta", "link",
]
ATTRIBUTES = [
    "href", "src", "onerror", "onload", "ONCLICK", "onmouseover", "style", "data-photo-id", "title", "start",
    "xlink:href", "formaction", "srcdoc", "class", "id", "target", "rel",
]
VALUES = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:x", "https://example.org/", "mailto:a@b.c", "12",
    "007", "99999999999999999999", "-1", "1 onload=alert(1)", "expression(alert(1))", '"><script>x</script>',
    "", " ", "\x00", "\u202e", "#",
]
ENTITIES = ["&lt;", "&gt;", "&amp;", "&quot;", "&#60;", "&#x3C;", "&colon;", "&Tab;", "&", "&#0;", "&#xD800;"]
RAW = ["<!--", "-->", "<![CDATA[", "]]>", "<", ">", "</", "/>", "<?", "<!DOCTYPE html>", "\x00", "\u200b", "\ufeff"]

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
attribute = st.builds(
    lambda name, quote, value: f" {name}={quote}{value}{quote}",
    st.sampled_from(ATTRIBUTES), st.sampled_from(['"', "'", ""]), st.sampled_from(VALUES) | text,
)
open_tag = st.builds(
    lambda tag, attrs, end: f"<{tag}{''.join(attrs)}{end}",
    st.sampled_from(TAGS), st.lists(attribute, max_size=3), st.sampled_from([">", "/>", "", " >"]),
)
close_tag = st.sampled_from(TAGS).map(lambda tag: f"</{tag}>")
piece = open_tag | close_tag | text | st.sampled_from(ENTITIES + RAW + PAYLOADS)
body = st.lists(piece, max_size=25).map("".join)

# nh3 escapes every "<" of text, so in its output a "<" opens a real tag and these patterns mean markup.
RUNS = re.compile(
    r"<\s*/?\s*(script|style|iframe|svg|math|object|embed|img|form|input|base|meta|link|template)\b"
    r"|<[^>]*\son[a-z]+\s*=|<[^>]*(javascript|vbscript|data):",
    re.I,
)


@given(body)
@example("<a href='&#x6A;avascript:alert(1)'>x</a>")
@example('<figure data-photo-id="1"><figure data-photo-id="2"></figure></figure>')
@example("<p><figure data-photo-id='3'></figure></p><li><figure data-photo-id=4>")
def test_cleaned_body_holds_nothing_that_runs(html):
    cleaned = clean_body_html(html)
    assert not RUNS.search(cleaned), cleaned
    assert not check_html(f"<div>{cleaned}</div>")


@given(body)
@example("</b>\ufeff<img src=x onerror=alert(1)>")  # a byte order mark left first: found by this test
@example("\ufeff \ufeff<p>x</p>")
def test_cleaning_is_idempotent(html):
    once = clean_body_html(html)
    assert clean_body_html(once) == once


@given(body)
def test_inline_photos_become_exactly_what_the_renderer_returns(html):
    cleaned = clean_body_html(html)
    ids = inline_photo_ids(cleaned)
    rendered = replace_inline_photos(cleaned, lambda photo_id: f"<figure class=photo>{photo_id}</figure>")
    assert "data-photo-id" not in rendered
    assert rendered.count("<figure class=photo>") == cleaned.count("<figure data-photo-id=")
    assert all(0 <= photo_id < 10**18 for photo_id in ids)
