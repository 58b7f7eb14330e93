"""RSS and Atom feeds: what readers' feed readers get, parsed as XML, in Arabic and English."""

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.utils import timezone

from tests.factories import make_article, make_person, make_photo, make_section

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel").findall("item")


def titles(items):
    return [item.findtext("title") for item in items]


def translate(article):
    article.headline_en = "A translated story"
    article.summary_en = "English summary."
    article.body_en = "<p>English body.</p>"
    article.save()
    return article


@pytest.mark.django_db
def test_site_rss_item_carries_title_link_summary_date_authors_tags_and_lead_image(client):
    story = make_article("خبر منشور", published=True, summary_ar="ملخص الخبر",
                         authors=[make_person("سامر العلي"), make_person("ليلى حسن")], tags=["سوريا", "اقتصاد"])
    [item] = rss_items(client, "/feed/")
    assert item.findtext("title") == "خبر منشور"
    assert item.findtext("link") == "http://testserver" + story.get_absolute_url()
    assert item.findtext("description") == "ملخص الخبر"
    assert item.findtext("pubDate")
    assert "سامر العلي" in item.findtext(f"{DC}creator") and "ليلى حسن" in item.findtext(f"{DC}creator")
    assert sorted(c.text for c in item.findall("category")) == ["اقتصاد", "سوريا"]
    enclosure = item.find("enclosure")
    assert enclosure.get("url").startswith("http://testserver/media/")
    assert enclosure.get("type") == "image/jpeg" and enclosure.get("length") == "0"


@pytest.mark.django_db
def test_sensitive_lead_photo_is_never_an_enclosure(client):
    make_article(published=True, lead_photo=make_photo(is_sensitive=True))
    [item] = rss_items(client, "/feed/")
    assert item.find("enclosure") is None


@pytest.mark.django_db
def test_drafts_and_future_scheduled_stories_never_appear(client):
    make_article("منشور", published=True)
    make_article("مسودة")
    make_article("مجدول", published=True, published_at=timezone.now() + timezone.timedelta(days=1))
    assert titles(rss_items(client, "/feed/")) == ["منشور"]
    atom = ET.fromstring(client.get("/feed/atom/").content)
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == ["منشور"]


@pytest.mark.django_db
def test_atom_feed_has_entries_with_enclosure_link_and_authors(client):
    story = make_article("خبر", published=True, authors=[make_person("سامر العلي")], tags=["سوريا"])
    response = client.get("/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    [entry] = ET.fromstring(response.content).findall(f"{ATOM}entry")
    links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
    assert links["alternate"] == "http://testserver" + story.get_absolute_url()
    assert links["enclosure"].startswith("http://testserver/media/")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "سامر العلي"
    assert entry.find(f"{ATOM}category").get("term") == "سوريا"
    assert entry.findtext(f"{ATOM}published")
    assert entry.findtext(f"{ATOM}updated")  # RFC 4287 requires it in every entry


@pytest.mark.django_db
def test_an_atom_entry_says_when_its_text_was_revised(client):
    revised, unrevised = make_article("خبر منقح", published=True), make_article("خبر", published=True)
    corrected = revised.published_at + timezone.timedelta(hours=3)
    type(revised).objects.filter(pk=revised.pk).update(text_changed_at_ar=corrected)
    type(revised).objects.filter(pk=unrevised.pk).update(text_changed_at_ar=unrevised.published_at)

    entries = ET.fromstring(client.get("/feed/atom/").content).findall(f"{ATOM}entry")
    updated = {entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}updated") for entry in entries}

    assert updated["خبر منقح"] == corrected.isoformat()
    assert updated["خبر"] == unrevised.published_at.isoformat()


@pytest.mark.django_db
def test_english_feeds_list_only_translated_stories_in_english(client):
    translate(make_article("مترجم", published=True))
    make_article("عربي فقط", published=True)
    items = rss_items(client, "/en/feed/")
    assert titles(items) == ["A translated story"]
    assert items[0].findtext("link").startswith("http://testserver/en/article/")
    assert ET.fromstring(client.get("/en/feed/").content).find("channel").findtext("language") == "en"
    atom = ET.fromstring(client.get("/en/feed/atom/").content)
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == ["A translated story"]
    assert sorted(titles(rss_items(client, "/feed/"))) == sorted(["مترجم", "عربي فقط"])


@pytest.mark.django_db
def test_hostile_headline_keeps_the_xml_well_formed(client):
    hostile = 'خبر <script>alert(1)</script> ]]> & "quotes"'
    make_article(hostile, published=True, summary_ar="ملخص ]]> <b>x</b>", tags=["<وسم>"])
    assert titles(rss_items(client, "/feed/")) == [hostile]
    atom = ET.fromstring(client.get("/feed/atom/").content)
    assert atom.find(f"{ATOM}entry").findtext(f"{ATOM}title") == hostile


@pytest.mark.django_db
def test_control_characters_pasted_into_any_field_never_break_a_feed(client):
    # A word processor's line break arrives as a vertical tab; XML 1.0 cannot carry it, and Django's writer
    # refused the whole feed over one (500 on every feed showing the story).
    section, writer = make_section("سياسة\x0b"), make_person("ريم\x1b الحلبي")
    story = translate(make_article(
        "خبر\x0b عاجل\ufffe", published=True, section=section, authors=[writer], tags=["وسم\x08"],
        summary_ar="ملخص\x0c قصير",
    ))
    # U+FFFE and U+FFFF are no XML characters either: written as they are, no reader could parse the feed.
    story.headline_en = "Breaking\x0b news\uffff"
    story.save()
    feeds = ["/feed/", "/feed/atom/", "/en/feed/", "/en/feed/atom/", f"{section.get_absolute_url()}feed/",
             f"/tag/{quote(story.tags.get().slug)}/feed/", f"{writer.get_absolute_url()}feed/"]

    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.content)  # well-formed
    assert titles(rss_items(client, "/feed/")) == ["خبر عاجل"]
    assert titles(rss_items(client, "/en/feed/")) == ["Breaking news"]
    news = client.get("/sitemap-news.xml")
    assert "خبر عاجل" in ET.tostring(ET.fromstring(news.content), encoding="unicode")


@pytest.mark.django_db
def test_section_tag_and_person_feeds_list_only_their_stories(client):
    desk, writer = make_section(slug="سياسة"), make_person(slug="سامر")
    make_article("في القسم", published=True, section=desk)
    make_article("بالوسم", published=True, tags=["سوريا"])
    make_article("بقلمه", published=True, authors=[writer])
    assert titles(rss_items(client, "/section/سياسة/feed/")) == ["في القسم"]
    assert titles(rss_items(client, "/tag/سوريا/feed/")) == ["بالوسم"]
    assert titles(rss_items(client, "/person/سامر/feed/")) == ["بقلمه"]
    assert client.get("/section/لا-يوجد/feed/").status_code == 404


@pytest.mark.django_db
def test_tag_only_drafts_use_has_no_feed(client):
    make_article("مسودة", tags=["سر"])
    assert client.get("/tag/سر/feed/").status_code == 404


@pytest.mark.django_db
def test_pages_announce_their_feeds_in_the_head(client):
    desk, writer = make_section(slug="سياسة"), make_person(slug="سامر")
    make_article(published=True, section=desk, authors=[writer], tags=["سوريا"])
    for page, feed in [("/", "/feed/"), ("/section/سياسة/", "/section/سياسة/feed/"),
                       ("/tag/سوريا/", "/tag/سوريا/feed/"), ("/person/سامر/", "/person/سامر/feed/")]:
        head = client.get(page).content.decode().split("</head>")[0]
        assert 'rel="alternate" type="application/rss+xml"' in head
        assert f'href="{quote(feed)}"' in head, page
    assert 'href="/en/feed/"' in client.get("/en/").content.decode().split("</head>")[0]


def fill_feed(desk, count):
    photo = make_photo()
    for number in range(count):
        make_article(published=True, section=desk, lead_photo=photo,
                     authors=[make_person(), make_person()], tags=["سوريا", f"وسم {number}"])


@pytest.mark.django_db
def test_feed_costs_the_same_queries_for_3_or_20_items(client, django_assert_max_num_queries):
    desk = make_section(slug="قسم-الميزانية")
    fill_feed(desk, 3)
    with django_assert_max_num_queries(4) as few:  # the section, the stories, their bylines, their tags
        client.get("/section/قسم-الميزانية/feed/")
    fill_feed(desk, 17)
    with django_assert_max_num_queries(len(few.captured_queries)):
        items = rss_items(client, "/section/قسم-الميزانية/feed/")
    assert len(items) == 20 and all(item.find("category") is not None for item in items)
