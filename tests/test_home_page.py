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


@pytest.mark.django_db
def test_an_older_story_ticked_as_the_top_story_leads_the_home_page_and_the_other_is_unticked(client):
    from django.urls import reverse

    from articles.models import Article
    from tests.factories import make_editor
    from tests.test_admin_flow import admin_form_data

    older = make_article("خبر الأمس المهم", published=True, published_at=timezone.now() - timezone.timedelta(days=1))
    newer = make_article("خبر اليوم", published=True, is_top_story=True)
    editor = client.__class__()
    editor.force_login(make_editor())
    url = reverse("admin:articles_article_change", args=[older.pk])

    saved = editor.post(url, admin_form_data(editor, url, is_top_story="on"), follow=True)

    assert "خبر اليوم" in " ".join(str(message) for message in saved.context["messages"])
    assert list(Article.objects.filter(is_top_story=True)) == [older]
    assert 'class="top-story__headline"><a href="' + older.get_absolute_url() in client.get("/").text
    assert not Article.objects.get(pk=newer.pk).is_top_story


@pytest.mark.django_db
def test_ticking_a_top_story_leaves_a_scheduled_scoop_ticked_and_a_story_published_with_it_leads(client):
    from django.urls import reverse

    from articles.models import Article
    from tests.factories import make_editor
    from tests.test_admin_flow import admin_form_data

    scoop = make_article("سبق الغد", is_top_story=True)
    scoop.publish(by=None, at=timezone.now() + timezone.timedelta(days=1))
    leading = make_article("خبر اليوم", published=True, is_top_story=True)
    draft = make_article("مسودة مهمة")
    editor = client.__class__()
    editor.force_login(make_editor())
    url = reverse("admin:articles_article_change", args=[draft.pk])

    editor.post(url, admin_form_data(editor, url, is_top_story="on", _publish="Save and publish"))

    # Published and ticked in one save, it is the top story readers see; the scoop waits for its time, still ticked.
    assert set(Article.objects.filter(is_top_story=True)) == {draft, scoop}
    assert not Article.objects.get(pk=leading.pk).is_top_story
