"""The editor's journey through the admin, from login and photo upload to a published, credited story."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from articles.models import Article, Photo, Tag
from tests.factories import image_upload, make_article, make_editor, make_person, make_photo, make_section

PASSWORD = "a-long-demo-password"
ARTICLE_ADD = "/admin/articles/article/add/"
ARTICLE_CHANGELIST = "/admin/articles/article/"
PHOTO_ADD = "/admin/articles/photo/add/"
ARABIC_CATALOG = Path(__file__).resolve().parents[1] / "locale" / "ar" / "LC_MESSAGES" / "django.mo"
ARABIC_LETTER = re.compile("[\u0621-\u064a]")


class _FormFields(HTMLParser):
    """Collects what a browser would submit from an admin page, before the editor touches anything."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data = {}
        self._select = self._textarea = None
        self._text = ""

    def _add(self, name, value):
        if name and "__prefix__" not in name and name != "csrfmiddlewaretoken":
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(attrs.get("name"), attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea, self._text = attrs.get("name"), ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that Django writes right after <textarea>.
            self._add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def admin_form_data(client, url, **changes):
    """The form on ``url`` as the browser would post it, with ``changes`` typed in by the editor."""
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {name: values[0] if len(values) == 1 else values for name, values in parser.data.items()}
    return data | changes


def bylines(*people, prefix="articleauthor_set", initial=0):
    """The ArticleAuthor inline's management form plus one row per person."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(people)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, person in enumerate(people):
        data |= {f"{prefix}-{index}-person": str(person.pk), f"{prefix}-{index}-order": str(index)}
    return data


def logged_in_editor(client):
    editor = make_editor()
    client.force_login(editor)
    return editor


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.django_db
def test_editor_publishes_article_and_reader_sees_credit(client, settings):
    editor = make_editor()
    section = make_section("سياسة")
    writer = make_person("ريم الحلبي")
    existing_tag = Tag.objects.create(name="سوريا")

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert int(client.session["_auth_user_id"]) == editor.pk

    response = client.post(
        PHOTO_ADD,
        {
            "image": image_upload("saha.jpg"),
            "caption_ar": "متظاهرون في ساحة الأمويين",
            "credit_ar": "عدسة سامر العلي",
            "alt_text_ar": "حشد يرفع الأعلام في ساحة واسعة",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert photo.uploaded_by == editor
    assert (photo.width, photo.height) == (64, 48)
    assert Path(photo.image.path).is_file()
    assert Path(photo.image.path).is_relative_to(settings.MEDIA_ROOT)

    response = client.post(
        ARTICLE_ADD,
        admin_form_data(
            client, ARTICLE_ADD,
            headline_ar="الأمطار تعود إلى دمشق بعد جفاف طويل",
            summary_ar="أول هطول غزير منذ أشهر.",
            body_ar="<h2>في الأحياء</h2><p>قال السكان إن <strong>المياه</strong> عادت إلى الشوارع.</p>",
            section=str(section.pk),
            tags=[str(existing_tag.pk)],
            new_tags="طقس دمشق",
            lead_photo=str(photo.pk),
            # The form shows the lead photo's credit and alt text; the editor's browser posts them back.
            lead_photo_credit=photo.credit_ar,
            lead_photo_alt_text=photo.alt_text_ar,
            _publish="Save and publish",
            **bylines(writer),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    assert (article.created_by, article.updated_by) == (editor, editor)
    assert list(article.authors.all()) == [writer]
    assert "<h2>في الأحياء</h2>" in article.body_ar and "<strong>المياه</strong>" in article.body_ar
    assert sorted(tag.name for tag in article.tags.all()) == ["سوريا", "طقس دمشق"]
    assert Tag.objects.get(name="طقس دمشق").slug == "طقس-دمشق"

    reader = type(client)()
    home = reader.get("/")
    assert home.status_code == 200
    assert "الأمطار تعود إلى دمشق بعد جفاف طويل" in home.content.decode()

    page = reader.get(article.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "الأمطار تعود إلى دمشق بعد جفاف طويل" in html
    assert "<strong>المياه</strong>" in html
    figcaption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)
    assert "متظاهرون في ساحة الأمويين" in figcaption
    assert re.search(r"\((?:<bdi>)?عدسة سامر العلي(?:</bdi>)?\)\s*$", re.sub(r"<span[^>]*>|</span>", "", figcaption))

    tag_url = reverse("tag", kwargs={"slug": "طقس-دمشق"})
    assert f'href="{tag_url}"' in html
    tag_page = reader.get(tag_url)
    assert tag_page.status_code == 200
    assert "الأمطار تعود إلى دمشق بعد جفاف طويل" in tag_page.content.decode()


@pytest.mark.django_db
def test_publish_refuses_lead_photo_without_credit_but_keeps_the_edits(client):
    logged_in_editor(client)
    article = make_article("مسودة أولى", lead_photo=make_photo(credit=""))

    response = client.post(
        change_url(article),
        admin_form_data(client, change_url(article), headline_ar="مسودة منقحة", _publish="Save and publish"),
        follow=True,
    )

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline_ar == "مسودة منقحة"
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    errors = [str(message) for message in response.context["messages"] if message.level_tag == "error"]
    assert len(errors) == 1
    with override("ar"):
        credit_word = gettext("credit")
    assert credit_word in errors[0]
    assert credit_word in response.content.decode()


@pytest.mark.skipif(not ARABIC_CATALOG.exists(), reason="locale/ar/LC_MESSAGES/django.mo is not compiled yet")
@pytest.mark.django_db
def test_publish_refusal_names_the_missing_credit_in_arabic(client):
    # The Arabic-text assertion proper: it needs the compiled Arabic catalogue.
    logged_in_editor(client)
    article = make_article(lead_photo=make_photo(credit=""))

    response = client.post(
        change_url(article),
        admin_form_data(client, change_url(article), _publish="Save and publish"),
        follow=True,
    )

    with override("ar"):
        credit_word = gettext("credit")
    assert ARABIC_LETTER.search(credit_word), "«credit» has no Arabic translation"
    errors = [str(message) for message in response.context["messages"] if message.level_tag == "error"]
    assert credit_word in errors[0]
    assert not re.search("[A-Za-z]{4,}", errors[0].replace("«", "").replace("»", ""))


@pytest.mark.django_db
def test_submit_for_review_moves_a_draft_to_review(client):
    logged_in_editor(client)
    article = make_article()

    response = client.post(
        change_url(article),
        admin_form_data(client, change_url(article), _submit_for_review="Save and send for review"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


@pytest.mark.django_db
def test_admin_pages_are_arabic_right_to_left(client):
    logged_in_editor(client)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert '<html lang="ar" dir="rtl">' in client.get(ARTICLE_ADD).content.decode()


@pytest.mark.django_db
def test_article_changelist_shows_thumbnails_status_section_authors_and_filters(client):
    logged_in_editor(client)
    politics, economy = make_section("سياسة"), make_section("اقتصاد")
    rim, omar = make_person("ريم الحلبي"), make_person("عمر الشامي")
    published = make_article("انتخابات بلدية في حمص", section=politics, authors=[rim], published=True)
    draft = make_article("أسعار الخبز ترتفع", section=economy, authors=[omar], lead_photo=None)

    response = client.get(ARTICLE_CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert set(response.context["cl"].result_list) == {published, draft}
    assert 'class="admin-thumbnail"' in html
    assert published.lead_photo.image.url in html
    for text in ("انتخابات بلدية في حمص", "سياسة", "اقتصاد", "ريم الحلبي", "عمر الشامي"):
        assert text in html

    def rows(query):
        response = client.get(ARTICLE_CHANGELIST + query)
        assert response.status_code == 200
        return list(response.context["cl"].result_list)

    assert rows("?status=published") == [published]
    assert rows("?status=draft") == [draft]
    assert rows(f"?section__id__exact={economy.pk}") == [draft]
    assert rows(f"?authors__id__exact={rim.pk}") == [published]
    assert rows("?q=الخبز") == [draft]
    assert rows("?q=حمص&status=published") == [published]
    assert rows("?q=حمص&status=draft") == []


@pytest.mark.django_db
def test_photo_changelist_missing_credit_filter_lists_only_uncredited_photos(client):
    logged_in_editor(client)
    credited = make_photo(caption="صورة موثقة")
    by_photographer = make_photo(caption="صورة المصور", credit="", credit_person=make_person(role="photographer"))
    uncredited = make_photo(caption="صورة بلا اعتماد", credit="")

    missing = client.get("/admin/articles/photo/?credit=missing")
    present = client.get("/admin/articles/photo/?credit=present")

    assert missing.status_code == present.status_code == 200
    assert list(missing.context["cl"].result_list) == [uncredited]
    assert set(present.context["cl"].result_list) == {credited, by_photographer}
    assert 'class="missing"' in missing.content.decode()


@pytest.mark.django_db
def test_missing_credit_filter_lists_a_photo_uploaded_without_credit(client):
    logged_in_editor(client)
    response = client.post(PHOTO_ADD, {"image": image_upload(), "caption_ar": "صورة مرفوعة بلا اعتماد"})
    assert response.status_code == 302
    uploaded = Photo.objects.get()

    missing = client.get("/admin/articles/photo/?credit=missing")
    present = client.get("/admin/articles/photo/?credit=present")

    assert list(missing.context["cl"].result_list) == [uploaded]
    assert list(present.context["cl"].result_list) == []


@pytest.mark.django_db
def test_bulk_publish_publishes_complete_articles_and_refuses_incomplete_ones(client):
    logged_in_editor(client)
    complete = make_article("خبر مكتمل")
    no_author = make_article("خبر بلا كاتب", authors=[])
    no_credit = make_article("خبر صورته بلا اعتماد", lead_photo=make_photo(credit=""))
    live = make_article("خبر منشور من قبل", published=True)

    response = client.post(
        ARTICLE_CHANGELIST,
        {"action": "publish_selected", "_selected_action": [complete.pk, no_author.pk, no_credit.pk, live.pk]},
        follow=True,
    )

    assert response.status_code == 200
    statuses = dict(Article.objects.values_list("headline_ar", "status"))
    assert statuses == {
        "خبر مكتمل": Article.Status.PUBLISHED,
        "خبر بلا كاتب": Article.Status.DRAFT,
        "خبر صورته بلا اعتماد": Article.Status.DRAFT,
        "خبر منشور من قبل": Article.Status.PUBLISHED,
    }
    messages = [(message.level_tag, str(message)) for message in response.context["messages"]]
    # Arabic counts one and two in the noun itself, without a numeral before it; the story already live is not
    # counted as published again.
    assert [text for level, text in messages if level == "success"] == ["نُشر مقال واحد."]
    refusals = [text for level, text in messages if level == "error"]
    assert len(refusals) == 2
    assert any("خبر بلا كاتب" in text for text in refusals)
    assert any("خبر صورته بلا اعتماد" in text for text in refusals)


@pytest.mark.django_db
def test_editing_lead_photo_credit_from_the_article_changes_the_photo(client):
    logged_in_editor(client)
    photo = make_photo(credit="عدسة قديمة", alt_text="وصف قديم")
    article = make_article(lead_photo=photo)
    data = admin_form_data(client, change_url(article))
    assert (data["lead_photo_credit"], data["lead_photo_alt_text"]) == ("عدسة قديمة", "وصف قديم")

    data |= {"lead_photo_credit": "وكالة سانا", "lead_photo_alt_text": "مبنى مدمر في حلب"}
    response = client.post(change_url(article), data)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.credit_ar, photo.alt_text_ar) == ("وكالة سانا", "مبنى مدمر في حلب")


@pytest.mark.django_db
def test_choosing_a_credited_lead_photo_keeps_its_credit(client):
    logged_in_editor(client)
    photo = make_photo(credit="عدسة سامر العلي", alt_text="حشد في ساحة")

    response = client.post(
        ARTICLE_ADD,
        admin_form_data(
            client, ARTICLE_ADD,
            headline_ar="خبر بصورة موثقة", section=str(make_section().pk), lead_photo=str(photo.pk),
            _publish="Save and publish", **bylines(make_person()),
        ),
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.credit_ar, photo.alt_text_ar) == ("عدسة سامر العلي", "حشد في ساحة")
    assert Article.objects.get().status == Article.Status.PUBLISHED


@pytest.mark.django_db
def test_switching_lead_photo_does_not_copy_the_old_credit_onto_the_new_photo(client):
    logged_in_editor(client)
    article = make_article(lead_photo=make_photo(credit="عدسة قديمة", alt_text="وصف قديم"))
    new_photo = make_photo(credit="وكالة الأنباء", alt_text="وصف جديد")

    response = client.post(
        change_url(article), admin_form_data(client, change_url(article), lead_photo=str(new_photo.pk))
    )

    assert response.status_code == 302
    new_photo.refresh_from_db()
    assert (new_photo.credit_ar, new_photo.alt_text_ar) == ("وكالة الأنباء", "وصف جديد")


@pytest.mark.django_db
def test_tag_autocomplete_finds_arabic_tags(client):
    logged_in_editor(client)
    Tag.objects.create(name="سوريا")
    Tag.objects.create(name="لبنان")

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "سور"},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["سوريا"]


@pytest.mark.django_db
def test_lead_photo_autocomplete_finds_a_photo_by_caption(client):
    logged_in_editor(client)
    wanted = make_photo(caption="قلعة حلب عند الغروب")
    make_photo(caption="سوق الحميدية")

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "lead_photo", "term": "قلعة"},
    )

    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(wanted.pk)]


@pytest.mark.django_db
def test_removing_every_author_of_a_published_article_is_refused(client):
    logged_in_editor(client)
    article = make_article(published=True)
    data = admin_form_data(client, change_url(article), **{"articleauthor_set-0-DELETE": "on"})
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "errornote" in response.text
    assert article.authors.count() == 1


@pytest.mark.django_db
def test_the_change_form_shows_what_still_stops_publication_before_anyone_presses_publish(client):
    client.force_login(make_editor())
    story = make_article("مسودة", lead_photo=None, authors=[])
    page = client.get(change_url(story)).text
    checklist = page.split('class="publication-panel__checklist"')[1].split("</div>")[0]
    assert "أضف كاتبًا واحدًا على الأقل." in checklist and "اختر صورة رئيسية." in checklist

    ready = make_article("مسودة كاملة")
    page = client.get(change_url(ready)).text
    assert "publication-panel__checklist" not in page and "publication-panel__ready" in page


@pytest.mark.django_db
def test_a_story_in_the_trash_is_not_called_ready_to_publish(client):
    client.force_login(make_editor())
    story = make_article("مسودة كاملة")
    story.move_to_trash(by=None)

    response = client.get(change_url(story))

    assert response.status_code == 200 and "publication-panel" in response.text
    assert "publication-panel__ready" not in response.text and "publication-panel__checklist" not in response.text


@pytest.mark.django_db
def test_after_a_refused_save_the_checklist_still_speaks_of_the_story_as_saved(client):
    client.force_login(make_editor())
    story = make_article("مسودة", lead_photo=None)
    url = change_url(story)
    data = admin_form_data(client, url, lead_photo=str(make_photo().pk), published_at_0="not a date")

    refused = client.post(url, data)

    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    checklist = refused.text.split('class="publication-panel__checklist"')[1].split("</div>")[0]
    assert "اختر صورة رئيسية." in checklist


@pytest.mark.django_db
def test_after_a_refused_save_the_panel_gives_the_scheduled_time_as_saved(client):
    from django.utils import formats, timezone

    client.force_login(make_editor())
    story = make_article("مجدول")
    story.publish(by=None, at=timezone.now() + timezone.timedelta(days=2))
    url = change_url(story)
    data = admin_form_data(client, url, published_at_0="2031-01-01", section="")

    refused = client.post(url, data)

    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    state = refused.text.split('class="publication-panel__state"')[1].split("</p>")[0]
    story.refresh_from_db()
    assert formats.date_format(timezone.localtime(story.published_at), "DATETIME_FORMAT") in state
    assert "2031" not in state


def saved_state(story):
    """What a save leaves behind: the row's version and time, its revisions and its admin log entries."""
    from django.contrib.admin.models import LogEntry
    from reversion.models import Version

    story = Article.objects.get(pk=story.pk)
    return story.version, story.updated_at, Version.objects.get_for_object(story).count(), LogEntry.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("button", ["_save", "_continue"])
def test_saving_a_story_unchanged_writes_nothing_and_says_so(client, button):
    client.force_login(make_editor())
    story = make_article("خبر منشور", published=True, tags=["سوريا"])
    url = change_url(story)
    data = admin_form_data(client, url)  # the form as opened, keeps its first revision
    before = saved_state(story)

    response = client.post(url, data | {button: "1"}, follow=True)

    assert response.status_code == 200
    assert saved_state(story) == before
    notes = [(message.level_tag, str(message)) for message in response.context["messages"]]
    assert notes == [("info", "لم يتغيّر شيء، فلم يُحفظ شيء.")]


@pytest.mark.django_db
def test_a_byline_added_to_an_otherwise_unchanged_story_is_saved_as_a_change(client):
    client.force_login(make_editor())
    first, second = make_person("سلمى الحلبي"), make_person("يوسف الشامي")
    story = make_article("خبر منشور", published=True, authors=[first])
    url = change_url(story)
    data = admin_form_data(client, url)
    version, _updated_at, revisions, _log = saved_state(story)
    added = int(data["articleauthor_set-TOTAL_FORMS"])  # a row added below those the form showed
    rows = data | {
        "articleauthor_set-TOTAL_FORMS": str(added + 1),
        f"articleauthor_set-{added}-person": str(second.pk), f"articleauthor_set-{added}-order": "1",
    }

    response = client.post(url, rows)

    assert response.status_code == 302
    assert [person.name for person in Article.objects.get(pk=story.pk).authors.order_by("articleauthor__order")] == [
        "سلمى الحلبي", "يوسف الشامي",
    ]
    now_version, _updated_at, now_revisions, _log = saved_state(story)
    assert (now_version, now_revisions) == (version + 1, revisions + 1)


@pytest.mark.django_db
def test_publish_button_on_an_unchanged_draft_still_publishes(client):
    from reversion.models import Version

    client.force_login(make_editor())
    story = make_article("مسودة جاهزة")
    url = change_url(story)

    response = client.post(url, admin_form_data(client, url) | {"_publish": "1"}, follow=True)

    assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED
    assert "نُشر المقال." in [str(message) for message in response.context["messages"]]
    # The publication is the story's newest revision, and says what it did.
    assert "منشور" in Version.objects.get_for_object(story).first().revision.comment


@pytest.mark.django_db
def test_a_refused_publish_of_an_unchanged_story_writes_nothing_and_returns_to_the_story(client):
    client.force_login(make_editor())
    story = make_article("مسودة صورتها بلا مصدر", lead_photo=make_photo(credit="", alt_text=""))
    url = change_url(story)
    data = admin_form_data(client, url)  # the form as opened, keeps its first revision
    before = saved_state(story)

    response = client.post(url, data | {"_publish": "1"}, follow=True)

    # Back on the story the checklist is about, not on the list; no empty revision, no claim of a save.
    assert response.redirect_chain == [(url, 302)]
    assert saved_state(story) == before and Article.objects.get(pk=story.pk).status == Article.Status.DRAFT
    [(level, note)] = [(message.level_tag, str(message)) for message in response.context["messages"]]
    assert level == "error" and note.startswith("لم يُنشر: ") and "المصدر" in note


@pytest.mark.django_db
def test_a_refused_publish_keeps_the_edit_and_returns_to_the_story(client):
    client.force_login(make_editor())
    story = make_article("مسودة صورتها بلا مصدر", lead_photo=make_photo(credit="", alt_text=""))
    url = change_url(story)

    response = client.post(url, admin_form_data(client, url, summary_ar="ملخص جديد") | {"_publish": "1"}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    saved = Article.objects.get(pk=story.pk)
    assert saved.summary_ar == "ملخص جديد" and saved.status == Article.Status.DRAFT
    assert any(str(message).startswith("حُفظ المقال لكنه لم يُنشر: ") for message in response.context["messages"])


@pytest.mark.django_db
def test_a_lead_photo_credit_stored_with_a_trailing_space_does_not_make_every_save_a_change(client):
    client.force_login(make_editor())
    story = make_article("خبر منشور", published=True, lead_photo=make_photo(credit="عدسة سامر "))
    url = change_url(story)
    data = admin_form_data(client, url)
    before = saved_state(story)

    client.post(url, data)

    assert saved_state(story) == before
    assert Photo.objects.get(pk=story.lead_photo_id).credit_ar == "عدسة سامر "


@pytest.mark.django_db
def test_saving_a_photo_unchanged_writes_nothing_and_a_new_caption_is_saved(client):
    from reversion.models import Version

    client.force_login(make_editor())
    photo = make_article("خبر منشور", published=True).lead_photo
    url = f"/admin/articles/photo/{photo.pk}/change/"
    data = admin_form_data(client, url)
    revisions = Version.objects.get_for_object(photo).count()

    response = client.post(url, data, follow=True)
    assert [str(message) for message in response.context["messages"]] == ["لم يتغيّر شيء، فلم يُحفظ شيء."]
    assert Version.objects.get_for_object(photo).count() == revisions

    client.post(url, data | {"caption_ar": "متظاهرون في ساحة الساعة"})
    assert Photo.objects.get(pk=photo.pk).caption_ar == "متظاهرون في ساحة الساعة"
    assert Version.objects.get_for_object(photo).count() == revisions + 1


@pytest.mark.django_db
@pytest.mark.parametrize("button", ["_publish", "_submit_for_review"])
def test_a_workflow_button_on_an_unchanged_live_story_writes_nothing(client, button):
    # Neither is offered for a live story; posted by a forged or old form, each asks nothing that is not so
    # already: no new version for others' open forms, no second audit entry, no «Published.».
    from articles.audit import AuditEntry

    client.force_login(make_editor())
    story = make_article("خبر منشور", published=True)
    url = change_url(story)
    data = admin_form_data(client, url)
    before, audited = saved_state(story), AuditEntry.objects.count()

    response = client.post(url, data | {button: "1"}, follow=True)

    assert saved_state(story) == before and AuditEntry.objects.count() == audited
    assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED
    assert [str(message) for message in response.context["messages"]] == ["لم يتغيّر شيء، فلم يُحفظ شيء."]
