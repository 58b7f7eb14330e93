"""Photo upload intake: refuse hostile or broken files, read the credits a file carries, re-encode it without them.

Nothing the camera or an editing program wrote into the file (EXIF with GPS and serial numbers, XMP, IPTC,
comments, ICC profiles) survives: what is stored is Pillow's re-encoding of the pixels alone, in sRGB.
"""

import contextlib
import hashlib
import io
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from botocore.exceptions import BotoCoreError, ClientError
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

from .models import Photo

logger = logging.getLogger(__name__)

# What a media storage raises when it cannot write: on disk an OSError (full, read-only, a missing folder); with
# MEDIA_BUCKET the S3 client's own errors (no such bucket, refused keys, an endpoint that does not answer), which
# are not OSErrors and would otherwise reach the editor as a server error.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)

# Pillow's format name -> (stored format, stored extension, extensions a file of that kind may carry).
# MPO is what cameras write for JPEGs with an embedded preview or a second (3-D) picture: a JPEG all the same.
FORMATS = {
    "JPEG": ("JPEG", "jpg", {"jpg", "jpeg", "jpe", "jfif"}),
    "MPO": ("JPEG", "jpg", {"jpg", "jpeg", "jpe", "jfif"}),
    "PNG": ("PNG", "png", {"png"}),
    "WEBP": ("WEBP", "webp", {"webp"}),
    "GIF": ("PNG", "png", {"gif"}),
}
# The ISO media brands of HEIC/HEIF photos (after "ftyp" at byte 4): phones' photos that browsers cannot show.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
EXTENSIONS = {extension for _format, _extension, extensions in FORMATS.values() for extension in extensions}
FORMAT_NAMES = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
JPEG_QUALITY = 88
WEBP_QUALITY = 88
# The caption is a TextField without a limit; a file may still carry a novel in its description.
CAPTION_MAX_LENGTH = 2000

MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("This file is %(size)s MB; a photo may be at most %(limit)s MB."),
    "svg": _("SVG files are not accepted. Upload the photo as JPEG, PNG, WebP or GIF."),
    "not_image": _("This file is not a JPEG, PNG, WebP or GIF image."),
    "heic": _(
        "This is an HEIC photo, the format iPhones save in, which browsers do not show. Export it as JPEG (on "
        "the iPhone: Settings → Camera → Formats → Most Compatible) and upload that."
    ),
    "corrupt": _("The image is truncated or damaged and cannot be read. Export it again and upload the new file."),
    "extension_mismatch": _(
        "The file name ends in .%(extension)s but the file holds a %(format)s image. "
        "Rename it or export it again."
    ),
    "unsupported_extension": _("The file name must end in .jpg, .jpeg, .png, .webp or .gif."),
    "too_many_pixels": _("The image is too large: a photo may have at most %(limit)s megapixels."),
    "storage": _(
        "The photo could not be stored: the media storage refused the file. Nothing was saved; try again, "
        "and tell the administrator if it happens again."
    ),
}


def _refuse(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _number(value):
    """25.0 -> "25", 1.25 -> "1.2": sizes as an editor reads them."""
    return f"{round(value, 1):g}"


@dataclass
class PreparedImage:
    content: ContentFile
    width: int
    height: int
    format: str
    digest: str
    metadata: dict = field(default_factory=dict)


def prepare_upload(uploaded_file):
    """Check an uploaded file, read its metadata and re-encode it; raise ValidationError with a code if refused."""
    max_bytes = settings.NEWSROOM_PHOTO_MAX_BYTES
    data = _read_limited(uploaded_file, max_bytes)
    if not data:
        raise _refuse("empty")
    if len(data) > max_bytes:  # The file declared no size, or a wrong one.
        raise _too_large(len(data), max_bytes)

    name = getattr(uploaded_file, "name", None) or ""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension in {"svg", "svgz"} or _looks_like_svg(data):
        raise _refuse("svg")
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        raise _refuse("heic")

    im = _open(data)
    if im.format not in FORMATS:  # Image.open was told which formats to try; this is belt and braces.
        raise _refuse("not_image")
    stored_format, stored_extension, extensions = FORMATS[im.format]
    if extension not in EXTENSIONS:
        raise _refuse("unsupported_extension")
    if extension not in extensions:
        raise _refuse("extension_mismatch", extension=extension, format=FORMAT_NAMES[im.format])

    try:
        im.load()  # Decoding every pixel is what finds a truncated or damaged file.
    except Image.DecompressionBombError:
        raise _refuse("too_many_pixels", limit=_megapixel_limit()) from None
    except Exception:
        raise _refuse("corrupt") from None

    metadata = read_metadata(im)
    buffer = io.BytesIO()
    try:
        # Converting reads what decoding let pass: a palette's transparency longer than the palette itself.
        output = _clean_pixels(im, stored_format)
        _save(output, buffer, stored_format)
    except (OSError, ValueError):
        raise _refuse("corrupt") from None
    content = buffer.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    # The stored name says nothing about the source: a digest, not the photographer's file name.
    return PreparedImage(
        content=ContentFile(content, name=f"{digest[:16]}.{stored_extension}"),
        width=output.width, height=output.height, format=stored_format, digest=digest, metadata=metadata,
    )


def _read_limited(uploaded_file, max_bytes):
    """The file's bytes, reading no more than one byte past the limit (the declared size is checked first)."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(size, max_bytes)
    with contextlib.suppress(AttributeError, OSError, ValueError):
        uploaded_file.seek(0)
    return uploaded_file.read(max_bytes + 1) or b""


def _too_large(size, max_bytes):
    # The size is rounded up, so a file just over a 25 MB limit never reads "25 MB".
    return _refuse("too_large", size=_number(math.ceil(size / 2**20 * 10) / 10), limit=_number(max_bytes / 2**20))


def _looks_like_svg(data):
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


def _megapixel_limit():
    return _number(settings.NEWSROOM_PHOTO_MAX_PIXELS / 1_000_000)


def _open(data):
    """Open from the header only: nothing is decoded here, so the pixel limit is checked before it costs anything."""
    try:
        im = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP", "GIF"])  # JPEG's opener gives MPO too
    # Pillow refuses on its own above twice its MAX_IMAGE_PIXELS, and warns above it (an exception too
    # where warnings are errors); our own limit, checked below, is lower by default.
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("too_many_pixels", limit=_megapixel_limit()) from None
    except Exception:
        raise _refuse("not_image") from None
    if im.width * im.height > settings.NEWSROOM_PHOTO_MAX_PIXELS:
        raise _refuse("too_many_pixels", limit=_megapixel_limit())
    if not im.width or not im.height:
        raise _refuse("corrupt")
    return im


def _clean_pixels(im, stored_format):
    """The decoded image turned upright and into sRGB, in a mode the stored format holds, with no metadata."""
    with contextlib.suppress(Exception):  # A broken EXIF block means no orientation, not a refused photo.
        ImageOps.exif_transpose(im, in_place=True)
    im = to_srgb(im)
    if im.mode in {"I", "I;16", "I;16B", "I;16L", "I;16N"}:  # 16-bit greyscale PNG: scale, don't clip.
        im = im.convert("I").point(lambda value: value / 256).convert("L")
    # A palette or a single transparent colour (tRNS) lives in info, which is about to go: make it real alpha.
    has_alpha = im.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in im.info
    if stored_format == "JPEG":
        wanted = im.mode if im.mode in {"RGB", "L"} else "RGB"
    elif stored_format == "PNG" and im.mode in {"L", "LA"} and "transparency" not in im.info:
        wanted = im.mode
    else:
        wanted = "RGBA" if has_alpha else "RGB"
    if im.mode != wanted:
        im = im.convert(wanted)
    # The savers read a few things (a JPEG comment, a PNG's ICC profile) from info: leave them nothing.
    im.info.clear()
    return im


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def to_srgb(im):
    """Convert pixels tagged with a colour profile into sRGB, so the profile can be dropped.

    A profile is not harmless: its header and text tags name the camera or the monitor it was calibrated
    on, and a calibration tool's profile (with its date and checksum) can single out one photographer's
    machine. Untagged pixels are read as sRGB by browsers, so converting keeps the colours and drops the rest.
    """
    icc = im.info.get("icc_profile")
    if not icc or im.mode not in {"RGB", "RGBA", "CMYK"}:
        return im
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = ImageCms.getProfileDescription(profile)
        if im.mode != "CMYK" and "srgb" in description.lower().replace(" ", ""):
            return im  # Already sRGB: dropping the tag changes nothing.
        alpha = im.getchannel("A") if im.mode == "RGBA" else None
        source = im.convert("RGB") if alpha is not None else im
        converted = ImageCms.profileToProfile(source, profile, _SRGB, outputMode="RGB")
        if alpha is not None:
            converted.putalpha(alpha)
        return converted
    except Exception:  # A broken profile: keep the pixels as they are, untagged.
        return im


def _save(im, buffer, stored_format):
    # Tuned for upload speed: the stored file is the master that renditions are cut from, not what readers
    # download. PNG level 1 is four to six times faster than the default for a photo, and 20% larger;
    # WebP method 2 half the time of the default for 2% more bytes.
    if stored_format == "JPEG":
        im.save(buffer, "JPEG", quality=JPEG_QUALITY)
    elif stored_format == "PNG":
        im.save(buffer, "PNG", compress_level=1)
    else:
        im.save(buffer, "WEBP", quality=WEBP_QUALITY, method=2)


# Reading the metadata ------------------------------------------------------------------------------------

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
XMP_EXIF = "http://ns.adobe.com/exif/1.0/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

METADATA_KEYS = ("caption", "credit", "creator", "copyright_notice", "taken_at")


def read_metadata(im):
    """Caption, credit, creator, copyright notice and date taken, each from the first block that has it.

    XMP wins over IPTC, IPTC over EXIF (the order in which editing programs keep them up to date). A block
    that cannot be read is skipped: bad metadata never refuses a photo.
    """
    found = {}
    for source, reader in (("XMP", _read_xmp), ("IPTC", _read_iptc), ("EXIF", _read_exif)):
        try:
            values = reader(im)
        except Exception:  # noqa: S112 - unreadable metadata is no metadata
            continue
        for key, value in values.items():
            value = _clean_value(key, value)
            if value and key not in found:
                found[key] = {"value": value, "source": source}
    return {key: found[key] for key in METADATA_KEYS if key in found}


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _max_length(key):
    if key == "caption":
        return CAPTION_MAX_LENGTH
    return Photo._meta.get_field(key).max_length


def _clean_value(key, value):
    if key == "taken_at":
        return _iso_date(value)
    if not isinstance(value, str):
        return ""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL_CHARACTERS.sub(" ", value)
    if key == "caption":
        lines = (" ".join(line.split()) for line in value.split("\n"))
        value = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    else:
        value = " ".join(value.split())
    return value.strip()[: _max_length(key)].strip()


def _iso_date(value):
    """A datetime (or a date) as ISO 8601; anything else, or an impossible date, as ''."""
    if isinstance(value, datetime | date) and 1800 < value.year < 2200:
        return value.isoformat()
    return ""


_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2,}")


def _decode_text(raw, utf8=None):
    """Bytes from a block without a reliable charset: UTF-8 if they are valid UTF-8, else Arabic Windows
    (cp1256), unless that yields no Arabic word: then Latin-1, as in a wire photographer's "José García"."""
    if utf8:
        return raw.decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    arabic = raw.decode("cp1256", "replace")
    return arabic if _ARABIC_WORD.search(arabic) else raw.decode("latin-1")


def _read_xmp(im):
    from defusedxml import ElementTree

    packet = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")
    if not packet:
        return {}
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    # DTDs are refused outright: no entity expansion, so a billion-laughs packet is just unreadable metadata.
    root = ElementTree.fromstring(packet.strip(b"\x00 \t\r\n"), forbid_dtd=True)
    taken = _xmp_value(root, PHOTOSHOP, "DateCreated") or _xmp_value(root, XMP_EXIF, "DateTimeOriginal")
    return {
        "caption": _xmp_value(root, DC, "description"),
        "credit": _xmp_value(root, PHOTOSHOP, "Credit"),
        "creator": _xmp_value(root, DC, "creator"),
        "copyright_notice": _xmp_value(root, DC, "rights"),
        "taken_at": _parse_xmp_date(taken),
    }


def _xmp_value(root, namespace, name):
    """A property written as an attribute of rdf:Description, or as an element (plain, rdf:Alt, rdf:Seq/Bag)."""
    tag = f"{{{namespace}}}{name}"
    for element in root.iter(f"{{{RDF}}}Description"):
        if element.get(tag):
            return element.get(tag)
    for element in root.iter(tag):
        alternatives = element.find(f"{{{RDF}}}Alt")
        if alternatives is not None:
            items = [item for item in alternatives.iter(f"{{{RDF}}}li") if (item.text or "").strip()]
            chosen = [item for item in items if item.get(XML_LANG) == "x-default"] or items
            if chosen:
                return chosen[0].text
            continue
        items = [item.text.strip() for item in element.iter(f"{{{RDF}}}li") if (item.text or "").strip()]
        if items:
            return ", ".join(items)
        if (element.text or "").strip():
            return element.text
    return None


def _parse_xmp_date(value):
    """XMP dates are ISO 8601: a full date at least, a time and an offset if the camera knew them."""
    value = (value or "").strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _iptc_datasets(data):
    """IPTC-IIM datasets as {(record, dataset): [bytes, ...]}; stops quietly at the first malformed one."""
    datasets = {}
    position = 0
    while position + 5 <= len(data) and data[position] == 0x1C:
        record, number = data[position + 1], data[position + 2]
        length = int.from_bytes(data[position + 3 : position + 5], "big")
        position += 5
        if length & 0x8000:  # Extended dataset: the low bits say how many bytes hold the real length.
            size = length & 0x7FFF
            if size > 4:
                break
            length = int.from_bytes(data[position : position + size], "big")
            position += size
        if position + length > len(data):  # Cut short: the value would be a fragment.
            break
        datasets.setdefault((record, number), []).append(data[position : position + length])
        position += length
    return datasets


def _read_iptc(im):
    photoshop = im.info.get("photoshop") or {}
    block = photoshop.get(0x0404)
    if not isinstance(block, bytes):
        return {}
    datasets = _iptc_datasets(block)
    # 1:90 is the coded character set; ESC % G declares UTF-8. Without it, guess (see _decode_text).
    utf8 = any(b"\x1b%G" in value for value in datasets.get((1, 90), []))

    def text(number, join=None):
        values = [_decode_text(raw, utf8).strip() for raw in datasets.get((2, number), [])]
        values = [value for value in values if value]
        if not values:
            return None
        return join.join(values) if join else values[0]

    return {
        "caption": text(120),
        "credit": text(110),
        "creator": text(80, join=", "),
        "copyright_notice": text(116),
        "taken_at": _parse_iptc_date(text(55), text(60)),
    }


def _parse_iptc_date(day, time):
    """2:55 is CCYYMMDD, 2:60 HHMMSS with an optional ±HHMM."""
    if not day or not re.fullmatch(r"\d{8}", day):
        return None
    try:
        taken = date(int(day[:4]), int(day[4:6]), int(day[6:8]))
        match = re.fullmatch(r"(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})(\d{2}))?", time or "")
        if not match:
            return taken
        hours, minutes, seconds, sign, offset_hours, offset_minutes = match.groups()
        stamp = f"{taken.isoformat()}T{hours}:{minutes}:{seconds}"
        if sign:
            stamp += f"{sign}{offset_hours}:{offset_minutes}"
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


def _exif_text(value):
    """Pillow decodes EXIF text as Latin-1; cameras and programs write UTF-8 (and Arabic Windows, cp1256)."""
    if isinstance(value, str):
        try:
            value = value.encode("latin-1")
        except UnicodeEncodeError:
            return value
    if not isinstance(value, bytes):
        return None
    # The Copyright tag may hold two notices (photographer, editor) separated by NUL.
    parts = [_decode_text(part).strip() for part in value.split(b"\x00")]
    return "; ".join(part for part in parts if part) or None


def _read_exif(im):
    exif = im.getexif()
    details = exif.get_ifd(0x8769)  # The Exif sub-IFD, where the date taken lives.
    return {
        "caption": _exif_text(exif.get(0x010E)),
        "creator": _exif_text(exif.get(0x013B)),
        "copyright_notice": _exif_text(exif.get(0x8298)),
        "taken_at": _parse_exif_date(details.get(0x9003), details.get(0x9011)),
    }


def _parse_exif_date(value, offset=None):
    """EXIF writes "YYYY:MM:DD HH:MM:SS", in the camera's local time; OffsetTimeOriginal says which zone."""
    value = _exif_text(value) or ""
    match = re.fullmatch(r"(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})", value.strip())
    if not match:
        return None
    year, month, day, hours, minutes, seconds = match.groups()
    stamp = f"{year}-{month}-{day}T{hours}:{minutes}:{seconds}"
    offset = (_exif_text(offset) or "").strip()
    if re.fullmatch(r"[+-]\d{2}:\d{2}", offset):
        stamp += offset
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


# Putting it on a Photo -------------------------------------------------------------------------------------


def fill_photo_from_file(photo, prepared, language=None):
    """Give the photo its new image, and fill its EMPTY fields from the file's metadata (not saved).

    Captions and credits go into the source language's fields (Arabic) whatever language the admin is shown
    in: the source-language credit is the one every edition prints, and a credit is a legal duty. The names
    of the fields filled are kept in ``prefilled_fields`` so the editor can see what came from the file.
    """
    language = language or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    photo.image = prepared.content
    photo.width, photo.height = prepared.width, prepared.height
    photo.source_digest = prepared.digest
    photo.embedded_metadata = prepared.metadata
    targets = {
        "caption": f"caption_{language}",
        "credit": f"credit_{language}",
        "creator": "creator",
        "copyright_notice": "copyright_notice",
        "taken_at": "taken_at",
    }
    filled = []
    for key, field_name in targets.items():
        entry = prepared.metadata.get(key)
        if not entry or getattr(photo, field_name, None):
            continue
        value = _taken_at(entry["value"]) if key == "taken_at" else entry["value"]
        if value:
            setattr(photo, field_name, value)
            filled.append(field_name)
    photo.prefilled_fields = filled
    return photo


def _taken_at(value):
    """ISO 8601 from the metadata as a datetime; a time without an offset is read in the newsroom's zone."""
    try:
        taken = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if settings.USE_TZ and timezone.is_naive(taken):
        taken = timezone.make_aware(taken)
    return taken


class PhotoFileField(forms.ImageField):
    """A file field that checks and re-encodes the upload; cleans to a ContentFile with ``.prepared`` attached."""

    default_validators = []  # prepare_upload checks the extension against the content itself.
    default_error_messages = {"empty": MESSAGES["empty"]}

    def to_python(self, data):
        uploaded = forms.FileField.to_python(self, data)
        if uploaded is None:
            return None
        prepared = prepare_upload(uploaded)
        prepared.content.prepared = prepared
        return prepared.content

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs


def store_photo_file(photo):
    """Write the photo's new image to the media storage; the row is not saved.

    The one rule for a storage failure, shared by create_photo and the admin's photo form: a full disk, a
    read-only mount, a missing folder or bucket, an S3 endpoint that does not answer becomes a refusal with a
    reason (nothing written), and the operator gets the cause in the log. Only the storage's own errors
    (STORAGE_ERRORS) are caught: a file Pillow cannot read never gets here (prepare_upload refused it), and any
    other error stays the error it is.
    """
    image = photo.image
    if not image or image._committed:
        return
    try:
        # What FileField.pre_save would do on save(), done first so its failure can be told apart.
        image.save(image.name, image.file, save=False)
    except STORAGE_ERRORS as error:
        logger.error("The media storage refused a photo upload", exc_info=error)
        raise _refuse("storage") from error


def create_photo(*, file, uploaded_by=None, **fields):
    """Check, fill and store a new photo; renditions follow once the transaction commits.

    Raises ValidationError for a refused file or a storage that refused to write it (nothing written), or for
    invalid fields (nothing written either).
    """
    prepared = getattr(file, "prepared", None)
    if not isinstance(prepared, PreparedImage):
        prepared = prepare_upload(file)
    photo = Photo(uploaded_by=uploaded_by, **fields)
    fill_photo_from_file(photo, prepared)
    try:
        with transaction.atomic():
            photo.full_clean()
            store_photo_file(photo)
            photo.save()
            # robust: a failed rendition must not undo a stored photo (readers get the original meanwhile).
            transaction.on_commit(lambda: _generate_renditions(photo), robust=True)
    except BaseException:
        # The row was rolled back: the file written for it must not outlive it.
        if photo.image.name and photo.image._committed:
            photo.image.storage.delete(photo.image.name)
        raise
    return photo


def _generate_renditions(photo):
    from .renditions import ensure_renditions

    ensure_renditions(photo)
