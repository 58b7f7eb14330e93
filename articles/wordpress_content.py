"""WordPress post bodies (a WXR export's <content:encoded>) turned into the HTML our body editor produces.

The importer (articles/wordpress.py) calls ``convert_post_body`` once per post. Block comments and shortcodes go,
classic-editor newlines become paragraphs the way WordPress's wpautop() makes them, and every image becomes a
library photo placed as a block, ``<figure data-photo-id="N"></figure>``, or is left out. The result is cleaned
by the body sanitiser (articles/text.py), so nothing an old post holds can run on our pages.
"""

import html
import re
from dataclasses import dataclass, field

import nh3

# The sanitiser's own rule for where a figure may stand: a photo placed anywhere else would be dropped by it.
from .text import _FIGURE_ANCESTORS, _FIGURE_PARENTS, BODY_EXTENSIONS, clean_body_html

__all__ = ["convert_post_body"]


def convert_post_body(raw_html, *, photo_for_url):
    """The clean article body for a WordPress post's raw content.

    ``photo_for_url(url, caption=..., alt=...)`` is asked once for every image, in document order (a figure's
    images when the figure closes, since its caption follows them), with the image's ``src`` (``srcset`` is
    ignored), the text of its <figcaption> or [caption] shortcode and its alt text. It returns the library photo
    (anything with a ``pk``) or None, and then the image and its caption are left out. Images of a
    ``[gallery ids="4,7"]`` shortcode are asked for as ``"attachment:4"``, ``"attachment:7"``, the WordPress
    attachment ids, with an empty caption and alt: the caller knows the attachments. What ``photo_for_url``
    raises is passed on; nothing in the post itself makes this raise.
    """
    text = str(raw_html or "").replace("\r\n", "\n").replace("\r", "\n")
    # WordPress runs wpautop() only on classic posts: a post with blocks already holds its paragraphs.
    has_blocks = "<!-- wp:" in text
    text = _strip_comments(text)
    text = _BARE_URL_LINE.sub(_link_for_bare_url, text)
    if not has_blocks:
        text = autop(text)
    text = _flatten_deep_nesting(_expand_shortcodes(text))
    return clean_body_html(_Body(photo_for_url).convert(_wide_cleaner.clean(text)))


# Comments ---------------------------------------------------------------------------------------------------

def _strip_comments(text):
    """Every <!-- … --> goes: Gutenberg's <!-- wp:… --> and <!-- /wp:… --> delimiters (their inner HTML stays),
    <!--more--> and <!--nextpage-->. An unclosed comment hides the rest, as it does in a browser.

    A scan with str.find rather than a regular expression: a post full of unclosed "<!--" stays linear."""
    pieces, position = [], 0
    while (start := text.find("<!--", position)) >= 0:
        pieces.append(text[position:start])
        if text.startswith(">", start + 4):  # "<!-->" and "<!--->" are whole (empty) comments in HTML
            position = start + 5
        elif text.startswith("->", start + 4):
            position = start + 6
        elif (end := text.find("-->", start + 4)) >= 0:
            position = end + 3
        else:
            return "".join(pieces)
    pieces.append(text[position:])
    return "".join(pieces)


# Embeds: an address alone on its line (WordPress's autoembed), or in <p> on its own, becomes a plain link.
# Possessive quantifiers: a long run of spaces is read once, never retried.
_BARE_URL_LINE = re.compile(
    r"^[ \t]*+(?:<p>[ \t]*+)?(https?://[^\s<>\"\[\]]++)[ \t]*+(?:</p>)?[ \t]*+$", re.M | re.I,
)


def _link_paragraph(url):
    url = html.escape(html.unescape(url))
    return f'<p><a href="{url}">{url}</a></p>'


def _link_for_bare_url(match):
    return _link_paragraph(match[1])


# wpautop ----------------------------------------------------------------------------------------------------
# WordPress's wpautop() (wp-includes/formatting.php), the parts that shape a post: a blank line starts a new
# paragraph, a single newline inside one is a <br>, block elements are never wrapped in <p>, <pre> is left as
# it is. Done chunk by chunk rather than with WordPress's whole-text regular expressions, so that hostile input
# cannot make it quadratic.

_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    r"blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|"
    r"nav|figure|figcaption|details|menu|summary)"
)
_BLOCK_OPENING = re.compile(rf"(<{_BLOCKS}[\s/>])", re.I)
_BLOCK_CLOSING = re.compile(rf"(</{_BLOCKS}>)", re.I)
_HR = re.compile(r"(<hr\s*/?>)", re.I)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.I)
_ANY_TAG = re.compile(r"<[^<>]*>")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LEADING_BLOCK_TAG = re.compile(rf"\s*</?{_BLOCKS}(?:[\s/][^<>]*)?>", re.I)
_BLOCK_TAG = re.compile(rf"</?{_BLOCKS}(?:[\s/][^<>]*)?>\s*", re.I)
_BLOCK_CLOSING_TAG = re.compile(rf"</{_BLOCKS}>\s*", re.I)
_BLOCKQUOTE = re.compile(r"<blockquote[\s>]", re.I)
# No <br> before these, as in wpautop.
_BREAKS_NO_LINE = re.compile(r"\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[\s/>]", re.I)
_ENDS_WITH_BR = re.compile(r"<br\s*/?>$", re.I)
_PRE_START = re.compile(r"<pre[\s>]", re.I)
_PRE_END = re.compile(r"</pre>", re.I)
_PRE_PLACEHOLDER = re.compile(r"<pre wp-pre-tag-([0-9]+)></pre>")


def autop(text):
    """Paragraphs from a classic-editor post's newlines, as WordPress's wpautop() makes them."""
    if not text.strip():
        return ""
    text, kept = _set_aside_pre(text)
    text = _DOUBLE_BR.sub("\n\n", text)
    text = _BLOCK_OPENING.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSING.sub(r"\1\n\n", text)
    text = _HR.sub(r"\1\n\n", text)
    text = _ANY_TAG.sub(lambda match: match[0].replace("\n", " "), text)  # a tag's newlines are no paragraphs
    paragraphs = [_paragraph(chunk.strip("\n")) for chunk in _PARAGRAPH_BREAK.split(text) if chunk.strip()]
    text = "\n".join(paragraphs)
    if kept:
        text = _PRE_PLACEHOLDER.sub(lambda match: kept[int(match[1])] if int(match[1]) < len(kept) else "", text)
    return text


def _set_aside_pre(text):
    """<pre> blocks out of wpautop's way, replaced by numbered placeholders; their lines kept as <br>."""
    pieces, kept, position = [], [], 0
    while start := _PRE_START.search(text, position):
        if not (end := _PRE_END.search(text, start.end())):
            break
        pieces.append(text[position:start.start()] + f"<pre wp-pre-tag-{len(kept)}></pre>")
        kept.append(text[start.start():end.end()].replace("\n", "<br>\n"))
        position = end.end()
    pieces.append(text[position:])
    return "".join(pieces), kept


def _paragraph(chunk):
    """One chunk between blank lines. Block tags stand alone in their chunk's first and last place (a blank
    line is put around each), so only the chunk's ends need looking at."""
    if leading := _LEADING_BLOCK_TAG.match(chunk):
        head, rest = chunk[:leading.end()], chunk[leading.end():]
        if not (_BLOCKQUOTE.match(head.lstrip()) and rest.strip()):
            return head + _line_breaks(rest)
        # A quotation's text gets a paragraph inside it, as wpautop moves the <p> in.
        chunk = rest
    else:
        head = ""
    tail = ""
    last_tag = chunk.rfind("<")
    if last_tag >= 0 and _BLOCK_CLOSING_TAG.fullmatch(chunk, last_tag):
        chunk, tail = chunk[:last_tag], chunk[last_tag:]
    return f"{head}<p>{_line_breaks(chunk)}</p>{tail}"


def _line_breaks(text):
    """A newline inside a paragraph is a <br>, unless a block tag or a <br> already ends the line before it, or
    a block tag starts the next one."""
    lines = text.split("\n")
    pieces = [lines[0]]
    for line in lines[1:]:
        before = pieces[-1].rstrip()
        last_tag = before.rfind("<")
        no_break = (
            not before
            or _ENDS_WITH_BR.search(before)
            or (last_tag >= 0 and _BLOCK_TAG.fullmatch(before, last_tag))
            or _BREAKS_NO_LINE.match(line)
        )
        pieces[-1] = before
        pieces.append("\n" + line if no_break else "<br>\n" + line)
    return "".join(pieces)


# Shortcodes -------------------------------------------------------------------------------------------------

# One shortcode tag: [name attributes], [name /], [/name], with the doubled brackets of an escaped one, [[name]].
# Attributes never hold a bracket, so a match never looks past the next one and scanning stays linear.
_SHORTCODE = re.compile(r"\[(\[?)(/?)([A-Za-z][A-Za-z0-9_-]*)((?:\s[^\[\]]*?)?)(/?)\](\]?)")
_SHORTCODE_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"]+))""")
_CAPTIONED_IMAGE = re.compile(r"(?:<a\s[^<>]*>\s*)?<img\s[^<>]*>(?:\s*</a>)?", re.I)
_MEDIA_URL = re.compile(r"(?:https?://|/)[^\s<>\"]+", re.I)
_MEDIA_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "m4a", "wav", "wma", "flac")
_KNOWN_SHORTCODES = {"caption", "wp_caption", "gallery", "embed", "video", "audio", "playlist"}


def _shortcode_attributes(text):
    text = html.unescape(text).replace("\u00a0", " ").replace("\u200b", " ")
    return {
        match[1].lower(): next(value for value in match.groups()[1:] if value is not None)
        for match in _SHORTCODE_ATTRIBUTE.finditer(text)
    }


def _is_shortcode(name, attributes, self_closing):
    """A bracketed word without attributes, such as [sic] or [1], is text; what looks like a plugin's shortcode
    is one (a known name, attributes, a closing [/name] found later, or a name with _ or -)."""
    return name in _KNOWN_SHORTCODES or bool(attributes.strip() or self_closing) or "_" in name or "-" in name


def _plain(html_text):
    return " ".join(html.unescape(_ANY_TAG.sub(" ", html_text)).split())


def _media_link(attributes, content=""):
    for key in _MEDIA_SOURCES:
        if _MEDIA_URL.fullmatch(url := attributes.get(key, "").strip()):
            return _link_paragraph(url)
    if _MEDIA_URL.fullmatch(url := _plain(content)):
        return _link_paragraph(url)
    return None


def _gallery(attributes):
    ids = re.findall(r"[0-9]+", attributes.get("ids") or attributes.get("include") or "")
    return "".join(f'<figure><img src="attachment:{photo_id}"></figure>' for photo_id in ids)


def _caption(attributes, content):
    """[caption]<a><img></a> text[/caption]: the figure WordPress's img_caption_shortcode() makes, the text after
    the image as its caption (or the caption="" attribute of older posts). Text before the image stays."""
    image = _CAPTIONED_IMAGE.search(content)
    if not image:
        return content
    before, after = content[:image.start()], content[image.end():]
    caption = attributes.get("caption")
    if caption is None:
        caption, after = after, ""
    return f"{before}<figure>{image[0]}<figcaption>{caption}</figcaption></figure>{after}"


def _render_paired(name, attributes, content):
    if name in {"caption", "wp_caption"}:
        return _caption(attributes, content)
    if name == "embed":
        return _media_link({}, content) or content
    if name in {"video", "audio"}:
        return _media_link(attributes, content) or content
    return content


def _render_unpaired(name, attributes, literal, is_shortcode):
    """What a tag renders to when no closing tag of its name follows."""
    if name in {"video", "audio"}:
        return _media_link(attributes) or ""
    if name == "gallery":
        return _gallery(attributes)
    return "" if is_shortcode else literal


@dataclass(eq=False)
class _OpenShortcode:
    name: str
    attributes: dict
    index: int  # where its placeholder stands in the output
    superseded: bool = False


def _expand_shortcodes(text):
    """Known shortcodes become HTML, unknown ones leave their enclosed text, [[escaped]] ones print as [escaped].

    One pass over the tags: an opening tag leaves a placeholder (what it renders to if no closing tag comes);
    a closing tag renders its shortcode from everything since its placeholder. No recursion, so shortcodes
    nested thousands deep cannot exhaust the stack."""
    if "[" not in text:
        return text
    out, opened, open_names, position = [], [], {}, 0
    for match in _SHORTCODE.finditer(text):
        extra_open, closing, name, raw_attributes, self_closing, extra_close = match.groups()
        tag = match[0][len(extra_open):len(match[0]) - len(extra_close)]
        if extra_open and extra_close:  # [[name]] is how WordPress writes a literal [name]
            out.append(text[position:match.start()] + tag)
            position = match.end()
            continue
        # WordPress keeps a lone extra bracket as text: "[[name]" prints "[" before what [name] renders to.
        out.append(text[position:match.start()] + extra_open)
        position = match.end()
        name = name.lower()
        if closing and open_names.get(name):
            while (shortcode := opened.pop()).name != name or shortcode.superseded:
                open_names[shortcode.name] -= not shortcode.superseded
            open_names[name] -= 1
            if name in _KNOWN_SHORTCODES:
                content = "".join(out[shortcode.index + 1:])
                del out[shortcode.index:]
                out.append(_render_paired(name, shortcode.attributes, content))
            else:  # an unknown shortcode keeps what it encloses, where it stands
                out[shortcode.index] = ""
        elif closing:
            out.append("" if _is_shortcode(name, "", "") else tag)
        else:
            attributes = _shortcode_attributes(raw_attributes)
            out.append(_render_unpaired(name, attributes, tag, _is_shortcode(name, raw_attributes, self_closing)))
            if not self_closing and name != "gallery":
                if name in _KNOWN_SHORTCODES and open_names.get(name):
                    # A known shortcode does not nest in itself (WordPress pairs the first closing tag): the
                    # open one stays unpaired. This bounds how often a caption's content is copied.
                    next(shortcode for shortcode in reversed(opened)
                         if shortcode.name == name and not shortcode.superseded).superseded = True
                    open_names[name] -= 1
                opened.append(_OpenShortcode(name, attributes, len(out) - 1))
                open_names[name] = open_names.get(name, 0) + 1
        out.append(extra_close)
    out.append(text[position:])
    return "".join(out)


# Nesting ----------------------------------------------------------------------------------------------------

# The HTML parser checks the open elements at each block tag, so a post of thousands of unclosed <div> or
# <blockquote> (only broken or hostile markup does that) costs it quadratic time: past this depth, further
# opening tags are left out (their content stays). Elements whose end tag is optional close each other and
# are not counted; nor are void ones.
_MAX_SOURCE_DEPTH = 200
_SOURCE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*>?")
_NOT_NESTING = {
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "option", "optgroup", "rb",
    "rt", "rp", "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
}


def _flatten_deep_nesting(text):
    if text.count("<") <= _MAX_SOURCE_DEPTH:
        return text
    depth = 0

    def visit(tag):
        nonlocal depth
        if tag[2].lower() in _NOT_NESTING:
            return tag[0]
        if tag[1]:
            depth = max(depth - 1, 0)
            return tag[0]
        depth += 1
        return tag[0] if depth <= _MAX_SOURCE_DEPTH else ""

    return _SOURCE_TAG.sub(visit, text)


# Images and structure ---------------------------------------------------------------------------------------

# A first, wide cleaning: the HTML parser (the sanitiser's own, nh3) makes any broken markup a well-formed tree,
# keeping what the conversion below reads (images, figures, captions, tables, media) and nothing that runs.
_EMITTED = {"p", "br", "hr", "strong", "b", "em", "i", "u", "a", "ul", "ol", "li", "blockquote"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Containers of WordPress markup that the body has no equivalent of: left out, their content kept as
# paragraphs of its own (a table row becomes one paragraph, its cells separated by a bar).
_TRANSPARENT = {
    "div", "section", "article", "aside", "header", "footer", "main", "nav", "address", "center", "details",
    "summary", "dl", "dt", "dd", "pre", "hgroup", "fieldset", "legend", "table", "thead", "tbody", "tfoot",
    "tr", "caption", "figcaption",
}
_CELLS = {"td", "th"}
_MEDIA = {"video", "audio", "source"}
_wide_cleaner = nh3.Cleaner(
    tags=_EMITTED | _HEADINGS | _TRANSPARENT | _CELLS | _MEDIA | {"img", "figure"},
    clean_content_tags={
        "script", "style", "iframe", "noscript", "template", "object", "svg", "math", "textarea", "select",
        "title", "xmp", "noembed", "noframes",
    },
    attributes={
        "a": {"href", "title"}, "ol": {"start"}, "img": {"src", "alt", "data-src", "data-lazy-src"},
        "video": {"src"}, "audio": {"src"}, "source": {"src"},
    },
    url_schemes={"http", "https", "mailto", "attachment"},
    link_rel=None,
    strip_comments=True,
)
# nh3 writes a well-formed tree and escapes "<" and ">" in text and attribute values: these match real tags.
_TAG = re.compile(r"<(/?)([a-z0-9]+)([^>]*)>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_VOID = {"br", "hr", "img", "source"}
_BLOCK_EMITTED = {"p", "ul", "ol", "li", "blockquote", "h2", "h3"}
_IMAGE_SCHEMES = {"http", "https", "attachment"}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Deeper nesting is flattened: no real post comes near it, and it bounds the work of splitting a paragraph.
_MAX_DEPTH = 48
_SPACE_RUN = re.compile(r"[ \t\n\r\f]{2,}")
_LEVELS = BODY_EXTENSIONS["Heading"]["levels"]


def _heading(name):
    """h1–h6 become the nearest level the editor offers (h2 and h3 today)."""
    return f"h{min(max(int(name[1]), min(_LEVELS)), max(_LEVELS))}"


def _image_address(attributes):
    """The src to resolve; a lazy-loading plugin's data-src when src is missing (a data: placeholder)."""
    for key in ("src", "data-lazy-src", "data-src"):
        address = html.unescape(attributes.get(key, "")).strip()
        scheme = _SCHEME.match(address)
        if address and (not scheme or scheme[1].lower() in _IMAGE_SCHEMES):
            return address
    return ""


@dataclass(eq=False)
class _Element:
    """An element written to the output and still open."""
    name: str
    tag: str  # its opening tag, to open it again after a photo splits it
    index: int  # where that tag stands in the output
    auto: bool = False  # a paragraph opened here around loose text
    has_content: bool = False


@dataclass(eq=False)
class _Figure:
    images: list = field(default_factory=list)  # (address, alt)
    caption: list = field(default_factory=list)


@dataclass(eq=False)
class _Source:
    """An element of the cleaned input, open: what closing it means."""
    kind: str
    depth: int = 0  # how many output elements were open before it
    figure: _Figure | None = None
    media: list | None = None


class _Body:
    """One walk over the well-formed tags: images to photos, headings to the allowed levels, WordPress's
    containers out, loose text into paragraphs, empty elements dropped."""

    def __init__(self, photo_for_url):
        self.photo_for_url = photo_for_url
        self.out = []
        self.stack = []  # _Element, what is open in the output
        self.sources = []  # _Source, what is open in the input
        self.figures = []  # _Figure, the <figure> elements open in the input
        self.capturing = None  # the _Figure whose <figcaption> is being read
        self.cells = 0

    def convert(self, cleaned):
        position = 0
        for tag in _TAG.finditer(cleaned):
            self.text(cleaned[position:tag.start()])
            position = tag.end()
            if tag[1]:
                self.close(tag[2])
            else:
                self.open(tag[2], dict(_ATTRIBUTE.findall(tag[3])), tag[0])
        self.text(cleaned[position:])
        while self.sources:
            self.close(None)
        while self.stack:
            self.close_top()
        return "".join(self.out)

    # Output ---------------------------------------------------------------------------------------------

    def emit(self, piece, content=True):
        self.out.append(piece)
        if content and self.stack:
            self.stack[-1].has_content = True

    def push(self, name, tag, auto=False):
        self.stack.append(_Element(name, tag, len(self.out), auto))
        self.out.append(tag)

    def close_top(self):
        element = self.stack.pop()
        if element.name == "p":  # a paragraph never ends on a line break
            while len(self.out) > element.index + 1 and (self.out[-1] == "<br>" or not self.out[-1].strip()):
                self.out.pop()
        if not element.has_content:
            del self.out[element.index:]
            return
        self.emit(f"</{element.name}>")

    def wants_paragraph(self):
        return not self.stack or self.stack[-1].name == "blockquote"

    def paragraph_for_inline(self):
        if self.wants_paragraph():
            self.push("p", "<p>", auto=True)

    def end_loose_paragraph(self):
        if self.stack and self.stack[-1].auto:
            self.close_top()

    def place_block(self, piece):
        """Put a figure (or a block link) where the sanitiser keeps it: close the paragraph, heading, link or
        bold text around it, and open them again after it."""
        keep = 0
        for depth, element in enumerate(self.stack, 1):
            if element.name not in _FIGURE_ANCESTORS:
                break
            if element.name in _FIGURE_PARENTS:
                keep = depth
        reopen = self.stack[keep:]
        while len(self.stack) > keep:
            self.close_top()
        self.emit(piece)
        for element in reopen:
            self.push(element.name, element.tag, element.auto)

    # Input ----------------------------------------------------------------------------------------------

    def text(self, text):
        if not text:
            return
        # A browser shows a run of spaces and newlines as one space: the run goes now (keeping a newline,
        # for readable source), so that no later step has a long run to scan.
        text = _SPACE_RUN.sub(lambda run: "\n" if "\n" in run[0] else " ", text)
        if self.capturing:
            self.capturing.caption.append(text)
        elif not text.replace("&nbsp;", " ").strip():
            if self.cells:  # between a table's cells: the bar separates them
                return
            # Whitespace between blocks: one newline keeps the source readable, more says nothing.
            if "\n" not in text:
                self.emit(text, content=False)
            elif not (self.out and self.out[-1].endswith("\n")):
                self.emit("\n", content=False)
        else:
            self.paragraph_for_inline()
            self.emit(text)

    def open(self, name, attributes, tag):
        if name in _VOID:
            return self.void(name, attributes)
        source = _Source("ignored", len(self.stack))
        self.sources.append(source)
        if self.capturing:
            self.capturing.caption.append(" ")
        elif name == "figure":
            source.kind, source.figure = "figure", _Figure()
            self.figures.append(source.figure)
        elif name == "figcaption" and self.figures:
            source.kind, self.capturing = "caption", self.figures[-1]
        elif name in {"video", "audio"}:
            source.kind, source.media = "media", [_image_address({"src": attributes.get("src", "")})]
        elif name in _TRANSPARENT:
            source.kind = "transparent"
            self.end_loose_paragraph()
            self.cells = 0
        elif name in _CELLS:  # the cells of a row share its paragraph
            self.cells += 1
            if self.cells > 1:
                self.text(" | ")
        elif len(self.stack) >= _MAX_DEPTH or (name == "a" and "href" not in attributes):
            pass  # too deep, or an anchor that links nowhere (a javascript: address gone): its text stays
        elif name in _EMITTED or name in _HEADINGS:
            source.kind = "element"
            if name in _HEADINGS:
                name = _heading(name)
                tag = f"<{name}>"
            if name in _BLOCK_EMITTED:
                self.end_loose_paragraph()
            else:
                self.paragraph_for_inline()
            source.depth = len(self.stack)
            self.push(name, tag)

    def void(self, name, attributes):
        if name == "img":
            image = (_image_address(attributes), " ".join(html.unescape(attributes.get("alt", "")).split()))
            if self.figures:
                self.figures[-1].images.append(image)
            elif photo_id := self.resolve(image, ""):
                self.place_block(f'<figure data-photo-id="{photo_id}"></figure>')
        elif self.capturing:
            self.capturing.caption.append(" ")
        elif name == "source":
            media = next((source.media for source in reversed(self.sources) if source.kind == "media"), None)
            if media is not None and not media[0]:
                media[0] = _image_address({"src": attributes.get("src", "")})
        elif name == "hr":
            self.place_block("<hr>")
        elif name == "br" and not self.wants_paragraph() and not (
            self.stack[-1].name == "p" and not self.stack[-1].has_content
        ):
            self.emit("<br>", content=False)

    def close(self, name):
        if not self.sources:
            return
        source = self.sources.pop()
        if source.kind == "caption":
            self.capturing = None
        elif self.capturing:
            self.capturing.caption.append(" ")
        elif source.kind == "figure":
            self.finish_figure(self.figures.pop())
        elif source.kind == "media":
            if source.media[0] and _MEDIA_URL.fullmatch(source.media[0]):
                self.place_block(_link_paragraph(source.media[0]))
        elif source.kind == "transparent":
            self.end_loose_paragraph()
        elif source.kind == "element":
            while len(self.stack) > source.depth:
                self.close_top()

    def finish_figure(self, figure):
        caption = " ".join(html.unescape("".join(figure.caption)).split())
        if figure.images:
            for image in figure.images:
                if photo_id := self.resolve(image, caption):
                    self.place_block(f'<figure data-photo-id="{photo_id}"></figure>')
        elif caption:  # a figure of no image (an embed, a table, a gallery's own caption): its caption stays
            self.place_block(f"<p>{html.escape(caption)}</p>")

    def resolve(self, image, caption):
        address, alt = image
        if not address:
            return None
        photo = self.photo_for_url(address, caption=caption, alt=alt)
        photo_id = str(getattr(photo, "pk", None))
        return photo_id if photo_id.isascii() and photo_id.isdigit() else None
