"""Accessibility of the reader's site (issue 5, point 10), checked on the HTML and CSS it ships.

Every public page type is rendered in Arabic and under /en/ and read with a small tree builder over the
standard library's html.parser; colours are read from static/css/site.css and held to WCAG 2 AA. What needs a
real browser (focus order on screen, what a screen reader says) is checked elsewhere; the text-size script
runs here in Node against a stand-in for the page.
"""

import datetime
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import override

from articles.models import SupportAppeal, Tag
from articles.templatetags.newsroom import site_name
from tests.factories import make_article, make_person, make_photo, make_section

STATIC = Path(settings.BASE_DIR) / "static"
SITE_CSS = (STATIC / "css" / "site.css").read_text()
READER_JS = STATIC / "js" / "reader.js"

# Tree building


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag):
        return [element for element in self.iter() if element.tag == tag]

    def text(self):
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def has_class(self, name):
        return name in self.attrs.get("class", "").split()


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# The pages


PAGE_KINDS = ["home", "article", "section", "tag", "person", "archive", "search", "missing"]
LANGUAGES = ["ar", "en"]


@pytest.fixture
def newsroom():
    """A small newsroom whose names mix scripts: a writer «John Smith», a tag «COVID-19»."""
    desk = make_section("سياسة", name_en="Politics", slug="politics")
    smith = make_person("John Smith", name_en="John Smith", slug="john-smith",
                        bio_ar="Reporter covering northern Syria.", bio_en="Reporter covering northern Syria.")
    photo = make_photo(caption="لقاء في دمشق", credit="AFP", alt_text="رجلان يتصافحان")
    photo.caption_en, photo.credit_en, photo.alt_text_en = "A meeting in Damascus", "AFP", "Two men shake hands"
    photo.save()
    when = datetime.datetime(2023, 3, 15, 12, 0, tzinfo=ZoneInfo("Asia/Damascus"))
    stories = [
        make_article(
            headline, published=True, published_at=when - datetime.timedelta(hours=hours), section=desk,
            authors=[smith], tags=["COVID-19", "سوريا"], lead_photo=photo,
            body_ar="<h2>خلفية</h2><blockquote><p>We will reopen the border.</p></blockquote><p>نص.</p>",
        )
        for hours, headline in ((0, "COVID-19 يصل إلى إدلب"), (5, "خبر أقدم عن المعابر"))
    ]
    for number, story in enumerate(stories):
        story.headline_en = f"English story {number}"
        story.summary_en = "English summary."
        story.body_en = "<h2>Background</h2><p>English body.</p>"
        story.save()
    Tag.objects.filter(name_ar="سوريا").update(name_en="Syria")
    Tag.objects.filter(name_ar="COVID-19").update(name_en="COVID-19")
    SupportAppeal.objects.create(
        heading_ar="ادعم الصحافة المستقلة", text_ar="نحن مستقلون.", button_label_ar="اضغط هنا للمساهمة",
        url_ar="https://example.org/donate", heading_en="Support us", text_en="We are independent.",
        button_label_en="Give", url_en="https://example.org/give",
    )
    return {"story": stories[0], "section": desk, "person": smith}


def address(kind, language, newsroom):
    with override(language):
        return {
            "home": lambda: reverse("home"),
            "article": lambda: newsroom["story"].get_absolute_url(),
            "section": lambda: newsroom["section"].get_absolute_url(),
            "tag": lambda: reverse("tag", kwargs={"slug": "covid-19"}),
            "person": lambda: newsroom["person"].get_absolute_url(),
            "archive": lambda: reverse("archive_month", kwargs={"year": 2023, "month": 3}),
            "search": lambda: reverse("search") + "?q=COVID",
            "missing": lambda: reverse("home") + "no-such-page/",
        }[kind]()


def page(client, kind, language, newsroom):
    response = client.get(address(kind, language, newsroom))
    assert response.status_code == (404 if kind == "missing" else 200)
    return parse(response.text)


every_page = pytest.mark.parametrize("language", LANGUAGES), pytest.mark.parametrize("kind", PAGE_KINDS)


def with_every_page(test):
    for mark in every_page:
        test = mark(test)
    return pytest.mark.django_db(test)


# Structure: skip link, landmarks, headings


FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}


def focusable(element):
    if element.attrs.get("tabindex") == "-1" or element.attrs.get("type") == "hidden":
        return False
    if element.tag == "a":
        return "href" in element.attrs
    return element.tag in FOCUSABLE or "tabindex" in element.attrs


@with_every_page
def test_skip_link_is_the_first_focusable_element_and_leads_to_main(client, newsroom, kind, language):
    tree = page(client, kind, language, newsroom)
    first = next(element for element in tree.find_all("body")[0].iter() if focusable(element))
    assert first.has_class("skip-link") and first.attrs["href"] == "#main" and first.text().strip()
    targets = [element for element in tree.iter() if element.attrs.get("id") == "main"]
    assert [target.tag for target in targets] == ["main"]


SECTIONING = {"article", "aside", "main", "nav", "section"}


def outside_sectioning(element):
    return not any(ancestor.tag in SECTIONING for ancestor in element.ancestors())


@with_every_page
def test_page_has_one_banner_one_main_one_footer_and_only_labelled_navs(client, newsroom, kind, language):
    tree = page(client, kind, language, newsroom)
    # A <header>/<footer> inside an article or main is that part's own header, not the page's landmark.
    assert len([h for h in tree.find_all("header") if outside_sectioning(h)]) == 1
    assert len([f for f in tree.find_all("footer") if outside_sectioning(f)]) == 1
    assert len(tree.find_all("main")) == 1
    labels = [nav.attrs.get("aria-label", "").strip() for nav in tree.find_all("nav")]
    # Django renders the 404 page by itself, without the section list or the switcher: then no navs at all.
    assert all(labels) and (labels or kind == "missing"), labels
    assert len(labels) == len(set(labels)), "two navigation landmarks with the same name"
    for nav in tree.find_all("nav"):
        assert any(focusable(element) for element in nav.iter()), "an empty navigation landmark"


@with_every_page
def test_page_has_exactly_one_h1_first_and_headings_never_skip_a_level(client, newsroom, kind, language):
    tree = page(client, kind, language, newsroom)
    levels = [int(element.tag[1]) for element in tree.iter() if re.fullmatch(r"h[1-6]", element.tag)]
    assert levels.count(1) == 1 and levels[0] == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"h{before} is followed by h{after}: {levels}"


@pytest.mark.django_db
def test_home_page_h1_names_the_site_and_is_hidden_only_visually(client, newsroom):
    [heading] = parse(client.get("/").text).find_all("h1")
    assert heading.has_class("visually-hidden") and heading.text() == site_name() == "غرفة الأخبار"
    hidden = css_rule(".visually-hidden, .skip-link:not(:focus)")
    assert hidden["clip-path"] == "inset(50%)" and "display" not in hidden and "visibility" not in hidden


@pytest.mark.django_db
def test_listing_headings_follow_the_page_heading(client, newsroom):
    section = parse(client.get(newsroom["section"].get_absolute_url()).text)
    assert {h.tag for h in section.iter() if h.has_class("card__headline")} == {"h2"}
    person = parse(client.get(newsroom["person"].get_absolute_url()).text)
    assert {h.tag for h in person.iter() if h.has_class("card__headline")} == {"h3"}


@pytest.mark.parametrize("template", ["500.html", "400.html", "403.html"])
def test_error_pages_have_language_direction_main_and_one_h1(template):
    for language, direction in (("ar", "rtl"), ("en", "ltr")):
        with override(language):
            tree = parse(render_to_string(template))
        [html] = tree.find_all("html")
        assert (html.attrs["lang"], html.attrs["dir"]) == (language, direction)
        assert len(tree.find_all("main")) == 1 and len(tree.find_all("h1")) == 1
        # Back to the home page of the reader's own edition, not always the Arabic one.
        assert [link.attrs["href"] for link in tree.find_all("a")] == ["/" if language == "ar" else "/en/"]


# Images


@with_every_page
def test_every_image_has_an_alt_attribute(client, newsroom, kind, language):
    for image in page(client, kind, language, newsroom).find_all("img"):
        assert "alt" in image.attrs, image.attrs.get("src")


@pytest.mark.parametrize(("language", "alt"), [("ar", "رجلان يتصافحان"), ("en", "Two men shake hands")])
@pytest.mark.django_db
def test_photo_alt_text_comes_from_the_photo_and_the_caption_stays(client, newsroom, language, alt):
    tree = page(client, "article", language, newsroom)
    figure = next(f for f in tree.find_all("figure") if f.has_class("figure--lead"))
    assert [image.attrs["alt"] for image in figure.find_all("img")] == [alt]
    assert figure.find_all("figcaption")[0].text().strip().endswith("(AFP)")


@pytest.mark.django_db
def test_card_images_beside_their_headline_are_decorative_and_out_of_the_tab_order(client, newsroom):
    cards = [a for a in parse(client.get("/").text).iter() if a.has_class("card__media")]
    assert cards
    for link in cards:
        assert link.attrs["aria-hidden"] == "true" and link.attrs["tabindex"] == "-1"
        assert [image.attrs["alt"] for image in link.find_all("img")] == [""]


# Languages and direction


@pytest.mark.parametrize(("language", "direction", "other"), [("ar", "rtl", "en"), ("en", "ltr", "ar")])
@pytest.mark.parametrize("kind", [kind for kind in PAGE_KINDS if kind != "missing"])
@pytest.mark.django_db
def test_language_switcher_names_the_other_language_in_that_language(client, newsroom, kind, language, direction,
                                                                     other):
    tree = page(client, kind, language, newsroom)
    [html] = tree.find_all("html")
    assert (html.attrs["lang"], html.attrs["dir"]) == (language, direction)
    [switcher] = [nav for nav in tree.find_all("nav") if nav.has_class("languages")]
    [link] = switcher.find_all("a")
    assert link.attrs["lang"] == link.attrs["hreflang"] == other


HEADLINES = {"story__headline", "card__headline", "top-story__headline"}


def text_nodes(tree, needle):
    """The elements whose own text contains ``needle``, leaving out <title>, <script> and <style>."""
    return [
        element for element in tree.iter()
        if element.tag not in {"title", "script", "style"}
        and any(isinstance(child, str) and needle in child for child in element.children)
    ]


@pytest.mark.parametrize("kind", ["article", "tag", "person"])
@pytest.mark.django_db
def test_latin_names_inside_arabic_pages_are_isolated_in_bdi(client, newsroom, kind):
    tree = page(client, kind, "ar", newsroom)
    found = 0
    for needle in ("John Smith", "COVID-19"):
        for element in text_nodes(tree, needle):
            if any(node.has_class(name) for node in (element, *element.ancestors()) for name in HEADLINES):
                continue  # headlines keep the page's direction (see the next tests)
            found += 1
            assert element.tag == "bdi" or any(a.tag == "bdi" for a in element.ancestors()), (
                f"{needle!r} in <{element.tag} class={element.attrs.get('class')!r}> is not in a <bdi>"
            )
    assert found


@pytest.mark.django_db
def test_section_name_in_card_meta_is_isolated_from_the_date_beside_it(client, newsroom):
    sections = [s for s in parse(client.get("/").text).iter() if s.has_class("card__section")]
    assert sections and all(s.find_all("bdi") for s in sections)


@pytest.mark.django_db
def test_arabic_headline_opening_with_latin_keeps_the_page_direction(client, newsroom):
    """«COVID-19 يصل إلى إدلب» must read right to left: a <bdi> or dir="auto" would turn it round."""
    tree = parse(client.get(newsroom["section"].get_absolute_url()).text)
    [headline] = [h for h in tree.iter() if h.has_class("card__headline") and "COVID-19" in h.text()]
    for element in [headline, *headline.iter(), *headline.ancestors()]:
        assert element.tag != "bdi" and "dir" not in element.attrs or element.tag == "html"


@pytest.mark.django_db
def test_a_search_result_opening_with_latin_keeps_the_page_direction(client, newsroom):
    tree = parse(client.get("/search/?q=إدلب").text)
    results = [h for h in tree.iter() if h.has_class("search-result__headline") and "COVID-19" in h.text()]
    assert results
    for element in [results[0], *results[0].iter()]:
        assert element.tag != "bdi" and "dir" not in element.attrs


@pytest.mark.django_db
def test_blocks_of_text_in_any_language_take_their_own_direction(client, newsroom):
    bio = [p for p in page(client, "person", "ar", newsroom).iter() if p.has_class("person__bio")]
    assert bio and bio[0].attrs["dir"] == "auto"
    # The body's allow-list keeps no dir attribute; the stylesheet gives quotes dir="auto"'s behaviour.
    assert css_rule(".story__body blockquote, .story__body blockquote p")["unicode-bidi"] == "plaintext"


# The «ع ع ع» text-size control


@pytest.mark.django_db
def test_text_size_control_is_a_labelled_group_of_pressable_buttons_with_a_live_region(client, newsroom):
    tree = page(client, "article", "ar", newsroom)
    [group] = [div for div in tree.find_all("div") if div.has_class("text-size")]
    assert group.attrs["role"] == "group" and group.attrs["aria-label"] == "حجم النص"
    buttons = group.find_all("button")
    assert [b.attrs["data-text-size"] for b in buttons] == ["small", "medium", "large"]
    assert all(b.attrs["type"] == "button" and b.attrs["aria-pressed"] in {"true", "false"} for b in buttons)
    assert [b.attrs["data-text-size-message"] for b in buttons] == [
        "حجم النص: صغير", "حجم النص: متوسط", "حجم النص: كبير",
    ]
    [status] = [p for p in tree.iter() if p.attrs.get("aria-live")]
    assert status.attrs["aria-live"] == "polite" and status.has_class("visually-hidden") and not status.text()
    assert status.has_class("text-size__status")


@pytest.mark.parametrize("kind", PAGE_KINDS)
@pytest.mark.django_db
def test_pages_run_no_inline_script_and_load_reader_js_deferred(client, newsroom, kind):
    scripts = page(client, kind, "ar", newsroom).find_all("script")
    assert all("src" in s.attrs or s.attrs.get("type") == "application/ld+json" for s in scripts)
    [reader] = [s for s in scripts if "js/reader" in s.attrs.get("src", "")]
    assert "defer" in reader.attrs


READER_HARNESS = """
const fs = require("fs");
const scenario = JSON.parse(process.argv[2]);
function element(attributes) {
  return {attributes, textContent: "",
          getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; },
          setAttribute(name, value) { this.attributes[name] = String(value); },
          closest(selector) {
            return selector === ".text-size__button" && "data-text-size" in this.attributes ? this : null;
          }};
}
const buttons = ["small", "medium", "large"].map((size) => element(
  {"data-text-size": size, "aria-pressed": String(size === "medium"), "data-text-size-message": "size " + size}));
const status = element({});
const root = element({});
let onClick = null;
global.document = {
  documentElement: root,
  querySelectorAll: (selector) => (selector === ".text-size__button" ? buttons : []),
  querySelector: (selector) => (selector === ".text-size__status" ? status : null),
  addEventListener: (type, fn) => { if (type === "click") { onClick = fn; } },
};
const saved = {...scenario.saved};
global.window = {};
Object.defineProperty(global.window, "localStorage", {get() {
  if (scenario.storage === "missing") { throw new Error("SecurityError: storage is disabled"); }
  return {getItem: (key) => (key in saved ? saved[key] : null), setItem: (key, value) => {
    if (scenario.storage === "full") { throw new Error("QuotaExceededError"); }
    saved[key] = value;
  }};
}});
eval(fs.readFileSync(process.argv[1], "utf8"));
const loaded = {size: root.getAttribute("data-text-size"), said: status.textContent,
                pressed: buttons.map((b) => b.getAttribute("aria-pressed"))};
onClick({target: buttons[2]});
onClick({target: element({})});
console.log(JSON.stringify({loaded, size: root.getAttribute("data-text-size"), said: status.textContent,
                            pressed: buttons.map((b) => b.getAttribute("aria-pressed")), saved}));
"""


def run_reader_js(**scenario):
    result = subprocess.run(
        ["node", "-e", READER_HARNESS, str(READER_JS), json.dumps(scenario)],
        capture_output=True, text=True, timeout=30, check=True,
    )
    return json.loads(result.stdout)


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


@needs_node
def test_text_size_script_presses_the_chosen_button_announces_it_and_remembers_it():
    seen = run_reader_js(storage="ok", saved={"newsroom:text-size": "small"})
    assert seen["loaded"] == {"size": "small", "said": "", "pressed": ["true", "false", "false"]}
    assert seen["size"] == "large" and seen["pressed"] == ["false", "false", "true"]
    assert seen["said"] == "size large"
    assert seen["saved"] == {"newsroom:text-size": "large"}


@needs_node
@pytest.mark.parametrize("storage", ["missing", "full"])
def test_text_size_script_still_works_when_the_device_refuses_storage(storage):
    seen = run_reader_js(storage=storage, saved={})
    assert seen["loaded"]["size"] == "medium"
    assert seen["size"] == "large" and seen["pressed"] == ["false", "false", "true"] and seen["said"] == "size large"


@needs_node
def test_text_size_script_ignores_a_stored_value_it_does_not_know():
    seen = run_reader_js(storage="ok", saved={"newsroom:text-size": "enormous"})
    assert seen["loaded"]["size"] == "medium" and seen["loaded"]["pressed"] == ["false", "true", "false"]


def test_text_size_script_holds_no_words_of_its_own():
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", READER_JS.read_text(), flags=re.S)
    strings = re.findall(r'"([^"]*)"', code)
    assert not [s for s in strings if s != "use strict" and (" " in s or re.search(r"[\u0600-\u06ff]", s))]


# The stylesheet: focus and colour contrast


def css_rules(css):
    """(selector, {property: value}) for each rule, @media blocks opened, @font-face and the like left out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules, stack, start = [], [], 0
    for match in re.finditer(r"[{}]", css):
        if match.group() == "{":
            stack.append(" ".join(css[start:match.start()].split()))
        else:
            prelude = stack.pop()
            if not prelude.startswith("@"):
                declarations = {}
                for declaration in css[start:match.start()].split(";"):
                    name, _, value = declaration.partition(":")
                    if value.strip():
                        declarations[name.strip()] = value.strip()
                rules.append((prelude, declarations))
        start = match.end()
    return rules


RULES = css_rules(SITE_CSS)
ROOT = dict(RULES)[":root"]


def css_rule(selector):
    return dict(RULES)[selector]


def colour(value):
    """An (r, g, b, alpha) tuple for a CSS colour value (custom properties resolved), None for none/inherit."""
    while match := re.search(r"var\((--[\w-]+)\)", value):
        value = value.replace(match.group(0), ROOT[match.group(1)])
    if match := re.search(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", value):
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return (*(int(digits[i:i + 2], 16) for i in (0, 2, 4)), 1.0)
    if match := re.search(r"rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*(?:[/,]\s*([\d.]+))?\s*\)", value):
        r, g, b, alpha = match.groups()
        return int(r), int(g), int(b), float(alpha or 1)
    if value.strip() in {"#fff", "white"}:
        return 255, 255, 255, 1.0
    return None


def over(top, bottom):
    """``top`` painted over the opaque ``bottom``."""
    alpha = top[3]
    return (*(round(t * alpha + b * (1 - alpha)) for t, b in zip(top[:3], bottom[:3], strict=True)), 1.0)


def luminance(rgb):
    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


WHITE = (255, 255, 255, 1.0)
# Where text can stand: the page, and the support box (which sets only its background; its text inherits).
PAGE_BACKGROUNDS = {"page": colour("var(--paper)"), "support box": colour("var(--support-paper)")}
INHERITED_TEXT = colour("var(--ink)")


def test_contrast_formula_matches_wcag_reference_values():
    assert round(contrast((0, 0, 0), WHITE), 1) == 21.0
    assert round(contrast(colour("#767676"), WHITE), 2) == 4.54
    assert contrast(colour("#777"), WHITE) < 4.5


def colour_pairs(rules=RULES):
    """Every text colour a stylesheet (site.css unless told) sets, on every background it can sit on:
    (where, text, background)."""
    for selector, declarations in rules:
        text = colour(declarations.get("color", ""))
        background = colour(declarations.get("background-color", declarations.get("background", "")))
        if background is not None and background[3] < 1:
            # A translucent layer over a photo: judged over a white photo, the worst case for light text.
            background = over(background, WHITE)
        if text is None and background is None:
            continue
        if background is not None:
            yield selector, text or INHERITED_TEXT, background
        else:
            for name, page_background in PAGE_BACKGROUNDS.items():
                yield f"{selector} on the {name}", text, page_background


def test_every_text_colour_in_the_stylesheet_reaches_aa_on_its_background():
    pairs = list(colour_pairs())
    failing = [(where, round(contrast(text, bg), 2)) for where, text, bg in pairs if contrast(text, bg) < 4.5]
    assert not failing
    # The pairs the reader meets most are among those checked: body, links, nav, cards, buttons, support, footer.
    checked = {where.split(" on the ")[0] for where, _text, _bg in pairs}
    assert {
        "body", "a:hover, a:focus-visible", '.sections a[aria-current="page"]', ".card__meta, .byline, .story__updated",
        ".text-size__button", ".support", ".support__button", ".support__button:hover, .support__button:focus-visible",
        ".site-footer", ".sensitive", ".card__warning", ".skip-link:focus",
    } <= checked


def test_search_page_colours_reach_aa_and_marked_words_stay_readable():
    rules = css_rules((STATIC / "css" / "search.css").read_text())
    pairs = list(colour_pairs(rules))
    assert not [(where, round(contrast(text, bg), 2)) for where, text, bg in pairs if contrast(text, bg) < 4.5]
    # The words a search found: ink on the palette's highlight, not a colour of the page's own.
    mark = dict(rules)[".search-results mark"]
    assert mark["background"] == "var(--highlight)"
    assert contrast(colour(mark["color"]), colour(mark["background"])) >= 4.5


def test_focus_ring_is_visible_everywhere_and_never_removed():
    ring = css_rule(":focus-visible")["outline"]
    width, style, value = re.fullmatch(r"(\d+)px (\w+) (.+)", ring).groups()
    assert int(width) >= 2 and style == "solid"
    for name, background in PAGE_BACKGROUNDS.items():
        assert contrast(colour(value), background) >= 3, name
    assert not re.search(r"outline\s*:\s*(none|0)\b", SITE_CSS)
    # The link colour that shows focus on text stays readable too.
    assert "a:hover, a:focus-visible" in dict(RULES)


def test_controls_are_outlined_with_at_least_3_to_1_contrast():
    button = css_rule(".text-size__button")
    assert contrast(colour(button["border"]), colour("var(--paper)")) >= 3
    pressed = css_rule('.text-size__button[aria-pressed="true"]')
    assert contrast(colour(pressed["border-color"]), colour("var(--paper)")) >= 3
    # The sensitive photo's focus ring is drawn on its dark veil.
    veil = over(colour(css_rule(".sensitive")["background"]), WHITE)
    ring = css_rule(".sensitive:has(.sensitive__toggle:focus-visible)")["outline"]
    assert contrast(colour(ring), veil) >= 3
