"""A media storage that refuses to write (issue 7, point 7): an upload through the admin's add form or the batch
upload gets a form error with the reason, and leaves neither a row nor a file. The fault is real, not a mock:
MEDIA_ROOT lies under a plain file, so every mkdir and open fails with NotADirectoryError (tests run as root,
for whom a read-only folder would still be writable)."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save

from articles.intake import MESSAGES, create_photo
from articles.models import Photo
from tests.factories import image_upload, make_editor

PHOTO_ADD = "/admin/articles/photo/add/"
UPLOAD = "/admin/articles/photo/upload/"


@pytest.fixture
def unwritable_media(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    settings.MEDIA_ROOT = blocker / "media"
    return tmp_path


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_editor())
    return client


def files_in(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def row_save_fails(settings, tmp_path):
    """An OSError from saving the row, after the file was written: not the storage's, so not called so."""
    settings.MEDIA_ROOT = tmp_path

    def fail(**kwargs):
        raise OSError("not the storage")

    pre_save.connect(fail, sender=Photo, dispatch_uid="row_save_fails")
    yield tmp_path
    pre_save.disconnect(sender=Photo, dispatch_uid="row_save_fails")


def test_create_photo_leaves_an_error_outside_the_storage_as_it_is_and_removes_the_file(db, row_save_fails):
    with pytest.raises(OSError, match="not the storage"):
        create_photo(file=image_upload("street.jpg"), caption_ar="شارع")

    assert not Photo.objects.exists()
    assert files_in(row_save_fails) == []


def test_admin_add_form_leaves_an_error_outside_the_storage_as_it_is_and_removes_the_file(
    editor_client, row_save_fails,
):
    with pytest.raises(OSError, match="not the storage"):
        editor_client.post(PHOTO_ADD, {"image": image_upload("street.jpg"), "caption_ar": "شارع"})

    assert not Photo.objects.exists()
    assert files_in(row_save_fails) == []


def test_create_photo_turns_a_storage_failure_into_a_refusal_with_a_reason(db, unwritable_media):
    with pytest.raises(ValidationError) as refused:
        create_photo(file=image_upload("street.jpg"), caption_ar="شارع")

    assert refused.value.code == "storage"
    assert not Photo.objects.exists()
    assert files_in(unwritable_media) == ["not-a-folder"]


def test_admin_add_form_shows_the_storage_failure_on_the_image_field(editor_client, unwritable_media):
    response = editor_client.post(PHOTO_ADD, {"image": image_upload("street.jpg"), "caption_ar": "شارع"})

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["image"] == [str(MESSAGES["storage"])]
    assert "تعذّر حفظ الصورة" in response.content.decode()
    # What the editor typed is still in the form; nothing is stored.
    assert form["caption_ar"].value() == "شارع"
    assert not Photo.objects.exists()
    assert files_in(unwritable_media) == ["not-a-folder"]


def test_batch_upload_names_each_file_the_storage_refused(editor_client, unwritable_media):
    response = editor_client.post(UPLOAD, {"images": [image_upload("a.jpg"), image_upload("b.jpg")]})

    assert response.status_code == 200
    refused = dict(response.context["refused"])
    assert refused == {"a.jpg": [str(MESSAGES["storage"])], "b.jpg": [str(MESSAGES["storage"])]}
    assert "تعذّر حفظ الصورة" in response.content.decode()
    assert not Photo.objects.exists()
    assert files_in(unwritable_media) == ["not-a-folder"]
