"""Uploading photos through the admin: one at a time, several at once, hostile files, metadata from the file."""

import os
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

from articles.admin import PhotoAdmin
from articles.models import Photo
from tests import imagefiles
from tests.factories import make_editor, make_person, make_photo

PHOTO_ADD = "/admin/articles/photo/add/"
UPLOAD = "/admin/articles/photo/upload/"
CHANGELIST = "/admin/articles/photo/"

# name, file name, builder, settings to apply, the refusal's code
HOSTILE = [
    ("not an image", "notes.jpg", imagefiles.text_bytes, {}, "not_image"),
    ("empty file", "empty.jpg", imagefiles.empty_bytes, {}, "empty"),
    ("truncated jpeg", "cut.jpg", imagefiles.truncated_jpeg, {}, "corrupt"),
    ("corrupt bytes", "noise.jpg", imagefiles.corrupt_bytes, {}, "not_image"),
    ("corrupt png", "broken.png", imagefiles.corrupt_png, {}, "corrupt"),
    ("palette transparency past the palette", "trns.png", imagefiles.png_with_overlong_transparency, {}, "corrupt"),
    ("svg", "drawing.svg", imagefiles.svg_bytes, {}, "svg"),
    ("svg named .jpg", "drawing.jpg", imagefiles.svg_bytes, {}, "svg"),
    ("png named .jpg", "photo.jpg", imagefiles.png_bytes, {}, "extension_mismatch"),
    ("over the byte limit", "big.jpg", lambda: imagefiles.oversize_jpeg(20_000),
     {"NEWSROOM_PHOTO_MAX_BYTES": 10_000}, "too_large"),
    ("over the pixel limit", "wide.jpg", lambda: imagefiles.jpeg_bytes(64, 48),
     {"NEWSROOM_PHOTO_MAX_PIXELS": 1_000}, "too_many_pixels"),
    ("decompression bomb", "bomb.png", imagefiles.png_bomb, {}, "too_many_pixels"),
]
HOSTILE_IDS = [case[0] for case in HOSTILE]


def files_under(folder):
    return sorted(os.path.join(root, name) for root, _dirs, names in os.walk(folder) for name in names)


def jpeg_upload(name="photo.jpg", **kwargs):
    return imagefiles.upload(name, imagefiles.jpeg_bytes(**kwargs), "image/jpeg")


def gps_jpeg():
    return imagefiles.jpeg_with_everything()


def assert_no_metadata_in(path):
    data = open(path, "rb").read()
    assert imagefiles.CAMERA_SERIAL.encode() not in data, path
    assert b"Exif\x00\x00" not in data and b"http://ns.adobe.com/xap/" not in data, path
    assert b"Photoshop 3.0" not in data, path
    with Image.open(path) as im:
        assert not im.getexif(), path
        assert not {"exif", "xmp", "photoshop", "icc_profile"} & set(im.info), path


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def staff_with(*codenames, username="staff"):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=username, password="a-long-demo-password", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
    return user


def messages_of(response):
    """The messages a (not followed) response queued for the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


# One photo through the add form


@pytest.mark.parametrize(("case", "name", "build", "overrides", "code"), HOSTILE, ids=HOSTILE_IDS)
@pytest.mark.django_db
def test_add_form_refuses_hostile_file_and_stores_nothing(
    editor_client, settings, media_in_tmp, case, name, build, overrides, code
):
    for setting, value in overrides.items():
        setattr(settings, setting, value)

    response = editor_client.post(
        PHOTO_ADD,
        {"image": imagefiles.upload(name, build()), "caption_ar": "صورة مريبة", "credit_ar": "مجهول"},
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert [error.code for error in form.errors.as_data()["image"]] == [code]
    assert escape(form.errors["image"][0]) in response.content.decode()
    assert not Photo.objects.exists()
    assert files_under(media_in_tmp) == []


@pytest.mark.django_db
def test_add_form_stores_gps_jpeg_without_any_metadata_in_any_file(
    editor_client, media_in_tmp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(PHOTO_ADD, {"image": imagefiles.upload("dsc0001.jpg", gps_jpeg())})

    assert response.status_code == 302
    photo = Photo.objects.get()
    stored = files_under(media_in_tmp)
    # The original and at least one WebP and one JPEG rendition.
    assert len(stored) > 3 and any(path.endswith(".webp") for path in stored)
    for path in stored:
        assert_no_metadata_in(path)
    assert "dsc0001" not in photo.image.name


@pytest.mark.django_db
def test_add_form_prefills_empty_fields_from_the_file_and_says_so(editor_client):
    response = editor_client.post(
        PHOTO_ADD,
        {"image": imagefiles.upload("dsc0001.jpg", gps_jpeg()), "caption_ar": "تعليق كتبه المحرر"},
    )

    photo = Photo.objects.get()
    # What the editor typed stays; the empty fields come from the file (XMP before IPTC before EXIF).
    assert photo.caption_ar == "تعليق كتبه المحرر"
    assert photo.credit_ar == "عدسة سامر العلي"
    assert photo.creator == "سامر العلي"
    assert photo.copyright_notice == "Samer Ali"
    assert photo.taken_at is not None and photo.taken_at.year == 2024
    assert set(photo.prefilled_fields) == {"credit_ar", "creator", "copyright_notice", "taken_at"}
    prefix = gettext("Filled from the file: %(fields)s.").split("%")[0]
    [filled] = [message for message in messages_of(response) if message.startswith(prefix)]
    for name in ("credit", "creator", "copyright_notice", "taken_at"):
        assert str(Photo._meta.get_field(name).verbose_name) in filled
    assert str(Photo._meta.get_field("caption").verbose_name) not in filled.removeprefix(prefix)


@pytest.mark.django_db
def test_photo_page_shows_what_the_file_said_its_source_and_what_it_filled(editor_client):
    editor_client.post(PHOTO_ADD, {"image": imagefiles.upload("dsc0001.jpg", gps_jpeg()), "caption_ar": "مكتوب"})
    photo = Photo.objects.get()

    html = editor_client.get(reverse("admin:articles_photo_change", args=[photo.pk])).content.decode()

    panel = html[html.index('class="photo-file-metadata"'):html.index("</table>", html.index("photo-file-metadata"))]
    rows = dict(re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', panel))
    caption_row = rows[str(Photo._meta.get_field("caption").verbose_name)]
    credit_row = rows[str(Photo._meta.get_field("credit").verbose_name)]
    assert "متظاهرون في الساحة" in caption_row and ">XMP<" in caption_row
    assert caption_row.endswith('class="prefilled"></td>')  # the editor typed a caption: not filled from the file
    assert "عدسة سامر العلي" in credit_row and ">XMP<" in credit_row
    assert not credit_row.endswith('class="prefilled"></td>')
    assert ">EXIF<" in rows[str(Photo._meta.get_field("copyright_notice").verbose_name)]


@pytest.mark.django_db
def test_add_form_schedules_renditions_after_commit(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        editor_client.post(PHOTO_ADD, {"image": jpeg_upload(width=800, height=600)})
    assert Photo.objects.get().renditions == {}

    for callback in callbacks:
        callback()

    photo = Photo.objects.get()
    assert set(photo.renditions["sizes"]) >= {"thumbnail", "card", "article", "hero", "social"}


@pytest.mark.django_db
def test_a_failure_after_the_file_is_written_leaves_no_row_and_no_file(editor_client, media_in_tmp, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the admin log is down")

    monkeypatch.setattr(PhotoAdmin, "log_addition", fail)

    with pytest.raises(RuntimeError):
        editor_client.post(PHOTO_ADD, {"image": jpeg_upload()})

    assert not Photo.objects.exists()
    assert files_under(media_in_tmp) == []


@pytest.mark.django_db
def test_replacing_the_image_deletes_the_old_file_after_commit_and_renews_renditions(
    editor_client, media_in_tmp, django_capture_on_commit_callbacks
):
    from articles.renditions import ensure_renditions
    from tests.test_admin_flow import admin_form_data

    photo = make_photo()
    ensure_renditions(photo)
    old_image, old_key = photo.image.path, photo.renditions["key"]
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    data = admin_form_data(editor_client, url, image=jpeg_upload("new.jpg", width=300, height=200, color=(0, 90, 0)))

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (300, 200)
    assert not os.path.exists(old_image)
    assert os.path.exists(photo.image.path)
    assert photo.renditions["key"] != old_key
    assert not any(f"/{old_key}/" in path for path in files_under(media_in_tmp))


@pytest.mark.django_db
def test_saving_without_a_new_file_keeps_the_image(editor_client, media_in_tmp):
    from tests.test_admin_flow import admin_form_data

    photo = make_photo()
    url = reverse("admin:articles_photo_change", args=[photo.pk])

    response = editor_client.post(url, admin_form_data(editor_client, url, caption_ar="تعليق جديد"))

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption_ar == "تعليق جديد"
    assert os.path.exists(photo.image.path)


# Several photos at once


@pytest.mark.django_db
def test_photo_list_offers_the_upload_button_to_those_who_may_add(client):
    client.force_login(make_editor())
    assert f'href="{UPLOAD}"' in client.get(CHANGELIST).content.decode()

    client.force_login(staff_with("view_photo", username="viewer"))
    assert f'href="{UPLOAD}"' not in client.get(CHANGELIST).content.decode()


@pytest.mark.django_db
def test_upload_page_offers_a_multiple_file_input_for_web_image_types(editor_client):
    html = editor_client.get(UPLOAD).content.decode()

    [tag] = [part for part in html.split("<input")[1:] if 'name="images"' in part]
    assert 'type="file"' in tag and " multiple" in tag
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in tag
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.django_db
def test_upload_view_needs_the_add_photo_permission(client, media_in_tmp):
    client.force_login(staff_with("view_photo", "change_photo"))

    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"images": [jpeg_upload()]}).status_code == 403
    assert not Photo.objects.exists()
    assert files_under(media_in_tmp) == []


@pytest.mark.django_db
def test_upload_view_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(UPLOAD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_upload_stores_several_photos_with_the_shared_credit_photographer_and_flag(
    editor_client, django_capture_on_commit_callbacks
):
    photographer = make_person("رامي السيد", role="photographer")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            UPLOAD,
            {
                "images": [jpeg_upload("a.jpg"), imagefiles.upload("b.png", imagefiles.png_bytes()),
                           imagefiles.upload("c.webp", imagefiles.webp_bytes())],
                "credit": "وكالة الأنباء المحلية", "credit_person": str(photographer.pk), "is_sensitive": "on",
            },
        )

    photos = list(Photo.objects.order_by("pk"))
    assert len(photos) == 3
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST + "?id__in=" + ",".join(str(photo.pk) for photo in photos)
    editor = photos[0].uploaded_by
    for photo in photos:
        assert (photo.credit_ar, photo.credit_person) == ("وكالة الأنباء المحلية", photographer)
        assert photo.is_sensitive
        assert photo.uploaded_by == editor and editor is not None
        assert photo.renditions.get("sizes")
    listing = editor_client.get(response["Location"])
    assert set(listing.context["cl"].result_list) == set(photos)


@pytest.mark.django_db
def test_upload_without_a_shared_credit_takes_each_files_own(editor_client):
    editor_client.post(UPLOAD, {"images": [imagefiles.upload("dsc.jpg", gps_jpeg()), jpeg_upload("plain.jpg")]})

    from_file, plain = Photo.objects.order_by("pk")
    assert from_file.credit_ar == "عدسة سامر العلي" and "credit_ar" in from_file.prefilled_fields
    assert plain.credit_ar == "" and plain.prefilled_fields == []


@pytest.mark.parametrize(("case", "name", "build", "overrides", "code"), HOSTILE, ids=HOSTILE_IDS)
@pytest.mark.django_db
def test_upload_view_refuses_hostile_file_and_stores_nothing(
    editor_client, settings, media_in_tmp, case, name, build, overrides, code
):
    for setting, value in overrides.items():
        setattr(settings, setting, value)

    response = editor_client.post(UPLOAD, {"images": [imagefiles.upload(name, build())]})

    assert response.status_code == 200
    [(refused_name, reasons)] = response.context["refused"]
    assert refused_name == name and reasons
    html = response.content.decode()
    assert escape(name) in html and escape(reasons[0]) in html
    assert not Photo.objects.exists()
    assert files_under(media_in_tmp) == []


@pytest.mark.django_db
def test_upload_keeps_the_good_files_and_names_each_bad_one_with_its_reason(
    editor_client, media_in_tmp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            UPLOAD,
            {"images": [
                jpeg_upload("good-1.jpg"), imagefiles.upload("notes.jpg", imagefiles.text_bytes()),
                imagefiles.upload("dsc.jpg", gps_jpeg()), imagefiles.upload("drawing.svg", imagefiles.svg_bytes()),
                imagefiles.upload("trns.png", imagefiles.png_with_overlong_transparency()),
            ]},
        )

    photos = list(Photo.objects.all())
    assert len(photos) == 2
    messages = messages_of(response)
    assert any("notes.jpg" in message for message in messages)
    assert any("drawing.svg" in message for message in messages)
    assert any("trns.png" in message for message in messages)
    assert not any("good-1.jpg" in message for message in messages)
    # Only the two stored photos' originals and renditions are on disk, none of them carrying metadata.
    stored = files_under(media_in_tmp)
    assert {os.path.basename(photo.image.name) for photo in photos} <= {os.path.basename(path) for path in stored}
    for path in stored:
        assert_no_metadata_in(path)
        assert any(f"/renditions/{photo.pk}/" in path or path.endswith(photo.image.name) for photo in photos)


@pytest.mark.django_db
def test_upload_view_refuses_more_files_than_the_limit_at_once(editor_client, media_in_tmp):
    from articles.photo_admin import MAX_FILES_PER_UPLOAD

    files = [jpeg_upload(f"p{number}.jpg") for number in range(MAX_FILES_PER_UPLOAD + 1)]

    response = editor_client.post(UPLOAD, {"images": files})

    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["images"]
    assert error.code == "too_many_files"
    assert escape(response.context["form"].errors["images"][0]) in response.content.decode()
    assert not Photo.objects.exists()
    assert files_under(media_in_tmp) == []


@pytest.mark.django_db
def test_upload_view_without_files_asks_for_them(editor_client):
    response = editor_client.post(UPLOAD, {"credit": "وكالة"})

    assert response.status_code == 200
    assert response.context["form"].errors["images"]
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_upload_view_survives_a_forged_photographer_id(editor_client, media_in_tmp):
    response = editor_client.post(UPLOAD, {"images": [jpeg_upload()], "credit_person": "1 OR 1=1"})

    assert response.status_code == 200
    assert response.context["form"].errors["credit_person"]
    assert not Photo.objects.exists()
    assert files_under(media_in_tmp) == []


@pytest.mark.django_db
def test_upload_view_refuses_an_overlong_shared_credit(editor_client, media_in_tmp):
    response = editor_client.post(UPLOAD, {"images": [jpeg_upload()], "credit": "ع" * 201})

    assert response.status_code == 200
    assert response.context["form"].errors["credit"]
    assert files_under(media_in_tmp) == []


@pytest.mark.parametrize("forged", ["99999999999999999999", "-1", "1e3", "٣"])
@pytest.mark.django_db
def test_forged_photographer_id_on_batch_upload_is_a_form_error_not_a_crash(client, forged):
    client.force_login(make_editor())
    response = client.post(UPLOAD, {"images": [jpeg_upload()], "credit_person": forged})
    assert response.status_code == 200
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_credit_in_the_file_fills_the_source_language_even_from_the_english_admin(client):
    client.force_login(make_editor())
    data = imagefiles.jpeg_with(xmp=imagefiles.xmp_packet(caption="متظاهرون في حمص", credit="رويترز"))
    response = client.post("/en" + UPLOAD, {"images": [imagefiles.upload("a.jpg", data, "image/jpeg")]})
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.credit_ar, photo.caption_ar) == ("رويترز", "متظاهرون في حمص")
    assert not photo.credit_en

