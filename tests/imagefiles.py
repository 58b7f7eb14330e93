"""Builders of image files for tests, good and hostile, made with Pillow and raw bytes (no binary fixtures).

Every builder returns bytes; ``upload(name, data)`` wraps them as a Django upload.
"""

import io
import random
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

GPS_SECRET = (33.0, 30.0, 15.5)  # a latitude no stored file may carry
CAMERA_SERIAL = "CAMSERIAL-7730219"


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# Pixels ---------------------------------------------------------------------------------------------------


def picture(width=64, height=48, color=(180, 40, 40), mode="RGB"):
    return Image.new(mode, (width, height), color)


def two_tone(width=60, height=40, left=(255, 0, 0), right=(0, 0, 255)):
    """Left half one colour, right half another: shows which way an image was turned."""
    im = Image.new("RGB", (width, height), right)
    im.paste(left, (0, 0, width // 2, height))
    return im


def noise(width=200, height=150, seed=1):
    """Deterministic noise: compresses badly, so a cut-off file is missing real image data."""
    return Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))


def photo_like(width=6000, height=4000, seed=1):
    """A large image with texture but no noise, compressing like a photograph (a few MB as a JPEG)."""
    return noise(width // 20, height // 20, seed).resize((width, height), Image.Resampling.BICUBIC)


def encode(im, format, **params):
    buffer = io.BytesIO()
    im.save(buffer, format, **params)
    return buffer.getvalue()


def jpeg_bytes(width=64, height=48, color=(180, 40, 40), **params):
    return encode(picture(width, height, color), "JPEG", **params)


def png_bytes(width=64, height=48, color=(40, 120, 200), mode="RGB", **params):
    return encode(picture(width, height, color, mode), "PNG", **params)


def webp_bytes(width=64, height=48, color=(40, 160, 80), **params):
    return encode(picture(width, height, color), "WEBP", **params)


def gif_bytes(width=40, height=30, colors=((255, 0, 0), (0, 0, 255))):
    """An animated GIF whose frames have different colours; the first is ``colors[0]``."""
    frames = [picture(width, height, color) for color in colors]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def palette_png_with_transparency(width=40, height=30):
    """A palette PNG, transparent on its left half."""
    im = Image.new("P", (width, height), 1)
    im.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    im.paste(0, (0, 0, width // 2, height))
    return encode(im, "PNG", transparency=0)


def cmyk_jpeg(width=40, height=30):
    return encode(Image.new("CMYK", (width, height), (0, 255, 255, 0)), "JPEG")


def srgb_profile_bytes(description=None):
    """An sRGB ICC profile; with ``description`` its name is overwritten in place (same length in UTF-16),
    the way a calibration tool names a profile after a person's machine."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    if description is None:
        return profile
    original = "sRGB built-in".encode("utf-16-be")
    assert original in profile
    replacement = description.ljust(len("sRGB built-in"))[: len("sRGB built-in")].encode("utf-16-be")
    return profile.replace(original, replacement)


# JPEG segments ----------------------------------------------------------------------------------------------


def segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def insert_segments(jpeg, *segments):
    """Put segments right after the JFIF APP0 (or after SOI when there is none), where cameras write them."""
    position = 2
    if jpeg[2:4] == b"\xff\xe0":
        position = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:position] + b"".join(segments) + jpeg[position:]


def comment_segment(text):
    return segment(0xFE, text.encode("utf-8"))


def exif_block(
    *, description=None, artist=None, copyright=None, taken=None, taken_offset=None, orientation=None,
    gps=False, serial=None,
):
    """EXIF bytes (starting b"Exif\\0\\0") for Pillow's ``save(exif=...)``. Text given as str is written as
    UTF-8 bytes, as cameras and programs do with the ASCII tags; bytes are written as they are."""
    exif = Image.Exif()

    def text(value):
        return value.encode("utf-8") if isinstance(value, str) else value

    for tag, value in ((0x010E, description), (0x013B, artist), (0x8298, copyright)):
        if value is not None:
            exif[tag] = text(value)
    if orientation is not None:
        exif[0x0112] = orientation
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "Canon EOS R5"  # Model
    details = exif.get_ifd(0x8769)
    if taken is not None:
        details[0x9003] = taken
    if taken_offset is not None:
        details[0x9011] = taken_offset
    if serial is not None:
        details[0xA431] = serial  # BodySerialNumber
    if gps:
        location = exif.get_ifd(0x8825)
        location[1] = "N"
        location[2] = GPS_SECRET
        location[3] = "E"
        location[4] = (36.0, 17.0, 3.25)
    return exif.tobytes()


def iptc_datasets(
    *, caption=None, credit=None, bylines=(), copyright=None, date=None, time=None,
    encoding="utf-8", utf8_marker=True,
):
    """IPTC-IIM datasets: 1:90 (ESC % G = UTF-8) when asked, then 2:120, 2:110, 2:80 (repeated), 2:116, 2:55, 2:60."""

    def dataset(record, number, value):
        raw = value if isinstance(value, bytes) else value.encode(encoding)
        return b"\x1c" + bytes([record, number]) + struct.pack(">H", len(raw)) + raw

    parts = [dataset(1, 90, b"\x1b%G")] if utf8_marker else []
    parts.append(dataset(2, 0, b"\x00\x04"))  # record version
    for number, value in ((120, caption), (110, credit), (116, copyright), (55, date), (60, time)):
        if value is not None:
            parts.append(dataset(2, number, value))
    parts.extend(dataset(2, 80, name) for name in bylines)
    return b"".join(parts)


def photoshop_segment(iptc):
    """APP13 "Photoshop 3.0" with one 8BIM resource 0x0404 (IPTC-NAA) holding the datasets."""
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    if len(iptc) % 2:
        resource += b"\x00"
    return segment(0xED, b"Photoshop 3.0\x00" + resource)


def xmp_packet(
    *, caption=None, credit=None, credit_as="attribute", creators=(), rights=None, date_created=None,
    exif_date=None, caption_languages=None,
):
    """An XMP packet as Adobe programs write it. ``caption_languages`` ({"ar": ..., "x-default": ...}) gives
    several alternatives; ``credit_as`` is "attribute" (photoshop:Credit="…") or "element"."""
    attributes = []
    elements = []
    if credit is not None and credit_as == "attribute":
        attributes.append(f'photoshop:Credit="{credit}"')
    elif credit is not None:
        elements.append(f"<photoshop:Credit>{credit}</photoshop:Credit>")
    if date_created is not None:
        attributes.append(f'photoshop:DateCreated="{date_created}"')
    if exif_date is not None:
        elements.append(f"<exif:DateTimeOriginal>{exif_date}</exif:DateTimeOriginal>")
    languages = caption_languages or ({"x-default": caption} if caption is not None else {})
    if languages:
        items = "".join(f'<rdf:li xml:lang="{lang}">{text}</rdf:li>' for lang, text in languages.items())
        elements.append(f"<dc:description><rdf:Alt>{items}</rdf:Alt></dc:description>")
    if creators:
        items = "".join(f"<rdf:li>{name}</rdf:li>" for name in creators)
        elements.append(f"<dc:creator><rdf:Seq>{items}</rdf:Seq></dc:creator>")
    if rights is not None:
        elements.append(f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>')
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Adobe Photoshop Lightroom"'
        f' {" ".join(attributes)}>{"".join(elements)}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def billion_laughs_xmp():
    """An XMP packet whose DTD expands into gigabytes if a parser lets it."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE x:xmpmeta [{"".join(entities)}]>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">&lol9;</rdf:li></rdf:Alt></dc:description>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def xmp_segment(packet):
    return segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + packet)


def jpeg_with(*, exif=None, iptc=None, xmp=None, comment=None, image=None, icc_profile=None):
    """A JPEG carrying the given metadata blocks (each already built by the functions above)."""
    params = {"exif": exif} if exif else {}
    if icc_profile:
        params["icc_profile"] = icc_profile
    data = encode(image or picture(), "JPEG", **params)
    segments = []
    if xmp is not None:
        segments.append(xmp_segment(xmp))
    if iptc is not None:
        segments.append(photoshop_segment(iptc))
    if comment is not None:
        segments.append(comment_segment(comment))
    return insert_segments(data, *segments)


def png_with(*, exif=None, xmp=None, image=None):
    """A PNG with an eXIf chunk and XMP in an iTXt chunk (as Photoshop and exiftool write them)."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if xmp is not None:
        info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"))
    params = {"exif": exif} if exif else {}
    return encode(image or picture(), "PNG", pnginfo=info, **params)


def webp_with(*, exif=None, xmp=None, image=None):
    params = {key: value for key, value in (("exif", exif), ("xmp", xmp)) if value}
    return encode(image or picture(), "WEBP", **params)


def jpeg_with_everything():
    """The source-endangering file: GPS position, camera serial, XMP, IPTC and a comment."""
    return jpeg_with(
        exif=exif_block(
            description="Protest in the square", artist="Samer Ali", copyright="Samer Ali",
            taken="2024:03:05 14:30:00", gps=True, serial=CAMERA_SERIAL,
        ),
        xmp=xmp_packet(caption="متظاهرون في الساحة", credit="عدسة سامر العلي", creators=["سامر العلي"]),
        iptc=iptc_datasets(caption="متظاهرون", credit="وكالة الأنباء", bylines=["سامر العلي"]),
        comment=f"Shot on {CAMERA_SERIAL}",
    )


def jpeg_turned(orientation=6):
    """A 60x40 JPEG (red left, blue right) whose EXIF says to turn it; upright it is 40x60, red on top."""
    return encode(two_tone(), "JPEG", quality=95, exif=exif_block(orientation=orientation))


# Hostile and broken files -----------------------------------------------------------------------------------


def truncated_jpeg():
    data = encode(noise(), "JPEG", quality=90)
    return data[: len(data) * 6 // 10]


def corrupt_png():
    """A PNG whose header is right but whose compressed pixel data is garbled."""
    data = bytearray(encode(noise(), "PNG"))
    start = data.find(b"IDAT") + 20
    for position in range(start, start + 40):
        data[position] ^= 0x55
    return bytes(data)


def png_with_overlong_transparency():
    """A 4×4 palette PNG of three colours whose transparency chunk (tRNS) names 300: decoding passes, converting
    the palette to RGBA fails. Written chunk by chunk, since Pillow would never save such a file."""
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", 4, 4, 8, 3, 0, 0, 0)  # 8 bits a pixel, colour type 3: a palette
    pixels = zlib.compress(b"".join(b"\x00" + bytes([0, 1, 2, 1]) for _row in range(4)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"PLTE", bytes(range(9)))
            + chunk(b"tRNS", b"\x00" * 300) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def corrupt_bytes():
    return random.Random(7).randbytes(4000)


def empty_bytes():
    return b""


def text_bytes():
    return "This is not a photo, just notes from the desk.\nهذه ليست صورة.\n".encode()


def svg_bytes():
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script>'
        b'<rect width="10" height="10" fill="red"/></svg>'
    )


def _png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_bomb(width=20000, height=20000):
    """A real, decodable 1-bit PNG of ``width`` x ``height`` zeros: tens of KB that would decode to gigabytes."""
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")
    )


def oversize_jpeg(size):
    """A valid JPEG padded after its end marker to ``size`` bytes: refused for its size alone."""
    data = jpeg_bytes()
    return data + b"\x00" * max(0, size - len(data))
