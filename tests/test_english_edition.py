"""English lives under /en/, left to right, and shows only what was translated."""

import pytest
from django.db import connection
from django.utils.translation import override

from articles.models import Article, Tag
from tests.factories import make_article
from tests.plans import query_plan


@pytest.fixture
def translated():
    article = make_article("خبر مترجم", published=True, tags=["سوريا"])
    article.headline_en = "A translated story"
    article.summary_en = "English summary."
    article.body_en = "<p>English body.</p>"
    article.lead_photo.caption_en = "A meeting in Damascus"
    article.lead_photo.credit_en = "Presidency website"
    article.lead_photo.save()
    article.save()
    Tag.objects.filter(name_ar="سوريا").update(name_en="Syria")
    return article


@pytest.fixture
def arabic_only():
    return make_article("خبر عربي فقط", published=True, tags=["سوريا"])


@pytest.mark.django_db
def test_english_home_is_left_to_right_and_lists_only_translations(client, translated, arabic_only):
    html = client.get("/en/").text
    assert '<html lang="en" dir="ltr">' in html
    assert "A translated story" in html
    assert "خبر عربي فقط" not in html and "خبر مترجم" not in html


@pytest.mark.django_db
def test_english_article_shows_english_text_and_caption(client, translated):
    with_en = client.get("/en/").text.split('class="top-story__headline"><a href="')[1].split('"')[0]
    assert with_en.startswith("/en/article/")
    html = client.get(with_en).text
    assert "A translated story" in html and "English body." in html
    assert "A meeting in Damascus" in html and "(<bdi>Presidency website</bdi>)" in html
    assert "خبر مترجم" not in html


@pytest.mark.django_db
def test_untranslated_article_is_not_found_in_english(client, arabic_only):
    assert client.get(f"/en/article/{arabic_only.pk}/").status_code == 404


@pytest.mark.django_db
def test_language_switcher_links_to_the_translation_when_there_is_one(client, translated, arabic_only):
    html = client.get(translated.get_absolute_url()).text
    assert 'hreflang="en" lang="en">English</a>' in html
    assert f'href="/en/article/{translated.pk}/' in html
    assert 'rel="alternate" hreflang="en"' in html
    other = client.get(arabic_only.get_absolute_url()).text
    assert f'href="/en/article/{arabic_only.pk}/' not in other
    assert 'rel="alternate" hreflang="en"' not in other


@pytest.mark.django_db
def test_english_tag_page_lists_only_translated_articles(client, translated, arabic_only):
    html = client.get("/en/tag/سوريا/").text
    assert "A translated story" in html and "خبر عربي فقط" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["", "<p></p><p><br></p>", "<p>&nbsp;</p>", "<ul><li></li></ul>", "<p>\u200f</p>"])
def test_a_headline_without_a_body_is_not_yet_an_english_story(client, arabic_only, body):
    # The editor posts a body emptied with Enter as «<p></p><p><br></p>»: no body either.
    arabic_only.headline_en = "Only the headline is translated"
    arabic_only.body_en = body
    arabic_only.save()
    assert arabic_only.body_en == "" and arabic_only.editions() == ["ar"]
    assert "Only the headline is translated" not in client.get("/en/").text
    assert client.get(arabic_only.get_absolute_url().replace("/article/", "/en/article/", 1)).status_code == 404


@pytest.mark.django_db
def test_english_listings_can_read_the_english_editions_own_index(translated, arabic_only):
    # A thin edition's listings walked the whole Arabic archive past the stories it lacks (README "Performance").
    # They stay fast only while in_edition() says what the index's condition says. Each database is asked whether
    # the index can serve the listing: SQLite refuses a query it cannot answer through an INDEXED BY; PostgreSQL,
    # told not to read the table (with a handful of rows it rightly would), names the index it chose, which may be
    # either of the edition's two (they share the condition; any other index means the condition was not seen).
    with override("en"):
        listings = {
            "article_newest_en_idx": Article.objects.for_readers()[:20],
            "article_section_en_idx": Article.objects.for_readers().filter(section=translated.section)[:20],
        }
    for index, listing in listings.items():
        sql, params = listing.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # With its values written in: INDEXED BY is checked before values are bound (a running query plans
                # again once they are, and then uses the partial index).
                sql, table = connection.ops.last_executed_query(cursor, sql, params), 'FROM "articles_article"'
                cursor.execute(sql.replace(table, f"{table} INDEXED BY {index}", 1))
                assert [row[0] for row in cursor.fetchall()] == [translated.pk]
            else:
                plan = str(query_plan(sql, params))
                assert "article_newest_en_idx" in plan or "article_section_en_idx" in plan, plan


@pytest.mark.django_db
def test_a_tags_language_link_leads_to_a_page_that_exists(client, translated):
    make_article("خبر عن الطاقة", published=True, tags=["الطاقة"])

    def english_link(path):
        html = client.get(path).text
        return html.split('hreflang="en" lang="en">English</a>')[0].rsplit('href="', 1)[1].split('"')[0]

    shared, arabic_only = english_link("/tag/سوريا/"), english_link("/tag/الطاقة/")

    assert client.get(shared).status_code == 200 and "/tag/" in shared
    # No story of this tag is translated: the English edition's home, not a 404.
    assert arabic_only == "/en/" and client.get(arabic_only).status_code == 200


@pytest.mark.django_db
def test_the_english_text_size_buttons_carry_a_latin_letter(client, translated):
    html = client.get(f"/en/article/{translated.pk}/", follow=True).text
    assert html.count(">A</button>") == 3 and ">ع</button>" not in html
