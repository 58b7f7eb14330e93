"""Two people on one article: the second save is refused with what the first changed, and no one loses a word.
On one photo likewise: the second save is refused, its words kept."""

import json
import threading
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from articles.editing import PRESENCE_SECONDS, VersionCheckedFormMixin, _presence_key
from articles.models import Article, ArticleAuthor, ArticleAutosave
from articles.photo_admin import PhotoAdminForm
from tests.factories import make_article, make_person, make_photo, make_user
from tests.test_admin_flow import _FormFields, admin_form_data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def form_on_page(response):
    """What the browser would post back from a page the server has just drawn."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {name: values[0] if len(values) == 1 else values for name, values in parser.data.items()}


def logged_in(client_class, role="editor", **fields):
    client = client_class()
    user = make_user(role, **fields)
    client.force_login(user)
    return client, user


@pytest.fixture(autouse=True)
def empty_presence():
    caches["default"].clear()


@pytest.mark.django_db
def test_second_save_is_refused_showing_the_first_and_keeping_the_second_text(client):
    article = make_article(
        "الأمطار تعود إلى دمشق", body_ar="<p>نص الخبر الأول.</p>", summary_ar="ملخص أول.",
    )
    reem, _ = logged_in(type(client), first_name="ريم", last_name="الحلبي")
    samer, _ = logged_in(type(client), first_name="سامر", last_name="العلي")
    url = change_url(article)
    reem_form = admin_form_data(reem, url, headline_ar="الأمطار تعود إلى حلب")
    samer_form = admin_form_data(samer, url, body_ar="<p>نص كتبه سامر بعناية.</p>")

    assert reem.post(url, reem_form).status_code == 302
    response = samer.post(url, samer_form)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert [error.code for error in form.errors.as_data()["__all__"]] == ["edit_conflict"]
    html = response.content.decode()
    assert "ريم الحلبي" in html
    # What Reem changed, shown word by word...
    changed = {row["name"]: row for row in form.conflict["changes"]}
    assert set(changed) == {"headline_ar"}
    assert "<ins>حلب</ins>" in changed["headline_ar"]["new"] and "<ins>حلب</ins>" in html
    # ...Samer's text still in the form, and the headline he never touched now showing Reem's.
    page = form_on_page(response)
    assert page["body_ar"] == "<p>نص كتبه سامر بعناية.</p>"
    assert page["headline_ar"] == "الأمطار تعود إلى حلب"
    article.refresh_from_db()
    assert (article.headline_ar, article.body_ar) == ("الأمطار تعود إلى حلب", "<p>نص الخبر الأول.</p>")

    # Having seen Reem's change, Samer saves the form as it came back: both changes are kept.
    assert samer.post(url, page).status_code == 302
    article.refresh_from_db()
    assert (article.headline_ar, article.body_ar) == ("الأمطار تعود إلى حلب", "<p>نص كتبه سامر بعناية.</p>")


@pytest.mark.django_db
def test_where_both_changed_a_field_the_form_keeps_the_second_persons_text(client):
    article = make_article("عنوان أصلي")
    reem, _ = logged_in(type(client))
    samer, _ = logged_in(type(client))
    url = change_url(article)
    reem_form = admin_form_data(reem, url, headline_ar="عنوان ريم")
    samer_form = admin_form_data(samer, url, headline_ar="عنوان سامر")

    assert reem.post(url, reem_form).status_code == 302
    response = samer.post(url, samer_form)

    assert response.status_code == 200
    assert form_on_page(response)["headline_ar"] == "عنوان سامر"
    row = response.context["adminform"].form.conflict["changes"][0]
    assert row["in_form"] == "yours"
    assert "<ins>ريم</ins>" in row["new"] and "<ins>ريم</ins>" in response.content.decode()


@pytest.mark.django_db
def test_after_a_refused_save_reloading_the_form_and_saving_works(client):
    article = make_article("عنوان")
    reem, _ = logged_in(type(client))
    samer, _ = logged_in(type(client))
    url = change_url(article)
    samer_form = admin_form_data(samer, url, summary_ar="ملخص سامر")
    assert reem.post(url, admin_form_data(reem, url, headline_ar="عنوان ريم")).status_code == 302
    assert samer.post(url, samer_form).status_code == 200

    assert samer.post(url, admin_form_data(samer, url, summary_ar="ملخص سامر")).status_code == 302
    article.refresh_from_db()
    assert (article.headline_ar, article.summary_ar) == ("عنوان ريم", "ملخص سامر")


@pytest.mark.django_db
def test_a_publication_from_the_list_meanwhile_is_a_conflict_naming_the_new_status(client):
    article = make_article("خبر")
    writer_form_client, _ = logged_in(type(client))
    url = change_url(article)
    opened = admin_form_data(writer_form_client, url, summary_ar="ملخص جديد")
    publisher, _ = logged_in(type(client))
    publisher.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [str(article.pk)], "index": "0"},
    )

    response = writer_form_client.post(url, opened)

    assert response.status_code == 200
    rows = {row["name"] for row in response.context["adminform"].form.conflict["changes"]}
    assert {"status", "published_at"} <= rows


@pytest.mark.django_db
def test_the_authors_own_autosave_never_causes_a_conflict(client):
    article = make_article("عنوان")
    author, _ = logged_in(type(client))
    url = change_url(article)
    form = admin_form_data(author, url, headline_ar="عنوان يكتب الآن")
    assert author.post(autosave_url(article), form).status_code == 200
    assert author.post(autosave_url(article), {**form, "headline_ar": "عنوان يكتب بعد"}).status_code == 200

    assert author.post(url, form).status_code == 302


@pytest.mark.django_db
def test_opening_an_article_names_the_others_who_have_it_open(client):
    article = make_article("عنوان")
    reem, _ = logged_in(type(client), first_name="ريم", last_name="الحلبي")
    samer, _ = logged_in(type(client), first_name="سامر", last_name="العلي")

    first = reem.get(change_url(article))
    second = samer.get(change_url(article))

    assert not first.context["history_presence"]
    assert "ريم الحلبي" in second.context["history_presence"]
    assert "ريم الحلبي" in second.content.decode()
    # Reem's next autosave ping learns of Samer.
    answer = reem.post(autosave_url(article), {"ping": "1"}).json()
    assert "سامر العلي" in answer["presence"]
    assert answer["saved"] is False


@pytest.mark.django_db
def test_someone_not_seen_for_two_minutes_is_no_longer_named(client):
    article = make_article("عنوان")
    reem, reem_user = logged_in(type(client), first_name="ريم")
    samer, _ = logged_in(type(client))
    reem.get(change_url(article))
    cache = caches["default"]
    seen = cache.get(_presence_key(article.pk))
    seen[reem_user.pk] = time.time() - PRESENCE_SECONDS - 1
    cache.set(_presence_key(article.pk), seen)

    assert not samer.get(change_url(article)).context["history_presence"]


@pytest.mark.django_db
def test_a_reader_of_the_form_without_change_rights_is_not_counted_as_editing(client):
    article = make_article("عنوان", status=Article.Status.IN_REVIEW)
    writer, _ = logged_in(type(client), "writer", first_name="كاتب")  # someone else's article: view only
    editor, _ = logged_in(type(client))

    assert writer.get(change_url(article)).status_code == 200

    assert not editor.get(change_url(article)).context["history_presence"]


def saved_at_once(client, url, changes, form_class, monkeypatch):
    """The status of two saves of ``url`` sent at once by Reem and Samer, each from a form opened before either:
    Reem's passes ``form_class``'s check, then lingers before writing, so without the row lock Samer's would
    pass the same check meanwhile, and both would be saved."""
    if connection.vendor != "postgresql":
        pytest.skip("On SQLite, IMMEDIATE transactions serialise writers; this checks the PostgreSQL row lock.")
    forms = {}
    for name, typed in changes.items():
        browser, _ = logged_in(type(client))
        forms[name] = (browser, admin_form_data(browser, url, **typed))
    reem_checked = threading.Event()
    check = form_class.clean

    def check_then_linger(form):
        cleaned = check(form)
        if threading.current_thread().name == "reem":
            reem_checked.set()
            time.sleep(1)
        return cleaned

    monkeypatch.setattr(form_class, "clean", check_then_linger)
    statuses = {}

    def save(name):
        if name == "samer":
            reem_checked.wait(10)
        try:
            browser, data = forms[name]
            statuses[name] = browser.post(url, data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,), name=name) for name in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_cannot_both_pass(client, monkeypatch):
    article = make_article("عنوان")
    changes = {"reem": {"headline_ar": "عنوان ريم"}, "samer": {"summary_ar": "ملخص سامر"}}

    statuses = saved_at_once(client, change_url(article), changes, VersionCheckedFormMixin, monkeypatch)

    assert statuses == {"reem": 302, "samer": 200}
    article.refresh_from_db()
    assert (article.headline_ar, article.summary_ar) == ("عنوان ريم", "ملخص قصير للخبر.")


def byline_people(article):
    return list(ArticleAuthor.objects.filter(article=article).order_by("order", "pk").values_list("person", flat=True))


def published_while_a_writer_types(client, body):
    """A writer's draft in review, open in their form with ``body`` typed, published by an editor meanwhile."""
    writer, writer_user = logged_in(type(client), "writer")
    _editor, editor_user = logged_in(type(client))
    article = make_article("خبر قيد المراجعة", created_by=writer_user, status=Article.Status.IN_REVIEW)
    url = change_url(article)
    typed = admin_form_data(writer, url, body_ar=body)
    article.publish(by=editor_user)
    return writer, writer_user, article, url, typed


@pytest.mark.django_db
def test_a_writer_whose_draft_is_published_while_they_type_gets_their_text_back_not_a_403(client):
    writer, writer_user, article, url, typed = published_while_a_writer_types(
        client, "<p>فقرة طويلة كتبها المحرر بعناية.</p>"
    )
    article.refresh_from_db()
    published_body, published_version = article.body_ar, article.version

    response = writer.post(url, typed)

    assert response.status_code == 200
    assert response.context["history_not_saved"]
    html = response.content.decode()
    assert "فقرة طويلة كتبها المحرر بعناية." in html
    article.refresh_from_db()
    assert (article.body_ar, article.version) == (published_body, published_version)
    copy = ArticleAutosave.objects.get(article=article, user=writer_user)
    assert copy.data["body_ar"] == ["<p>فقرة طويلة كتبها المحرر بعناية.</p>"]
    # Opening the article later, read-only, still shows the copy.
    later = writer.get(url)
    assert later.status_code == 200
    assert "فقرة طويلة كتبها المحرر بعناية." in later.content.decode()
    assert not later.context.get("history_not_saved")


@pytest.mark.django_db
def test_a_writer_posting_to_a_colleagues_draft_gets_a_plain_403_whatever_version_the_form_names(client):
    # Never theirs to edit: a forged post, not a story that stopped being editable while they typed.
    author, author_user = logged_in(type(client), "writer")
    colleague, colleague_user = logged_in(type(client), "writer")
    article = make_article("مسودة زميلة", created_by=author_user)
    url = change_url(article)
    forged = admin_form_data(author, url, body_ar="<p>نص مدسوس.</p>")
    author.post(url, admin_form_data(author, url, summary_ar="ملخص جديد"))  # the form's version is now older

    assert colleague.post(url, forged).status_code == 403
    assert not ArticleAutosave.objects.filter(user=colleague_user).exists()


@pytest.mark.django_db
def test_a_refused_text_too_long_to_keep_is_never_said_to_be_kept(client):
    # Over what an autosave keeps (2 MB), under what a form may send (5 MB).
    writer, writer_user, article, url, typed = published_while_a_writer_types(
        client, "<p>" + "ع" * 1_100_000 + "</p>"
    )

    response = writer.post(url, typed)

    assert response.status_code == 200
    reason = str(response.context["history_not_saved"])
    assert "go back in your browser" in reason or "ارجع" in reason
    assert "kept below" not in reason and "أدناه" not in reason
    assert not ArticleAutosave.objects.filter(article=article, user=writer_user).exists()


@pytest.mark.django_db
def test_an_editor_whose_article_is_trashed_while_they_type_keeps_their_text(client):
    first, _ = logged_in(type(client))
    _second, second_user = logged_in(type(client))
    article = make_article("عنوان", summary_ar="ملخص قديم.")
    url = change_url(article)
    typed = admin_form_data(first, url, summary_ar="ملخص جديد كتبته الآن.")
    article.move_to_trash(by=second_user)

    response = first.post(url, typed)

    assert response.status_code == 200
    assert "trash" in str(response.context["history_not_saved"]) or "سلة" in str(response.context["history_not_saved"])
    assert "ملخص جديد كتبته الآن." in response.content.decode()
    article.refresh_from_db()
    assert article.summary_ar == "ملخص قديم." and article.deleted_at is not None


@pytest.mark.django_db
def test_a_byline_changed_meanwhile_is_not_undone_by_a_form_that_left_bylines_alone(client):
    old, new = make_person("الكاتب الأول"), make_person("الكاتب الثاني")
    article = make_article("عنوان", authors=[old])
    reem, _ = logged_in(type(client))
    samer, _ = logged_in(type(client))
    url = change_url(article)
    reem_form = admin_form_data(reem, url, **{"articleauthor_set-0-person": str(new.pk)})
    samer_form = admin_form_data(samer, url, summary_ar="ملخص سامر")
    assert reem.post(url, reem_form).status_code == 302

    response = samer.post(url, samer_form)

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["adminform"].form.conflict["changes"]}
    assert rows["authors"]["in_form"] == "theirs"
    page = form_on_page(response)
    assert page["articleauthor_set-0-person"] == str(new.pk)
    assert samer.post(url, page).status_code == 302
    article.refresh_from_db()
    assert byline_people(article) == [new.pk]
    assert article.summary_ar == "ملخص سامر"


@pytest.mark.django_db
def test_a_byline_deleted_meanwhile_does_not_make_the_returned_form_unsaveable(client):
    kept, dropped = make_person("باق"), make_person("محذوف")
    article = make_article("عنوان", authors=[kept, dropped])
    reem, _ = logged_in(type(client))
    samer, _ = logged_in(type(client))
    url = change_url(article)
    reem_form = admin_form_data(reem, url, **{"articleauthor_set-1-DELETE": "on"})
    samer_form = admin_form_data(samer, url, summary_ar="ملخص سامر")
    assert reem.post(url, reem_form).status_code == 302

    response = samer.post(url, samer_form)
    assert response.status_code == 200

    assert samer.post(url, form_on_page(response)).status_code == 302
    article.refresh_from_db()
    assert byline_people(article) == [kept.pk]
    assert article.summary_ar == "ملخص سامر"


@pytest.mark.django_db
def test_when_both_changed_bylines_the_second_persons_stay_without_the_deleted_row(client):
    first, second, third = make_person("أ"), make_person("ب"), make_person("ج")
    article = make_article("عنوان", authors=[first, second])
    reem, _ = logged_in(type(client))
    samer, _ = logged_in(type(client))
    url = change_url(article)
    reem_form = admin_form_data(reem, url, **{"articleauthor_set-1-DELETE": "on"})
    # Samer swaps the second byline for a third person, on the row Reem is about to delete.
    samer_form = admin_form_data(samer, url, **{"articleauthor_set-1-person": str(third.pk)})
    assert reem.post(url, reem_form).status_code == 302

    response = samer.post(url, samer_form)

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["adminform"].form.conflict["changes"]}
    assert rows["authors"]["in_form"] == "yours"
    assert samer.post(url, form_on_page(response)).status_code == 302
    article.refresh_from_db()
    assert byline_people(article) == [first.pk, third.pk]


@pytest.mark.django_db
def test_a_publication_time_no_one_touched_is_not_listed_as_changed(client):
    article = make_article("عنوان", published=True)
    published_at = Article.objects.get(pk=article.pk).published_at
    reem, _ = logged_in(type(client))
    samer, _ = logged_in(type(client))
    url = change_url(article)
    reem_form = admin_form_data(reem, url, headline_ar="عنوان ريم")
    samer_form = admin_form_data(samer, url, summary_ar="ملخص سامر")
    assert reem.post(url, reem_form).status_code == 302

    response = samer.post(url, samer_form)

    # The time inputs stop at the second; the stored time keeps its microseconds through both saves.
    assert Article.objects.get(pk=article.pk).published_at == published_at
    changed = [row["name"] for row in response.context["adminform"].form.conflict["changes"]]
    assert changed == ["headline_ar"]


# The photo screen: two people on one photo's caption and credit.


def photo_change_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


@pytest.mark.django_db
def test_a_photo_saved_from_a_form_opened_before_someone_elses_save_is_refused_keeping_the_words(client):
    photo = make_photo(caption="ساحة الأمويين", credit="عدسة ليلى")
    first, _ = logged_in(client.__class__)
    second, _ = logged_in(client.__class__)
    url = photo_change_url(photo)
    first_form = admin_form_data(first, url, caption_ar="ساحة الأمويين مساءً")
    second_form = admin_form_data(second, url, credit_ar="عدسة سامر")

    assert first.post(url, first_form).status_code == 302
    refused = second.post(url, second_form)

    assert refused.status_code == 200
    assert "edit_conflict" in [error.code for error in refused.context["adminform"].form.non_field_errors().as_data()]
    photo.refresh_from_db()
    assert (photo.caption_ar, photo.credit_ar) == ("ساحة الأمويين مساءً", "عدسة ليلى")
    # The form keeps what the second person changed and shows the first's caption, which they had left alone, and
    # carries the newer revision: saving again, having looked, keeps both.
    again = form_on_page(refused)
    assert (again["caption_ar"], again["credit_ar"]) == ("ساحة الأمويين مساءً", "عدسة سامر")
    assert second.post(url, again).status_code == 302
    photo.refresh_from_db()
    assert (photo.caption_ar, photo.credit_ar) == ("ساحة الأمويين مساءً", "عدسة سامر")


@pytest.mark.django_db
def test_a_refused_photo_save_lists_what_the_other_person_changed_and_what_the_form_now_holds(client):
    photo = make_photo(caption="ساحة الأمويين", credit="عدسة ليلى")
    (reem, _), (samer, _) = logged_in(client.__class__, first_name="ريم"), logged_in(client.__class__)
    url = photo_change_url(photo)
    samer_form = admin_form_data(samer, url, caption_ar="ساحة المرجة", alt_text_ar="جسر فوق النهر")
    reem_form = admin_form_data(reem, url, caption_ar="ساحة الأمويين مساءً", credit_ar="عدسة ريم")
    assert reem.post(url, reem_form).status_code == 302

    refused = samer.post(url, samer_form)

    rows = {row["name"]: row for row in refused.context["adminform"].form.conflict["changes"]}
    assert set(rows) == {"caption_ar", "credit_ar"}  # Reem's changes, not Samer's own
    assert (rows["caption_ar"]["in_form"], rows["credit_ar"]["in_form"]) == ("yours", "theirs")
    html = refused.content.decode()
    assert "ريم" in html and "<ins>مساءً</ins>" in html and "<ins>ريم</ins>" in html
    assert "حُدّث إلى النسخة المحفوظة" in html and "أُبقي نصك: راجعه" in html
    page = form_on_page(refused)
    assert (page["caption_ar"], page["credit_ar"], page["alt_text_ar"]) == ("ساحة المرجة", "عدسة ريم", "جسر فوق النهر")


@pytest.mark.django_db
def test_a_lead_photo_credit_typed_in_a_story_meanwhile_is_a_conflict_on_the_photo_screen(client):
    photo = make_photo(caption="ساحة الأمويين", credit="عدسة ليلى")
    story = make_article("خبر", lead_photo=photo)
    desk, _ = logged_in(client.__class__)
    photo_form = admin_form_data(desk, photo_change_url(photo), caption_ar="ساحة في دمشق")
    editor, _ = logged_in(client.__class__)
    story_form = admin_form_data(editor, change_url(story), lead_photo_credit="عدسة سامر")
    assert editor.post(change_url(story), story_form).status_code == 302

    assert desk.post(photo_change_url(photo), photo_form).status_code == 200
    photo.refresh_from_db()
    assert (photo.caption_ar, photo.credit_ar) == ("ساحة الأمويين", "عدسة سامر")


@pytest.mark.django_db
def test_a_photo_saved_twice_by_one_person_and_one_never_revised_save_without_a_conflict(client):
    photo = make_photo(caption="صورة مستوردة")  # no revision yet, as an import leaves it
    desk, _ = logged_in(client.__class__)
    url = photo_change_url(photo)

    assert desk.post(url, admin_form_data(desk, url, caption_ar="صورة أولى")).status_code == 302
    assert desk.post(url, admin_form_data(desk, url, caption_ar="صورة ثانية")).status_code == 302
    photo.refresh_from_db()
    assert photo.caption_ar == "صورة ثانية"


@pytest.mark.django_db
def test_a_photo_form_without_the_revision_it_was_opened_at_is_not_saved(client):
    photo = make_photo(caption="ساحة الأمويين")
    desk, _ = logged_in(client.__class__)
    url = photo_change_url(photo)
    desk.post(url, admin_form_data(desk, url, caption_ar="ساحة"))
    forged = admin_form_data(desk, url, caption_ar="نص مزور")
    forged.pop("opened_revision")

    assert desk.post(url, forged).status_code == 200
    photo.refresh_from_db()
    assert photo.caption_ar == "ساحة"


@pytest.mark.django_db(transaction=True)
def test_two_photo_saves_at_the_same_moment_cannot_both_pass(client, monkeypatch):
    photo = make_photo(caption="ساحة الأمويين", credit="عدسة ليلى")
    changes = {"reem": {"caption_ar": "تعليق ريم"}, "samer": {"credit_ar": "عدسة سامر"}}

    statuses = saved_at_once(client, photo_change_url(photo), changes, PhotoAdminForm, monkeypatch)

    assert statuses == {"reem": 302, "samer": 200}
    photo.refresh_from_db()
    assert (photo.caption_ar, photo.credit_ar) == ("تعليق ريم", "عدسة ليلى")


@pytest.mark.parametrize(
    ("typed_in_story", "saved_by_desk", "expected"),
    [
        ({"headline_ar": "خبر معدل"}, {"credit_ar": "عدسة سامر"}, ("عدسة سامر", "حشد")),
        ({"lead_photo_credit": "وكالة سانا"}, {"alt_text_ar": "حشد كبير"}, ("وكالة سانا", "حشد كبير")),
    ],
    ids=["the box left alone keeps the desk's credit", "a credit typed in the story is written"],
)
@pytest.mark.django_db
def test_a_story_opened_before_the_photo_desk_saved_writes_only_the_photo_words_typed_in_it(
    client, typed_in_story, saved_by_desk, expected
):
    photo = make_photo(caption="ساحة الأمويين", credit="عدسة ليلى", alt_text="حشد")  # as uploaded: no revision yet
    story = make_article("خبر", lead_photo=photo)
    desk, _ = logged_in(client.__class__)
    editor, editor_user = logged_in(client.__class__)
    story_form = admin_form_data(editor, change_url(story), **typed_in_story)
    desk.post(photo_change_url(photo), admin_form_data(desk, photo_change_url(photo), **saved_by_desk))

    assert editor.post(change_url(story), story_form).status_code == 302

    photo.refresh_from_db()
    assert (photo.credit_ar, photo.alt_text_ar) == expected
    # The story's history claims the one field typed, not the box it left alone nor the form's own bookkeeping.
    saved = LogEntry.objects.filter(user=editor_user).latest("action_time")
    assert len(json.loads(saved.change_message)[0]["changed"]["fields"]) == 1


@pytest.mark.django_db
def test_a_credit_typed_in_the_story_after_the_photo_desk_changed_it_is_refused_once_then_written(client):
    photo = make_photo(caption="ساحة الأمويين", credit="عدسة ليلى", alt_text="حشد")
    story = make_article("خبر", lead_photo=photo)
    desk, _ = logged_in(client.__class__)
    editor, _ = logged_in(client.__class__)
    story_form = admin_form_data(editor, change_url(story), lead_photo_credit="وكالة سانا")
    desk.post(photo_change_url(photo), admin_form_data(desk, photo_change_url(photo), credit_ar="عدسة سامر"))

    refused = editor.post(change_url(story), story_form)

    assert refused.status_code == 200
    assert "عدسة سامر" in " ".join(refused.context["adminform"].form.errors["lead_photo_credit"])
    photo.refresh_from_db()
    assert photo.credit_ar == "عدسة سامر"  # the desk's words stand until the editor chooses
    again = form_on_page(refused)
    assert again["lead_photo_credit"] == "وكالة سانا"  # what the editor typed is kept
    assert editor.post(change_url(story), again).status_code == 302
    photo.refresh_from_db()
    assert photo.credit_ar == "وكالة سانا"


@pytest.mark.django_db
def test_after_two_refused_photo_saves_the_next_keeps_everyone_elses_words_and_claims_only_its_own(client):
    photo = make_photo(caption="ساحة الأمويين", credit="عدسة ليلى")
    url = photo_change_url(photo)
    (reem, _), (samer, samer_user), (lina, _) = (logged_in(client.__class__) for _ in range(3))
    reem_form = admin_form_data(reem, url, caption_ar="تعليق ريم", is_sensitive="on")
    samer_form = admin_form_data(samer, url, credit_ar="عدسة سامر")

    assert reem.post(url, reem_form).status_code == 302
    refused = form_on_page(samer.post(url, samer_form))  # shows Reem's caption, keeps Samer's credit
    assert lina.post(url, admin_form_data(lina, url, caption_ar="تعليق لينا")).status_code == 302
    refused_again = form_on_page(samer.post(url, refused))
    assert samer.post(url, refused_again).status_code == 302

    photo.refresh_from_db()
    assert (photo.caption_ar, photo.credit_ar, photo.is_sensitive) == ("تعليق لينا", "عدسة سامر", True)
    samers_save = LogEntry.objects.filter(user=samer_user).latest("action_time")
    assert len(json.loads(samers_save.change_message)[0]["changed"]["fields"]) == 1  # the credit, not the others'


def lead_photo_changed_while_samer_types(client, **typed):
    """Samer opens a story and types ``typed``; Reem, meanwhile, gives it another lead photo. Returns the story,
    its first and second photos, Samer's browser and the form his refused save came back with."""
    first = make_photo(caption="ساحة الأمويين", credit="عدسة ليلى", alt_text="حشد")
    second = make_photo(caption="سوق الحميدية", credit="وكالة سانا", alt_text="متاجر")
    story = make_article("خبر", lead_photo=first)
    url = change_url(story)
    reem, _ = logged_in(client.__class__)
    samer, _ = logged_in(client.__class__)
    samer_form = admin_form_data(samer, url, **typed)
    assert reem.post(url, admin_form_data(reem, url, lead_photo=str(second.pk))).status_code == 302
    return story, first, second, samer, form_on_page(samer.post(url, samer_form))


@pytest.mark.django_db
def test_a_lead_photo_changed_meanwhile_keeps_its_own_credit_through_the_returned_form(client):
    story, first, second, samer, page = lead_photo_changed_while_samer_types(client, summary_ar="ملخص سامر")

    # Reem's photo comes back beside its own words, not beside the first photo's...
    assert page["lead_photo"] == str(second.pk)
    assert (page["lead_photo_credit"], page["lead_photo_alt_text"]) == ("وكالة سانا", "متاجر")
    # ...so saving it again writes the first photo's words onto neither photo.
    assert samer.post(change_url(story), page).status_code == 302
    story.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (story.lead_photo, story.summary_ar) == (second, "ملخص سامر")
    assert (second.credit_ar, second.alt_text_ar) == ("وكالة سانا", "متاجر")
    assert (first.credit_ar, first.alt_text_ar) == ("عدسة ليلى", "حشد")


@pytest.mark.django_db
def test_a_credit_typed_for_the_first_photo_is_not_written_onto_the_photo_chosen_meanwhile(client):
    _story, first, second, _samer, page = lead_photo_changed_while_samer_types(client, lead_photo_credit="عدسة سامر")

    # The typed credit stays in the form, where Samer sees it beside Reem's photo before saving it there.
    assert (page["lead_photo"], page["lead_photo_credit"]) == (str(second.pk), "عدسة سامر")
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.credit_ar, second.credit_ar) == ("عدسة ليلى", "وكالة سانا")
