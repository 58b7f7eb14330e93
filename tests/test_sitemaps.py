"""sitemap.xml, the Google News sitemap and robots.txt, read as a crawler reads them."""

import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Tag
from articles.sitemaps import ArticleSitemap, NewsSitemap, PersonSitemap, TagSitemap

from .factories import make_article, make_editor, make_person, make_photo, make_section, sitemap_page

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def index_locations(client):
    """The sitemaps /sitemap.xml names, as addresses on this site."""
    return [node.find("s:loc", NS).text.removeprefix("http://testserver")
            for node in read(client, "/sitemap.xml").findall("s:sitemap", NS)]


def entries(client, url=None):
    """{loc: {hreflang: href}} for every <url> of a sitemap, addresses decoded (Arabic slugs are %-encoded); without
    a url, of every sitemap the index names, as a crawler reads them."""
    found = {}
    for part in [url] if url else index_locations(client):
        for node in read(client, part).findall("s:url", NS):
            found[unquote(node.find("s:loc", NS).text)] = {
                link.get("hreflang"): unquote(link.get("href")) for link in node.findall("xhtml:link", NS)
            }
    return found


def translate(article):
    article.headline_en = "Breaking news in English"
    article.body_en = "<p>The full story.</p>"
    article.save()
    return article


def test_only_reader_visible_articles_are_listed(client):
    live = make_article(published=True)
    draft = make_article()
    future = make_article(published=True, published_at=timezone.now() + timezone.timedelta(days=1))
    trashed = make_article(published=True)
    trashed.move_to_trash(by=make_editor())
    locs = " ".join(entries(client))
    assert f"/article/{live.pk}/" in locs
    for hidden in (draft, future, trashed):
        assert f"/article/{hidden.pk}/" not in locs


def test_untranslated_article_has_no_english_alternate(client):
    article = make_article(published=True)
    urls = entries(client)
    mine = {loc: alts for loc, alts in urls.items() if f"/article/{article.pk}/" in loc}
    assert list(mine) == [f"http://testserver/article/{article.pk}/{article.slug}/"]
    alternates = next(iter(mine.values()))
    assert set(alternates) == {"ar", "x-default"}
    assert not any("/en/article/" in loc for loc in urls)


def test_translated_article_has_english_alternate_both_ways(client):
    article = translate(make_article(published=True))
    urls = entries(client)
    mine = {loc: alts for loc, alts in urls.items() if f"/article/{article.pk}/" in loc}
    assert len(mine) == 2
    english = next(loc for loc in mine if "/en/" in loc)
    for alternates in mine.values():
        assert set(alternates) == {"ar", "en", "x-default"}
        assert alternates["en"] == english
        assert "/en/" not in alternates["x-default"]


def test_each_edition_of_a_story_carries_the_date_its_own_text_last_changed(client):
    # A crawler re-reads an edition only when its own text changed: an English correction today leaves the Arabic
    # page's date where it was, ten days back.
    article = translate(make_article(published=True))
    arabic_changed, english_changed = timezone.now() - timezone.timedelta(days=10), timezone.now()
    Article.objects.filter(pk=article.pk).update(
        text_changed_at_ar=arabic_changed, text_changed_at_en=english_changed,
    )
    dates = {}
    for node in read(client, sitemap_page("articles", article.pk)).findall("s:url", NS):
        loc = unquote(node.find("s:loc", NS).text)
        if f"/article/{article.pk}/" in loc:
            dates["en" if "/en/" in loc else "ar"] = node.find("s:lastmod", NS).text
    local = timezone.localtime
    assert dates == {"ar": f"{local(arabic_changed):%Y-%m-%d}", "en": f"{local(english_changed):%Y-%m-%d}"}


def test_tags_and_people_only_when_readers_can_see_their_work(client):
    shown_tag, hidden_tag = Tag.objects.create(name="سوريا"), Tag.objects.create(name="مسودة")
    writer, idle = make_person(), make_person()
    photographer = make_person()
    make_article(published=True, tags=[shown_tag], authors=[writer],
                 lead_photo=make_photo(credit_person=photographer))
    make_article(tags=[hidden_tag], authors=[idle])
    locs = " ".join(entries(client))
    assert f"/tag/{shown_tag.slug}/" in locs and f"/tag/{hidden_tag.slug}/" not in locs
    assert f"/person/{writer.slug}/" in locs and f"/person/{photographer.slug}/" in locs
    assert f"/person/{idle.slug}/" not in locs


def test_sections_only_with_a_story_readers_see_and_in_the_editions_that_have_one(client):
    arabic, both, empty = make_section(), make_section(), make_section()
    make_article(published=True, section=arabic)
    make_article(published=True, section=both)
    translate(make_article(published=True, section=both))
    make_article(section=empty)  # a draft

    listed = entries(client, "/sitemap-sections.xml")

    assert set(listed) == {
        f"http://testserver/section/{arabic.slug}/", f"http://testserver/section/{both.slug}/",
        f"http://testserver/en/section/{both.slug}/",
    }
    assert set(listed[f"http://testserver/section/{arabic.slug}/"]) == {"ar", "x-default"}
    assert set(listed[f"http://testserver/section/{both.slug}/"]) == {"ar", "en", "x-default"}


def test_a_section_page_with_no_story_in_its_edition_asks_not_to_be_indexed(client):
    desk = make_section()
    make_article(published=True, section=desk)
    arabic_url = f"/section/{desk.slug}/"

    assert "noindex" not in client.get(arabic_url).text
    english = client.get(f"/en/section/{desk.slug}/")
    assert english.status_code == 200 and '<meta name="robots" content="noindex">' in english.text


@pytest.mark.parametrize("edition_size", ["small", "large"])
def test_tags_and_people_have_an_english_alternate_only_with_an_english_story_readers_see(
    client, monkeypatch, edition_size
):
    # A small edition is asked in one query, a large one tag by tag (articles/sitemaps.py, _with_languages()):
    # with MANY_STORIES at 1 every edition with a story counts as large.
    if edition_size == "large":
        monkeypatch.setattr("articles.sitemaps.MANY_STORIES", 1)
    # Both are named in English: only their stories make the difference here (tests/test_tag_editions.py has
    # the tag without an English name).
    both = Tag.objects.create(name_ar="سوريا", name_en="Syria")
    arabic = Tag.objects.create(name_ar="حلب", name_en="Aleppo")
    translator, reporter = make_person(), make_person()
    # Beside the English story readers see, each has a draft, first or last whichever way the links are walked.
    translate(make_article(tags=[both], authors=[translator]))
    translate(make_article(published=True, tags=[both], authors=[translator]))
    translate(make_article(tags=[both], authors=[translator]))
    make_article(published=True, tags=[both, arabic], authors=[reporter])
    # English stories readers cannot see yet, or any longer, give no English page.
    translate(make_article(tags=[arabic], authors=[reporter]))
    tomorrow = timezone.now() + timezone.timedelta(days=1)
    translate(make_article(published=True, published_at=tomorrow, tags=[arabic], authors=[reporter]))
    trashed = translate(make_article(published=True, tags=[arabic], authors=[reporter]))
    trashed.move_to_trash(by=make_editor())
    urls = entries(client)
    alternates = {loc: set(links) for loc, links in urls.items() if "/en/" not in loc}
    assert alternates[f"http://testserver/tag/{both.slug}/"] == {"ar", "en", "x-default"}
    assert alternates[f"http://testserver/tag/{arabic.slug}/"] == {"ar", "x-default"}
    assert alternates[f"http://testserver/person/{translator.slug}/"] == {"ar", "en", "x-default"}
    assert alternates[f"http://testserver/person/{reporter.slug}/"] == {"ar", "x-default"}


@pytest.mark.parametrize("edition_size", ["small", "large"])
def test_a_credited_photo_gives_a_person_page_in_each_edition_that_shows_it(client, monkeypatch, edition_size):
    if edition_size == "large":
        monkeypatch.setattr("articles.sitemaps.MANY_STORIES", 1)
    arabic_only, translated, reporter = make_person(), make_person(), make_person()
    make_article(published=True, lead_photo=make_photo(credit_person=arabic_only))
    translate(make_article(published=True, lead_photo=make_photo(credit_person=translated)))
    # An inline photo counts as the lead one does; the reporter's own bylines are all Arabic.
    inline = make_photo(credit_person=reporter)
    translate(make_article(published=True, body_ar=f'<figure data-photo-id="{inline.pk}"></figure>'))
    make_article(published=True, authors=[reporter])
    # A photo in a translated draft shows nowhere yet.
    translate(make_article(lead_photo=make_photo(credit_person=arabic_only)))

    urls = entries(client)

    alternates = {loc: set(links) for loc, links in urls.items() if "/en/" not in loc}
    assert alternates[f"http://testserver/person/{arabic_only.slug}/"] == {"ar", "x-default"}
    assert alternates[f"http://testserver/person/{translated.slug}/"] == {"ar", "en", "x-default"}
    assert alternates[f"http://testserver/person/{reporter.slug}/"] == {"ar", "en", "x-default"}
    # Each English page listed shows the photo that put it there.
    for person in (translated, reporter):
        page = client.get(urls[f"http://testserver/person/{person.slug}/"]["en"])
        assert page.status_code == 200 and len(page.context["photos"]) == 1


def test_sitemaps_cost_the_same_queries_for_3_or_30_articles(client, monkeypatch):
    # Pages wide enough that the new rows add none (ids keep growing from test to test on PostgreSQL).
    for sitemap in (ArticleSitemap, TagSitemap, PersonSitemap):
        monkeypatch.setattr(sitemap, "limit", 10**9)

    def count():
        with CaptureQueriesContext(connection) as queries:
            for url in ["/sitemap.xml", *index_locations(client)]:
                assert client.get(url).status_code == 200
        return len(queries)

    tags = [Tag.objects.create(name=f"وسم {n}") for n in range(3)]
    for _n in range(3):
        translate(make_article(published=True, tags=tags[:1]))
    few = count()
    for n in range(27):
        article = make_article(published=True, tags=tags[n % 3:])
        if n % 2:
            translate(article)
    assert count() == few


def test_the_index_names_every_page_of_each_sitemap_and_each_row_keeps_its_page(client, monkeypatch):
    """Pages are blocks of ids, so a story or tag stays on its page as the archive grows."""
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    monkeypatch.setattr(TagSitemap, "limit", 2)
    tags = [Tag.objects.create(name=f"وسم {n}") for n in range(3)]
    stories = [make_article(published=True, tags=tags[n % 3:n % 3 + 1]) for n in range(5)]
    draft = make_article()
    parts = index_locations(client)
    assert {"/sitemap-sections.xml", "/sitemap-people.xml"} <= set(parts)
    for kind, newest in (("articles", draft.pk), ("tags", tags[-1].pk)):
        count = int(sitemap_page(kind, newest, 2).partition("?p=")[2])
        assert [p for p in parts if p.startswith(f"/sitemap-{kind}.xml")] == [
            f"/sitemap-{kind}.xml", *(f"/sitemap-{kind}.xml?p={n}" for n in range(2, count + 1))
        ]
        assert client.get(f"/sitemap-{kind}.xml?p={count + 1}").status_code == 404
    for story in stories:
        assert any(f"/article/{story.pk}/" in loc for loc in entries(client, sitemap_page("articles", story.pk, 2)))
    for tag in tags:
        assert any(f"/tag/{tag.slug}/" in loc for loc in entries(client, sitemap_page("tags", tag.pk, 2)))
    assert not any(f"/article/{draft.pk}/" in loc for loc in entries(client, sitemap_page("articles", draft.pk, 2)))
    assert client.get("/sitemap-articles.xml?p=two").status_code == 404
    assert client.get("/sitemap-opinion.xml").status_code == 404


def test_news_sitemap_lists_only_the_last_48_hours(client):
    fresh = translate(make_article(published=True))
    old = make_article(published=True, published_at=timezone.now() - timezone.timedelta(hours=49))
    draft = make_article()
    response = client.get("/sitemap-news.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    nodes = root.findall("s:url", NS)
    locs = [node.find("s:loc", NS).text for node in nodes]
    assert all(f"/article/{a.pk}/" not in " ".join(locs) for a in (old, draft))
    by_language = {node.find("news:news/news:publication/news:language", NS).text: node for node in nodes}
    assert set(by_language) == {"ar", "en"}
    assert by_language["ar"].find("news:news/news:title", NS).text == fresh.headline_ar
    assert by_language["en"].find("news:news/news:title", NS).text == "Breaking news in English"
    assert by_language["en"].find("s:loc", NS).text.startswith("http://testserver/en/article/")
    assert by_language["ar"].find("news:news/news:publication/news:name", NS).text
    published = by_language["ar"].find("news:news/news:publication_date", NS).text
    assert timezone.datetime.fromisoformat(published) == fresh.published_at


def test_every_page_of_a_busy_news_sitemap_is_named_in_robots_txt(client, monkeypatch):
    # Google News reads 1,000 addresses a sitemap; two stand for them here.
    monkeypatch.setattr(NewsSitemap, "limit", 2)
    stories = [make_article(published=True) for _ in range(3)]

    lines = client.get("/robots.txt").content.decode().splitlines()

    pages = [line.removeprefix("Sitemap: http://testserver") for line in lines if "sitemap-news" in line]
    assert pages == ["/sitemap-news.xml", "/sitemap-news.xml?p=2"]
    listed = " ".join(loc for page in pages for loc in entries(client, page))
    assert all(f"/article/{story.pk}/" in listed for story in stories)


def test_robots_txt_points_at_both_sitemaps_and_keeps_out_admin_and_previews(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /preview/" in lines
    assert "Disallow: /en/admin/" in lines
