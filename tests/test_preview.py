"""Previews: staff see any article as readers would, and a reviewer without an account reads it through a signed
link that expires, follows the latest text and dies with the trash."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from articles import preview
from articles.models import Article
from articles.roles import ROLE_EDITOR, ROLE_WRITER
from tests.factories import make_article, make_editor, make_user
from tests.test_admin_flow import change_url

ANY_STATE = ["draft", "review", "scheduled", "published", "unpublished", "trashed"]


def article_in(state, headline="تحقيق في صفقة القمح"):
    article = make_article(headline)
    if state == "review":
        article.submit_for_review(by=None)
    elif state == "scheduled":
        article.publish(by=None, at=timezone.now() + timedelta(days=1))
    elif state == "published":
        article.publish(by=None)
    elif state == "unpublished":
        article.publish(by=None)
        article.unpublish(by=None)
    elif state == "trashed":
        article.move_to_trash(by=None)
    return article


def staff_url(article):
    return reverse("article_preview", args=[article.pk])


def assert_private(response):
    assert response["X-Robots-Tag"].startswith("noindex")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def assert_preview_page(response, headline):
    assert response.status_code == 200
    html = response.content.decode()
    assert headline in html
    assert 'class="preview-banner"' in html
    with override("ar"):
        assert gettext("Preview") in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    # The article page itself: its body and byline, not a stripped-down copy.
    assert "نص الخبر الكامل." in html and 'class="story__body"' in html
    assert_private(response)


def reviewer_link_on_change_form(client, article):
    html = client.get(change_url(article)).content.decode()
    match = re.search(r'<input id="reviewer-link"[^>]* value="([^"]+)"', html)
    return match and match.group(1)


def old_token(article, monkeypatch, hours):
    """A token made ``hours`` ago: the signer stamps it with the clock of the moment it signs."""
    then = time.time() - hours * 3600
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: then)
        return preview.preview_token(article)


# Staff preview


@pytest.mark.django_db
@pytest.mark.parametrize("state", ANY_STATE)
def test_staff_preview_shows_an_article_in_any_state(client, state):
    article = article_in(state)
    client.force_login(make_editor())

    assert_preview_page(client.get(staff_url(article)), "تحقيق في صفقة القمح")


@pytest.mark.django_db
def test_staff_preview_banner_says_when_a_scheduled_article_goes_public(client):
    when = timezone.now() + timedelta(days=1)
    article = make_article()
    article.publish(by=None, at=when)
    client.force_login(make_editor())

    html = client.get(staff_url(article)).content.decode()

    banner = html[html.index('class="preview-banner"'):html.index("</aside>")]
    assert timezone.localtime(when).strftime("%H:%M") in banner
    with override("ar"):
        assert gettext("Readers can see this article.") not in banner


@pytest.mark.django_db
def test_staff_preview_of_a_live_article_points_to_its_public_page(client):
    article = article_in("published")
    client.force_login(make_editor())

    html = client.get(staff_url(article)).content.decode()

    banner = html[html.index('class="preview-banner"'):html.index("</aside>")]
    assert f'href="{article.get_absolute_url()}"' in banner


@pytest.mark.django_db
def test_staff_preview_asks_a_visitor_to_log_in(client):
    article = article_in("draft")

    response = client.get(staff_url(article))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "تحقيق في صفقة القمح" not in response.content.decode()


@pytest.mark.django_db
def test_staff_preview_refuses_staff_who_may_not_view_articles(client):
    article = article_in("draft")
    client.force_login(get_user_model().objects.create_user("intern", is_staff=True))

    response = client.get(staff_url(article))

    assert response.status_code == 403
    assert "تحقيق في صفقة القمح" not in response.content.decode()


@pytest.mark.django_db
def test_staff_preview_is_open_to_a_staff_member_with_the_view_permission_alone(client):
    article = article_in("draft")
    viewer = get_user_model().objects.create_user("reader-desk", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)

    assert_preview_page(client.get(staff_url(article)), "تحقيق في صفقة القمح")


@pytest.mark.django_db
def test_staff_preview_refuses_a_logged_in_account_that_is_not_staff(client):
    article = article_in("draft")
    member = get_user_model().objects.create_user("member")
    member.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(member)

    response = client.get(staff_url(article))

    assert response.status_code == 302
    assert "تحقيق في صفقة القمح" not in response.content.decode()


@pytest.mark.django_db
def test_staff_preview_of_a_missing_article_is_not_found(client):
    client.force_login(make_editor())

    assert client.get(reverse("article_preview", args=[987654])).status_code == 404
    assert client.get("/preview/99999999999999999999999/").status_code == 404


@pytest.mark.django_db
def test_preview_never_makes_a_draft_public(client):
    article = article_in("draft")
    client.force_login(make_editor())
    client.get(staff_url(article))

    assert type(client)().get(article.get_absolute_url()).status_code == 404


# The reviewer's signed link


@pytest.mark.django_db
def test_change_form_offers_the_staff_preview_and_an_absolute_reviewer_link(client):
    article = article_in("draft")
    client.force_login(make_editor())

    html = client.get(change_url(article)).content.decode()
    link = reviewer_link_on_change_form(client, article)

    assert f'href="{staff_url(article)}"' in html
    assert link.startswith("http://testserver/preview/s/")
    with override("ar"):
        assert gettext("Copy the reviewer link") in html


@pytest.mark.django_db
def test_only_who_may_edit_a_draft_is_offered_its_reviewer_link(client):
    author, colleague = make_user(ROLE_WRITER), make_user(ROLE_WRITER)
    draft = make_article("تحقيق في صفقة القمح", created_by=author)

    client.force_login(colleague)
    page = client.get(change_url(draft))
    assert page.status_code == 200 and "تحقيق في صفقة القمح" in page.text  # reads it, read-only
    assert 'id="reviewer-link"' not in page.text

    for who in (author, make_user(ROLE_EDITOR)):
        client.force_login(who)
        assert reviewer_link_on_change_form(client, draft).startswith("http://testserver/preview/s/")


@pytest.mark.django_db
def test_reviewer_without_an_account_reads_the_article_through_the_link(client):
    article = article_in("review")
    editor = make_editor()
    client.force_login(editor)
    link = reviewer_link_on_change_form(client, article)

    reviewer = type(client)()
    response = reviewer.get(link)

    assert_preview_page(response, "تحقيق في صفقة القمح")
    assert response["Referrer-Policy"] == "no-referrer"  # the token must not travel to other sites


@pytest.mark.django_db
def test_reviewer_link_shows_the_latest_text_after_the_article_is_edited(client):
    article = article_in("draft")
    token = preview.preview_token(article)
    article.headline_ar = "تحقيق في صفقة القمح: وثائق جديدة"
    article.save()

    response = client.get(reverse("article_preview_signed", args=[token]))

    assert_preview_page(response, "تحقيق في صفقة القمح: وثائق جديدة")


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["draft", "scheduled", "published", "unpublished"])
def test_reviewer_link_works_in_every_state_outside_the_trash(client, state):
    article = article_in(state)

    assert_preview_page(
        client.get(reverse("article_preview_signed", args=[preview.preview_token(article)])), "تحقيق في صفقة القمح"
    )


@pytest.mark.django_db
def test_reviewer_link_works_until_it_expires(client, monkeypatch, settings):
    settings.NEWSROOM_PREVIEW_LINK_HOURS = 48
    article = article_in("draft")

    fresh_enough = client.get(reverse("article_preview_signed", args=[old_token(article, monkeypatch, 47)]))
    expired = client.get(reverse("article_preview_signed", args=[old_token(article, monkeypatch, 49)]))

    assert fresh_enough.status_code == 200
    assert expired.status_code == 410
    html = expired.content.decode()
    assert "تحقيق في صفقة القمح" not in html
    with override("ar"):
        assert gettext("This preview link has expired. Ask the editor for a new one.") in html
    assert '<html lang="ar" dir="rtl">' in html
    assert_private(expired)


@pytest.mark.django_db
def test_reviewer_link_lifetime_follows_the_setting(client, monkeypatch, settings):
    settings.NEWSROOM_PREVIEW_LINK_HOURS = 2
    article = article_in("draft")

    assert client.get(reverse("article_preview_signed", args=[old_token(article, monkeypatch, 3)])).status_code == 410


@pytest.mark.django_db
def test_trashing_the_article_withdraws_the_reviewer_link(client):
    article = article_in("draft")
    token = preview.preview_token(article)
    article.move_to_trash(by=None)

    response = client.get(reverse("article_preview_signed", args=[token]))

    assert response.status_code == 410
    assert "تحقيق في صفقة القمح" not in response.content.decode()
    # For good: an editor trashes a story to kill a link that leaked, and restoring it must not revive that link.
    article.restore_from_trash(by=None)
    assert client.get(reverse("article_preview_signed", args=[token])).status_code == 410
    with freeze_one_second_later():
        fresh = preview.preview_token(article)
    assert client.get(reverse("article_preview_signed", args=[fresh])).status_code == 200


def freeze_one_second_later():
    """A link made after the trashing: the links' time is kept to the second."""
    import time
    from unittest import mock

    return mock.patch("django.core.signing.time.time", return_value=time.time() + 1)


@pytest.mark.django_db
def test_change_form_of_a_trashed_article_offers_no_reviewer_link(client):
    article = article_in("trashed")
    client.force_login(make_editor())

    assert reviewer_link_on_change_form(client, article) is None


@pytest.mark.django_db
def test_reviewer_link_of_an_article_deleted_for_good_is_not_found(client):
    article = article_in("trashed")
    token = preview.preview_token(article)
    article.delete_for_good(by=None)

    assert client.get(reverse("article_preview_signed", args=[token])).status_code == 404


@pytest.mark.django_db
def test_reviewer_link_cannot_be_moved_to_another_article(client):
    article, other = article_in("draft"), article_in("draft", headline="مسودة أخرى لا يراها أحد")
    token = preview.preview_token(article)
    payload, stamp, signature = token.rsplit(":", 2)
    forged_payload = signing.TimestampSigner(salt="another").sign_object([other.pk, 0]).split(":")[0]

    for forged in [
        f"{forged_payload}:{stamp}:{signature}",
        signing.TimestampSigner(salt="another").sign_object([other.pk, int(other.created_at.timestamp())]),
        signing.dumps([other.pk, int(other.created_at.timestamp())]),
    ]:
        response = client.get(reverse("article_preview_signed", args=[forged]))
        assert response.status_code == 404, forged
        assert "مسودة أخرى لا يراها أحد" not in response.content.decode()


@pytest.mark.django_db
def test_reviewer_link_refuses_an_id_reused_by_another_article(client):
    article = article_in("draft")
    token = preview.preview_token(article)
    # As after restoring an older backup: the same id, another story, created at another time.
    Article.objects.filter(pk=article.pk).update(created_at=article.created_at - timedelta(days=30))

    assert client.get(reverse("article_preview_signed", args=[token])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    ["", "abc", "a:b:c", "::", "WyIxIl0:1tX:zzzz", "%00", "٣:٤:٥", "x" * 3000, "W1s:1tX:abc/..", ".eJzz:1tX:abc"],
)
def test_garbled_reviewer_links_get_an_arabic_not_found_page_never_a_server_error(client, token):
    article_in("draft")

    response = client.get(f"/preview/s/{token}/")

    assert response.status_code == 404
    if token not in {"", "W1s:1tX:abc/.."}:  # those two never reach the view: no route matches
        with override("ar"):
            assert gettext("This preview link is not valid. Check that it was copied in full.") in (
                response.content.decode()
            )
        assert_private(response)


@pytest.mark.django_db
def test_truncated_reviewer_link_is_not_found(client):
    article = article_in("draft")
    token = preview.preview_token(article)

    assert client.get(reverse("article_preview_signed", args=[token[:-3]])).status_code == 404


@pytest.mark.django_db
def test_english_preview_of_a_translated_article_switches_language_within_the_preview(client):
    article = make_article(headline_en="Wheat deal inquiry", body_en="<p>The full story.</p>")
    token = preview.preview_token(article)

    response = client.get(reverse("article_preview_signed", args=[token]))

    html = response.content.decode()
    with override("en"):
        english = reverse("article_preview_signed", args=[token])
    assert english.startswith("/en/")
    assert f'href="{english}"' in html
    english_page = client.get(english)
    assert english_page.status_code == 200
    assert "Wheat deal inquiry" in english_page.content.decode()


@pytest.mark.django_db
def test_english_preview_of_an_untranslated_article_says_its_readers_cannot_see_it(client):
    article = make_article("تحقيق في صفقة القمح", published=True)
    token = preview.preview_token(article)
    arabic = client.get(reverse("article_preview_signed", args=[token])).content.decode()
    with override("en"):
        english = client.get(reverse("article_preview_signed", args=[token])).content.decode()

    assert "not translated into this edition" in english and "Readers can see" not in english
    with override("ar"):
        assert gettext("Readers can see this article.") in arabic
        assert "لم يُترجم هذا المقال" not in arabic


@pytest.mark.django_db
def test_english_preview_of_an_untranslated_scheduled_article_does_not_promise_it_to_english_readers(client):
    article = article_in("scheduled")
    with override("en"):
        english = client.get(reverse("article_preview_signed", args=[preview.preview_token(article)])).text

    assert "not translated into this edition" in english
    assert "Scheduled" not in english
