"""Autosave: the form's text kept in the background as a draft copy, never the article itself."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleAutosave
from tests.concurrency import run_at_once
from tests.factories import make_article, make_user
from tests.test_admin_flow import admin_form_data
from tests.test_edit_conflicts import form_on_page

ADD_URL = "/admin/articles/article/add/"
NEW_AUTOSAVE_URL = "/admin/articles/article/autosave/"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def draft_key_on(page):
    """The add form's draft key, as static/js/autosave.js reads it from the autosave box."""
    url = html.unescape(re.search(r'id="newsroom-autosave" data-url="([^"]+)"', page.content.decode()).group(1))
    return parse_qs(urlsplit(url).query)["draft_key"][0]


def new_article_tab(client, **typed):
    """A new tab on the add page: the form as the browser would post it, its draft key in the hidden input."""
    page = client.get(ADD_URL)
    return admin_form_data(client, ADD_URL, **typed) | {"draft_key": draft_key_on(page)}


def logged_in(role="editor", **fields):
    client = Client()
    user = make_user(role, **fields)
    client.force_login(user)
    return client, user


@pytest.mark.django_db
def test_autosave_keeps_the_form_without_touching_the_article():
    article = make_article("عنوان محفوظ", body_ar="<p>نص محفوظ.</p>")
    client, user = logged_in()
    form = admin_form_data(client, change_url(article), headline_ar="عنوان يكتب الآن", body_ar="<p>نص جديد.</p>")
    before = Article.objects.get(pk=article.pk)

    response = client.post(autosave_url(article), form)

    assert response.status_code == 200
    assert response.json()["saved"] is True and response.json()["status"]
    autosave = ArticleAutosave.objects.get(article=article, user=user)
    assert autosave.data["headline_ar"] == ["عنوان يكتب الآن"]
    assert autosave.data["body_ar"] == ["<p>نص جديد.</p>"]
    assert "csrfmiddlewaretoken" not in autosave.data
    assert autosave.base_version == before.version
    after = Article.objects.get(pk=article.pk)
    assert (after.version, after.updated_at, after.headline_ar) == (before.version, before.updated_at, "عنوان محفوظ")

    client.post(autosave_url(article), {**form, "headline_ar": "عنوان أحدث"})
    assert ArticleAutosave.objects.get(article=article, user=user).data["headline_ar"] == ["عنوان أحدث"]


@pytest.mark.django_db
def test_an_autosave_of_a_published_article_is_never_published():
    article = make_article("العنوان المنشور", published=True)
    client, _ = logged_in()
    form = admin_form_data(client, change_url(article), headline_ar="عنوان لم يراجع بعد")

    assert client.post(autosave_url(article), form).status_code == 200

    page = Client().get(article.get_absolute_url()).content.decode()
    assert "العنوان المنشور" in page and "عنوان لم يراجع بعد" not in page


@pytest.mark.django_db
def test_reopening_offers_the_autosaved_draft_and_restores_it_into_the_form():
    article = make_article("عنوان محفوظ", body_ar="<p>نص محفوظ.</p>")
    client, _ = logged_in()
    form = admin_form_data(client, change_url(article), headline_ar="عنوان لم يحفظ", body_ar="<p>فقرة لم تحفظ.</p>")
    client.post(autosave_url(article), form)

    reopened = client.get(change_url(article))

    assert reopened.context["history_autosave"] is not None
    assert 'href="?restore_autosave=1"' in reopened.content.decode()
    assert form_on_page(reopened)["headline_ar"] == "عنوان محفوظ"

    restored = client.get(change_url(article) + "?restore_autosave=1")

    assert restored.context["history_autosave_restored"]
    fields = form_on_page(restored)
    assert fields["headline_ar"] == "عنوان لم يحفظ"
    assert fields["body_ar"] == "<p>فقرة لم تحفظ.</p>"
    assert fields["opened_version"] == str(article.version)

    # Saving the restored form keeps it, and the draft copy is gone.
    assert client.post(change_url(article), fields).status_code == 302
    article.refresh_from_db()
    assert (article.headline_ar, article.body_ar) == ("عنوان لم يحفظ", "<p>فقرة لم تحفظ.</p>")
    assert not ArticleAutosave.objects.exists()
    assert client.get(change_url(article)).context.get("history_autosave") is None


@pytest.mark.django_db
def test_a_draft_autosaved_with_half_a_publication_time_restores_into_the_form():
    article = make_article("عنوان محفوظ")
    client, _ = logged_in()
    form = admin_form_data(client, change_url(article), published_at_0="2024-01-01", published_at_1="")
    client.post(autosave_url(article), form)

    restored = client.get(change_url(article) + "?restore_autosave=1")

    assert restored.status_code == 200
    assert form_on_page(restored)["published_at_0"] == "2024-01-01"


@pytest.mark.django_db
def test_a_draft_autosaved_before_someone_elses_save_restores_into_an_edit_conflict():
    article = make_article("عنوان أصلي", summary_ar="ملخص أصلي.")
    author, _ = logged_in()
    colleague, _ = logged_in(first_name="سامر")
    form = admin_form_data(author, change_url(article), summary_ar="ملخص كتبته ولم أحفظه.")
    author.post(autosave_url(article), form)
    assert colleague.post(
        change_url(article), admin_form_data(colleague, change_url(article), headline_ar="عنوان سامر"),
    ).status_code == 302

    reopened = author.get(change_url(article))
    assert reopened.context["history_autosave_stale"]
    restored = form_on_page(author.get(change_url(article) + "?restore_autosave=1"))
    response = author.post(change_url(article), restored)

    assert response.status_code == 200
    assert "سامر" in response.context["adminform"].form.conflict["who"]
    page = form_on_page(response)
    assert (page["summary_ar"], page["headline_ar"]) == ("ملخص كتبته ولم أحفظه.", "عنوان سامر")
    assert author.post(change_url(article), page).status_code == 302
    article.refresh_from_db()
    assert (article.headline_ar, article.summary_ar) == ("عنوان سامر", "ملخص كتبته ولم أحفظه.")


@pytest.mark.django_db
def test_a_new_article_is_autosaved_and_offered_again_on_the_add_page():
    client, user = logged_in()
    form = new_article_tab(client, headline_ar="خبر لم يحفظ بعد", body_ar="<p>بداية الخبر.</p>")

    assert client.post(NEW_AUTOSAVE_URL, form).status_code == 200
    assert ArticleAutosave.objects.get(article=None, user=user).data["headline_ar"] == ["خبر لم يحفظ بعد"]

    assert client.get(ADD_URL).context["history_autosave"] is not None
    restored = client.get(ADD_URL + "?restore_autosave=1")
    fields = form_on_page(restored)
    assert fields["headline_ar"] == "خبر لم يحفظ بعد"
    # The restored form carries on under the draft's own key.
    assert draft_key_on(restored) == form["draft_key"]
    assert client.post(ADD_URL, fields | {"draft_key": draft_key_on(restored)}).status_code == 302
    assert Article.objects.get().headline_ar == "خبر لم يحفظ بعد"
    assert not ArticleAutosave.objects.exists()


@pytest.mark.django_db
def test_discarding_deletes_the_draft_copy():
    article = make_article()
    client, _ = logged_in()
    client.post(autosave_url(article), admin_form_data(client, change_url(article), headline_ar="مسودة"))

    assert client.post(autosave_url(article), {"discard": "1"}).status_code == 200

    assert not ArticleAutosave.objects.exists()


@pytest.mark.django_db
def test_autosave_is_only_for_those_who_may_edit_the_article():
    others = make_article("مسودة زميل", created_by=make_user("writer"))
    writer, writer_user = logged_in("writer")
    own = make_article("مسودتي", created_by=writer_user)
    photographer, _ = logged_in("photographer")

    assert writer.post(autosave_url(others), {"headline_ar": "x"}).status_code == 403
    assert photographer.post(autosave_url(own), {"headline_ar": "x"}).status_code == 403
    assert photographer.post(NEW_AUTOSAVE_URL, {"headline_ar": "x"}).status_code == 403
    assert Client().post(autosave_url(own), {"headline_ar": "x"}).status_code == 302  # to the login page
    assert writer.post(autosave_url(own), {"headline_ar": "مسودتي المنقحة"}).status_code == 200
    assert ArticleAutosave.objects.get().user == writer_user
    # Once published, the writer may no longer change it, so nor autosave it.
    Article.objects.filter(pk=own.pk).update(status=Article.Status.PUBLISHED, published_at=own.created_at)
    assert writer.post(autosave_url(own), {"headline_ar": "x"}).status_code == 403


@pytest.mark.django_db
def test_autosave_refuses_more_than_two_megabytes():
    article = make_article()
    client, _ = logged_in()

    response = client.post(autosave_url(article), {"body_ar": "<p>" + "k" * (3 * 1024 * 1024) + "</p>"})

    assert response.status_code == 413
    assert not ArticleAutosave.objects.exists()


@pytest.mark.django_db
def test_autosave_takes_only_posts_carrying_the_csrf_token():
    article = make_article()
    user = make_user("editor")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)

    assert strict.post(autosave_url(article), {"headline_ar": "x"}).status_code == 403
    assert strict.get(autosave_url(article)).status_code == 405
    assert not ArticleAutosave.objects.exists()


@pytest.mark.django_db
def test_the_form_loads_the_autosave_script_from_a_file():
    article = make_article()
    client, _ = logged_in()

    html = client.get(change_url(article)).content.decode()

    assert "/static/js/autosave.js" in html and "/static/css/history.css" in html
    assert f'data-url="{autosave_url(article)}"' in html
    assert 'name="opened_version"' in html


@pytest.mark.django_db
def test_two_tabs_of_new_articles_keep_two_drafts():
    client, user = logged_in()
    tab_a = new_article_tab(client, headline_ar="خبر في النافذة الأولى")
    tab_b = new_article_tab(client, headline_ar="خبر في النافذة الثانية")
    assert tab_a["draft_key"] != tab_b["draft_key"]

    assert client.post(NEW_AUTOSAVE_URL, tab_a).status_code == 200
    assert client.post(NEW_AUTOSAVE_URL, tab_b).status_code == 200
    assert client.post(NEW_AUTOSAVE_URL, tab_b | {"headline_ar": "خبر ثان معدل"}).status_code == 200

    drafts = {row.draft_key: row.data["headline_ar"] for row in ArticleAutosave.objects.filter(user=user)}
    assert drafts == {tab_a["draft_key"]: ["خبر في النافذة الأولى"], tab_b["draft_key"]: ["خبر ثان معدل"]}


@pytest.mark.django_db
def test_saving_one_new_article_keeps_the_other_tabs_draft_and_offers_it_next():
    client, user = logged_in()
    tab_a = new_article_tab(client, headline_ar="خبر لم يحفظ", body_ar="<p>نص أول.</p>")
    tab_b = new_article_tab(client, headline_ar="خبر يحفظ الآن", body_ar="<p>نص ثان.</p>")
    client.post(NEW_AUTOSAVE_URL, tab_a)
    client.post(NEW_AUTOSAVE_URL, tab_b)

    assert client.post(ADD_URL, tab_b).status_code == 302

    assert Article.objects.get().headline_ar == "خبر يحفظ الآن"
    left = ArticleAutosave.objects.get(user=user)
    assert left.draft_key == tab_a["draft_key"] and left.data["headline_ar"] == ["خبر لم يحفظ"]
    later = client.get(ADD_URL)
    assert later.context["history_autosave"] == left
    restored = client.get(ADD_URL + "?restore_autosave=" + tab_a["draft_key"])
    assert form_on_page(restored)["headline_ar"] == "خبر لم يحفظ"


@pytest.mark.django_db
def test_a_new_article_page_discards_the_draft_it_offers_not_its_own():
    client, user = logged_in()
    old_tab = new_article_tab(client, headline_ar="مسودة قديمة")
    client.post(NEW_AUTOSAVE_URL, old_tab)
    page = client.get(ADD_URL)
    url = page.context["history_autosave_url"]
    assert parse_qs(urlsplit(url).query)["offered"] == [old_tab["draft_key"]]

    assert client.post(url, {"discard": old_tab["draft_key"]}).status_code == 200

    assert not ArticleAutosave.objects.filter(user=user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "short", "x" * 33, "../../etc/passwd", "مفتاح-عربي-طويل", "a b c d e f g h"])
def test_a_new_article_autosave_with_a_missing_or_forged_key_is_refused(key):
    client, user = logged_in()
    form = new_article_tab(client, headline_ar="مسودة") | {"draft_key": key}

    response = client.post(NEW_AUTOSAVE_URL, form)

    assert response.status_code == 400
    assert not ArticleAutosave.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_saving_a_new_article_with_a_forged_key_saves_it_and_leaves_other_drafts():
    client, user = logged_in()
    tab_a = new_article_tab(client, headline_ar="مسودة باقية")
    client.post(NEW_AUTOSAVE_URL, tab_a)
    tab_b = new_article_tab(client, headline_ar="خبر محفوظ", body_ar="<p>نص.</p>") | {"draft_key": "<script>" * 9}

    assert client.post(ADD_URL, tab_b).status_code == 302
    assert client.get(ADD_URL + "?restore_autosave=%00%ff").status_code == 200

    assert Article.objects.get().headline_ar == "خبر محفوظ"
    assert ArticleAutosave.objects.get(user=user).draft_key == tab_a["draft_key"]


@pytest.mark.django_db
def test_a_nul_character_typed_into_the_form_is_autosaved_without_it():
    # PostgreSQL's jsonb cannot hold one; the draft keeps everything else, and the form refuses NULs on save.
    article = make_article("عنوان")
    client, user = logged_in()
    form = admin_form_data(client, change_url(article), headline_ar="عنوان\x00 جديد", body_ar="<p>نص\x00.</p>")

    response = client.post(autosave_url(article), {**form, "x\x00y": "z"})

    assert response.status_code == 200 and response.json()["saved"] is True
    data = ArticleAutosave.objects.get(article=article, user=user).data
    assert data["headline_ar"] == ["عنوان جديد"] and data["body_ar"] == ["<p>نص.</p>"] and data["xy"] == ["z"]


@pytest.mark.django_db(transaction=True)
def test_autosaves_of_one_new_form_sent_at_once_keep_one_draft_that_saves_again(database_threads_can_wait_on):
    # A tick and the beacon sent as the tab hides can cross. Two rows for one form made every later autosave fail.
    client, user = logged_in()
    tab = new_article_tab(client, headline_ar="خبر يُكتب الآن")
    session = client.cookies
    def autosave():
        browser = Client()
        browser.cookies = session
        return browser.post(NEW_AUTOSAVE_URL, tab).status_code

    statuses, errors = run_at_once(autosave, times=6)

    assert errors == [] and statuses == [200] * 6
    assert ArticleAutosave.objects.filter(user=user, draft_key=tab["draft_key"]).count() == 1
    assert client.post(NEW_AUTOSAVE_URL, tab | {"headline_ar": "خبر كُتب"}).status_code == 200
    assert ArticleAutosave.objects.get(user=user, draft_key=tab["draft_key"]).data["headline_ar"] == ["خبر كُتب"]


@pytest.mark.django_db
def test_a_byline_added_in_an_autosaved_draft_comes_back_with_it_and_is_saved():
    from tests.factories import make_person

    article = make_article("عنوان محفوظ", authors=[make_person("سلمى الحلبي")])
    client, _ = logged_in()
    form = admin_form_data(client, change_url(article), headline_ar="عنوان لم يحفظ")
    added = int(form["articleauthor_set-TOTAL_FORMS"])
    form |= {
        "articleauthor_set-TOTAL_FORMS": str(added + 1),
        f"articleauthor_set-{added}-person": str(make_person("يوسف الشامي").pk),
        f"articleauthor_set-{added}-order": "1",
    }
    client.post(autosave_url(article), form)

    restored = form_on_page(client.get(change_url(article) + "?restore_autosave=1"))
    assert client.post(change_url(article), restored).status_code == 302

    article.refresh_from_db()
    assert article.headline_ar == "عنوان لم يحفظ"
    assert [person.name for person in article.authors.order_by("articleauthor__order")] == [
        "سلمى الحلبي", "يوسف الشامي",
    ]


@pytest.mark.django_db
def test_a_byline_removed_in_an_autosaved_draft_stays_removed_once_restored_and_saved():
    from tests.factories import make_person

    article = make_article("عنوان محفوظ", authors=[make_person("سلمى الحلبي"), make_person("يوسف الشامي")])
    client, _ = logged_in()
    form = admin_form_data(client, change_url(article), **{"articleauthor_set-1-DELETE": "on"})
    client.post(autosave_url(article), form)

    restored = form_on_page(client.get(change_url(article) + "?restore_autosave=1"))
    assert client.post(change_url(article), restored).status_code == 302

    assert [person.name for person in Article.objects.get(pk=article.pk).authors.all()] == ["سلمى الحلبي"]


@pytest.mark.django_db
def test_a_new_articles_bylines_come_back_with_its_autosaved_draft():
    from tests.factories import make_person

    client, _ = logged_in()
    form = new_article_tab(client, headline_ar="خبر لم يحفظ بعد", body_ar="<p>بداية الخبر.</p>")
    form |= {
        "articleauthor_set-TOTAL_FORMS": "1", "articleauthor_set-INITIAL_FORMS": "0",
        "articleauthor_set-0-person": str(make_person("سلمى الحلبي").pk), "articleauthor_set-0-order": "0",
    }
    client.post(NEW_AUTOSAVE_URL, form)

    restored = client.get(ADD_URL + "?restore_autosave=1")
    fields = form_on_page(restored) | {"draft_key": draft_key_on(restored)}
    assert client.post(ADD_URL, fields).status_code == 302

    assert [person.name for person in Article.objects.get().authors.all()] == ["سلمى الحلبي"]


@pytest.mark.django_db
@pytest.mark.parametrize("total", ["x", "-1", "100000", "٣"])
def test_a_draft_autosaved_with_a_forged_byline_count_restores_into_a_page_not_an_error(total):
    article = make_article("عنوان محفوظ")
    client, _ = logged_in()
    client.post(autosave_url(article), admin_form_data(client, change_url(article)) | {
        "articleauthor_set-TOTAL_FORMS": total,
    })
    client.post(NEW_AUTOSAVE_URL, new_article_tab(client) | {"articleauthor_set-TOTAL_FORMS": total})

    assert client.get(change_url(article) + "?restore_autosave=1").status_code == 200
    assert client.get(ADD_URL + "?restore_autosave=1").status_code == 200
