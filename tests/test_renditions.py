import hashlib
import io
import re
import time
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.template import Context, Template
from PIL import Image, ImageDraw

from articles import renditions
from articles.models import Photo
from articles.renditions import (
    crop_box,
    delete_photo_files,
    ensure_renditions,
    picture,
    plan,
    rendition_key,
    rendition_name,
    social_image,
    thumbnail_url,
)
from tests import imagefiles
from tests.concurrency import run_at_once
from tests.factories import make_article

RED, GREEN, BLUE, YELLOW = (220, 20, 20), (20, 200, 20), (20, 20, 220), (230, 220, 20)


def jpeg(width, height, color=(120, 130, 140), fmt="JPEG", **options):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, fmt, **options)
    return buffer.getvalue()


def quadrants(width, height):
    """Red top-left, green top-right, blue bottom-left, yellow bottom-right."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    half_w, half_h = width // 2, height // 2
    draw.rectangle((0, 0, half_w - 1, half_h - 1), fill=RED)
    draw.rectangle((half_w, 0, width, half_h - 1), fill=GREEN)
    draw.rectangle((0, half_h, half_w - 1, height), fill=BLUE)
    draw.rectangle((half_w, half_h, width, height), fill=YELLOW)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def photo_from(data, name="source.jpg", **fields):
    photo = Photo(caption_ar="سوق الحميدية", credit_ar="عدسة ليلى حسن", alt_text_ar="باعة في السوق", **fields)
    # A named ContentFile: ImageField reads the dimensions from the content it is given, and skips a nameless one.
    photo.image.save(name, ContentFile(data, name=name), save=False)
    photo.source_digest = hashlib.sha256(data).hexdigest()
    photo.save()
    return photo


def stored(folder=""):
    """Every file name in default storage under a folder, through the storage API alone."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return set()
    prefix = f"{folder}/" if folder else ""
    names = {prefix + name for name in files}
    for sub in folders:
        names |= stored(prefix + sub)
    return names


def open_stored(name):
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def close_to(pixel, color, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, color, strict=True))


def entries(photo, size):
    return photo.renditions["sizes"][size]


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html):
    parser = Tags()
    parser.feed(html)
    return parser.tags


# Crops


def test_crop_box_centres_on_the_focal_point_and_stays_inside_the_image():
    assert crop_box(1200, 400, (1, 1), 50, 50) == (400, 0, 800, 400)
    assert crop_box(1200, 400, (1, 1), 0, 0) == (0, 0, 400, 400)
    assert crop_box(1200, 400, (1, 1), 100, 100) == (800, 0, 1200, 400)
    assert crop_box(1200, 400, (1, 1), 25, 50) == (100, 0, 500, 400)
    assert crop_box(1600, 1600, (16, 9), 50, 100) == (0, 700, 1600, 1600)
    assert crop_box(1600, 1000, None, 10, 10) == (0, 0, 1600, 1000)


@pytest.mark.django_db
def test_square_thumbnail_follows_a_focal_point_in_a_corner():
    top_left = photo_from(quadrants(1200, 400), focal_x=0, focal_y=0)
    ensure_renditions(top_left)
    thumbnail = open_stored(entries(top_left, "thumbnail")[0]["jpeg"])
    assert thumbnail.size == (240, 240)
    for x in (10, 120, 230):
        assert close_to(thumbnail.getpixel((x, 10)), RED)
        assert close_to(thumbnail.getpixel((x, 230)), BLUE)

    bottom_right = photo_from(quadrants(1200, 400), focal_x=100, focal_y=100)
    ensure_renditions(bottom_right)
    thumbnail = open_stored(entries(bottom_right, "thumbnail")[0]["webp"])
    for x in (10, 120, 230):
        assert close_to(thumbnail.getpixel((x, 10)), GREEN)
        assert close_to(thumbnail.getpixel((x, 230)), YELLOW)


@pytest.mark.django_db
def test_wide_crops_of_a_portrait_photo_follow_a_focal_point_at_the_bottom():
    photo = photo_from(quadrants(800, 1600), focal_x=50, focal_y=100)
    ensure_renditions(photo)
    for size in ("card", "hero", "social"):
        for entry in entries(photo, size):
            image = open_stored(entry["jpeg"])
            width, height = image.size
            # Only the bottom quadrants: blue on the left, yellow on the right, top to bottom.
            for y in (2, height // 2, height - 3):
                assert close_to(image.getpixel((width // 8, y)), BLUE), (size, y)
                assert close_to(image.getpixel((width - width // 8, y)), YELLOW), (size, y)


# Files and names


@pytest.mark.django_db
def test_every_size_is_stored_in_webp_and_jpeg_under_deterministic_names():
    photo = photo_from(jpeg(2400, 1600), focal_x=40, focal_y=30)
    assert ensure_renditions(photo) is True
    key = rendition_key(photo)
    assert photo.renditions["key"] == key
    expected = {
        "thumbnail": [(240, 240)],
        "card": [(400, 225), (800, 450)],
        "article": [(720, 480), (1440, 960)],
        "hero": [(960, 480), (1920, 960)],
        "social": [(1200, 630)],
    }
    assert {size: [(e["width"], e["height"]) for e in items] for size, items in photo.renditions["sizes"].items()} \
        == expected
    names = set()
    for size, items in photo.renditions["sizes"].items():
        for entry in items:
            for fmt, extension, pillow_format in (("webp", "webp", "WEBP"), ("jpeg", "jpg", "JPEG")):
                name = entry[fmt]
                assert name == f"renditions/{photo.pk}/{key}/{size}-{entry['width']}.{extension}"
                image = open_stored(name)
                assert image.format == pillow_format
                assert image.size == (entry["width"], entry["height"])
                names.add(name)
    assert stored("renditions") == names
    photo.refresh_from_db()
    assert photo.renditions["key"] == key


@pytest.mark.django_db
def test_small_photo_is_never_enlarged_except_for_the_exact_social_card():
    photo = photo_from(jpeg(500, 300))
    ensure_renditions(photo)
    widths = {size: [e["width"] for e in items] for size, items in photo.renditions["sizes"].items()}
    # Card: 400, plus the photo's own width; article: only its own width; hero crop is 500x250.
    assert widths == {"thumbnail": [240], "card": [400, 500], "article": [500], "hero": [500], "social": [1200]}
    assert open_stored(entries(photo, "article")[0]["jpeg"]).size == (500, 300)
    assert open_stored(entries(photo, "social")[0]["jpeg"]).size == (1200, 630)


@pytest.mark.django_db
def test_ensure_renditions_does_nothing_when_they_match_the_current_key(monkeypatch):
    photo = photo_from(jpeg(900, 600))
    assert ensure_renditions(photo) is True
    calls = []
    monkeypatch.setattr(renditions, "_generate", lambda *args: calls.append(args))
    assert ensure_renditions(photo) is False
    assert ensure_renditions(Photo.objects.get(pk=photo.pk)) is False
    assert calls == []


@pytest.mark.django_db
def test_new_focal_point_gives_new_names_and_removes_the_old_files(django_capture_on_commit_callbacks):
    photo = photo_from(jpeg(900, 600))
    ensure_renditions(photo)
    old_key, old_names = photo.renditions["key"], stored("renditions")

    photo.focal_x, photo.focal_y = 10, 90
    photo.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert ensure_renditions(photo) is True
    assert photo.renditions["key"] != old_key
    new_names = stored("renditions")
    assert new_names and not new_names & old_names
    assert all(f"/{photo.renditions['key']}/" in name for name in new_names)


@pytest.mark.django_db
def test_new_source_gives_a_new_key():
    photo = photo_from(jpeg(900, 600))
    ensure_renditions(photo)
    old_key = photo.renditions["key"]
    data = jpeg(900, 600, color=(10, 10, 10))
    photo.image.save("replacement.jpg", ContentFile(data, name="replacement.jpg"), save=False)
    photo.source_digest = hashlib.sha256(data).hexdigest()
    photo.save()
    assert rendition_key(photo) != old_key
    assert ensure_renditions(photo) is True
    assert photo.renditions["key"] == rendition_key(photo)


def test_rendition_key_follows_source_focal_point_and_spec(monkeypatch):
    photo = Photo(source_digest="a" * 64, focal_x=50, focal_y=50)
    key = rendition_key(photo)
    assert re.fullmatch(r"[0-9a-f]{12}", key)
    assert rendition_key(Photo(source_digest="a" * 64, focal_x=50, focal_y=50)) == key
    assert rendition_key(Photo(source_digest="b" * 64, focal_x=50, focal_y=50)) != key
    assert rendition_key(Photo(source_digest="a" * 64, focal_x=50, focal_y=51)) != key
    monkeypatch.setattr(renditions, "SPEC_VERSION", renditions.SPEC_VERSION + 1)
    assert rendition_key(photo) != key


@pytest.mark.django_db
def test_forced_regeneration_writes_new_files_before_removing_the_ones_pages_link_to(
    django_capture_on_commit_callbacks,
):
    photo = photo_from(jpeg(900, 600))
    ensure_renditions(photo)
    old_names = stored("renditions")
    with django_capture_on_commit_callbacks(execute=True):
        assert ensure_renditions(photo, force=True) is True
        # Until the new names are committed, every URL a page may hold still answers.
        new_names = renditions._names(photo.renditions)
        assert stored("renditions") == old_names | new_names
        assert not old_names & new_names
    assert stored("renditions") == new_names
    assert all(f"/{photo.renditions['key']}/" in name for name in new_names)
    # The next forced run goes back to the plain names, now free.
    with django_capture_on_commit_callbacks(execute=True):
        ensure_renditions(photo, force=True)
    assert stored("renditions") == old_names


@pytest.mark.django_db
def test_a_leftover_file_no_row_lists_is_replaced_under_its_own_name():
    photo = photo_from(jpeg(900, 600))
    leftover = rendition_name(photo.pk, rendition_key(photo), "card", 400, "jpeg")
    default_storage.save(leftover, ContentFile(b"from an interrupted run"))
    ensure_renditions(photo)
    assert entries(photo, "card")[0]["jpeg"] == leftover
    assert open_stored(leftover).size == (400, 225)


@pytest.mark.django_db
def test_a_failure_halfway_leaves_no_files_and_keeps_the_old_renditions(monkeypatch):
    photo = photo_from(jpeg(900, 600))
    saved = []
    real_save = renditions._save

    def failing_save(name, data, listed):
        if len(saved) == 3:
            raise OSError("storage unavailable")
        saved.append(name)
        return real_save(name, data, listed)

    monkeypatch.setattr(renditions, "_save", failing_save)
    with pytest.raises(OSError, match="storage unavailable"):
        ensure_renditions(photo)
    assert stored("renditions") == set()
    photo.refresh_from_db()
    assert photo.renditions == {}


@pytest.mark.django_db
def test_png_with_transparency_and_rotated_jpeg_sources_are_rendered_upright():
    rgba = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    buffer = io.BytesIO()
    rgba.save(buffer, "PNG")
    png = photo_from(buffer.getvalue(), name="cutout.png")
    ensure_renditions(png)
    assert close_to(open_stored(entries(png, "article")[0]["jpeg"]).getpixel((10, 10)), (255, 255, 255), 5)

    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: shown turned a quarter clockwise
    sideways = photo_from(jpeg(400, 200, exif=exif.tobytes()))
    ensure_renditions(sideways)
    assert [(e["width"], e["height"]) for e in entries(sideways, "article")] == [(200, 400)]


# Storage that is not a file system


@pytest.mark.django_db
def test_whole_pipeline_runs_on_a_non_filesystem_storage(settings, media_in_tmp, django_capture_on_commit_callbacks):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    photo = photo_from(quadrants(1600, 1000), focal_x=80, focal_y=20)
    assert ensure_renditions(photo) is True
    assert len(stored("renditions")) == 16
    assert open_stored(entries(photo, "social")[0]["jpeg"]).size == (1200, 630)
    assert picture(photo, "card").webp_srcset.startswith("/media/renditions/")

    photo.focal_x = 20
    photo.save()
    with django_capture_on_commit_callbacks(execute=True):
        ensure_renditions(photo)
    assert {name.split("/")[2] for name in stored("renditions")} == {photo.renditions["key"]}

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert stored() == set()
    assert not (media_in_tmp.exists() and any(media_in_tmp.rglob("*.*")))


# Concurrency


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_generate_the_renditions_once(database_threads_can_wait_on, monkeypatch):
    photo = photo_from(jpeg(1600, 1000))
    calls = []
    real_generate = renditions._generate

    def slow_generate(photo, key):
        calls.append(key)
        time.sleep(0.3)  # keep the first generation running while the second caller arrives
        return real_generate(photo, key)

    monkeypatch.setattr(renditions, "_generate", slow_generate)
    results, errors = run_at_once(lambda: ensure_renditions(Photo.objects.get(pk=photo.pk)))
    assert errors == []
    assert len(calls) == 1
    assert sorted(results) == [False, True]
    photo.refresh_from_db()
    assert len(stored("renditions")) == 16
    assert photo.renditions["key"] == calls[0]


# Reading: picture(), the template tag, social and admin images


@pytest.mark.django_db
def test_picture_builds_srcsets_from_the_stored_renditions_without_a_query(django_assert_num_queries):
    photo = photo_from(jpeg(2000, 1500))
    ensure_renditions(photo)
    photo = Photo.objects.get(pk=photo.pk)
    key = photo.renditions["key"]
    with django_assert_num_queries(0):
        card = picture(photo, "card")
    prefix = f"/media/renditions/{photo.pk}/{key}"
    assert card.webp_srcset == f"{prefix}/card-400.webp 400w, {prefix}/card-800.webp 800w"
    assert card.jpeg_srcset == f"{prefix}/card-400.jpg 400w, {prefix}/card-800.jpg 800w"
    assert card.src == f"{prefix}/card-800.jpg"
    assert (card.width, card.height) == (800, 450)
    with pytest.raises(ValueError):
        picture(photo, "poster")


@pytest.mark.django_db
def test_picture_tag_renders_webp_source_and_jpeg_img_with_dimensions():
    photo = photo_from(jpeg(2000, 1500))
    ensure_renditions(photo)
    template = Template(
        '{% load photos %}{% picture photo "card" sizes="(min-width: 60em) 30vw, 100vw" css_class="card__image" %}'
        '{% picture photo "hero" lazy=False alt="" %}'
    )
    tags = parse(template.render(Context({"photo": photo})))
    assert [tag for tag, _attrs in tags] == ["picture", "source", "img", "picture", "source", "img"]
    source, img = tags[1][1], tags[2][1]
    assert source["type"] == "image/webp"
    assert re.fullmatch(r"\S+/card-400\.webp 400w, \S+/card-800\.webp 800w", source["srcset"])
    assert source["sizes"] == img["sizes"] == "(min-width: 60em) 30vw, 100vw"
    assert re.fullmatch(r"\S+/card-400\.jpg 400w, \S+/card-800\.jpg 800w", img["srcset"])
    assert img["src"].endswith("/card-800.jpg")
    assert (img["width"], img["height"]) == ("800", "450")
    assert img["alt"] == "باعة في السوق"
    assert img["class"] == "card__image"
    assert img["loading"] == "lazy"
    assert img["decoding"] == "async"

    lead = tags[5][1]
    assert "loading" not in lead
    assert lead["alt"] == ""
    assert (lead["width"], lead["height"]) == ("1920", "960")
    assert lead["sizes"] == "100vw"


@pytest.mark.django_db
def test_picture_tag_shows_the_original_until_renditions_exist(monkeypatch):
    photo = photo_from(jpeg(640, 480))
    tags = parse(Template('{% load photos %}{% picture photo "article" %}').render(Context({"photo": photo})))
    assert [tag for tag, _attrs in tags] == ["img"]
    img = tags[0][1]
    assert img["src"] == photo.image.url
    assert (img["width"], img["height"]) == ("640", "480")
    assert "srcset" not in img
    assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert Template('{% load photos %}{% picture None "card" %}').render(Context()).strip() == ""


@pytest.mark.django_db
def test_reading_a_page_never_generates_renditions(client, monkeypatch):
    def refuse(*args):
        raise AssertionError("renditions generated during a reader's request")

    monkeypatch.setattr(renditions, "_generate", refuse)
    article = make_article(published=True)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200
    Template('{% load photos %}{% picture photo "card" %}').render(Context({"photo": article.lead_photo}))
    assert stored("renditions") == set()
    article.lead_photo.refresh_from_db()
    assert article.lead_photo.renditions == {}


@pytest.mark.django_db
def test_social_image_is_the_1200_by_630_jpeg_and_never_a_sensitive_photo():
    photo = photo_from(jpeg(2000, 1500))
    assert social_image(photo) == (photo.image.url, 2000, 1500)
    ensure_renditions(photo)
    url, width, height = social_image(photo)
    assert url.endswith("/social-1200.jpg") and (width, height) == (1200, 630)
    photo.is_sensitive = True
    assert social_image(photo) is None
    assert social_image(None) is None


@pytest.mark.django_db
def test_thumbnail_url_is_the_square_thumbnail_or_the_original():
    photo = photo_from(jpeg(2000, 1500))
    assert thumbnail_url(photo) == photo.image.url
    ensure_renditions(photo)
    assert thumbnail_url(photo).endswith("/thumbnail-240.jpg")


# Deletion


@pytest.mark.django_db
def test_deleting_a_photo_removes_its_image_and_renditions_once_committed(django_capture_on_commit_callbacks):
    photo = photo_from(jpeg(900, 600))
    ensure_renditions(photo)
    default_storage.save(f"renditions/{photo.pk}/orphan/card-400.jpg", ContentFile(b"left over"))
    other = photo_from(jpeg(900, 600))
    ensure_renditions(other)
    other_files = stored(f"renditions/{other.pk}") | {other.image.name}

    pk, image = photo.pk, photo.image.name

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            photo.delete()
            raise RuntimeError("the deletion is rolled back")
    assert default_storage.exists(image)
    assert len(stored(f"renditions/{pk}")) == 2 * sum(map(len, photo.renditions["sizes"].values())) + 1

    with django_capture_on_commit_callbacks(execute=True):
        Photo.objects.get(pk=pk).delete()
    assert not default_storage.exists(image)
    assert stored(f"renditions/{pk}") == set()
    assert all(default_storage.exists(name) for name in other_files)


@pytest.mark.django_db
def test_a_picture_another_photo_still_shows_outlives_the_deleted_photo(django_capture_on_commit_callbacks):
    """generate_articles gives each story a photo row of its own showing a pool picture's files."""
    photo = photo_from(jpeg(900, 600))
    ensure_renditions(photo)
    files = stored(f"renditions/{photo.pk}") | {photo.image.name}
    twin = Photo.objects.create(image=photo.image.name, renditions=photo.renditions, caption_ar="نسخة")

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert all(default_storage.exists(name) for name in files)
    assert thumbnail_url(twin).endswith(".jpg") and default_storage.exists(twin.image.name)

    with django_capture_on_commit_callbacks(execute=True):
        twin.delete()
    assert not default_storage.exists(twin.image.name)


@pytest.mark.django_db
def test_delete_photo_files_tolerates_a_photo_without_renditions():
    photo = photo_from(jpeg(300, 200))
    delete_photo_files(photo)
    assert not default_storage.exists(photo.image.name)


# The archive command


@pytest.mark.django_db
def test_regenerate_renditions_walks_the_archive_and_reports_missing_files():
    photos = [photo_from(jpeg(900, 600)) for _ in range(3)]
    lost = photo_from(jpeg(900, 600))
    default_storage.delete(lost.image.name)
    ensure_renditions(photos[0])
    out, err = io.StringIO(), io.StringIO()

    call_command("regenerate_renditions", "--batch-size", "2", stdout=out, stderr=err)
    assert "4 photos: 2 generated, 1 already up to date, 1 with a missing file, 0 failed." in out.getvalue()
    assert f"Photo {lost.pk}: file '{lost.image.name}' is missing" in err.getvalue()
    assert "[##############################] 4/4" in err.getvalue()
    for photo in photos:
        photo.refresh_from_db()
        assert photo.renditions["key"] == rendition_key(photo)

    out = io.StringIO()
    call_command("regenerate_renditions", stdout=out, stderr=io.StringIO())
    assert "0 generated, 3 already up to date, 1 with a missing file" in out.getvalue()
    out = io.StringIO()
    call_command("regenerate_renditions", "--force", stdout=out, stderr=io.StringIO())
    assert "3 generated, 0 already up to date, 1 with a missing file" in out.getvalue()


@pytest.mark.django_db
def test_regenerate_renditions_continues_past_an_unreadable_file():
    broken = photo_from(jpeg(900, 600))
    default_storage.delete(broken.image.name)
    default_storage.save(broken.image.name, ContentFile(b"not an image at all"))
    fine = photo_from(jpeg(900, 600))
    out, err = io.StringIO(), io.StringIO()
    call_command("regenerate_renditions", stdout=out, stderr=err)
    assert "1 generated, 0 already up to date, 0 with a missing file, 1 failed." in out.getvalue()
    assert f"Photo {broken.pk}: UnidentifiedImageError" in err.getvalue()
    fine.refresh_from_db()
    assert fine.renditions["key"]


@pytest.mark.parametrize("value", ["0", "-3", "10001", "9" * 25])
def test_regenerate_renditions_refuses_a_batch_size_it_cannot_use(value):
    # Past a database integer the query failed with a traceback.
    with pytest.raises(CommandError, match="must be from 1 to 10000"):
        call_command("regenerate_renditions", "--batch-size", value)


def test_regenerate_renditions_has_no_option_that_only_restates_the_default():
    with pytest.raises(CommandError, match="unrecognized arguments: --only-missing"):
        call_command("regenerate_renditions", "--only-missing")


# Nothing from the source file


SECRETS = (
    imagefiles.CAMERA_SERIAL.encode(), "Calibrated".encode("utf-16-be"), b"Lightroom", b"Exif\x00\x00", b"xpacket",
    b"ICC_PROFILE",
)


@pytest.mark.django_db
def test_renditions_carry_no_exif_gps_comment_xmp_or_icc_profile_from_the_source():
    data = imagefiles.jpeg_with(
        exif=imagefiles.exif_block(gps=True, serial=imagefiles.CAMERA_SERIAL, artist="Samer Ali"),
        xmp=imagefiles.xmp_packet(caption="In the square", credit="Samer Ali"),
        comment=f"Shot on {imagefiles.CAMERA_SERIAL}",
        icc_profile=imagefiles.srgb_profile_bytes("Calibrated Sam"),
        image=imagefiles.noise(1600, 1000),
    )
    with Image.open(io.BytesIO(data)) as source:  # the source really carries all of it
        assert source.getexif().get_ifd(0x8825) and source.info["comment"] and source.info["xmp"]
        assert source.info["icc_profile"]
    photo = photo_from(data)
    ensure_renditions(photo)
    names = renditions._names(photo.renditions)
    assert len(names) == 16
    for name in names:
        with default_storage.open(name, "rb") as handle:
            blob = handle.read()
        assert not [secret for secret in SECRETS if secret in blob], name
        if name.endswith(".webp"):
            assert not {b"EXIF", b"XMP ", b"ICCP"} & {blob[i : i + 4] for i in range(12, len(blob) - 4)}, name
        image = open_stored(name)
        assert not set(image.info) & {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"}, name
        assert not image.getexif(), name


# Renditions that no longer match the photo


@pytest.mark.django_db
def test_readers_get_the_new_original_when_the_renditions_are_of_a_replaced_image(django_assert_num_queries):
    photo = photo_from(jpeg(2000, 1500))
    ensure_renditions(photo)
    old_key = photo.renditions["key"]
    # The image is replaced and generation fails: the row still lists the old image's renditions.
    data = jpeg(900, 600, color=(10, 10, 10))
    photo.image.save("replacement.jpg", ContentFile(data, name="replacement.jpg"), save=False)
    photo.source_digest = hashlib.sha256(data).hexdigest()
    photo.save()
    photo = Photo.objects.get(pk=photo.pk)
    assert photo.renditions["key"] == old_key
    with django_assert_num_queries(0):
        assert picture(photo, "article") == renditions.Picture("", "", photo.image.url, 900, 600)
        assert social_image(photo) == (photo.image.url, 900, 600)
        assert thumbnail_url(photo) == photo.image.url
    ensure_renditions(photo)
    assert picture(photo, "article").src.endswith(f"/{rendition_key(photo)}/article-900.jpg")


@pytest.mark.django_db
def test_a_photo_stored_before_the_intake_keeps_its_older_renditions_rather_than_its_original():
    # No digest: the original may still carry the camera's GPS position, so even renditions of an older crop
    # (here, before the focal point moved) are better than the file itself.
    photo = photo_from(jpeg(2000, 1500))
    photo.source_digest = ""
    photo.save()
    ensure_renditions(photo)
    photo.focal_x = 10
    photo.save()
    assert photo.renditions["key"] != rendition_key(photo)
    assert "/renditions/" in picture(photo, "article").src
    assert "/renditions/" in social_image(photo)[0]
    assert "/renditions/" in thumbnail_url(photo)


# Very tall and very wide images


def test_no_planned_file_exceeds_webp_limits_whatever_the_shape():
    for width, height in ((1000, 25000), (25000, 1000), (1, 60000), (60000, 1), (16384, 16384), (300, 17000)):
        for focal in (0, 50, 100):
            for target in plan(width, height, focal, focal):
                assert 1 <= target.width <= 16383 and 1 <= target.height <= 16383, (width, height, target)


@pytest.mark.django_db
def test_a_tall_infographic_gets_every_size_with_the_article_cropped_to_one_by_three_at_the_focal_point():
    # Red top third, green middle, blue bottom: the crop shows whichever band the focal point is in.
    image = Image.new("RGB", (200, 6000), RED)
    image.paste(GREEN, (0, 2000, 200, 4000))
    image.paste(BLUE, (0, 4000, 200, 6000))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    photo = photo_from(buffer.getvalue(), name="infographic.png", focal_x=50, focal_y=100)
    assert ensure_renditions(photo) is True
    assert [(e["width"], e["height"]) for e in entries(photo, "article")] == [(200, 600)]
    article = open_stored(entries(photo, "article")[0]["webp"])
    assert article.size == (200, 600)
    for y in (2, 300, 597):
        assert close_to(article.getpixel((100, y)), BLUE)
    assert set(photo.renditions["sizes"]) == set(renditions.SIZES)
    assert open_stored(entries(photo, "social")[0]["jpeg"]).size == (1200, 630)


@pytest.mark.django_db
def test_a_wide_panorama_gets_every_size():
    photo = photo_from(jpeg(6000, 200), focal_x=0)
    assert ensure_renditions(photo) is True
    sizes = {size: [(e["width"], e["height"]) for e in items] for size, items in photo.renditions["sizes"].items()}
    assert sizes == {
        "thumbnail": [(200, 200)],
        "card": [(355, 200)],
        "article": [(720, 24), (1440, 48)],
        "hero": [(400, 200)],
        "social": [(1200, 630)],
    }
    for name in renditions._names(photo.renditions):
        assert open_stored(name).size in {size for items in sizes.values() for size in items}


@pytest.mark.django_db
def test_an_image_taller_than_webp_allows_is_rendered_within_its_limits():
    photo = photo_from(jpeg(300, 17000), focal_y=0)
    assert ensure_renditions(photo) is True
    assert [(e["width"], e["height"]) for e in entries(photo, "article")] == [(300, 900)]
    for name in renditions._names(photo.renditions):
        width, height = open_stored(name).size
        assert width <= 16383 and height <= 16383


@pytest.mark.django_db
def test_the_app_serves_uploads_and_answers_an_impossible_name_with_not_found(client):
    photo = make_article("خبر بصورة").lead_photo
    ensure_renditions(photo)
    assert client.get(photo.image.url).status_code == 200
    assert client.get(photo.image.url + "/").status_code == 404  # a file is no folder
    assert client.get("/media/" + "a" * 300).status_code == 404  # longer than the file system allows a name
    assert client.get("/media/../manage.py").status_code == 400  # outside the media folder
