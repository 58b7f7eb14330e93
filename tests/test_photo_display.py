"""How photos reach readers: responsive renditions, credits that link, sensitive images, social cards."""

import re

import pytest

from articles.models import Person
from articles.renditions import ensure_renditions
from tests.factories import make_article, make_person, make_photo


def photo_with_renditions(**fields):
    photo = make_photo(**fields)
    ensure_renditions(photo)
    photo.refresh_from_db()
    return photo


def lead_figure(html):
    return re.search(r'<figure class="figure figure--lead.*?</figure>', html, re.S).group(0)


@pytest.mark.django_db
def test_lead_photo_is_a_responsive_picture_with_webp_and_jpeg(client):
    article = make_article(published=True, lead_photo=photo_with_renditions())
    figure = lead_figure(client.get(article.get_absolute_url()).text)
    assert "<picture" in figure
    webp = re.search(r'<source[^>]*type="image/webp"[^>]*>', figure).group(0)
    assert re.search(r'srcset="[^"]+\.webp \d+w', webp) and "sizes=" in webp
    img = re.search(r"<img[^>]*>", figure).group(0)
    assert re.search(r'src="[^"]+\.jpg"', img)
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    # The lead photo is what the reader sees first: it must not wait for lazy loading.
    assert 'loading="lazy"' not in img and 'fetchpriority="high"' in img


@pytest.mark.django_db
def test_cards_load_lazily_with_a_cropped_card_rendition(client):
    photo = photo_with_renditions()
    make_article(published=True, lead_photo=photo, is_top_story=True)
    make_article(published=True, lead_photo=photo)
    html = client.get("/").text
    card = re.search(r'<article class="card">.*?</article>', html, re.S).group(0)
    img = re.search(r"<img[^>]*>", card).group(0)
    assert 'loading="lazy"' in img
    assert "/card-" in card


@pytest.mark.django_db
def test_a_staff_photographers_credit_links_to_their_page_which_lists_the_photo(client):
    photographer = make_person("سامر العلي", slug="سامر-العلي", role=Person.Role.PHOTOGRAPHER)
    photo = photo_with_renditions(credit="سامر العلي", credit_person=photographer, caption="سوق الحميدية")
    article = make_article(published=True, lead_photo=photo)
    figure = lead_figure(client.get(article.get_absolute_url()).text)
    credit = re.search(r'<span class="figure__credit">.*?</span>', figure, re.S).group(0)
    assert f'href="{photographer.get_absolute_url()}"' in credit and "سامر العلي" in credit

    person_page = client.get(photographer.get_absolute_url()).text
    assert "سوق الحميدية" in person_page
    assert "(<bdi>" in person_page  # the photo carries its credit on the photographer's page too


@pytest.mark.django_db
def test_photographer_page_keeps_photos_of_unpublished_stories_hidden(client):
    photographer = make_person(role=Person.Role.PHOTOGRAPHER)
    make_article(published=False, lead_photo=make_photo(caption="صورة لم تنشر بعد", credit_person=photographer))
    assert "صورة لم تنشر بعد" not in client.get(photographer.get_absolute_url()).text


@pytest.mark.django_db
def test_sensitive_photo_is_blurred_behind_a_warning_the_reader_can_lift(client):
    article = make_article(published=True, lead_photo=photo_with_renditions(is_sensitive=True))
    figure = lead_figure(client.get(article.get_absolute_url()).text)
    assert "figure--sensitive" in figure
    label = re.search(r'<label class="sensitive">.*?</label>', figure, re.S).group(0)
    assert '<input type="checkbox" class="sensitive__toggle">' in label
    assert "صادمة" in label  # the warning, in Arabic


@pytest.mark.django_db
def test_sensitive_photo_is_never_the_social_card(client):
    normal = make_article(published=True, lead_photo=photo_with_renditions())
    sensitive = make_article(published=True, lead_photo=photo_with_renditions(is_sensitive=True))
    card = re.search(r'<meta property="og:image" content="([^"]+)">', client.get(normal.get_absolute_url()).text)
    assert card and card.group(1).startswith("http") and "/social-1200" in card.group(1)
    assert 'content="1200"' in client.get(normal.get_absolute_url()).text
    assert "og:image" not in client.get(sensitive.get_absolute_url()).text


@pytest.mark.django_db
def test_sensitive_lead_photo_is_blurred_on_cards_too(client):
    make_article(published=True, lead_photo=photo_with_renditions(), is_top_story=True)
    make_article(published=True, lead_photo=photo_with_renditions(is_sensitive=True))
    html = client.get("/").text
    assert "card__media--sensitive" in html and "صورة حساسة" in html
