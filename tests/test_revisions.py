"""Revisions: every admin save keeps one (who, when, what), any two compare field by field, and one restores."""

import difflib

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from reversion.models import Version

from articles.audit import AuditEntry
from articles.history import revision, word_diff
from articles.models import Article, ArticleAuthor, Tag, TaggedArticle
from tests.factories import make_article, make_person, make_photo, make_section, make_user
from tests.test_admin_flow import admin_form_data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def restore_url(obj, version):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_revision", args=[obj.pk, version.pk])


def compare_url(article):
    return reverse("admin:articles_article_compare", args=[article.pk])


def revisions_of(obj):
    """The object's versions, oldest first."""
    return list(Version.objects.get_for_object(obj).select_related("revision__user").order_by("pk"))


def save_through_admin(client, article, **changes):
    response = client.post(change_url(article), admin_form_data(client, change_url(article), **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    return response


@pytest.fixture
def editor(client):
    user = make_user("editor", first_name="هالة", last_name="المحررة")
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_each_admin_save_keeps_a_revision_with_who_and_the_whole_story(client, editor):
    article = make_article("عنوان أول", tags=("سوريا",))

    save_through_admin(client, article, headline_ar="عنوان منقح")

    first, saved = revisions_of(article)
    # Opening the form kept the article as it was before anyone touched it here.
    assert first.field_dict["headline_ar"] == "عنوان أول"
    assert saved.revision.user == editor
    assert saved.field_dict["headline_ar"] == "عنوان منقح"
    assert saved.field_dict["version"] == article.version
    assert saved.revision.comment  # the admin's change message
    models_in_revision = {version._model for version in saved.revision.version_set.all()}
    assert {Article, ArticleAuthor, TaggedArticle} <= models_in_revision


@pytest.mark.django_db
def test_publishing_from_the_form_records_who_published_in_the_history(client, editor):
    article = make_article("خبر ينتظر النشر")

    save_through_admin(client, article, _publish="Save and publish")

    assert article.status == Article.Status.PUBLISHED
    last = revisions_of(article)[-1]
    assert last.revision.user == editor
    assert last.field_dict["status"] == Article.Status.PUBLISHED
    with override("ar"):
        assert str(Article.Status.PUBLISHED.label) in last.revision.comment
    page = client.get(history_url(article)).content.decode()
    assert "هالة المحررة" in page
    assert str(Article.Status.PUBLISHED.label) in page


@pytest.mark.django_db
def test_a_bulk_action_from_the_list_is_a_revision_signed_by_the_editor(client, editor):
    article = make_article("خبر من القائمة")

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [str(article.pk)], "index": "0"},
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    last = revisions_of(article)[-1]
    assert last.revision.user == editor
    assert last.field_dict["status"] == Article.Status.PUBLISHED
    assert last.revision.comment


@pytest.mark.django_db
def test_photo_caption_and_credit_edits_are_revisions_wherever_they_are_typed(client, editor):
    photo = make_photo(caption="تعليق أول", credit="عدسة أولى")
    photo_url = reverse("admin:articles_photo_change", args=[photo.pk])
    response = client.post(photo_url, admin_form_data(client, photo_url, caption_ar="تعليق منقح"))
    assert response.status_code == 302, response.content.decode()[:3000]

    article = make_article(lead_photo=photo)
    save_through_admin(client, article, lead_photo_credit="عدسة منقحة")

    # Opening the photo first kept it as uploaded; then the two edits.
    versions = revisions_of(photo)
    assert [v.field_dict["caption_ar"] for v in versions] == ["تعليق أول", "تعليق منقح", "تعليق منقح"]
    assert [v.field_dict["credit_ar"] for v in versions] == ["عدسة أولى", "عدسة أولى", "عدسة منقحة"]
    assert {v.revision.user for v in versions[1:]} == {editor}
    # The photo's history lists both edits, after the photo as it was uploaded.
    history = client.get(reverse("admin:articles_photo_history", args=[photo.pk]))
    assert history.status_code == 200
    assert len(history.context["action_list"]) == 3


@pytest.mark.django_db
def test_history_page_offers_any_two_versions_to_compare(client, editor):
    article = make_article("عنوان")
    save_through_admin(client, article, headline_ar="عنوان ثان")

    response = client.get(history_url(article))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('name="from"') == 2 and html.count('name="to"') == 2
    assert f'action="{compare_url(article)}"' in html


@pytest.mark.django_db
def test_compare_lists_each_changed_field_with_old_and_new_value_word_by_word(client, editor):
    article = make_article(
        "الأمطار تعود إلى دمشق", summary_ar="ملخص لا يتغير.",
        body_ar="<p>قال السكان إن المياه عادت إلى الشوارع.</p><p>فقرة ثانية باقية.</p>",
    )
    section = make_section("اقتصاد")
    save_through_admin(
        client, article, headline_ar="الأمطار تعود إلى حلب",
        body_ar="<p>قال السكان إن الكهرباء عادت إلى الشوارع.</p><p>فقرة ثانية باقية.</p>", section=str(section.pk),
    )
    first, second = revisions_of(article)

    response = client.get(compare_url(article), {"from": first.revision_id, "to": second.revision_id})

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["rows"]}
    assert set(rows) == {"headline_ar", "body_ar", "section"}
    assert "<del>دمشق</del>" in rows["headline_ar"]["old"] and "<ins>حلب</ins>" in rows["headline_ar"]["new"]
    # The body compares as text: its words, not its tags.
    assert "<del>المياه</del>" in rows["body_ar"]["old"] and "<ins>الكهرباء</ins>" in rows["body_ar"]["new"]
    assert "&lt;p&gt;" not in rows["body_ar"]["new"] and "<p>" not in rows["body_ar"]["new"]
    assert "اقتصاد" in rows["section"]["new"]
    html = response.content.decode()
    assert "<ins>حلب</ins>" in html and "<del>المياه</del>" in html
    # Either order of picking gives the older version on the left.
    swapped = client.get(compare_url(article), {"from": second.revision_id, "to": first.revision_id})
    assert [row["old"] for row in swapped.context["rows"]] == [row["old"] for row in response.context["rows"]]


@pytest.mark.django_db
def test_compare_escapes_what_was_typed_and_names_a_formatting_only_change(client, editor):
    article = make_article("عنوان عادي", body_ar="<p>نص بلا تنسيق</p>")
    save_through_admin(
        client, article, headline_ar="<script>alert(1)</script> عنوان", body_ar="<p>نص <strong>بلا</strong> تنسيق</p>"
    )
    first, second = revisions_of(article)

    response = client.get(compare_url(article), {"from": first.revision_id, "to": second.revision_id})

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    body = next(row for row in response.context["rows"] if row["name"] == "body_ar")
    assert body["note"]  # "formatting only"
    assert "<ins>" not in body["new"]


@pytest.mark.django_db
def test_restoring_brings_back_text_bylines_and_tags_as_a_new_revision(client, editor):
    first_writer, second_writer = make_person("ريم"), make_person("سامر")
    article = make_article("العنوان الأصلي", authors=[first_writer], tags=("سوريا",))
    Tag.objects.create(name="لبنان")
    client.get(change_url(article))  # keeps the first revision
    original = revisions_of(article)[0]
    save_through_admin(
        client, article, headline_ar="عنوان بديل", new_tags="لبنان", tags=[],
        **{"articleauthor_set-0-person": str(second_writer.pk)},
    )
    assert list(article.authors.all()) == [second_writer]
    assert [tag.name for tag in article.tags.all()] == ["لبنان"]
    version_before = article.version

    page = client.get(restore_url(article, original))
    assert page.status_code == 200
    assert any(row["name"] == "headline_ar" for row in page.context["rows"])
    article.refresh_from_db()
    assert article.headline_ar == "عنوان بديل"  # looking changes nothing

    response = client.post(restore_url(article, original))

    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    article.refresh_from_db()
    assert article.headline_ar == "العنوان الأصلي"
    assert list(article.authors.all()) == [first_writer]
    assert [tag.name for tag in article.tags.all()] == ["سوريا"]
    assert article.version > version_before
    assert article.updated_by == editor
    latest = revisions_of(article)[-1]
    assert latest.revision.user == editor
    with override("ar"):
        assert latest.revision.comment.startswith(gettext("Restored the version of %(when)s.").split("%")[0])
    assert latest.field_dict["headline_ar"] == "العنوان الأصلي"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVISION_RESTORED)
    assert (entry.actor, entry.target_id) == (editor, str(article.pk))


@pytest.mark.django_db
def test_restoring_keeps_the_status_and_publication_time(client, editor):
    article = make_article("مسودة")
    client.get(change_url(article))
    draft = revisions_of(article)[0]
    save_through_admin(client, article, headline_ar="منشور", _publish="Save and publish")
    published_at = article.published_at

    assert client.post(restore_url(article, draft)).status_code == 302

    article.refresh_from_db()
    assert article.headline_ar == "مسودة"
    assert (article.status, article.published_at) == (Article.Status.PUBLISHED, published_at)


@pytest.mark.django_db
def test_restoring_refuses_what_a_published_article_may_not_lose(client, editor):
    article = make_article("بلا قسم بعد")
    Article.objects.filter(pk=article.pk).update(section=None)
    client.get(change_url(article))
    without_section = revisions_of(article)[0]
    save_through_admin(client, article, section=str(make_section().pk), _publish="Save and publish")
    assert article.status == Article.Status.PUBLISHED

    response = client.post(restore_url(article, without_section), follow=True)

    article.refresh_from_db()
    assert article.section_id is not None
    assert [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVISION_RESTORED).exists()


@pytest.mark.django_db
def test_a_writer_restores_only_what_they_may_edit(client):
    writer = make_user("writer")
    client.force_login(writer)
    own = make_article("مسودتي", created_by=writer)
    save_through_admin(client, own, headline_ar="مسودتي المنقحة")
    own_first = revisions_of(own)[0]
    others = make_article("مسودة زميل", created_by=make_user("writer"))
    editor_client = type(client)()
    editor_client.force_login(make_user("editor"))
    editor_client.get(change_url(others))
    others_first = revisions_of(others)[0]

    assert client.post(restore_url(others, others_first)).status_code == 403
    assert client.post(restore_url(own, own_first)).status_code == 302
    own.refresh_from_db()
    assert own.headline_ar == "مسودتي"

    Article.objects.filter(pk=own.pk).update(status=Article.Status.PUBLISHED, published_at=own.created_at)
    assert client.post(restore_url(own, own_first)).status_code == 403
    page = client.get(restore_url(own, own_first))
    assert page.status_code == 200 and not page.context["restore_url"]


@pytest.mark.django_db
def test_restoring_a_photo_brings_back_its_credit(client, editor):
    photo = make_photo(credit="عدسة أولى")
    photo_url = reverse("admin:articles_photo_change", args=[photo.pk])
    for credit in ("عدسة سامر العلي", "عدسة خاطئة"):
        response = client.post(photo_url, admin_form_data(client, photo_url, credit_ar=credit))
        assert response.status_code == 302, response.content.decode()[:3000]
    right = revisions_of(photo)[1]  # after the photo as uploaded, kept when it was first opened

    response = client.post(restore_url(photo, right))

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.credit_ar == "عدسة سامر العلي"
    assert revisions_of(photo)[-1].revision.user == editor
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REVISION_RESTORED, target_id=str(photo.pk)).exists()


@pytest.mark.django_db
def test_restoring_survives_a_tag_deleted_since(client, editor):
    article = make_article("خبر موسوم", tags=("عابر",))
    client.get(change_url(article))
    tagged = revisions_of(article)[0]
    Tag.objects.filter(name="عابر").delete()

    assert client.post(restore_url(article, tagged)).status_code == 302
    article.refresh_from_db()
    assert list(article.tags.all()) == []


@pytest.mark.django_db
def test_reversions_recover_screens_are_not_offered(client, editor):
    # Articles have the trash; reversion's "recover deleted" would bring back rows without their files or checks.
    assert client.get("/admin/articles/article/recover/").status_code != 200
    assert client.get("/admin/articles/photo/recover/").status_code != 200


@pytest.mark.django_db
def test_a_transition_run_outside_the_admin_is_a_revision_when_wrapped():
    editor = make_user("editor")
    article = make_article("خبر يُنشر من سطر الأوامر")

    with revision(editor, "publish_scheduled"):
        article.publish(by=editor)

    last = revisions_of(article)[-1]
    assert (last.revision.user, last.revision.comment) == (editor, "publish_scheduled")
    assert last.field_dict["status"] == Article.Status.PUBLISHED


def test_a_long_body_rewritten_throughout_gets_the_fast_heuristic_and_marks_each_changed_word(monkeypatch):
    given = []
    matcher = difflib.SequenceMatcher

    def recording(junk, a, b, **kwargs):
        given.append((len(a) * len(b), kwargs.get("autojunk", True)))
        return matcher(junk, a, b, **kwargs)

    monkeypatch.setattr(difflib, "SequenceMatcher", recording)
    paragraphs = [" ".join(f"كلمة{p}-{w}" for w in range(80)) for p in range(100)]
    edited = [paragraph.replace(f"كلمة{p}-40", "جديدة") for p, paragraph in enumerate(paragraphs)]

    old, new = word_diff("\n".join(paragraphs), "\n".join(edited))

    assert old.count("<del>") == 100 and new.count("<ins>جديدة</ins>") == 100
    # Every paragraph changed, so 8,000 words a side are matched at once: exact matching of that many is
    # quadratic (seconds), so it is left to difflib's heuristic.
    assert all(autojunk for pairs, autojunk in given if pairs > 250_000) and max(given)[0] > 250_000


def test_a_body_of_repeated_paragraphs_is_compared_only_where_it_changed(monkeypatch):
    # 8,000 identical paragraphs and one added in the middle: matched line by line, exact matching is quadratic
    # (7 s for this body, minutes for a larger one, holding a worker). The shared start and end are set aside.
    given = []
    matcher = difflib.SequenceMatcher

    def recording(junk, a, b, **kwargs):
        given.append((len(a), len(b)))
        return matcher(junk, a, b, **kwargs)

    monkeypatch.setattr(difflib, "SequenceMatcher", recording)
    paragraphs = ["فقرة مكررة"] * 8000
    edited = paragraphs[:4000] + ["فقرة جديدة"] + paragraphs[4000:]

    old, new = word_diff("\n".join(paragraphs), "\n".join(edited))

    assert new.count("<ins>") == 1 and "<ins>فقرة جديدة</ins>" in new
    assert "<del>" not in old and old.count("فقرة مكررة") == 8000
    assert max(a * b for a, b in given) <= 4000


@pytest.mark.django_db
def test_the_history_names_the_changed_fields_in_arabic(client, editor):
    article = make_article("عنوان أول")
    save_through_admin(client, article, headline_ar="عنوان ثان", summary_ar="ملخص جديد")

    page = client.get(history_url(article)).text
    with override("ar"):
        headline = str(Article._meta.get_field("headline").verbose_name)

    # The edition by its name, not modeltranslation's code: «العنوان (العربية)», not «العنوان [ar]».
    assert f"{headline} (العربية)" in page and "[ar]" not in page
    assert "Headline" not in page and "Summary" not in page


@pytest.mark.django_db
def test_the_history_names_a_bylines_changed_field_in_arabic(client, editor):
    first, second, third = make_person("أول"), make_person("ثان"), make_person("ثالث")
    article = make_article("عنوان", authors=[first, second])
    save_through_admin(client, article, **{"articleauthor_set-1-person": str(third.pk)})

    page = client.get(history_url(article)).text
    with override("ar"):
        person = str(ArticleAuthor._meta.get_field("person").verbose_name)

    assert person in page and "Person" not in page
