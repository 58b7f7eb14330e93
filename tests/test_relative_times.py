"""A story under a day old says how long ago it was published; the full date stays on hover and in print."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from articles.templatetags.newsroom import newsroom_date
from tests.factories import make_article


def _published(hours_ago, **fields):
    article = make_article("خبر التوقيت", published=True, **fields)
    article.published_at = timezone.now() - timezone.timedelta(hours=hours_ago)
    article.save()
    return article


def _times(html):
    return re.findall(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', html)


@pytest.mark.django_db
def test_story_two_hours_old_says_two_hours_ago_with_full_date_on_hover(client):
    article = _published(2)
    times = _times(client.get(article.get_absolute_url()).text)
    assert times, "the byline's <time> element is missing"
    iso, title, text = times[0]
    assert text == "منذ ساعتين"
    with translation.override("ar"):
        assert newsroom_date(article.published_at) in title
    assert timezone.localtime(article.published_at).strftime("%H:%M") in title
    assert iso == timezone.localtime(article.published_at).isoformat()


@pytest.mark.django_db
def test_story_thirty_hours_old_shows_the_full_date(client):
    article = _published(30)
    html = client.get(article.get_absolute_url()).text
    with translation.override("ar"):
        full = newsroom_date(article.published_at)
    iso, title, text = _times(html)[0]
    assert text == full
    assert full in title


@pytest.mark.django_db
def test_english_edition_says_two_hours_ago(client):
    _published(2, headline_en="Timed story", summary_en="Summary.", body_en="<p>Body.</p>")
    html = client.get("/en/").text
    assert any(text == "2 hours ago" for _, _, text in _times(html))


@pytest.mark.django_db
def test_base_page_links_the_print_stylesheet(client):
    _published(30)
    html = client.get("/").text
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', html)
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert 'a[href^="http"]::after' in css and "break-inside: avoid" in css
    for hidden in (".languages", ".sections", ".text-size", ".share", ".support", ".related", ".site-footer"):
        assert hidden in css
