"""What an article page tells search engines and social networks: canonical and hreflang links, Open Graph
and Twitter tags, and the NewsArticle JSON-LD, read back from the HTML as a crawler would read it."""

import json
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from PIL import Image

from articles.models import Article
from articles.renditions import ensure_renditions
from articles.structured_data import LOGO
from articles.templatetags.newsroom import json_ld
from tests.factories import make_article, make_editor, make_person, make_photo, make_section

HOSTILE = "</script><script>alert(1)</script> <!-- & «عاجل»"


class HeadParser(HTMLParser):
    """The <meta>, <link> and JSON-LD blocks of a page, attributes unescaped as a browser reads them."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_json = [], [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta.append((attrs.get("property") or attrs.get("name"), attrs["content"]))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self._in_json = attrs.get("type") == "application/ld+json"
            if self._in_json:
                assert "id" not in attrs and "src" not in attrs
                self.json_ld.append("")

    def handle_data(self, data):
        if self._in_json:
            self.json_ld[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def one(self, key):
        values = self.all(key)
        assert len(values) == 1, (key, values)
        return values[0]

    def all(self, key):
        return [content for name, content in self.meta if name == key]

    def keys(self):
        return {name for name, _content in self.meta}

    def link(self, rel, **attrs):
        return [
            unquote(link["href"]) for link in self.links
            if link.get("rel") == rel and all(link.get(k) == v for k, v in attrs.items())
        ]

    def structured_data(self):
        assert len(self.json_ld) == 1, self.json_ld
        return json.loads(self.json_ld[0])


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return HeadParser(response.text)


def head_meta(client, story, key):
    return page(client, story.get_absolute_url()).one(key)


def photo_with_renditions(**fields):
    photo = make_photo(**fields)
    ensure_renditions(photo)
    photo.refresh_from_db()
    return photo


def absolute(path):
    return "http://testserver" + unquote(path)


def iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


@pytest.fixture
def story():
    """An Arabic-only story with a social-ready lead photo, a section, two tags and two authors."""
    return make_article(
        "وزير الاقتصاد يعلن خطة لدعم الخبز",
        published=True, summary_ar="الخطة تشمل دعم الطحين والمحروقات.",
        section=make_section("اقتصاد"), tags=["اقتصاد سوري", "الخبز"],
        authors=[make_person("ريم الحسن"), make_person("سامر العلي")],
        lead_photo=photo_with_renditions(alt_text="طوابير أمام فرن في حلب"),
    )


@pytest.fixture
def translated():
    article = make_article(
        "اجتماع في دمشق", published=True,
        headline_en="A meeting in Damascus", summary_en="Ministers met.", body_en="<p>Body.</p>",
        lead_photo=photo_with_renditions(alt_text="قاعة الاجتماع", alt_text_en="The meeting room"),
        authors=[make_person("ريم الحسن", name_en="Reem al-Hassan")],
    )
    return article


@pytest.mark.django_db
def test_arabic_article_carries_full_open_graph_and_twitter_tags(client, story):
    head = page(client, story.get_absolute_url())
    canonical = absolute(story.get_absolute_url())
    assert head.link("canonical") == [canonical]
    assert head.one("og:type") == "article"
    assert head.one("og:title") == "وزير الاقتصاد يعلن خطة لدعم الخبز"
    assert head.one("og:description") == "الخطة تشمل دعم الطحين والمحروقات."
    assert unquote(head.one("og:url")) == canonical
    assert head.one("og:site_name") == "غرفة الأخبار"
    assert head.one("og:locale") == "ar_AR"
    assert head.all("og:locale:alternate") == []
    image = head.one("og:image")
    assert image.startswith("http://testserver/") and "/social-1200" in image and image.endswith(".jpg")
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert head.one("og:image:alt") == "طوابير أمام فرن في حلب"
    assert head.one("article:published_time") == iso(story.published_at)
    assert head.one("article:modified_time") >= head.one("article:published_time")
    assert head.one("article:section") == "اقتصاد"
    assert sorted(head.all("article:tag")) == ["اقتصاد سوري", "الخبز"]
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:image") == image
    assert head.one("twitter:title") == "وزير الاقتصاد يعلن خطة لدعم الخبز"


@pytest.mark.django_db
def test_arabic_article_structured_data_is_a_complete_news_article(client, story):
    data = page(client, story.get_absolute_url()).structured_data()
    canonical = absolute(story.get_absolute_url())
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "وزير الاقتصاد يعلن خطة لدعم الخبز"
    assert data["description"] == "الخطة تشمل دعم الطحين والمحروقات."
    # The wide share image first, then the 16:9 and square crops search engines also ask for.
    # (The test photo is small: renditions are never enlarged, so only the social crop has its full width.)
    assert [url.rsplit("/", 1)[-1].split("-")[0] for url in data["image"]] == ["social", "card", "thumbnail"]
    assert "/social-1200" in data["image"][0]
    assert all(url.startswith("http://testserver/") and url.endswith(".jpg") for url in data["image"])
    assert data["datePublished"] == iso(story.published_at)
    assert data["dateModified"] == head_meta(client, story, "article:modified_time")
    assert data["inLanguage"] == "ar"
    assert unquote(data["url"]) == canonical
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": data["url"]}
    assert data["articleSection"] == "اقتصاد"
    assert sorted(data["keywords"]) == ["اقتصاد سوري", "الخبز"]
    publisher = data["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization" and publisher["name"] == "غرفة الأخبار"
    assert publisher["url"] == "http://testserver/"
    logo = publisher["logo"]
    assert logo["@type"] == "ImageObject" and logo["url"].startswith("http://testserver/static/")
    assert logo["url"].endswith(".png") and (logo["width"], logo["height"]) == LOGO[1:]


@pytest.mark.django_db
def test_publisher_logo_is_a_real_png_no_larger_than_600_by_60():
    path = finders.find(LOGO[0])
    assert path, "static/img/logo.png is missing"
    with Image.open(path) as logo:
        assert logo.format == "PNG"
        assert logo.size == LOGO[1:]
        assert logo.width <= 600 and logo.height == 60


@pytest.mark.django_db
def test_structured_data_lists_every_author_in_byline_order_with_their_page(client):
    people = [make_person("ريم الحسن"), make_person("John Smith"), make_person("سامر العلي")]
    story = make_article(published=True, authors=people)
    data = page(client, story.get_absolute_url()).structured_data()
    assert [{**author, "url": unquote(author["url"])} for author in data["author"]] == [
        {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())} for person in people
    ]


@pytest.mark.django_db
def test_untranslated_article_announces_only_its_arabic_edition(client, story):
    head = page(client, story.get_absolute_url())
    canonical = absolute(story.get_absolute_url())
    assert head.link("alternate", hreflang="ar") == [canonical]
    assert head.link("alternate", hreflang="x-default") == [canonical]
    assert head.link("alternate", hreflang="en") == []


@pytest.mark.django_db
def test_translated_article_links_both_editions_from_each(client, translated):
    arabic_url = absolute(translated.get_absolute_url())
    english_url = f"http://testserver/en/article/{translated.pk}/{translated.slug_en}/"
    arabic = page(client, translated.get_absolute_url())
    assert arabic.link("alternate", hreflang="en") == [english_url]
    assert arabic.one("og:locale") == "ar_AR" and arabic.all("og:locale:alternate") == ["en_US"]

    english = page(client, english_url.removeprefix("http://testserver"))
    assert english.link("canonical") == [english_url] and unquote(english.one("og:url")) == english_url
    assert english.link("alternate", hreflang="ar") == [arabic_url]
    assert english.link("alternate", hreflang="x-default") == [arabic_url]
    assert english.one("og:locale") == "en_US" and english.all("og:locale:alternate") == ["ar_AR"]
    assert english.one("og:title") == "A meeting in Damascus"
    assert english.one("og:image:alt") == "The meeting room"
    data = english.structured_data()
    assert data["inLanguage"] == "en" and data["headline"] == "A meeting in Damascus"
    author = data["author"][0]
    assert author["name"] == "Reem al-Hassan" and author["url"].startswith("http://testserver/en/person/")
    assert data["publisher"]["url"] == "http://testserver/en/"


@pytest.mark.django_db
def test_date_modified_is_when_this_editions_text_last_changed(client, translated):
    # Both editions written the day before publication, as stories are.
    before = translated.published_at - timezone.timedelta(days=1)
    Article.objects.filter(pk=translated.pk).update(text_changed_at_ar=before, text_changed_at_en=before)
    unchanged = page(client, translated.get_absolute_url()).structured_data()
    assert unchanged["dateModified"] == unchanged["datePublished"] == iso(translated.published_at)

    translated.refresh_from_db()
    translated.headline_ar = "اجتماع في دمشق: تحديث"
    translated.save()
    translated.refresh_from_db()
    arabic = page(client, translated.get_absolute_url()).structured_data()
    assert arabic["dateModified"] == iso(translated.text_changed_at_ar) != arabic["datePublished"]
    # The English text was not touched, so its edition was last changed at publication.
    english = page(client, f"/en/article/{translated.pk}/{translated.slug_en}/")
    assert english.structured_data()["dateModified"] == iso(translated.published_at)
    assert english.one("article:modified_time") == iso(translated.published_at)


@pytest.mark.django_db
def test_article_without_lead_photo_gets_a_summary_card_and_no_image(client, settings):
    settings.NEWSROOM_REQUIRE_LEAD_PHOTO = False
    story = make_article(published=True, lead_photo=None)
    head = page(client, story.get_absolute_url())
    assert head.one("twitter:card") == "summary"
    assert not {key for key in head.keys() if "image" in key}
    assert "image" not in head.structured_data()


@pytest.mark.django_db
def test_sensitive_lead_photo_is_never_the_share_image(client):
    story = make_article(published=True, lead_photo=photo_with_renditions(is_sensitive=True))
    head = page(client, story.get_absolute_url())
    assert head.one("twitter:card") == "summary"
    assert not {key for key in head.keys() if "image" in key}
    assert "image" not in head.structured_data()


@pytest.mark.django_db
def test_hostile_headline_stays_inside_the_json_string(client):
    story = make_article(HOSTILE, published=True, summary_ar="ملخص & <b>عريض</b>")
    html = client.get(story.get_absolute_url()).text
    assert "<script>alert(1)" not in html
    head = HeadParser(html)
    data = head.structured_data()
    assert data["headline"] == HOSTILE
    assert data["description"] == "ملخص & <b>عريض</b>"
    assert head.one("og:title") == HOSTILE and head.one("twitter:title") == HOSTILE
    # Nothing but the JSON-LD block is a script the page did not already have.
    assert html.count("<script") == 2  # reader.js and the JSON-LD


def test_json_ld_filter_escapes_what_the_html_parser_looks_at():
    text = str(json_ld({"headline": "</script><!-- a & b"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"headline": "</script><!-- a & b"}


@pytest.mark.django_db
def test_site_name_setting_names_the_publisher_everywhere(client, settings, story):
    settings.NEWSROOM_SITE_NAME = "صوت الحي"
    response = client.get(story.get_absolute_url())
    head = HeadParser(response.text)
    assert head.one("og:site_name") == "صوت الحي"
    assert head.structured_data()["publisher"]["name"] == "صوت الحي"
    assert '<a class="site-name" href="/">صوت الحي</a>' in response.text


@pytest.mark.django_db
def test_without_the_setting_the_header_and_the_share_card_use_one_name(client, story):
    response = client.get(story.get_absolute_url())
    assert '<a class="site-name" href="/">غرفة الأخبار</a>' in response.text
    assert HeadParser(response.text).one("og:site_name") == "غرفة الأخبار"


@pytest.mark.django_db
def test_preview_of_a_draft_is_noindex_and_announces_no_public_address(client):
    draft = make_article("مسودة سرية لم تنشر", tags=["سري"])
    client.force_login(make_editor())
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 200
    head = HeadParser(response.text)
    assert head.one("robots") == "noindex, nofollow"
    assert head.link("canonical") == [] and head.link("alternate", hreflang="ar") == []
    assert not {key for key in head.keys() if key.startswith(("og:", "twitter:", "article:"))}
    assert head.json_ld == []
    assert draft.get_absolute_url() not in response.text.split("<body", 1)[0]


@pytest.mark.django_db
def test_signed_preview_link_carries_no_share_card(client):
    from articles.preview import preview_token

    draft = make_article("مسودة للمراجع", lead_photo=photo_with_renditions())
    response = client.get(f"/preview/s/{preview_token(draft)}/")
    assert response.status_code == 200
    head = HeadParser(response.text)
    assert head.one("robots") == "noindex, nofollow"
    assert "og:image" not in response.text and "og:title" not in response.text and head.json_ld == []
