"""Photo uploads: what is accepted, what is refused and why, and that nothing the camera wrote is stored."""

import hashlib
import io
import sys
import time
import types
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import translation
from PIL import Image, ImageFile, PngImagePlugin

from articles import page_cache
from articles.intake import PhotoFileField, create_photo, prepare_upload
from articles.models import Photo
from tests import imagefiles as files

pytestmark = pytest.mark.django_db


class PhotoForm(forms.Form):
    image = PhotoFileField()


def form_error(name, data):
    """The English error a form shows for this upload, and its code."""
    form = PhotoForm(data={}, files={"image": files.upload(name, data)})
    with translation.override("en"):
        assert not form.is_valid()
        [error] = form.errors.as_data()["image"]
        [message] = form.errors["image"]
    return message, error.code


def stored_files(media_root):
    return [path for path in Path(media_root).rglob("*") if path.is_file()]


def reopen(prepared):
    return Image.open(io.BytesIO(prepared.content.open().read()))


# Accepted ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "stored_format"),
    [
        ("photo.jpg", files.jpeg_bytes, "JPEG"),
        ("photo.JPEG", files.jpeg_bytes, "JPEG"),
        ("photo.png", files.png_bytes, "PNG"),
        ("photo.webp", files.webp_bytes, "WEBP"),
    ],
)
def test_jpeg_png_and_webp_are_accepted_and_stored_in_their_own_format(name, build, stored_format):
    prepared = prepare_upload(files.upload(name, build(width=64, height=48)))

    im = reopen(prepared)
    assert (prepared.format, im.format, im.size) == (stored_format, stored_format, (64, 48))
    assert (prepared.width, prepared.height) == (64, 48)


def test_gif_is_accepted_as_its_first_frame_stored_as_png():
    prepared = prepare_upload(files.upload("animation.gif", files.gif_bytes(colors=((255, 0, 0), (0, 0, 255)))))

    im = reopen(prepared)
    assert prepared.format == im.format == "PNG"
    assert prepared.content.name.endswith(".png")
    assert getattr(im, "n_frames", 1) == 1
    assert im.convert("RGB").getpixel((5, 5)) == (255, 0, 0)


def test_stored_name_is_the_digest_and_never_the_uploaded_name():
    prepared = prepare_upload(files.upload("Ahmad's safe house, Homs.jpg", files.jpeg_bytes()))

    content = prepared.content.open().read()
    assert prepared.digest == hashlib.sha256(content).hexdigest()
    assert prepared.content.name == f"{prepared.digest[:16]}.jpg"


def test_photo_file_field_cleans_to_the_prepared_file():
    form = PhotoForm(data={}, files={"image": files.upload("photo.png", files.png_bytes())})

    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data["image"]
    assert cleaned.prepared.format == "PNG"
    assert cleaned is cleaned.prepared.content
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in str(form["image"])


# Refused, each with its own reason (as the form shows it) ---------------------------------------------------


def test_form_refuses_a_text_file_as_not_an_image():
    assert form_error("notes.txt", files.text_bytes()) == (
        "This file is not a JPEG, PNG, WebP or GIF image.", "not_image"
    )


def test_form_refuses_a_text_file_named_like_a_photo_as_not_an_image():
    assert form_error("photo.jpg", files.text_bytes()) == (
        "This file is not a JPEG, PNG, WebP or GIF image.", "not_image"
    )


def test_form_refuses_random_bytes_as_not_an_image():
    assert form_error("photo.jpg", files.corrupt_bytes()) == (
        "This file is not a JPEG, PNG, WebP or GIF image.", "not_image"
    )


@pytest.mark.parametrize("brand", [b"heic", b"mif1"])
def test_form_refuses_an_iphone_heic_photo_saying_how_to_export_it(brand):
    # The start of an HEIC file: an ISO media "ftyp" box naming its brand, then more boxes Pillow cannot read.
    heic = b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    message, code = form_error("IMG_0042.HEIC", heic)
    assert code == "heic" and "JPEG" in message


def test_form_refuses_an_empty_file():
    assert form_error("photo.jpg", files.empty_bytes()) == ("The file is empty.", "empty")


def test_prepare_upload_refuses_an_empty_file_too():
    with pytest.raises(ValidationError) as refused:
        prepare_upload(files.upload("photo.jpg", b""))
    assert refused.value.code == "empty"


def test_form_refuses_a_truncated_jpeg():
    assert form_error("photo.jpg", files.truncated_jpeg()) == (
        "The image is truncated or damaged and cannot be read. Export it again and upload the new file.",
        "corrupt",
    )


def test_form_refuses_a_png_with_damaged_pixel_data():
    assert form_error("photo.png", files.corrupt_png()) == (
        "The image is truncated or damaged and cannot be read. Export it again and upload the new file.",
        "corrupt",
    )


def test_form_refuses_svg_by_name():
    assert form_error("logo.svg", files.svg_bytes()) == (
        "SVG files are not accepted. Upload the photo as JPEG, PNG, WebP or GIF.", "svg"
    )


def test_form_refuses_svg_hiding_behind_a_png_name():
    assert form_error("logo.png", files.svg_bytes()) == (
        "SVG files are not accepted. Upload the photo as JPEG, PNG, WebP or GIF.", "svg"
    )


def test_form_refuses_png_bytes_named_jpg():
    assert form_error("photo.jpg", files.png_bytes()) == (
        "The file name ends in .jpg but the file holds a PNG image. Rename it or export it again.",
        "extension_mismatch",
    )


def test_form_refuses_webp_bytes_named_png():
    assert form_error("photo.png", files.webp_bytes()) == (
        "The file name ends in .png but the file holds a WebP image. Rename it or export it again.",
        "extension_mismatch",
    )


def test_form_refuses_a_photo_without_an_extension():
    assert form_error("photo", files.jpeg_bytes()) == (
        "The file name must end in .jpg, .jpeg, .png, .webp or .gif.", "unsupported_extension"
    )


def test_form_refuses_a_photo_with_an_unknown_extension():
    assert form_error("photo.exe", files.jpeg_bytes()) == (
        "The file name must end in .jpg, .jpeg, .png, .webp or .gif.", "unsupported_extension"
    )


def test_form_refuses_a_file_over_the_default_25_mb():
    assert form_error("photo.jpg", files.oversize_jpeg(26 * 2**20)) == (
        "This file is 26 MB; a photo may be at most 25 MB.", "too_large"
    )


def test_form_refuses_a_file_over_the_configured_byte_limit(settings):
    settings.NEWSROOM_PHOTO_MAX_BYTES = 2**20
    assert form_error("photo.jpg", files.oversize_jpeg(3 * 2**19)) == (
        "This file is 1.5 MB; a photo may be at most 1 MB.", "too_large"
    )
    assert PhotoForm(data={}, files={"image": files.upload("photo.jpg", files.oversize_jpeg(2**20))}).is_valid()


def test_form_refuses_an_image_over_the_configured_pixel_limit(settings):
    settings.NEWSROOM_PHOTO_MAX_PIXELS = 1_000_000
    assert form_error("photo.jpg", files.jpeg_bytes(width=1001, height=1000)) == (
        "The image is too large: a photo may have at most 1 megapixels.", "too_many_pixels"
    )
    assert PhotoForm(data={}, files={"image": files.upload("photo.jpg", files.jpeg_bytes(1000, 1000))}).is_valid()


def test_form_refuses_a_decompression_bomb():
    assert form_error("bomb.png", files.png_bomb(20000, 20000)) == (
        "The image is too large: a photo may have at most 60 megapixels.", "too_many_pixels"
    )


# Decompression bombs cost nothing -----------------------------------------------------------------------------


@pytest.fixture
def decodes(monkeypatch):
    """Every call to Pillow's pixel decoding, recorded."""
    calls = []
    original = ImageFile.ImageFile.load
    assert PngImagePlugin.PngImageFile.load is original  # the spy below sees PNG decoding

    def load(self):
        calls.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return calls


@pytest.mark.parametrize(
    "size",
    [
        (20000, 20000),  # over twice Pillow's own limit: Image.open raises DecompressionBombError
        (9000, 9000),  # 81 MP: under Pillow's limit, over the newsroom's 60 MP
    ],
)
def test_bomb_is_refused_from_its_header_without_decoding_a_pixel(decodes, size):
    bomb = files.png_bomb(*size)
    assert len(bomb) < 100_000
    prepare_upload(files.upload("small.png", files.png_bytes()))
    assert decodes, "the spy must see an ordinary upload being decoded"
    decodes.clear()

    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        prepare_upload(files.upload("bomb.png", bomb))

    assert refused.value.code == "too_many_pixels"
    assert decodes == []
    assert time.perf_counter() - started < 1  # decoding 81 MP or 400 MP would take seconds and gigabytes


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillow_bomb_warning_raised_as_an_error_is_the_same_refusal(settings):
    # 100 MP: Pillow warns (and, with warnings as errors, raises) before the newsroom's own check runs.
    settings.NEWSROOM_PHOTO_MAX_PIXELS = 200_000_000
    with pytest.raises(ValidationError) as refused:
        prepare_upload(files.upload("bomb.png", files.png_bomb(10000, 10000)))
    assert refused.value.code == "too_many_pixels"


# Nothing the camera wrote reaches storage ---------------------------------------------------------------------


def assert_carries_no_metadata(data):
    assert files.CAMERA_SERIAL.encode() not in data
    for marker in (b"Exif", b"GPS", b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"8BIM", b"Canon", b"Lightroom"):
        assert marker not in data, marker
    im = Image.open(io.BytesIO(data))
    assert len(im.getexif()) == 0
    assert not {"exif", "xmp", "photoshop", "comment", "icc_profile", "XML:com.adobe.xmp"} & set(im.info)


def test_upload_strips_gps_serial_xmp_iptc_and_comments():
    source = files.jpeg_with_everything()
    for marker in (b"Exif", files.CAMERA_SERIAL.encode(), b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"8BIM"):
        assert marker in source
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)[2] == files.GPS_SECRET

    prepared = prepare_upload(files.upload("photo.jpg", source))

    assert_carries_no_metadata(prepared.content.open().read())


@pytest.mark.parametrize(("name", "build"), [("photo.png", files.png_with), ("photo.webp", files.webp_with)])
def test_png_and_webp_lose_their_exif_and_xmp_too(name, build):
    source = build(exif=files.exif_block(gps=True, serial=files.CAMERA_SERIAL), xmp=files.xmp_packet(caption="x"))
    assert files.CAMERA_SERIAL.encode() in source
    assert_carries_no_metadata(prepare_upload(files.upload(name, source)).content.open().read())


def test_colour_profile_naming_a_person_is_dropped_and_colours_kept():
    profile = files.srgb_profile_bytes("Ahmad laptop")
    source = files.jpeg_with(icc_profile=profile, image=files.picture(color=(200, 30, 30)))
    assert "Ahmad laptop".encode("utf-16-be") in source

    prepared = prepare_upload(files.upload("photo.jpg", source))

    data = prepared.content.open().read()
    assert "Ahmad laptop".encode("utf-16-be") not in data
    assert b"ICC_PROFILE" not in data
    red, green, blue = reopen(prepared).getpixel((10, 10))
    assert red > 185 and green < 45 and blue < 45


def test_every_file_stored_by_create_photo_is_free_of_metadata(media_in_tmp, django_capture_on_commit_callbacks):
    # Renditions (when that module is present) are stored files too: they are checked as well.
    with django_capture_on_commit_callbacks(execute=True):
        photo = create_photo(file=files.upload("photo.jpg", files.jpeg_with_everything()))

    stored = stored_files(media_in_tmp)
    assert photo.image.path in {str(path) for path in stored}
    for path in stored:
        assert_carries_no_metadata(path.read_bytes())


# Orientation and colour modes --------------------------------------------------------------------------------


def is_red(pixel):
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


def is_blue(pixel):
    return pixel[2] > 200 and pixel[0] < 60 and pixel[1] < 60


@pytest.mark.parametrize(
    ("orientation", "size", "red_at", "blue_at"),
    [
        (6, (40, 60), (20, 5), (20, 55)),  # turned clockwise: the left half goes to the top
        (8, (40, 60), (20, 55), (20, 5)),  # turned anticlockwise: the left half goes to the bottom
        (3, (60, 40), (55, 20), (5, 20)),  # upside down: left and right swap
        (1, (60, 40), (5, 20), (55, 20)),
    ],
)
def test_exif_orientation_is_applied_to_the_pixels(orientation, size, red_at, blue_at):
    prepared = prepare_upload(files.upload("photo.jpg", files.jpeg_turned(orientation)))

    im = reopen(prepared)
    assert im.size == (prepared.width, prepared.height) == size
    assert is_red(im.getpixel(red_at)) and is_blue(im.getpixel(blue_at))
    assert 0x0112 not in im.getexif()


def test_cmyk_jpeg_is_stored_as_rgb():
    prepared = prepare_upload(files.upload("print.jpg", files.cmyk_jpeg()))

    im = reopen(prepared)
    assert im.mode == "RGB"
    assert is_red(im.getpixel((5, 5)))


def test_palette_png_keeps_its_transparency_as_alpha():
    prepared = prepare_upload(files.upload("map.png", files.palette_png_with_transparency()))

    im = reopen(prepared)
    assert im.mode == "RGBA"
    assert im.getpixel((5, 5))[3] == 0
    assert im.getpixel((35, 5)) == (200, 30, 30, 255)


def test_sixteen_bit_greyscale_png_is_scaled_not_clipped():
    source = files.encode(Image.new("I;16", (20, 10), 40000), "PNG")

    im = reopen(prepare_upload(files.upload("scan.png", source)))

    assert im.mode == "L"
    assert im.getpixel((3, 3)) == 40000 // 256


def test_greyscale_with_alpha_stays_greyscale_with_alpha():
    im = reopen(prepare_upload(files.upload("logo.png", files.png_bytes(mode="LA", color=(90, 128)))))
    assert (im.mode, im.getpixel((1, 1))) == ("LA", (90, 128))


# create_photo ---------------------------------------------------------------------------------------------


def test_create_photo_stores_the_file_and_its_metadata(media_in_tmp, django_user_model):
    user = django_user_model.objects.create_user("photo-desk")
    source = files.jpeg_with(xmp=files.xmp_packet(caption="متظاهرون في الساحة", credit="عدسة سامر العلي"))
    photo = create_photo(file=files.upload("photo.jpg", source), uploaded_by=user, alt_text_ar="حشد في ساحة")

    photo = Photo.objects.get(pk=photo.pk)
    assert photo.uploaded_by == user
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(".jpg")
    assert (photo.width, photo.height) == (64, 48)
    assert photo.source_digest == hashlib.sha256(Path(photo.image.path).read_bytes()).hexdigest()
    assert photo.caption_ar == "متظاهرون في الساحة"
    assert photo.credit_ar == "عدسة سامر العلي"
    assert photo.alt_text_ar == "حشد في ساحة"
    assert photo.embedded_metadata["credit"] == {"value": "عدسة سامر العلي", "source": "XMP"}
    assert sorted(photo.prefilled_fields) == ["caption_ar", "credit_ar"]


def test_create_photo_schedules_renditions_only_after_commit(monkeypatch, django_capture_on_commit_callbacks):
    generated = []
    fake = types.ModuleType("articles.renditions")
    fake.ensure_renditions = generated.append
    monkeypatch.setitem(sys.modules, "articles.renditions", fake)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        photo = create_photo(file=files.upload("photo.jpg", files.jpeg_bytes()))
        assert generated == []

    # Besides the page cache's new generation (articles/signals.py), one callback: the renditions.
    assert len([callback for callback in callbacks if callback is not page_cache.new_generation]) == 1
    assert generated == [photo]


def test_create_photo_reuses_a_file_the_form_already_prepared(monkeypatch):
    form = PhotoForm(data={}, files={"image": files.upload("photo.png", files.png_bytes())})
    assert form.is_valid()
    monkeypatch.setattr("articles.intake.prepare_upload", lambda *args: pytest.fail("prepared twice"))

    photo = create_photo(file=form.cleaned_data["image"])

    assert photo.source_digest == form.cleaned_data["image"].prepared.digest


def test_create_photo_with_invalid_fields_leaves_no_file_and_no_row(media_in_tmp):
    with pytest.raises(ValidationError) as refused:
        create_photo(file=files.upload("photo.jpg", files.jpeg_bytes()), credit_ar="ع" * 201)

    assert "credit_ar" in refused.value.message_dict
    assert Photo.objects.count() == 0
    assert stored_files(media_in_tmp) == []


def test_create_photo_with_a_bad_file_leaves_no_file_and_no_row(media_in_tmp):
    with pytest.raises(ValidationError):
        create_photo(file=files.upload("photo.jpg", files.truncated_jpeg()), caption_ar="صورة")

    assert Photo.objects.count() == 0
    assert stored_files(media_in_tmp) == []


def test_create_photo_deletes_the_written_file_when_the_save_fails(media_in_tmp, monkeypatch):
    original_save = Photo.save

    def save_then_fail(self, *args, **kwargs):
        original_save(self, *args, **kwargs)
        assert stored_files(media_in_tmp), "the file was written before the failure"
        raise DatabaseError("the database went away")

    monkeypatch.setattr(Photo, "save", save_then_fail)

    with pytest.raises(DatabaseError):
        create_photo(file=files.upload("photo.jpg", files.jpeg_bytes()))

    assert Photo.objects.count() == 0
    assert stored_files(media_in_tmp) == []
