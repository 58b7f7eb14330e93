"""Edges of the workflow found in review: forged versions and ids, re-timed stories, repeated publishing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.audit import AuditEntry
from articles.models import Article
from tests.concurrency import run_at_once
from tests.factories import make_article, make_person, make_user
from tests.test_admin_flow import admin_form_data
from tests.test_edit_conflicts import form_on_page


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def editor_client():
    client = Client()
    client.force_login(make_user("editor"))
    return client


@pytest.mark.django_db
def test_a_save_that_does_not_say_which_version_it_edits_cannot_overwrite_anyone():
    article = make_article("العنوان الأول", summary_ar="ملخص")
    reem, samer = editor_client(), editor_client()
    reem_form = admin_form_data(reem, change_url(article), headline_ar="عنوان ريم")
    samer_form = admin_form_data(samer, change_url(article), summary_ar="ملخص سامر")
    samer_form.pop("opened_version")

    assert reem.post(change_url(article), reem_form).status_code == 302
    refused = samer.post(change_url(article), samer_form)

    article.refresh_from_db()
    assert refused.status_code == 200 and "ملخص سامر" in refused.text  # Samer's text is still in his form
    assert (article.headline_ar, article.summary_ar) == ("عنوان ريم", "ملخص")


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["-1", "99999999999999999999", "abc"])
def test_autosave_with_a_forged_version_is_not_a_server_error(version):
    article = make_article("خبر")
    url = reverse("admin:articles_article_autosave", args=[article.pk])
    response = editor_client().post(url, {"headline_ar": "مسودة", "opened_version": version})
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline_ar == "خبر"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["from=99999999999999999999", "from=1&to=99999999999999999999", "from=-3"])
def test_comparing_revisions_that_cannot_exist_is_a_404(query):
    client = Client()
    client.force_login(make_user("editor"))
    article = make_article("خبر")
    client.get(change_url(article))
    assert client.get(f"/admin/articles/article/{article.pk}/history/compare/?{query}").status_code == 404


@pytest.mark.django_db
def test_moving_a_live_story_into_the_future_with_a_plain_save_schedules_it_on_the_record():
    client = editor_client()
    article = make_article("خبر منشور", published=True)
    later = timezone.localtime(timezone.now() + timezone.timedelta(days=3))
    form = admin_form_data(
        client, change_url(article),
        published_at_0=later.strftime("%Y-%m-%d"), published_at_1=later.strftime("%H:%M:%S"),
    )
    assert client.post(change_url(article), form).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    assert AuditEntry.objects.filter(target_id=str(article.pk), action="scheduled").exists()


@pytest.mark.django_db
def test_publishing_a_live_story_again_changes_nothing():
    editor = make_user("editor")
    article = make_article("خبر منشور", published=True)
    version, entries = article.version, AuditEntry.objects.count()
    article.publish(by=editor)
    article.refresh_from_db()
    assert (article.version, AuditEntry.objects.count()) == (version, entries)


@pytest.mark.django_db
def test_deleting_an_account_and_widening_a_role_are_in_the_audit_log():
    from django.contrib.auth.models import Group, Permission

    client = Client()
    client.force_login(make_user("administrator"))
    leaver = make_user("editor", username="leaver")
    assert client.post(reverse("admin:auth_user_delete", args=[leaver.pk]), {"post": "yes"}).status_code == 302
    assert AuditEntry.objects.filter(action="account_deleted", target_repr="leaver").exists()

    writers = Group.objects.get(name="كاتب")
    publish = Permission.objects.get(codename="publish_article")
    permissions = [*writers.permissions.values_list("pk", flat=True), publish.pk]
    response = client.post(
        reverse("admin:auth_group_change", args=[writers.pk]), {"name": writers.name, "permissions": permissions}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="role_permissions_changed")
    assert entry.detail == "+publish_article"


@pytest.mark.django_db
def test_going_live_on_schedule_and_leaving_the_trash_are_revisions_in_the_history():
    from django.core.management import call_command
    from reversion.models import Version

    editor = make_user("editor")
    article = make_article("خبر مجدول")
    article.publish(by=editor, at=timezone.now() + timezone.timedelta(minutes=1))
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timezone.timedelta(seconds=1))
    call_command("publish_scheduled", verbosity=0)
    went_live = Version.objects.get_for_object(article).first()
    assert went_live.revision.user is None and went_live.field_dict["status"] == "published"

    client = Client()
    client.force_login(editor)
    article.refresh_from_db()
    article.move_to_trash(by=editor)
    assert client.post(reverse("admin:articles_article_restore", args=[article.pk])).status_code == 302
    restored = Version.objects.get_for_object(article).first()
    assert restored.revision.user == editor and restored.field_dict["deleted_at"] is None


@pytest.mark.django_db
def test_an_untouched_body_reserialised_by_the_editor_is_not_recorded_as_changed():
    from reversion.models import Version

    client = editor_client()
    article = make_article("خبر", body_ar='<p>نص <a href="https://example.org/">مهم</a>.</p>')
    url = change_url(article)
    # The stored body carries the rel the sanitiser adds; the editor sends the link back without it.
    form = admin_form_data(client, url, headline_ar="خبر معدل", body_ar='<p>نص <a href="https://example.org/">مهم</a>.</p>')
    assert client.post(url, form).status_code == 302
    comment = Version.objects.get_for_object(article).first().revision.get_comment()
    assert "Headline" in comment or "العنوان" in comment
    assert "Body" not in comment and "النص" not in comment


@pytest.mark.django_db
def test_a_form_without_its_version_comes_back_saveable_after_a_byline_was_deleted_meanwhile():
    kept, dropped = make_person("باق"), make_person("محذوف")
    article = make_article("عنوان", authors=[kept, dropped])
    reem, samer = editor_client(), editor_client()
    reem_form = admin_form_data(reem, change_url(article), **{"articleauthor_set-1-DELETE": "on"})
    samer_form = admin_form_data(samer, change_url(article), summary_ar="ملخص سامر")
    samer_form.pop("opened_version")
    assert reem.post(change_url(article), reem_form).status_code == 302

    refused = samer.post(change_url(article), samer_form)
    assert refused.status_code == 200

    # Saved again as the page came back: the deleted row's id is gone from it, so no hidden error blocks the save.
    # What the form showed is what is saved: no one knows what it was opened with, so its bylines are as typed.
    assert samer.post(change_url(article), form_on_page(refused)).status_code == 302
    article.refresh_from_db()
    assert article.summary_ar == "ملخص سامر"
    assert list(article.articleauthor_set.order_by("order").values_list("person", flat=True)) == [kept.pk, dropped.pk]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("action", "recorded", "trashed"), [
    ("publish_selected", "published", False), ("move_to_trash_selected", "trashed", False),
    ("restore_selected", "restored", True),
])
def test_one_list_action_sent_by_two_editors_at_once_is_done_and_recorded_once(
    database_threads_can_wait_on, action, recorded, trashed
):
    article = make_article("خبر يتداوله محرران", published=False)
    if trashed:
        article.move_to_trash(by=None)
    version = Article._base_manager.get(pk=article.pk).version
    sessions = [editor_client().cookies for _ in range(2)]
    handed = iter(sessions)

    def act():
        browser = Client()
        browser.cookies = next(handed)
        return browser.post(reverse("admin:articles_article_changelist") + ("?trash=1" if trashed else ""), {
            "action": action, "_selected_action": [article.pk],
        }).status_code

    statuses, errors = run_at_once(act)

    assert errors == [] and statuses == [302, 302]  # the second finds it done: nothing more to do, no refusal
    assert AuditEntry.objects.filter(action=recorded, target_id=str(article.pk)).count() == 1
    assert Article._base_manager.get(pk=article.pk).version == version + 1  # one save, counted once


@pytest.mark.django_db
def test_a_story_published_since_this_copy_was_read_is_withdrawn_on_the_record_when_taken_off(client):
    # The second editor's copy was read as a draft; the first published it. Taking it off must still tell the
    # ninjs partners (a withdrawal) and empty the page cache.
    stale = make_article("خبر نشره زميل للتو")
    Article.objects.get(pk=stale.pk).publish(by=None)
    assert client.get(stale.get_absolute_url(), follow=True).status_code == 200  # now cached

    stale.unpublish(by=None)

    assert AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAWN, target_id=str(stale.pk)).count() == 1
    assert client.get(stale.get_absolute_url(), follow=True).status_code == 404


@pytest.mark.django_db
def test_restoring_a_story_deleted_for_good_meanwhile_is_refused_not_a_server_error():
    article = make_article("خبر في سلة المحذوفات")
    article.move_to_trash(by=None)
    opened_by_another_editor = Article._base_manager.get(pk=article.pk)
    article.delete_for_good(by=None)

    with pytest.raises(PermissionDenied):
        opened_by_another_editor.restore_from_trash(by=None)
