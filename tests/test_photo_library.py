"""The photo library in the admin: list, search, filters, where each photo is used, deletion, focal point."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, InlinePhoto, Photo
from articles.renditions import ensure_renditions, thumbnail_url
from articles.roles import ROLE_WRITER
from tests.factories import make_article, make_editor, make_person, make_photo, make_user
from tests.plans import query_plan
from tests.test_admin_flow import admin_form_data

CHANGELIST = "/admin/articles/photo/"
ONE_ARTICLE = "مقال واحد"  # how the photo desk's count of unpublished stories reads
FOCAL_POINT_JS = Path(__file__).resolve().parents[1] / "static" / "js" / "focal-point.js"


def files_under(folder):
    return sorted(os.path.join(root, name) for root, _dirs, names in os.walk(folder) for name in names)


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def listed(client, query=""):
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def change_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


def used_inline(photo, article=None):
    article = article or make_article(lead_photo=None)
    InlinePhoto.objects.create(article=article, photo=photo)
    return article


# The list


@pytest.mark.django_db
def test_library_lists_thumbnail_rendition_caption_credit_creator_flag_and_size(editor_client):
    photo = make_photo(caption="سوق الحميدية صباحاً", credit="عدسة ليلى", creator="ليلى حسن", is_sensitive=True)
    ensure_renditions(photo)

    html = editor_client.get(CHANGELIST).content.decode()

    assert thumbnail_url(photo) != photo.image.url
    assert f'src="{thumbnail_url(photo)}"' in html
    for text in ["سوق الحميدية صباحاً", "عدسة ليلى", "ليلى حسن", f"{photo.width}×{photo.height}"]:
        assert text in html
    assert 'class="field-is_sensitive"><img src="/static/admin/img/icon-yes.svg"' in html


@pytest.mark.django_db
def test_library_list_costs_the_same_queries_for_3_or_15_photos(editor_client, django_assert_max_num_queries):
    photographer = make_person(role="photographer")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(CHANGELIST).status_code == 200
        return len(queries)

    for _ in range(3):
        ensure_renditions(make_photo(credit="", credit_person=photographer))
    few = count()
    for number in range(12):
        photo = make_photo(credit="" if number % 2 else "عدسة", credit_person=photographer if number % 2 else None)
        used_inline(photo) if number % 3 else ensure_renditions(photo)

    with django_assert_max_num_queries(few):
        assert len(editor_client.get(CHANGELIST).context["cl"].result_list) == 15


@pytest.mark.parametrize(
    ("field", "term"),
    [
        ("caption_ar", "قلعة"), ("caption_en", "Citadel"), ("credit_ar", "سانا"), ("credit_en", "Reuters"),
        ("creator", "الحلبي"), ("alt_text_ar", "مئذنة"), ("alt_text_en", "minaret"),
    ],
)
@pytest.mark.django_db
def test_library_search_finds_photos_by_caption_credit_creator_and_alt_text(editor_client, field, term):
    wanted = make_photo(caption="", credit="", alt_text="")
    setattr(wanted, field, f"نص {term} نص")
    wanted.save()
    make_photo(caption="سوق", credit="عدسة", alt_text="شارع")

    assert listed(editor_client, f"?q={term}") == {wanted}


@pytest.mark.django_db
def test_library_search_finds_photos_by_photographer_name(editor_client):
    wanted = make_photo(credit="", credit_person=make_person("رامي السيد", role="photographer"))
    make_photo()

    assert listed(editor_client, "?q=رامي") == {wanted}


@pytest.mark.django_db
def test_missing_alt_text_filter(editor_client):
    described, undescribed = make_photo(alt_text="رجل يحمل طفلاً"), make_photo(alt_text="")

    assert listed(editor_client, "?alt_text=missing") == {undescribed}
    assert listed(editor_client, "?alt_text=present") == {described}


@pytest.mark.django_db
def test_usage_filter_tells_unused_photos_from_lead_inline_and_portrait_photos(editor_client):
    lead, inline, portrait, unused = make_photo(), make_photo(), make_photo(), make_photo()
    make_article(lead_photo=lead)
    used_inline(inline)
    make_person(photo=portrait)

    assert listed(editor_client, "?use=unused") == {unused}
    assert listed(editor_client, "?use=used") == {lead, inline, portrait}


@pytest.mark.django_db
def test_sensitive_filter(editor_client):
    graphic, plain = make_photo(is_sensitive=True), make_photo()

    assert listed(editor_client, "?is_sensitive__exact=1") == {graphic}
    assert listed(editor_client, "?is_sensitive__exact=0") == {plain}


@pytest.mark.django_db
def test_article_list_thumbnails_use_the_thumbnail_rendition(editor_client):
    article = make_article()
    ensure_renditions(article.lead_photo)

    html = editor_client.get("/admin/articles/article/").content.decode()

    assert f'src="{thumbnail_url(article.lead_photo)}"' in html
    assert f'src="{article.lead_photo.image.url}"' not in html


# A photo's page


@pytest.mark.django_db
def test_photo_page_lists_articles_and_people_that_use_it_with_admin_links(editor_client):
    photo = make_photo()
    lead_of = make_article("وزير المالية يعلن الموازنة", lead_photo=photo)
    in_body_of = used_inline(photo, make_article("تقرير عن الأسواق", lead_photo=None))
    portrait_of = make_person("سارة المصري", photo=photo)
    make_article("خبر لا علاقة له بالصورة")

    html = editor_client.get(change_url(photo)).content.decode()

    for obj, text in [(lead_of, "وزير المالية يعلن الموازنة"), (in_body_of, "تقرير عن الأسواق"),
                      (portrait_of, "سارة المصري")]:
        url = reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])
        assert f'<a href="{url}">{text}</a>' in html
    assert "خبر لا علاقة له بالصورة" not in html


@pytest.mark.django_db
def test_unused_photo_page_says_it_is_used_nowhere(editor_client):
    from django.utils.translation import gettext

    html = editor_client.get(change_url(make_photo())).content.decode()

    assert gettext("Not used in any article, nor as a portrait.") in html


@pytest.mark.django_db
def test_photo_page_loads_the_focal_point_script_and_keeps_number_fields_as_fallback(editor_client):
    photo = make_photo()

    html = editor_client.get(change_url(photo)).content.decode()

    assert '<script src="/static/js/focal-point.js"' in html
    assert 'data-focal-point data-input-x="id_focal_x" data-input-y="id_focal_y"' in html
    for name in ("focal_x", "focal_y"):
        assert f'type="number" name="{name}" value="50"' in html
    picker = html[html.index("data-focal-point"):html.index("</div>", html.index("data-focal-point"))]
    assert "style=" not in picker and "<script" not in picker


@pytest.mark.django_db
def test_add_form_does_not_offer_the_focal_point_before_there_is_an_image(editor_client):
    html = editor_client.get("/admin/articles/photo/add/").content.decode()

    assert "data-focal-point" not in html and 'name="focal_x"' not in html


@pytest.mark.django_db
def test_a_new_focal_point_renews_the_renditions_after_commit(
    editor_client, media_in_tmp, django_capture_on_commit_callbacks
):
    photo = make_photo()
    ensure_renditions(photo)
    old_key = photo.renditions["key"]
    old_files = set(files_under(media_in_tmp))

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(photo), admin_form_data(editor_client, change_url(photo), focal_x="10", focal_y="85")
        )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (10, 85)
    assert photo.renditions["key"] != old_key
    new_files = set(files_under(media_in_tmp))
    assert not any(f"/{old_key}/" in path for path in new_files)
    assert new_files - old_files


@pytest.mark.django_db
def test_saving_other_fields_does_not_regenerate_renditions(
    editor_client, media_in_tmp, django_capture_on_commit_callbacks
):
    photo = make_photo()
    ensure_renditions(photo)
    photo.refresh_from_db()
    # Each file with the moment it was written: rewritten in place, a file would keep its name but not its time.
    files = {path: os.stat(path).st_mtime_ns for path in files_under(media_in_tmp)}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = editor_client.post(
            change_url(photo), admin_form_data(editor_client, change_url(photo), caption_ar="جديد")
        )

    assert response.status_code == 302
    # Not even asked for: ensure_renditions() finding the stored ones current would still lock the row.
    assert not [callback for callback in callbacks if getattr(callback, "func", None) is ensure_renditions]
    saved = Photo.objects.get(pk=photo.pk)
    assert saved.caption_ar == "جديد"
    assert saved.renditions == photo.renditions
    assert {path: os.stat(path).st_mtime_ns for path in files_under(media_in_tmp)} == files


@pytest.mark.django_db
def test_focal_point_outside_the_image_is_refused(editor_client):
    photo = make_photo()

    response = editor_client.post(
        change_url(photo), admin_form_data(editor_client, change_url(photo), focal_x="140", focal_y="-3")
    )

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"focal_x", "focal_y"}


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_focal_point_script_turns_a_click_into_percent_from_the_top_left_in_rtl_too():
    """Runs static/js/focal-point.js in Node against a minimal stand-in for the page's DOM."""
    harness = """
    const fs = require("fs");
    function input(value) {
      const listeners = {};
      return {value, addEventListener: (type, fn) => { listeners[type] = fn; }, dispatchEvent: () => true,
              fire: (type) => listeners[type]()};
    }
    const inputs = {id_focal_x: input("50"), id_focal_y: input("50")};
    let onClick;
    const image = {
      // A 400x200 image placed at (100, 50) in a right-to-left page.
      getBoundingClientRect: () => ({left: 100, top: 50, width: 400, height: 200}),
      addEventListener: (type, fn) => { onClick = fn; },
    };
    const marker = {style: {}, hidden: true};
    const picker = {
      getAttribute: (name) => ({"data-input-x": "id_focal_x", "data-input-y": "id_focal_y"})[name],
      querySelector: (selector) => (selector === "img" ? image : marker),
      classList: {add: () => {}},
    };
    global.Event = function (type) { this.type = type; };
    global.document = {
      readyState: "complete", documentElement: {dir: "rtl"},
      getElementById: (id) => inputs[id], querySelectorAll: () => [picker],
    };
    eval(fs.readFileSync(process.argv[1], "utf8"));
    const before = {left: marker.style.left, top: marker.style.top, hidden: marker.hidden};
    onClick({clientX: 100 + 100, clientY: 50 + 150});
    const clicked = {x: inputs.id_focal_x.value, y: inputs.id_focal_y.value, left: marker.style.left,
                     top: marker.style.top};
    onClick({clientX: 900, clientY: -20});
    const outside = {x: inputs.id_focal_x.value, y: inputs.id_focal_y.value};
    inputs.id_focal_x.value = "33"; inputs.id_focal_x.fire("input");
    console.log(JSON.stringify({before, clicked, outside, typed: marker.style.left}));
    """
    result = subprocess.run(
        ["node", "-e", harness, str(FOCAL_POINT_JS)], capture_output=True, text=True, timeout=30, check=True
    )
    seen = json.loads(result.stdout)

    assert seen["before"] == {"left": "50%", "top": "50%", "hidden": False}
    assert seen["clicked"] == {"x": 25, "y": 75, "left": "25%", "top": "75%"}
    assert seen["outside"] == {"x": 100, "y": 0}
    assert seen["typed"] == "33%"


# Deleting


def delete_url(photo):
    return reverse("admin:articles_photo_delete", args=[photo.pk])


@pytest.mark.django_db
def test_deleting_a_portrait_is_refused_with_the_person_named(editor_client):
    photo = make_photo()
    person = make_person("ليلى حداد", photo=photo)
    html = editor_client.post(delete_url(photo), {"post": "yes"}).content.decode()
    assert f'<a href="{reverse("admin:articles_person_change", args=[person.pk])}">ليلى حداد</a>' in html
    assert Photo.objects.filter(pk=photo.pk).exists()
    person.refresh_from_db()
    assert person.photo == photo


@pytest.mark.django_db
def test_focal_point_outside_the_image_cannot_be_stored_even_past_the_form():
    photo = make_photo()
    with pytest.raises(IntegrityError), transaction.atomic():
        Photo.objects.filter(pk=photo.pk).update(focal_x=150)


@pytest.mark.parametrize("use", ["lead", "inline"])
@pytest.mark.django_db
def test_deleting_a_photo_in_use_is_refused_with_the_articles_in_arabic(editor_client, use):
    photo = make_photo()
    article = make_article("انقطاع الكهرباء في حلب", lead_photo=photo if use == "lead" else None)
    if use == "inline":
        used_inline(photo, article)
    article_link = f'<a href="{reverse("admin:articles_article_change", args=[article.pk])}">انقطاع الكهرباء في حلب</a>'

    for response in (editor_client.get(delete_url(photo)), editor_client.post(delete_url(photo), {"post": "yes"})):
        html = response.content.decode()
        assert response.status_code == 200
        assert article_link in html
        assert 'lang="ar" dir="rtl"' in html
        assert "<h1>تعذّر حذف صورة</h1>" in html
        assert 'name="post"' not in html  # no confirmation button

    assert Photo.objects.filter(pk=photo.pk).exists()
    assert os.path.exists(photo.image.path)


@pytest.mark.django_db
def test_deleting_a_photo_in_use_is_refused_even_without_the_right_to_delete_articles(client):
    photo = make_photo()
    article = make_article("خبر محمي", lead_photo=photo)
    staff = get_user_model().objects.create_user(username="desk", password="a-long-demo-password", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__in=["view_photo", "delete_photo"]))
    client.force_login(staff)

    response = client.post(delete_url(photo), {"post": "yes"})

    assert response.status_code == 200
    # Refused, with the draft counted rather than named: who may not read articles does not read its headline.
    assert f"لم تُنشر بعد: {ONE_ARTICLE}" in response.text and article.headline_ar not in response.text
    assert reverse("admin:articles_article_change", args=[article.pk]) not in response.text
    assert Photo.objects.filter(pk=photo.pk).exists()


@pytest.mark.django_db
def test_bulk_delete_refuses_when_any_selected_photo_is_in_use(editor_client):
    lead, inline, unused = make_photo("موكب في حمص"), make_photo("سوق في حلب"), make_photo("صورة لم تُستعمل")
    lead_article = make_article("خبر الصورة الرئيسية", lead_photo=lead)
    body_article = used_inline(inline, make_article("خبر الصورة في النص", lead_photo=None))
    chosen = {"action": "delete_selected", "_selected_action": [str(p.pk) for p in (lead, inline, unused)]}

    for response in (editor_client.post(CHANGELIST, chosen), editor_client.post(CHANGELIST, chosen | {"post": "yes"})):
        html = response.content.decode()
        assert response.status_code == 200
        for article in (lead_article, body_article):
            assert f'<a href="{reverse("admin:articles_article_change", args=[article.pk])}">' in html
        # Which of the chosen photos is in use, and where.
        assert "«موكب في حمص» — " in html and "«سوق في حلب» — " in html and "«صورة لم تُستعمل» — " not in html
        assert 'name="post"' not in html

    assert Photo.objects.count() == 3
    assert all(os.path.exists(photo.image.path) for photo in (lead, inline, unused))


@pytest.mark.django_db
def test_deleting_an_unused_photo_removes_its_files(editor_client, media_in_tmp, django_capture_on_commit_callbacks):
    photo, kept = make_photo(), make_photo()
    ensure_renditions(photo)
    assert any(f"/renditions/{photo.pk}/" in path for path in files_under(media_in_tmp))

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(delete_url(photo), {"post": "yes"})

    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert files_under(media_in_tmp) == [str(Path(django_settings.MEDIA_ROOT) / kept.image.name)]


@pytest.mark.django_db
def test_bulk_deleting_unused_photos_removes_their_files(
    editor_client, media_in_tmp, django_capture_on_commit_callbacks
):
    photos = [make_photo(), make_photo()]
    for photo in photos:
        ensure_renditions(photo)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            CHANGELIST,
            {"action": "delete_selected", "_selected_action": [str(p.pk) for p in photos], "post": "yes"},
        )

    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert files_under(media_in_tmp) == []


# The thumbnail address used by the rich-text editor


@pytest.mark.django_db
def test_thumbnail_address_redirects_to_the_thumbnail_rendition(editor_client):
    photo = make_photo()
    url = reverse("admin:articles_photo_thumbnail", args=[photo.pk])
    assert url == f"/admin/articles/photo/{photo.pk}/thumbnail/"

    before = editor_client.get(url)
    ensure_renditions(photo)
    after = editor_client.get(url)

    assert (before.status_code, before["Location"]) == (302, photo.image.url)
    assert (after.status_code, after["Location"]) == (302, thumbnail_url(photo))
    assert "/renditions/" in after["Location"]


@pytest.mark.django_db
def test_thumbnail_address_is_404_for_an_unknown_photo(editor_client):
    assert editor_client.get("/admin/articles/photo/999999/thumbnail/").status_code == 404


@pytest.mark.django_db
def test_thumbnail_address_needs_a_staff_member_who_may_view_photos(client):
    photo = make_photo()
    url = reverse("admin:articles_photo_thumbnail", args=[photo.pk])
    assert client.get(url)["Location"].startswith(reverse("admin:login"))

    staff = get_user_model().objects.create_user(username="desk", password="a-long-demo-password", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_photo"))
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_photo_screens_load_nothing_from_other_hosts_and_carry_no_inline_styles(editor_client):
    photo = make_photo()
    make_article(lead_photo=photo)
    for url in [CHANGELIST, "/admin/articles/photo/upload/", change_url(photo), delete_url(photo)]:
        html = editor_client.get(url).content.decode()
        assert 'src="http' not in html and 'href="http' not in html, url
        assert 'class="focal-point" style' not in html


@pytest.mark.django_db
def test_article_using_photo_keeps_it_after_refused_delete(editor_client):
    photo = make_photo()
    article = make_article(lead_photo=photo)

    editor_client.post(delete_url(photo), {"post": "yes"})

    assert Article.objects.get(pk=article.pk).lead_photo == photo


# Who may change a photo readers see


def photo_form(client, photo, **changes):
    return admin_form_data(client, change_url(photo), **changes)


@pytest.mark.django_db
@pytest.mark.parametrize("use", ["lead of a published story", "in the body of a scheduled story", "a portrait"])
def test_a_writer_cannot_change_a_photo_readers_see(client, use):
    photo = make_photo(caption="جنازة في درعا", is_sensitive=True)
    if use == "lead of a published story":
        make_article(published=True, lead_photo=photo)
    elif use == "in the body of a scheduled story":
        story = make_article(lead_photo=None)
        used_inline(photo, story)
        Article.objects.filter(pk=story.pk).update(
            status=Article.Status.SCHEDULED, published_at=timezone.now() + timezone.timedelta(hours=2)
        )
    else:
        make_person("مراسل", photo=photo)
    editor = make_editor()
    client.force_login(editor)
    form = photo_form(client, photo, caption_ar="صورة أخرى", is_sensitive="")
    client.force_login(make_user(ROLE_WRITER))

    page = client.get(change_url(photo))
    refused = client.post(change_url(photo), form)

    assert page.status_code == 200 and 'name="_save"' not in page.text  # read-only
    assert refused.status_code == 403
    photo.refresh_from_db()
    assert (photo.caption_ar, photo.is_sensitive) == ("جنازة في درعا", True)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["writer", "photographer", "editor"])
def test_who_may_change_a_photo_depends_on_whether_readers_see_it(client, role):
    unused, on_site = make_photo(), make_photo()
    make_article(published=True, lead_photo=on_site)
    client.force_login(make_editor())
    forms = {photo: photo_form(client, photo, caption_ar="تعليق مصحح") for photo in (unused, on_site)}
    client.force_login(make_user(role))

    answers = {photo: client.post(change_url(photo), form).status_code for photo, form in forms.items()}

    assert answers[unused] == 302
    assert answers[on_site] == (403 if role == "writer" else 302)


@pytest.mark.django_db
def test_a_writer_typing_a_credit_for_a_photo_readers_see_gets_an_error_and_changes_nothing(client):
    shared, fresh = make_photo(credit="عدسة سامر"), make_photo(credit="")
    make_article(published=True, lead_photo=shared)
    writer = make_user(ROLE_WRITER)
    client.force_login(writer)
    mine = make_article("مسودتي", lead_photo=shared, created_by=writer)
    url = reverse("admin:articles_article_change", args=[mine.pk])

    refused = client.post(url, admin_form_data(client, url, lead_photo_credit="مصدر مجهول"))

    assert refused.status_code == 200
    assert "lead_photo_credit" in refused.context["adminform"].form.errors
    shared.refresh_from_db()
    assert shared.credit_ar == "عدسة سامر"
    # A photo no reader sees yet takes the credit typed beside the story.
    Article.objects.filter(pk=mine.pk).update(lead_photo=fresh)
    assert client.post(url, admin_form_data(client, url, lead_photo_credit="عدسة الكاتب")).status_code == 302
    fresh.refresh_from_db()
    assert fresh.credit_ar == "عدسة الكاتب"


@pytest.mark.django_db
def test_the_photo_desk_sees_where_readers_see_a_photo_but_no_drafts_headline(client):
    photo = make_photo()
    live = make_article("خبر منشور عن الحصار", published=True, lead_photo=photo)
    used_inline(photo, make_article("عنوان سري لمسودة", lead_photo=None))
    photographer = make_user("photographer")
    client.force_login(photographer)

    page = client.get(change_url(photo)).text
    refusal = client.post(delete_url(photo), {"post": "yes"})

    for shown in (page, refusal.text):
        assert "خبر منشور عن الحصار" in shown and live.get_absolute_url() in shown
        assert "عنوان سري لمسودة" not in shown
    assert f"<h4>لم تُنشر بعد</h4><p>{ONE_ARTICLE}</p>" in page  # one story not published yet, counted
    Photo.objects.get(pk=photo.pk)  # and not deleted
    # An editor sees both, with their admin links.
    client.force_login(make_editor())
    assert "عنوان سري لمسودة" in client.get(change_url(photo)).text


@pytest.mark.django_db
def test_the_lead_photo_box_is_answered_with_each_photos_thumbnail_credit_and_alt_text(editor_client):
    photo = make_photo(caption="سوق الحميدية", credit="عدسة ليلى", alt_text="باعة")
    ensure_renditions(photo)
    asked = {"app_label": "articles", "model_name": "article", "term": "الحميدية"}

    [answer] = editor_client.get("/admin/autocomplete/", asked | {"field_name": "lead_photo"}).json()["results"]
    sections = editor_client.get("/admin/autocomplete/", asked | {"field_name": "section", "term": ""}).json()

    assert answer == {
        "id": str(photo.pk), "text": str(photo), "thumbnail": thumbnail_url(photo), "credit": "عدسة ليلى",
        "alt_text": "باعة",
    }
    assert all(set(row) == {"id", "text"} for row in sections["results"])


def shown_photo_with_an_earlier_version(earlier, now):
    """A photo a published story shows, whose one revision holds the words ``earlier`` and whose row now holds
    ``now`` (each {field: value}); returns the photo and that version."""
    from reversion.models import Version

    from articles.history import revision

    photo = make_photo(**earlier)
    with revision(None, "first"):
        photo.save()
    Photo.objects.filter(pk=photo.pk).update(**now)
    make_article(published=True, lead_photo=Photo.objects.get(pk=photo.pk))
    [version] = Version.objects.get_for_object(photo)
    return photo, version


@pytest.mark.django_db
def test_restoring_a_photo_readers_see_needs_the_right_to_change_it():
    from django.core.exceptions import PermissionDenied

    from articles.history import photo_restore

    photo, version = shown_photo_with_an_earlier_version({"caption": "تعليق أول"}, {"caption_ar": "تعليق مصحح"})

    with pytest.raises(PermissionDenied):
        photo_restore(photo=photo, version=version, by=make_user(ROLE_WRITER))
    photo.refresh_from_db()
    assert photo.caption_ar == "تعليق مصحح"
    photo_restore(photo=photo, version=version, by=make_editor())
    photo.refresh_from_db()
    assert photo.caption_ar == "تعليق أول"


@pytest.mark.django_db
@pytest.mark.parametrize("query, indexes", [
    ("", {"photo_newest_idx"}),
    # SQLite reads the photos credited to no one from photo_by_photographer_idx, in the same order.
    ("?credit=missing", {"photo_missing_credit_idx", "photo_by_photographer_idx"}),
    ("?alt_text=missing", {"photo_missing_alt_text_idx"}),
    ("?is_sensitive__exact=1", {"photo_sensitive_idx"}),
])
def test_each_page_of_the_library_and_its_worklists_is_read_in_order_from_an_index(editor_client, query, indexes):
    # Unindexed, every page of the library sorted every photo first (README "Performance": 0.2 s a page at
    # 100,000 photos). The page's own query is asked for its plan; PostgreSQL is told not to read the table or
    # sort, which with a handful of rows it rightly would, and still sorts when no index gives the order.
    make_photo(credit="", alt_text="", is_sensitive=True)
    with CaptureQueriesContext(connection) as queries:
        assert editor_client.get(CHANGELIST + query).status_code == 200
    [sql] = [q["sql"] for q in queries.captured_queries if 'ORDER BY "articles_photo"."uploaded_at" DESC' in q["sql"]]
    sql += " LIMIT 100"  # as each page asks once the library holds more than one page (list_per_page)
    plan = query_plan(sql, allow_sort=False)
    if connection.vendor == "sqlite":
        assert not any("ORDER BY" in step for step in plan), plan  # USE TEMP B-TREE FOR ORDER BY
    else:
        assert not any("Sort" in step for step in plan), plan
    assert any(index in step for step in plan for index in indexes), plan


# A story's checklist holds after it is published


@pytest.mark.django_db
@pytest.mark.parametrize(("emptied", "lost"), [
    ({"credit_ar": ""}, "المصدر"),
    ({"alt_text_ar": ""}, "النص البديل"),
    ({"caption_ar": ""}, "التعليق"),
    # Invisible marks alone are no words: a right-to-left mark is not a credit.
    ({"credit_ar": "\u200f", "alt_text_ar": "\u200c\u200b"}, "المصدر"),
])
def test_the_photo_desk_cannot_empty_the_words_of_a_photo_a_published_story_shows(editor_client, emptied, lost):
    photo = make_photo(caption="جنازة في درعا", credit="عدسة سامر", alt_text="مشيعون في شارع")
    make_article(published=True, lead_photo=photo)

    refused = editor_client.post(change_url(photo), photo_form(editor_client, photo, **emptied))

    assert refused.status_code == 200
    assert lost in " ".join(refused.context["adminform"].form.non_field_errors())
    photo.refresh_from_db()
    assert (photo.caption_ar, photo.credit_ar, photo.alt_text_ar) == ("جنازة في درعا", "عدسة سامر", "مشيعون في شارع")


@pytest.mark.django_db
def test_a_photo_no_story_shows_may_lose_its_words_but_invisible_marks_are_stored_as_nothing(editor_client):
    photo = make_photo(credit="عدسة سامر")

    saved = editor_client.post(change_url(photo), photo_form(editor_client, photo, credit_ar="\u200f"))

    assert saved.status_code == 302
    photo.refresh_from_db()
    assert photo.credit_ar == "" and photo in listed(editor_client, "?credit=missing")
    assert photo.missing_for_publication() == ["المصدر"]


@pytest.mark.django_db
def test_a_drafts_lead_photo_box_cannot_empty_the_credit_of_a_photo_a_published_story_shows(editor_client):
    shared = make_photo(caption="جنازة في درعا", credit="عدسة سامر", alt_text="مشيعون")
    make_article("خبر منشور", published=True, lead_photo=shared)
    draft = make_article("مسودة", lead_photo=shared)
    url = reverse("admin:articles_article_change", args=[draft.pk])

    refused = editor_client.post(url, admin_form_data(editor_client, url, lead_photo_credit="", lead_photo_alt_text=""))

    assert refused.status_code == 200 and "المصدر" in str(refused.context["adminform"].form.errors)
    shared.refresh_from_db()
    assert (shared.credit_ar, shared.alt_text_ar) == ("عدسة سامر", "مشيعون")


@pytest.mark.django_db
def test_restoring_a_version_without_a_credit_onto_a_photo_a_published_story_shows_is_refused():
    from django.core.exceptions import ValidationError

    from articles.history import photo_restore

    photo, version = shown_photo_with_an_earlier_version({"credit": ""}, {"credit_ar": "عدسة سامر"})

    with pytest.raises(ValidationError):
        photo_restore(photo=photo, version=version, by=make_editor())
    photo.refresh_from_db()
    assert photo.credit_ar == "عدسة سامر"


@pytest.mark.django_db
def test_a_published_storys_lead_photo_cannot_be_swapped_for_one_without_a_credit(editor_client):
    story = make_article(published=True)
    uncredited = make_photo(caption="سوق الحميدية", credit="", alt_text="")
    url = reverse("admin:articles_article_change", args=[story.pk])

    refused = editor_client.post(url, admin_form_data(editor_client, url, lead_photo=str(uncredited.pk)))

    assert refused.status_code == 200
    error = " ".join(refused.context["adminform"].form.errors["lead_photo"])
    assert "المصدر" in error and "النص البديل" in error
    story.refresh_from_db()
    assert story.lead_photo_id != uncredited.pk
    # Typed in the lead photo box beside it, the same save goes through.
    saved = editor_client.post(url, admin_form_data(
        editor_client, url, lead_photo=str(uncredited.pk), lead_photo_credit="عدسة مايا", lead_photo_alt_text="دكاكين",
    ))
    assert saved.status_code == 302
    story.refresh_from_db()
    assert story.lead_photo_id == uncredited.pk


@pytest.mark.django_db
def test_a_photo_without_a_credit_cannot_be_placed_in_a_published_storys_body(editor_client):
    story = make_article(published=True)
    uncredited, credited = make_photo(credit=""), make_photo()
    url = reverse("admin:articles_article_change", args=[story.pk])
    body = '<p>نص الخبر الكامل.</p><figure data-photo-id="{}"></figure>'

    refused = editor_client.post(url, admin_form_data(editor_client, url, body_ar=body.format(uncredited.pk)))
    saved = editor_client.post(url, admin_form_data(editor_client, url, body_ar=body.format(credited.pk)))

    assert refused.status_code == 200 and "المصدر" in " ".join(refused.context["adminform"].form.errors["body_ar"])
    assert saved.status_code == 302
    story.refresh_from_db()
    assert story.inline_photo_ids() == [credited.pk]


@pytest.mark.django_db
def test_an_archived_story_that_never_met_the_checklist_can_still_be_corrected(editor_client):
    uncredited = make_photo(credit="", alt_text="")
    story = make_article(lead_photo=uncredited)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.PUBLISHED, published_at=timezone.now())
    url = reverse("admin:articles_article_change", args=[story.pk])

    saved = editor_client.post(url, admin_form_data(editor_client, url, headline_ar="عنوان مصحح"))

    assert saved.status_code == 302


@pytest.mark.django_db
def test_a_photo_without_a_caption_is_named_by_its_alt_text_or_number_never_its_file(editor_client):
    described, bare = make_photo(caption="", alt_text="حشد في ساحة"), make_photo(caption="", alt_text="")

    page = editor_client.get(change_url(bare)).text

    assert str(described) == "حشد في ساحة"
    assert str(bare) == f"الصورة {bare.pk}"
    title = page.split("<title>")[1].split("</title>")[0]
    assert f"الصورة {bare.pk}" in title and "photos/" not in title
