"""Photos stored before the upload intake: ``regenerate_renditions`` re-encodes their originals, which may still
carry the camera's GPS position and serial number, without touching what editors entered."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from articles.models import Photo
from articles.renditions import _names, picture, rendition_key
from tests import imagefiles

LEAKS = (imagefiles.CAMERA_SERIAL.encode(), b"Exif\x00\x00", b"xpacket", b"ICC_PROFILE", b"Samer")


def camera_jpeg(width=800, height=600):
    return imagefiles.jpeg_with(
        exif=imagefiles.exif_block(artist="Samer Ali", gps=True, serial=imagefiles.CAMERA_SERIAL),
        xmp=imagefiles.xmp_packet(caption="Protest in the square", credit="Samer Ali"),
        comment=f"Shot on {imagefiles.CAMERA_SERIAL}",
        icc_profile=imagefiles.srgb_profile_bytes("Samer's laptop"),
        image=imagefiles.noise(width, height),
    )


def legacy_photo(data, name="DSC_0042.jpg", **fields):
    """A photo as the admin stored it before the intake: the camera's file as it was, no source digest."""
    fields = {"caption_ar": "متظاهرون في الساحة", "credit_ar": "عدسة المحرر", "alt_text_ar": "حشد", **fields}
    photo = Photo(**fields)
    photo.image.save(name, ContentFile(data, name=name), save=False)
    photo.save()
    assert photo.source_digest == ""
    return photo


def read(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("regenerate_renditions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_regenerate_renditions_re_encodes_a_legacy_original_and_keeps_what_editors_entered(
    django_capture_on_commit_callbacks,
):
    photo = legacy_photo(camera_jpeg(), creator="مصور الجريدة", caption_en="Protesters in the square")
    old_name = photo.image.name
    assert imagefiles.CAMERA_SERIAL.encode() in read(old_name)

    with django_capture_on_commit_callbacks(execute=True):
        out, _err = run()
    assert "1 photos: 1 generated" in out
    assert "1 re-encoded without their metadata, 0 refused" in out

    photo.refresh_from_db()
    assert photo.image.name != old_name
    assert not default_storage.exists(old_name)
    data = read(photo.image.name)
    assert photo.source_digest == hashlib.sha256(data).hexdigest()
    assert not [leak for leak in LEAKS if leak in data]
    with Image.open(io.BytesIO(data)) as original:
        assert not original.getexif()
        assert not set(original.info) & {"exif", "xmp", "icc_profile", "comment"}
        assert (photo.width, photo.height) == original.size == (800, 600)
    # The editors' words stay; the file's own, no longer in it, are kept for them to see.
    assert (photo.caption_ar, photo.credit_ar, photo.alt_text_ar) == ("متظاهرون في الساحة", "عدسة المحرر", "حشد")
    assert (photo.caption_en, photo.creator) == ("Protesters in the square", "مصور الجريدة")
    assert photo.prefilled_fields == []
    assert photo.embedded_metadata["caption"] == {"value": "Protest in the square", "source": "XMP"}

    assert photo.renditions["key"] == rendition_key(photo)
    names = _names(photo.renditions)
    assert len(names) == 12  # six sizes for an 800x600 photo, in WebP and JPEG
    assert all(default_storage.exists(name) for name in names)
    assert picture(photo, "article").src.endswith(f"/{photo.renditions['key']}/article-720.jpg")


@pytest.mark.django_db
def test_re_encoding_keeps_metadata_the_row_already_holds_and_replaces_old_renditions(
    django_capture_on_commit_callbacks,
):
    photo = legacy_photo(camera_jpeg(), embedded_metadata={"credit": {"value": "وكالة", "source": "IPTC"}})
    with django_capture_on_commit_callbacks(execute=True):
        run("--keep-originals")
    old_renditions = _names(photo.refresh_from_db() or photo.renditions)
    assert old_renditions

    with django_capture_on_commit_callbacks(execute=True):
        run()
    photo.refresh_from_db()
    assert photo.source_digest
    assert photo.embedded_metadata == {"credit": {"value": "وكالة", "source": "IPTC"}}
    assert not any(default_storage.exists(name) for name in old_renditions)
    assert all(default_storage.exists(name) for name in _names(photo.renditions))


@pytest.mark.django_db
def test_keep_originals_leaves_the_legacy_file_but_warns_and_still_makes_clean_renditions():
    data = camera_jpeg()
    photo = legacy_photo(data)
    out, err = run("--keep-originals")
    assert "--keep-originals: 1 photos stored before the upload intake keep their original files" in err
    assert "re-encoded" not in out
    photo.refresh_from_db()
    assert read(photo.image.name) == data and photo.source_digest == ""
    for name in _names(photo.renditions):
        assert not [leak for leak in LEAKS if leak in read(name)], name
    # Readers get the renditions, not the file with the GPS position.
    assert "/renditions/" in picture(photo, "card").src


@pytest.mark.django_db
def test_a_legacy_original_the_intake_refuses_is_reported_and_the_walk_goes_on(django_capture_on_commit_callbacks):
    # A PNG saved under a .jpg name: the intake refuses it, but it is still a readable image.
    png = imagefiles.png_bytes(400, 300)
    refused = legacy_photo(png, name="scan.jpg")
    fine = legacy_photo(camera_jpeg())
    with django_capture_on_commit_callbacks(execute=True):
        out, err = run()
    assert "2 photos: 2 generated, 0 already up to date, 0 with a missing file, 0 failed." in out
    assert "1 re-encoded without their metadata, 1 refused" in out
    assert f"Photo {refused.pk}: the intake refuses '{refused.image.name}'" in err
    assert "(extension_mismatch: " in err
    refused.refresh_from_db()
    assert read(refused.image.name) == png and refused.source_digest == ""
    assert refused.renditions["key"] == rendition_key(refused)
    fine.refresh_from_db()
    assert fine.source_digest


@pytest.mark.django_db
def test_a_legacy_photo_whose_file_is_gone_is_reported_as_missing():
    photo = legacy_photo(camera_jpeg(200, 150))
    default_storage.delete(photo.image.name)
    out, err = run()
    assert "1 photos: 0 generated, 0 already up to date, 1 with a missing file, 0 failed." in out
    assert f"Photo {photo.pk}: file '{photo.image.name}' is missing" in err
