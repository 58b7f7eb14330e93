"""The editor's desk on the admin index: what waits for the person logged in, as their role allows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_photo, make_user

pytestmark = pytest.mark.django_db

INDEX = "/admin/"


def panels(client):
    response = client.get(INDEX)
    assert response.status_code == 200
    return {panel.key: panel for panel in response.context["panels"]}


def titles(panel):
    return [item.title for item in panel.items]


def in_status(status, headline, **fields):
    article = make_article(headline, **fields)
    Article.objects.filter(pk=article.pk).update(status=status)
    return article


def scheduled(headline, at):
    """Scheduled for ``at``; a time already past makes it overdue (publish_scheduled has not run yet)."""
    article = make_article(headline, published=True, published_at=timezone.now() + timezone.timedelta(hours=1))
    Article.objects.filter(pk=article.pk).update(published_at=at)
    return article


def stale_translation(headline):
    article = make_article(headline, headline_en="Translated", body_en="<p>Text.</p>")
    Article.objects.filter(pk=article.pk).update(
        text_changed_at_en=timezone.now() - timezone.timedelta(hours=1), text_changed_at_ar=timezone.now()
    )
    return article


def test_editor_sees_every_panel_with_the_whole_desk(client):
    editor, writer = make_user("editor"), make_user("writer")
    client.force_login(editor)
    make_article("مسودة المحرر", created_by=editor)
    make_article("مسودة الكاتب", created_by=writer)
    in_status(Article.Status.IN_REVIEW, "خبر الكاتب للمراجعة", created_by=writer)
    scheduled("خبر فات موعده", timezone.now() - timezone.timedelta(minutes=10))
    scheduled("خبر الغد", timezone.now() + timezone.timedelta(days=1))
    make_article("خبر منشور", published=True)
    stale_translation("خبر ترجمته قديمة")
    make_photo(caption="صورة بلا مصدر", credit="")
    make_article("خبر في السلة", created_by=editor).move_to_trash(by=editor)

    desk = panels(client)

    assert list(desk) == ["drafts", "review", "scheduled", "published", "stale", "credits"]
    assert titles(desk["drafts"]) == ["مسودة المحرر"]
    assert titles(desk["review"]) == ["خبر الكاتب للمراجعة"]
    assert titles(desk["scheduled"]) == ["خبر فات موعده", "خبر الغد"]
    assert [item.overdue for item in desk["scheduled"].items] == [True, False]
    assert desk["scheduled"].overdue == 1
    assert "خبر منشور" in titles(desk["published"])
    assert titles(desk["stale"]) == ["خبر ترجمته قديمة"]
    assert titles(desk["credits"]) == ["صورة بلا مصدر"]


def test_overdue_story_is_highlighted_on_the_page(client):
    client.force_login(make_user("editor"))
    scheduled("خبر فات موعده", timezone.now() - timezone.timedelta(minutes=10))

    html = client.get(INDEX).content.decode()

    assert 'class="desk-overdue"' in html
    assert "desk-overdue-note" in html


def test_writer_sees_only_their_own_stories_and_no_translation_or_photo_work_of_others(client):
    writer, colleague = make_user("writer"), make_user("writer")
    client.force_login(writer)
    make_article("مسودتي", created_by=writer)
    make_article("مسودة زميلي", created_by=colleague)
    in_status(Article.Status.IN_REVIEW, "خبري للمراجعة", created_by=writer)
    in_status(Article.Status.IN_REVIEW, "خبر زميلي للمراجعة", created_by=colleague)
    stale_translation("خبر ترجمته قديمة")

    desk = panels(client)

    assert titles(desk["drafts"]) == ["مسودتي"]
    assert titles(desk["review"]) == ["خبري للمراجعة"]
    assert desk["review"].count == 1
    assert "stale" not in desk


def test_photographer_sees_photos_missing_credits_and_no_articles(client):
    client.force_login(make_user("photographer"))
    make_photo(caption="صورة بلا مصدر", credit="")
    make_photo(caption="صورة لها مصدر")
    make_article("مسودة")

    desk = panels(client)

    assert list(desk) == ["credits"]
    assert titles(desk["credits"]) == ["صورة بلا مصدر"]


@pytest.mark.parametrize("role", ["editor", "writer"])
def test_see_all_links_open_the_same_articles_in_the_list(client, role):
    user = make_user(role)
    client.force_login(user)
    make_article("مسودتي", created_by=user)
    make_article("مسودة غيري")
    in_status(Article.Status.IN_REVIEW, "خبري للمراجعة", created_by=user)
    in_status(Article.Status.IN_REVIEW, "خبر غيري للمراجعة")
    make_article("خبر منشور", published=True)
    scheduled("خبر الغد", timezone.now() + timezone.timedelta(days=1))
    stale_translation("خبر ترجمته قديمة")
    make_photo(caption="صورة بلا مصدر", credit="")

    for panel in panels(client).values():
        response = client.get(panel.see_all_url)
        assert response.status_code == 200, panel.key
        assert response.context["cl"].result_count == panel.count, panel.key


def test_panels_show_at_most_eight_items_but_count_them_all(client):
    editor = make_user("editor")
    client.force_login(editor)
    for number in range(10):
        make_article(f"مسودة {number}", created_by=editor)

    drafts = panels(client)["drafts"]

    assert len(drafts.items) == 8 and drafts.count == 10


def desk_with(articles, editor):
    for number in range(articles):
        make_article(f"مسودة {number}", created_by=editor, lead_photo=None)
        in_status(Article.Status.IN_REVIEW, f"للمراجعة {number}", lead_photo=None)
        scheduled(f"مجدول {number}", timezone.now() - timezone.timedelta(minutes=number + 1))
        make_article(f"منشور {number}", published=True)
        stale_translation(f"ترجمة قديمة {number}")
        make_photo(credit="")


def test_index_costs_a_fixed_number_of_queries_for_3_or_30_articles(client, django_assert_max_num_queries):
    editor = make_user("editor")
    client.force_login(editor)
    desk_with(3, editor)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    desk_with(27, editor)

    with django_assert_max_num_queries(len(few)):
        response = client.get(INDEX)
    assert len(response.context["panels"]) == 6
