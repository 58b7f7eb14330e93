"""English lives under /en/, left to right, and shows only what was translated."""

import pytest

from tests.factories import make_article


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
