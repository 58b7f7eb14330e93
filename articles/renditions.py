"""Named photo sizes, cropped around the focal point, stored in WebP and JPEG through Django's default storage.

Generation happens once per key (source + focal point + spec), under a lock (a row lock on PostgreSQL; on SQLite
the IMMEDIATE transaction's database write lock), never in a reader's request: templates only read
``photo.renditions`` through ``picture()`` and fall back to the original until it is filled. A rendition carries
nothing from the source file but its pixels (no EXIF, XMP, comment or ICC profile).
"""

import hashlib
import io
import math
import time
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps

from .intake import to_srgb


@dataclass(frozen=True)
class Size:
    # Width:height of the crop, or None to keep the photo's own ratio.
    ratio: tuple[int, int] | None
    widths: tuple[int, ...]
    # Always exactly this size, even if that means enlarging a small photo.
    exact: bool = False
    # For ratio None: the tallest shape kept (width, height); a taller photo is cropped to it around the focal point.
    tallest: tuple[int, int] | None = None


SIZES = {
    "thumbnail": Size((1, 1), (240,)),
    "card": Size((16, 9), (400, 800)),
    # An infographic or a scanned page may be 1:25; a 1:3 crop keeps every file far below WebP's 16383 px.
    "article": Size(None, (720, 1440), tallest=(1, 3)),
    "hero": Size((2, 1), (960, 1920)),
    # Social networks want 1200x630 and read og:image:width/height; a smaller photo is enlarged to fit.
    "social": Size((1200, 630), (1200,), exact=True),
}
# Bump when SIZES, crops or encoder settings change: every photo then gets new file names.
SPEC_VERSION = 2

JPEG_OPTIONS = {"quality": 82, "optimize": False, "progressive": False}
# method 4 is libwebp's default; 6 is several times slower for a few percent smaller files (bench/renditions.py).
WEBP_OPTIONS = {"quality": 80, "method": 4}
FORMATS = (("webp", "WEBP", WEBP_OPTIONS), ("jpeg", "JPEG", JPEG_OPTIONS))
EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}
# Shrink by whole factors (cheap box filter) down to this multiple of the target, then finish with Lanczos.
REDUCING_GAP = 3.0
ORIENTATION_TAG = 0x0112
# A photo narrower than a size's largest width gets one more file at its own width, if that adds enough.
OWN_WIDTH_STEP = 1.25


def rendition_key(photo):
    """Short hash naming this photo's renditions: a new source, focal point or spec gives new names."""
    source = photo.source_digest or photo.image.name
    raw = f"{source}|{photo.focal_x}|{photo.focal_y}|{SPEC_VERSION}"
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def crop_box(width, height, ratio, focal_x, focal_y, tallest=None):
    """The largest box of ``ratio`` inside width x height, centred on the focal point (percent) as far as
    the image edges allow. Returns (left, top, right, bottom) in floats; None as ratio means the whole image,
    or, if it is taller than ``tallest``, a box of that ratio."""
    if ratio is None:
        if tallest is None or width * tallest[1] >= height * tallest[0]:
            return (0.0, 0.0, float(width), float(height))
        ratio = tallest
    target = ratio[0] / ratio[1]
    if width / height > target:
        box_w, box_h = height * target, float(height)
    else:
        box_w, box_h = float(width), width / target
    left = min(max(width * focal_x / 100 - box_w / 2, 0.0), width - box_w)
    top = min(max(height * focal_y / 100 - box_h / 2, 0.0), height - box_h)
    return (left, top, left + box_w, top + box_h)


@dataclass(frozen=True)
class Target:
    size: str
    width: int
    height: int
    box: tuple[float, float, float, float]  # in the source's pixels


def plan(width, height, focal_x, focal_y):
    """Every file a photo of width x height gets, largest first, never enlarged (except exact sizes)."""
    targets = []
    for name, size in SIZES.items():
        box = crop_box(width, height, size.ratio, focal_x, focal_y, size.tallest)
        box_w, box_h = box[2] - box[0], box[3] - box[1]
        if size.exact:
            widths = list(size.widths)
        else:
            widths = [w for w in size.widths if w <= box_w]
            own = math.floor(box_w)
            if len(widths) < len(size.widths) and (not widths or own >= widths[-1] * OWN_WIDTH_STEP):
                widths.append(own)
        for w in widths:
            ratio = size.ratio or (box_w, box_h)
            h = max(1, round(w * ratio[1] / ratio[0]))
            targets.append(Target(name, w, h, box))
    return sorted(targets, key=lambda t: t.width * t.height, reverse=True)


@dataclass(frozen=True)
class Output:
    size: str
    width: int
    height: int
    format: str  # "webp" | "jpeg"
    data: bytes


@dataclass
class _Intermediate:
    image: Image.Image
    box: tuple[float, float, float, float]  # the region of the source it shows


def _contains(outer, inner, slack=0.5):
    return (
        outer[0] - slack <= inner[0] and outer[1] - slack <= inner[1]
        and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack
    )


def _source_for(target, intermediates):
    """The smallest image made so far that shows the target's box with at least the target's pixels."""
    best = None
    for candidate in intermediates:
        if not _contains(candidate.box, target.box):
            continue
        scale_x = candidate.image.width / (candidate.box[2] - candidate.box[0])
        scale_y = candidate.image.height / (candidate.box[3] - candidate.box[1])
        box = (
            (target.box[0] - candidate.box[0]) * scale_x, (target.box[1] - candidate.box[1]) * scale_y,
            (target.box[2] - candidate.box[0]) * scale_x, (target.box[3] - candidate.box[1]) * scale_y,
        )
        # Clamp rounding slack so Pillow never samples outside the image.
        box = (max(box[0], 0), max(box[1], 0), min(box[2], candidate.image.width),
               min(box[3], candidate.image.height))
        big_enough = box[2] - box[0] >= target.width - 0.5 and box[3] - box[1] >= target.height - 0.5
        pixels = candidate.image.width * candidate.image.height
        if big_enough and (best is None or pixels < best[2]):
            best = (candidate.image, box, pixels)
    if best is None:  # an exact size larger than the source: enlarge from the decoded image
        candidate = intermediates[0]
        scale = candidate.image.width / (candidate.box[2] - candidate.box[0])
        return candidate.image, tuple(v * scale for v in target.box)
    return best[0], best[1]


def _decode(image, targets):
    """Decode an opened image for these targets. A JPEG is decoded straight at 1/2, 1/4 or 1/8 scale when the
    largest target allows it (a 24 MP JPEG at 1/2 costs about a quarter of the full decode)."""
    need = max(max(t.width / (t.box[2] - t.box[0]), t.height / (t.box[3] - t.box[1])) for t in targets)
    if need < 1:
        image.draft(None, (math.ceil(image.width * need), math.ceil(image.height * need)))
    if _orientation(image) != 1:
        # The intake applies EXIF orientation; older files may still carry it.
        image = ImageOps.exif_transpose(image)
    # The intake stores sRGB without a profile; an older file's profile is applied here, since none is written.
    image = to_srgb(image)
    if image.mode != "RGB":
        image = _flatten(image)
    image.load()
    image.info.clear()
    return image


def _orientation(image):
    return image.getexif().get(ORIENTATION_TAG, 1)


def _flatten(image):
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def render(source, focal_x=50, focal_y=50, timings=None):
    """Every rendition of an image file (a path or a binary file object), as encoded bytes in memory.

    ``timings``, if given, is a dict that collects seconds spent per (size, step); the benchmark reads it.
    """
    clock = time.perf_counter
    started = clock()
    image = Image.open(source)
    width, height = image.size
    if _orientation(image) in (5, 6, 7, 8):  # turned a quarter: the photo as seen is height x width
        width, height = height, width
    targets = plan(width, height, focal_x, focal_y)
    decoded = _decode(image, targets)
    if timings is not None:
        timings[("decode", "decode")] = clock() - started
    intermediates = [_Intermediate(decoded, (0.0, 0.0, float(width), float(height)))]
    outputs = []
    for target in targets:
        started = clock()
        image, box = _source_for(target, intermediates)
        resized = image.resize(
            (target.width, target.height), Image.Resampling.LANCZOS, box=box, reducing_gap=REDUCING_GAP
        )
        # Pillow copies info to every derived image, and the JPEG saver writes info's comment: keep it empty.
        resized.info.clear()
        intermediates.append(_Intermediate(resized, target.box))
        if timings is not None:
            timings[(target.size, "resize")] = timings.get((target.size, "resize"), 0) + clock() - started
        for fmt, pillow_format, options in FORMATS:
            started = clock()
            buffer = io.BytesIO()
            resized.save(buffer, pillow_format, **options)
            outputs.append(Output(target.size, target.width, target.height, fmt, buffer.getvalue()))
            if timings is not None:
                timings[(target.size, fmt)] = timings.get((target.size, fmt), 0) + clock() - started
    return outputs


def rendition_name(photo_pk, key, size, width, fmt):
    return f"renditions/{photo_pk}/{key}/{size}-{width}.{EXTENSIONS[fmt]}"


def _save(name, data, listed):
    """Store one file under ``name`` or, if the row lists a file of that name (a forced rerun), beside it: a live
    page may show that one, so it stays until the new names are committed (the storage picks the free name).
    An unlisted file of that name is a leftover of an interrupted run, which no page links to: it is replaced."""
    if name not in listed and default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def _generate(photo, key):
    """Render and store every rendition; returns the value for photo.renditions. Removes the files it wrote
    if anything fails halfway (except names the photo already lists, which a storage that overwrites in place
    may have rewritten)."""
    with default_storage.open(photo.image.name, "rb") as stored:
        source = io.BytesIO(stored.read())
    listed = _names(photo.renditions)
    saved, entries = [], {}
    try:
        for output in render(source, photo.focal_x, photo.focal_y):
            name = _save(
                rendition_name(photo.pk, key, output.size, output.width, output.format), output.data, listed
            )
            saved.append(name)
            entry = entries.setdefault((output.size, output.width), {"width": output.width, "height": output.height})
            entry[output.format] = name
    except BaseException:
        _delete(set(saved) - listed)
        raise
    sizes = {}
    for (size, _width), entry in sorted(entries.items()):
        sizes.setdefault(size, []).append(entry)
    return {"key": key, "sizes": sizes}


def _names(renditions):
    return {
        entry[fmt]
        for entries in (renditions or {}).get("sizes", {}).values()
        for entry in entries
        for fmt in EXTENSIONS
        if entry.get(fmt)
    }


def _delete(names):
    for name in names:
        default_storage.delete(name)


def ensure_renditions(photo, force=False):
    """Generate the photo's renditions unless the stored ones already match its current key.

    The row lock (on SQLite, the IMMEDIATE write lock) makes a second caller wait, then find the work done.
    Returns True if this call generated files.
    """
    if not photo.pk or not photo.image:
        return False
    if not force and photo.renditions.get("key") == rendition_key(photo):
        return False
    with transaction.atomic():
        locked = type(photo).objects.select_for_update().get(pk=photo.pk)
        key = rendition_key(locked)
        if not force and locked.renditions.get("key") == key:
            photo.renditions = locked.renditions
            return False
        previous = _names(locked.renditions)
        locked.renditions = _generate(locked, key)
        try:
            locked.save(update_fields=["renditions"])
        except BaseException:
            _delete(_names(locked.renditions) - previous)
            raise
        photo.renditions = locked.renditions
        # The old files go only once the new names are committed, so no reader is left with a dead link.
        stale = previous - _names(locked.renditions)
        transaction.on_commit(lambda: _delete(stale), robust=True)
    return True


def delete_photo_files(photo):
    """Remove the photo's image and every rendition file, including leftovers no row lists any more."""
    names = _names(photo.renditions)
    if photo.pk:
        names |= _listed(f"renditions/{photo.pk}")
    _delete(names)
    if photo.image.name:
        default_storage.delete(photo.image.name)


def _listed(folder):
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return set()
    names = {f"{folder}/{name}" for name in files}
    for sub in folders:
        names |= _listed(f"{folder}/{sub}")
    return names


@dataclass(frozen=True)
class Picture:
    webp_srcset: str
    jpeg_srcset: str
    src: str
    width: int
    height: int


def stored_renditions(photo, size):
    if size not in SIZES:
        raise ValueError(f"Unknown photo size {size!r}; choose one of {', '.join(SIZES)}.")
    stored = photo.renditions or {}
    # Renditions of another key may show a replaced image: the current original is the truer picture. Not for
    # an original stored before the intake (no digest), which may carry GPS positions: its renditions, if of an
    # older crop or spec, still show it (a new image always comes through the intake, which sets the digest).
    if photo.source_digest and stored.get("key") != rendition_key(photo):
        return []
    return stored.get("sizes", {}).get(size) or []


def _srcset(entries, fmt):
    return ", ".join(f"{default_storage.url(entry[fmt])} {entry['width']}w" for entry in entries)


def picture(photo, size):
    """What a <picture> needs for one named size, read from the row (no query, no generation).

    Without renditions it falls back to the stored original, with empty srcsets.
    """
    if photo is None or not photo.image:
        return None
    entries = stored_renditions(photo, size)
    if not entries:
        return Picture("", "", photo.image.url, photo.width, photo.height)
    largest = entries[-1]
    return Picture(
        webp_srcset=_srcset(entries, "webp"),
        jpeg_srcset=_srcset(entries, "jpeg"),
        src=default_storage.url(largest["jpeg"]),
        width=largest["width"],
        height=largest["height"],
    )


def social_image(photo):
    """(url, width, height) of the 1200x630 JPEG for social cards; the original until it exists; None for a
    sensitive photo, which is never a share image."""
    if photo is None or not photo.image or photo.is_sensitive:
        return None
    entries = stored_renditions(photo, "social")
    if not entries:
        return photo.image.url, photo.width, photo.height
    entry = entries[-1]
    return default_storage.url(entry["jpeg"]), entry["width"], entry["height"]


def share_images(photo):
    """Absolute-path URLs of the photo in the shapes search engines ask structured data for: the wide social
    crop, 16:9 and 1:1, the largest JPEG of each. The original until renditions exist; [] for a sensitive photo."""
    if photo is None or not photo.image or photo.is_sensitive:
        return []
    urls = [default_storage.url(entries[-1]["jpeg"]) for size in ("social", "card", "thumbnail")
            if (entries := stored_renditions(photo, size))]
    return urls or [photo.image.url]


def thumbnail_url(photo):
    """The admin's square thumbnail (JPEG), or the original while it does not exist yet."""
    if photo is None or not photo.image:
        return ""
    entries = stored_renditions(photo, "thumbnail")
    return default_storage.url(entries[-1]["jpeg"]) if entries else photo.image.url
