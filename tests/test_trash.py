"""The trash: deleting an article moves it there; editors restore, only administrators delete for good."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone
from django.utils.translation import gettext

from articles.audit import AuditEntry
from articles.models import Article, ArticleAuthor
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"
TRASH = "/admin/articles/article/?trash=1"
EMPTY_TRASH = "/admin/articles/article/trash/empty/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def delete_url(article):
    return f"/admin/articles/article/{article.pk}/delete/"


def restore_url(article):
    return f"/admin/articles/article/{article.pk}/restore/"


def logged_in(client, role):
    user = make_user(role)
    client.force_login(user)
    return user


def trashed(headline=None, **fields):
    article = make_article(headline, **fields)
    article.move_to_trash(by=None)
    return article


def listed(response):
    return {article.pk for article in response.context["cl"].result_list}


def action_names(response):
    return [name for name, _label in response.context["action_form"].fields["action"].choices if name]


def run_action(client, url, action, *articles, **extra):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in articles], "index": 0, **extra})


def test_article_list_hides_the_trash_and_the_trash_view_shows_only_it(client):
    logged_in(client, "editor")
    kept, gone = make_article(), trashed()

    articles = client.get(CHANGELIST)
    trash = client.get(TRASH)

    assert listed(articles) == {kept.pk}
    assert listed(trash) == {gone.pk}
    # Neither list counts the other's articles in its totals.
    assert articles.context["cl"].result_count == 1
    assert trash.context["cl"].result_count == 1


def test_delete_view_asks_to_move_to_the_trash_and_keeps_the_row_and_what_refers_to_it(client):
    editor = logged_in(client, "editor")
    article = make_article(published=True, tags=["سوريا"])

    confirmation = client.get(delete_url(article))
    response = client.post(delete_url(article), {"post": "yes"})

    assert gettext("Yes, move it to the trash") in confirmation.content.decode()
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.deleted_at is not None and article.deleted_by == editor
    assert ArticleAuthor.objects.filter(article=article).exists()
    assert [tag.name for tag in article.tags.all()] == ["سوريا"]
    assert AuditEntry.objects.filter(action="trashed", target_id=str(article.pk), actor=editor).exists()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_move_to_the_trash_action_replaces_delete_selected(client):
    logged_in(client, "editor")
    first, second, kept = make_article(), make_article(), make_article()

    offered = action_names(client.get(CHANGELIST))
    response = run_action(client, CHANGELIST, "move_to_trash_selected", first, second)

    assert "delete_selected" not in offered and "move_to_trash_selected" in offered
    assert response.status_code == 302
    assert set(Article.objects.in_trash().values_list("pk", flat=True)) == {first.pk, second.pk}
    assert Article.objects.filter(pk=kept.pk, deleted_at__isnull=True).exists()


def test_writer_cannot_move_an_article_to_the_trash(client):
    writer = logged_in(client, "writer")
    article = make_article(created_by=writer)

    assert client.post(delete_url(article), {"post": "yes"}).status_code == 403
    run_action(client, CHANGELIST, "move_to_trash_selected", article)  # forged: the action is not offered

    article.refresh_from_db()
    assert article.deleted_at is None
    assert "move_to_trash_selected" not in action_names(client.get(CHANGELIST))


def test_writer_asking_for_the_trash_gets_the_ordinary_list(client):
    logged_in(client, "writer")
    gone = trashed()

    assert gone.pk not in listed(client.get(TRASH))


def test_trashed_article_is_read_only_until_restored(client):
    logged_in(client, "editor")
    article = trashed("خبر في السلة")

    page = client.get(change_url(article))
    html = page.content.decode()
    data = {"headline_ar": "عنوان جديد", "body_ar": "<p>نص</p>"}

    assert page.status_code == 200
    assert 'name="headline_ar"' not in html
    assert restore_url(article) in html
    assert client.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.headline_ar == "خبر في السلة"


def test_editor_restores_an_article_from_its_page(client):
    editor = logged_in(client, "editor")
    article = trashed(published=True)

    response = client.post(restore_url(article))

    assert response.status_code == 302 and response.url == change_url(article)
    article.refresh_from_db()
    assert article.deleted_at is None
    assert AuditEntry.objects.filter(action="restored", target_id=str(article.pk), actor=editor).exists()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_restore_view_refuses_get_and_writers(client):
    article = trashed()
    logged_in(client, "editor")
    assert client.get(restore_url(article)).status_code == 405
    client.logout()
    logged_in(client, "writer")

    assert client.post(restore_url(article)).status_code == 403
    article.refresh_from_db()
    assert article.deleted_at is not None


def test_editor_restores_with_the_trash_action_but_cannot_delete_for_good(client):
    logged_in(client, "editor")
    first, second = trashed(), trashed()

    offered = action_names(client.get(TRASH))
    run_action(client, TRASH, "restore_selected", first)
    forged = run_action(client, TRASH, "delete_for_good_selected", second, post="yes")

    assert offered == ["restore_selected"]
    assert Article.objects.get(pk=first.pk).deleted_at is None
    assert forged.status_code in (200, 302)
    assert Article.objects.filter(pk=second.pk).exists()
    assert client.post(delete_url(second), {"post": "yes"}).status_code == 403
    assert client.post(EMPTY_TRASH).status_code == 403
    assert Article.objects.filter(pk=second.pk).exists()


def test_administrator_deletes_for_good_after_a_confirmation_page(client):
    admin_user = logged_in(client, "administrator")
    doomed, spared = trashed("خبر للحذف النهائي"), trashed()

    offered = action_names(client.get(TRASH))
    confirmation = run_action(client, TRASH, "delete_for_good_selected", doomed)
    still_there = Article.objects.filter(pk=doomed.pk).exists()
    response = run_action(client, TRASH, "delete_for_good_selected", doomed, post="yes")

    assert set(offered) == {"restore_selected", "delete_for_good_selected"}
    assert confirmation.status_code == 200 and "خبر للحذف النهائي" in confirmation.content.decode()
    assert still_there
    assert response.status_code == 302
    assert not Article.objects.filter(pk=doomed.pk).exists()
    assert Article.objects.filter(pk=spared.pk).exists()
    assert AuditEntry.objects.filter(action="purged", target_id=str(doomed.pk), actor=admin_user).exists()


def test_delete_view_on_a_trashed_article_deletes_it_for_good_for_an_administrator(client):
    logged_in(client, "administrator")
    article = trashed()

    assert client.get(delete_url(article)).status_code == 200
    client.post(delete_url(article), {"post": "yes"})

    assert not Article.objects.filter(pk=article.pk).exists()


def test_administrator_empties_the_whole_trash_and_nothing_else(client):
    logged_in(client, "administrator")
    in_trash = [trashed() for _ in range(3)]
    kept = make_article(published=True)

    confirmation = client.get(EMPTY_TRASH)
    response = client.post(EMPTY_TRASH)

    assert confirmation.status_code == 200
    assert all(article.headline in confirmation.content.decode() for article in in_trash)
    assert response.status_code == 302
    assert not Article.objects.in_trash().exists()
    assert Article.objects.filter(pk=kept.pk).exists()
    assert AuditEntry.objects.filter(action="purged").count() == 3


def test_trashed_article_is_not_offered_as_a_related_article(client):
    logged_in(client, "editor")
    make_article("خبر عن الانتخابات")
    trashed("خبر محذوف عن الانتخابات")

    response = client.get("/admin/autocomplete/", {
        "term": "الانتخابات", "app_label": "articles", "model_name": "article", "field_name": "related_articles",
    })

    assert [item["text"] for item in response.json()["results"]] == ["خبر عن الانتخابات"]


def test_scheduled_article_in_the_trash_is_never_published(client):
    article = make_article(published=True, published_at=timezone.now() + timezone.timedelta(hours=1))
    article.move_to_trash(by=None)

    assert Article.publish_due(at=timezone.now() + timezone.timedelta(hours=2)) == 0
    assert not Article.objects.published(at=timezone.now() + timezone.timedelta(hours=2)).exists()


@pytest.mark.django_db
def test_a_trashed_story_says_who_moved_it_there_by_their_byline(client):
    from tests.factories import make_person

    editor = make_user("editor", username="reem@example.org", first_name="Reem", last_name="al-Shami")
    make_person("ريم الشامي", user=editor)
    story = make_article("خبر")
    story.move_to_trash(by=editor)
    client.force_login(editor)

    page = client.get(f"/admin/articles/article/{story.pk}/change/").text

    assert "ريم الشامي" in page and "Reem al-Shami" not in page
