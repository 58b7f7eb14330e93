"""What a photo file says about itself (XMP, IPTC, EXIF), read before it is stripped and used to pre-fill."""

import datetime
import time

import pytest
from django.utils import timezone, translation

from articles.intake import create_photo, fill_photo_from_file, prepare_upload
from articles.models import Photo
from tests import imagefiles as files


def metadata(name, data):
    return prepare_upload(files.upload(name, data)).metadata


def values(found):
    return {key: entry["value"] for key, entry in found.items()}


def sources(found):
    return {key: entry["source"] for key, entry in found.items()}


# XMP ------------------------------------------------------------------------------------------------------------


def test_xmp_caption_credit_creator_rights_and_date_are_read_in_arabic():
    packet = files.xmp_packet(
        caption="متظاهرون في ساحة الساعة بحمص", credit="عدسة سامر العلي", creators=["سامر العلي", "ليلى حسن"],
        rights="© وكالة الأنباء ٢٠٢٤", date_created="2024-03-05T14:30:00+03:00",
    )
    found = metadata("photo.jpg", files.jpeg_with(xmp=packet))

    assert values(found) == {
        "caption": "متظاهرون في ساحة الساعة بحمص",
        "credit": "عدسة سامر العلي",
        "creator": "سامر العلي, ليلى حسن",
        "copyright_notice": "© وكالة الأنباء ٢٠٢٤",
        "taken_at": "2024-03-05T14:30:00+03:00",
    }
    assert set(sources(found).values()) == {"XMP"}


def test_xmp_credit_written_as_an_element_is_read():
    packet = files.xmp_packet(credit="عدسة سامر العلي", credit_as="element")
    assert values(metadata("photo.jpg", files.jpeg_with(xmp=packet))) == {"credit": "عدسة سامر العلي"}


def test_xmp_caption_prefers_the_default_language_alternative():
    packet = files.xmp_packet(caption_languages={"en": "Protesters in the square", "x-default": "متظاهرون في الساحة"})
    assert values(metadata("photo.jpg", files.jpeg_with(xmp=packet)))["caption"] == "متظاهرون في الساحة"


def test_xmp_exif_date_is_used_when_photoshop_date_is_missing():
    packet = files.xmp_packet(exif_date="2023-11-02T07:15:30")
    assert values(metadata("photo.jpg", files.jpeg_with(xmp=packet))) == {"taken_at": "2023-11-02T07:15:30"}


def test_xmp_date_without_a_time_stays_a_date():
    packet = files.xmp_packet(date_created="2023-11-02")
    assert values(metadata("photo.jpg", files.jpeg_with(xmp=packet))) == {"taken_at": "2023-11-02"}


@pytest.mark.parametrize("name,build", [("photo.png", files.png_with), ("photo.webp", files.webp_with)])
def test_xmp_and_exif_are_read_from_png_and_webp_too(name, build):
    data = build(xmp=files.xmp_packet(caption="قافلة مساعدات"), exif=files.exif_block(artist="ليلى حسن"))
    found = metadata(name, data)
    assert found["caption"] == {"value": "قافلة مساعدات", "source": "XMP"}
    assert found["creator"] == {"value": "ليلى حسن", "source": "EXIF"}


# IPTC -----------------------------------------------------------------------------------------------------------


def test_iptc_fields_are_read_with_the_utf8_marker():
    iptc = files.iptc_datasets(
        caption="نازحون عند معبر باب الهوى", credit="وكالة الأنباء", bylines=["سامر العلي", "ليلى حسن"],
        copyright="© الوكالة", date="20240305", time="143000+0300",
    )
    found = metadata("photo.jpg", files.jpeg_with(iptc=iptc))

    assert values(found) == {
        "caption": "نازحون عند معبر باب الهوى",
        "credit": "وكالة الأنباء",
        "creator": "سامر العلي, ليلى حسن",
        "copyright_notice": "© الوكالة",
        "taken_at": "2024-03-05T14:30:00+03:00",
    }
    assert set(sources(found).values()) == {"IPTC"}


def test_iptc_without_a_charset_marker_in_utf8_is_read_as_utf8():
    iptc = files.iptc_datasets(caption="نازحون عند المعبر", utf8_marker=False)
    assert values(metadata("photo.jpg", files.jpeg_with(iptc=iptc))) == {"caption": "نازحون عند المعبر"}


def test_iptc_without_a_charset_marker_in_arabic_windows_encoding_is_read():
    iptc = files.iptc_datasets(
        caption="نازحون عند المعبر", credit="وكالة الأنباء", encoding="cp1256", utf8_marker=False
    )
    assert values(metadata("photo.jpg", files.jpeg_with(iptc=iptc))) == {
        "caption": "نازحون عند المعبر", "credit": "وكالة الأنباء",
    }


def test_iptc_date_without_a_time_is_a_date():
    iptc = files.iptc_datasets(date="20240305")
    assert values(metadata("photo.jpg", files.jpeg_with(iptc=iptc))) == {"taken_at": "2024-03-05"}


# EXIF -----------------------------------------------------------------------------------------------------------


def test_exif_text_in_utf8_arabic_comes_out_right():
    exif = files.exif_block(
        description="جنازة في دوما", artist="سامر العلي", copyright="© سامر العلي",
        taken="2024:03:05 14:30:00", taken_offset="+03:00",
    )
    found = metadata("photo.jpg", files.jpeg_with(exif=exif))

    assert values(found) == {
        "caption": "جنازة في دوما",
        "creator": "سامر العلي",
        "copyright_notice": "© سامر العلي",
        "taken_at": "2024-03-05T14:30:00+03:00",
    }
    assert set(sources(found).values()) == {"EXIF"}


def test_exif_text_in_latin1_and_arabic_windows_encodings_is_read():
    exif = files.exif_block(artist="Jos\xe9 Garc\xeda".encode("latin-1"), description="جنازة".encode("cp1256"))
    assert values(metadata("photo.jpg", files.jpeg_with(exif=exif))) == {"caption": "جنازة", "creator": "José García"}


def test_exif_copyright_with_photographer_and_editor_parts_keeps_both():
    exif = files.exif_block(copyright=b"Samer Ali\x00Newsroom Desk")
    assert values(metadata("photo.jpg", files.jpeg_with(exif=exif))) == {"copyright_notice": "Samer Ali; Newsroom Desk"}


def test_exif_date_without_offset_stays_local_time():
    exif = files.exif_block(taken="2024:03:05 14:30:00")
    assert values(metadata("photo.jpg", files.jpeg_with(exif=exif))) == {"taken_at": "2024-03-05T14:30:00"}


# Precedence and hygiene -------------------------------------------------------------------------------------------


def test_xmp_wins_over_iptc_which_wins_over_exif():
    data = files.jpeg_with(
        xmp=files.xmp_packet(caption="caption from XMP"),
        iptc=files.iptc_datasets(caption="caption from IPTC", credit="credit from IPTC"),
        exif=files.exif_block(
            description="caption from EXIF", artist="creator from EXIF", copyright="copyright from EXIF"
        ),
    )
    found = metadata("photo.jpg", data)

    assert found == {
        "caption": {"value": "caption from XMP", "source": "XMP"},
        "credit": {"value": "credit from IPTC", "source": "IPTC"},
        "creator": {"value": "creator from EXIF", "source": "EXIF"},
        "copyright_notice": {"value": "copyright from EXIF", "source": "EXIF"},
    }


def test_blank_values_fall_through_to_the_next_block():
    data = files.jpeg_with(xmp=files.xmp_packet(caption="   "), iptc=files.iptc_datasets(caption="من IPTC"))
    assert metadata("photo.jpg", data)["caption"] == {"value": "من IPTC", "source": "IPTC"}


def test_whitespace_and_nul_characters_are_stripped():
    data = files.jpeg_with(
        iptc=files.iptc_datasets(credit="\t  وكالة   الأنباء \x00\x00 ", caption="سطر أول  \r\nسطر ثان\x00"),
        exif=files.exif_block(artist=b"  \x00Samer Ali\x00\x00  "),
    )
    assert values(metadata("photo.jpg", data)) == {
        "caption": "سطر أول\nسطر ثان", "credit": "وكالة الأنباء", "creator": "Samer Ali",
    }


def test_values_are_cut_to_the_fields_lengths():
    data = files.jpeg_with(
        iptc=files.iptc_datasets(caption="ق" * 5000, credit="ع" * 500, copyright="ح" * 500, bylines=["س" * 500])
    )
    found = values(metadata("photo.jpg", data))

    assert len(found["credit"]) == Photo._meta.get_field("credit").max_length == 200
    assert len(found["creator"]) == Photo._meta.get_field("creator").max_length
    assert len(found["copyright_notice"]) == Photo._meta.get_field("copyright_notice").max_length
    assert len(found["caption"]) == 2000


def test_billion_laughs_in_xmp_is_ignored_quickly_and_the_other_blocks_still_count():
    data = files.jpeg_with(xmp=files.billion_laughs_xmp(), iptc=files.iptc_datasets(caption="من IPTC"))

    started = time.perf_counter()
    found = metadata("photo.jpg", data)

    assert time.perf_counter() - started < 1
    assert found == {"caption": {"value": "من IPTC", "source": "IPTC"}}


@pytest.mark.parametrize(
    "data",
    [
        files.jpeg_with(xmp=b"<x:xmpmeta this is not xml"),
        files.jpeg_with(xmp=b"\xff\xfe\x00garbage"),
        files.jpeg_with(iptc=b"\x1c\x02\x78\x7f\xffshort"),  # caption claiming 32 KB, file ends
        files.jpeg_with(iptc=b"\x1c\x02\x78\x80\x08" + b"\xff" * 8),  # extended length of 8 bytes
        files.insert_segments(files.jpeg_bytes(), files.segment(0xE1, b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff")),
        files.insert_segments(files.jpeg_bytes(), files.segment(0xE1, b"Exif\x00\x00" + files.corrupt_bytes()[:900])),
        files.jpeg_with(exif=files.exif_block(taken="0000:00:00 00:00:00")),
        files.jpeg_with(exif=files.exif_block(taken="2024:13:45 25:61:00")),
        files.jpeg_with(xmp=files.xmp_packet(date_created="yesterday")),
        files.jpeg_with(iptc=files.iptc_datasets(date="20241399", time="250000")),
    ],
)
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_bad_metadata_is_ignored_and_the_photo_accepted(data):
    prepared = prepare_upload(files.upload("photo.jpg", data))

    assert prepared.metadata == {}
    assert (prepared.width, prepared.height) == (64, 48)


def test_truncated_iptc_keeps_the_datasets_before_the_damage():
    iptc = files.iptc_datasets(credit="وكالة الأنباء", utf8_marker=True) + b"\x1c\x02\x78\x7f\xffshort"
    assert values(metadata("photo.jpg", files.jpeg_with(iptc=iptc))) == {"credit": "وكالة الأنباء"}


# Pre-filling the photo ------------------------------------------------------------------------------------------


def full_file():
    return files.jpeg_with(
        xmp=files.xmp_packet(
            caption="متظاهرون في الساحة", credit="عدسة سامر العلي", creators=["سامر العلي"], rights="© الوكالة",
        ),
        exif=files.exif_block(taken="2024:03:05 14:30:00"),
    )


def test_fill_prefills_empty_arabic_fields_and_records_them():
    prepared = prepare_upload(files.upload("photo.jpg", full_file()))
    photo = Photo()

    fill_photo_from_file(photo, prepared)

    assert photo.caption_ar == "متظاهرون في الساحة"
    assert photo.credit_ar == "عدسة سامر العلي"
    assert photo.creator == "سامر العلي"
    assert photo.copyright_notice == "© الوكالة"
    # No offset in the file: the camera's clock is read in the newsroom's time zone (Damascus, UTC+3).
    assert photo.taken_at == datetime.datetime(2024, 3, 5, 11, 30, tzinfo=datetime.UTC)
    assert not photo.caption_en and not photo.credit_en
    assert sorted(photo.prefilled_fields) == ["caption_ar", "copyright_notice", "creator", "credit_ar", "taken_at"]
    assert photo.embedded_metadata == prepared.metadata
    assert photo.source_digest == prepared.digest
    assert (photo.width, photo.height) == (64, 48)


def test_fill_keeps_what_the_editor_already_wrote():
    prepared = prepare_upload(files.upload("photo.jpg", full_file()))
    photo = Photo(caption_ar="تعليق المحرر", creator="المصور")

    fill_photo_from_file(photo, prepared)

    assert (photo.caption_ar, photo.creator) == ("تعليق المحرر", "المصور")
    assert photo.credit_ar == "عدسة سامر العلي"
    assert "caption_ar" not in photo.prefilled_fields and "creator" not in photo.prefilled_fields


def test_fill_uses_the_source_language_whatever_the_admin_language_unless_told():
    prepared = prepare_upload(files.upload("photo.jpg", files.jpeg_with(xmp=files.xmp_packet(caption="Protest"))))

    with translation.override("en"):
        from_english_admin = fill_photo_from_file(Photo(), prepared)
    given = fill_photo_from_file(Photo(), prepared, language="en")

    # The Arabic site prints the source-language fields; a file's caption must land where it is read.
    assert from_english_admin.caption_ar == "Protest" and from_english_admin.prefilled_fields == ["caption_ar"]
    assert given.caption_en == "Protest" and not given.caption_ar


def test_fill_keeps_the_offset_the_file_gave():
    exif = files.exif_block(taken="2024:03:05 14:30:00", taken_offset="+01:00")
    photo = fill_photo_from_file(Photo(), prepare_upload(files.upload("photo.jpg", files.jpeg_with(exif=exif))))
    assert photo.taken_at == datetime.datetime(2024, 3, 5, 13, 30, tzinfo=datetime.UTC)


def test_date_only_is_midnight_in_the_newsrooms_zone():
    iptc = files.iptc_datasets(date="20240305")
    photo = fill_photo_from_file(Photo(), prepare_upload(files.upload("photo.jpg", files.jpeg_with(iptc=iptc))))
    assert timezone.localtime(photo.taken_at).replace(tzinfo=None) == datetime.datetime(2024, 3, 5)


@pytest.mark.django_db
def test_created_photo_remembers_the_file_metadata_and_what_it_filled():
    photo = create_photo(file=files.upload("photo.jpg", full_file()), credit_ar="وكالة الأنباء")

    photo.refresh_from_db()
    assert photo.credit_ar == "وكالة الأنباء"
    assert photo.caption_ar == "متظاهرون في الساحة"
    assert "credit_ar" not in photo.prefilled_fields and "caption_ar" in photo.prefilled_fields
    assert photo.embedded_metadata["credit"] == {"value": "عدسة سامر العلي", "source": "XMP"}
    assert photo.embedded_metadata["taken_at"] == {"value": "2024-03-05T14:30:00", "source": "EXIF"}
