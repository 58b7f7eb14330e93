import pytest
from django.utils import timezone

from tests.factories import make_article, make_section


@pytest.mark.django_db
def test_home_leads_with_the_top_story_then_latest_then_sections(client):
    politics, culture = make_section("سياسة"), make_section("ثقافة")
    top = make_article("الخبر الرئيسي اليوم", published=True, section=politics, is_top_story=True,
                       published_at=timezone.now() - timezone.timedelta(days=1))
    newest = make_article("أحدث خبر", published=True, section=culture)
    make_article("مسودة لم تنشر", section=culture)
    html = client.get("/").text
    assert '<html lang="ar" dir="rtl">' in html
    assert html.index("الخبر الرئيسي اليوم") < html.index("أحدث خبر")
    assert "مسودة لم تنشر" not in html
    assert f'id="section-{culture.pk}"' in html and f'id="section-{politics.pk}"' in html
    assert newest.get_absolute_url() in html and top.get_absolute_url() in html


@pytest.mark.django_db
def test_home_without_a_marked_top_story_leads_with_the_newest(client):
    make_article("خبر أقدم", published=True, published_at=timezone.now() - timezone.timedelta(days=2))
    make_article("خبر أحدث", published=True)
    html = client.get("/").text
    assert html.index("خبر أحدث") < html.index("خبر أقدم")
    assert 'class="top-story__headline"><a href="' in html


@pytest.mark.django_db
def test_empty_newsroom_home_page_still_renders(client):
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_section_block_shows_at_most_four_newest(client):
    desk = make_section("اقتصاد")
    for day in range(6):
        make_article(f"خبر اقتصادي {day}", published=True, section=desk,
                     published_at=timezone.now() - timezone.timedelta(days=day + 1))
    block = client.get("/").text.split(f'id="section-{desk.pk}"')[1]
    assert "خبر اقتصادي 0" in block and "خبر اقتصادي 3" in block and "خبر اقتصادي 4" not in block
