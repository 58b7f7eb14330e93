"""Issue 7, point 9: photo intake (articles/intake.py) under property-based fuzzing.

Arbitrary bytes, valid JPEG/PNG/WebP/GIF files with bytes flipped, cut short or spliced together, and files
carrying crafted EXIF, XMP and IPTC blocks: each is either accepted, or refused with the intake's own Arabic
message. Never another exception, and never more than a bounded time. A bounded subset goes on through the
whole upload path: what the intake accepts is stored (create_photo) and its renditions made.
"""

import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

import tests.fuzzing  # noqa: F401 - loads the bounded CI profile
from articles.intake import MESSAGES, create_photo, prepare_upload
from articles.models import Photo
from articles.renditions import ensure_renditions, rendition_key
from tests import imagefiles

VALID = {
    "photo.jpg": imagefiles.jpeg_bytes(16, 12),
    "photo.png": imagefiles.png_bytes(16, 12),
    "photo.webp": imagefiles.webp_bytes(16, 12),
    "photo.gif": imagefiles.gif_bytes(16, 12),
    "meta.jpg": imagefiles.jpeg_with(
        exif=imagefiles.exif_block(description="وصف", artist="مصور", taken="2024:03:15 10:00:00", gps=True),
        iptc=imagefiles.iptc_datasets(caption="تعليق", credit="عدسة", bylines=("أ", "ب"), date="20240315"),
        xmp=imagefiles.xmp_packet(caption="وصف", credit="عدسة", creators=("أ",), date_created="2024-03-15"),
        image=imagefiles.picture(16, 12),
    ),
}
# Each refusal must be one of the intake's own, in Arabic (the admin's language).
ARABIC_MESSAGES = set()
with translation.override("ar"):
    ARABIC_MESSAGES = {str(message).split("%")[0][:12] for message in MESSAGES.values()}
SECONDS = 5  # a 16×12 picture takes milliseconds; anything near this is a hang in waiting


def flip(data, positions):
    data = bytearray(data)
    for position, value in positions:
        data[position % len(data)] = value
    return bytes(data)


valid = st.sampled_from(sorted(VALID.items()))
mutated = st.one_of(
    st.builds(lambda item, flips: (item[0], flip(item[1], flips)), valid,
              st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8)),
    st.builds(lambda item, cut: (item[0], item[1][: cut % len(item[1])]), valid, st.integers(0, 10**6)),
    st.builds(lambda a, b, i, j: (a[0], a[1][: i % len(a[1])] + b[1][j % len(b[1]):]), valid, valid,
              st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.sampled_from(["x.jpg", "x.png", "x.webp", "x.gif", "x", "x.svg", "x.JPG"]), st.binary(max_size=512)),
    st.tuples(st.sampled_from(["x.jpg", "x.png", "x.webp", "x.gif"]),
              st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"GIF89a"])
              .flatmap(lambda head: st.binary(max_size=256).map(lambda tail: head + tail))),
)
crafted = st.builds(
    lambda exif, iptc, xmp: ("crafted.jpg", imagefiles.jpeg_with(
        exif=exif, iptc=iptc, xmp=xmp, image=imagefiles.picture(8, 8))),
    st.none() | st.builds(lambda raw: b"Exif\x00\x00" + raw, st.binary(max_size=300)),
    st.none() | st.binary(max_size=300).map(lambda raw: b"\x1c\x02\x78" + raw),
    st.none() | st.one_of(
        st.binary(max_size=300),
        st.text(max_size=200).map(lambda t: imagefiles.xmp_packet(caption=t, credit=t[:20])),
        st.just(imagefiles.billion_laughs_xmp()),
    ),
)


def assert_accepted_or_refused_in_arabic(name, data):
    started = time.perf_counter()
    with translation.override("ar"):
        try:
            prepared = prepare_upload(imagefiles.upload(name, data))
        except ValidationError as error:
            text = " ".join(str(message) for message in error.messages)
            assert any(text.startswith(prefix) for prefix in ARABIC_MESSAGES), text
            assert any("\u0621" <= char <= "\u064a" for char in text), text
        else:
            assert prepared.width * prepared.height > 0
            assert set(prepared.metadata) <= {"caption", "credit", "creator", "copyright_notice", "taken_at"}
    assert time.perf_counter() - started < SECONDS


@pytest.mark.parametrize("name", sorted(VALID))
def test_the_unmutated_files_are_accepted(name):
    prepared = prepare_upload(imagefiles.upload(name, VALID[name]))
    assert (prepared.width, prepared.height) in {(16, 12), (8, 8)}


@given(mutated)
@example(("x.jpg", b"\xff\xd8\xff"))
@example(("x.png", b"\x89PNG\r\n\x1a\n"))
def test_mutated_files_are_accepted_or_refused_with_an_arabic_reason(upload):
    assert_accepted_or_refused_in_arabic(*upload)


@given(crafted)
def test_crafted_metadata_never_refuses_or_breaks_a_good_photo(upload):
    name, data = upload
    prepared = prepare_upload(imagefiles.upload(name, data))
    assert (prepared.width, prepared.height) == (8, 8)
    for entry in prepared.metadata.values():
        assert isinstance(entry["value"], str) and len(entry["value"]) <= 2000


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@settings(max_examples=30)
@given(st.one_of(valid, crafted, mutated))
@example(("crafted.jpg", VALID["meta.jpg"]))
def test_accepted_files_are_stored_and_get_their_renditions(db, media, upload):
    """Past the intake: a file it accepts, with whatever metadata it carries, is stored and rendered."""
    name, data = upload
    with translation.override("ar"):
        try:
            photo = create_photo(file=imagefiles.upload(name, data))
        except ValidationError as error:
            assert error.code in MESSAGES, error  # refused by the intake's own rule, nothing else
            assert not Photo.objects.exists()
            return
    ensure_renditions(photo)
    photo.refresh_from_db()
    assert photo.renditions.get("key") == rendition_key(photo)
    assert photo.image.storage.exists(photo.image.name)
    photo.delete()
