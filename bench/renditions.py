"""Time photo rendition generation for a 24-megapixel JPEG, per size and per format, on one CPU core.

    DEBUG=1 .venv/bin/python bench/renditions.py [--runs 5]

Writes bench/results/renditions.json and bench/results/renditions.md. The photo is drawn here (gradients,
shapes, film-like grain at several scales) so that it compresses like a photograph rather than flat colour.
Besides the pipeline as shipped, the same run times a plain Pillow open -> resize(1920 wide) -> save JPEG,
the pipeline with WebP method 6, and a straightforward version that resizes every rendition from the full
decoded image (no draft decoding, no intermediates, no reducing gap), so the figures compare like with like.
"""

import argparse
import io
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

import PIL  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from PIL import Image, ImageChops, ImageDraw, ImageFilter, features  # noqa: E402

from articles import renditions  # noqa: E402
from articles.models import Photo  # noqa: E402

WIDTH, HEIGHT = 6000, 4000
FOCAL = (35, 40)
RESULTS = ROOT / "bench" / "results"


def _noise(size, sigma):
    return Image.effect_noise(size, sigma).resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)


def photographic_jpeg(path):
    """A 24 MP JPEG with detail at every scale: gradients, shapes with edges, texture on every surface, grain.
    It comes out around 5.6 MB at quality 90, like a camera's; flat colour would flatter every encoder."""
    rng = random.Random(24)
    sky = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    coarse, medium, fine = _noise((60, 40), 70), _noise((750, 500), 60), _noise((3000, 2000), 60)
    detail = Image.blend(medium, fine, 0.5)
    shapes = Image.new("RGB", (WIDTH, HEIGHT), (90, 120, 160))
    draw = ImageDraw.Draw(shapes)
    for _ in range(300):  # buildings, people, street furniture: edges the encoders have to keep
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        w, h = rng.randrange(20, 700), rng.randrange(20, 900)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)((x, y, x + w, y + h), fill=colour)
    base = Image.merge("RGB", [Image.blend(sky, coarse, 0.5), coarse, sky.transpose(Image.Transpose.ROTATE_180)])
    image = Image.blend(shapes, base, 0.45)
    # Light and shade: every surface carries texture at several scales.
    image = ImageChops.multiply(image, Image.merge("RGB", [Image.eval(detail, lambda v: 110 + v * 145 // 255)] * 3))
    image = ImageChops.screen(image, Image.merge("RGB", [Image.eval(detail, lambda v: v // 5)] * 3))
    image = image.filter(ImageFilter.GaussianBlur(0.6))  # a lens, not a vector drawing
    grain = Image.merge("RGB", [Image.effect_noise((WIDTH, HEIGHT), 20) for _ in range(3)])
    Image.blend(image, grain, 0.1).save(path, "JPEG", quality=90)


def median_time(function, runs):
    """Median wall-clock seconds over the runs, and the median CPU seconds (steadier on a busy machine)."""
    wall, cpu = [], []
    result = None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu), result


def plain_pillow(path):
    with Image.open(path) as image:
        resized = image.resize((1920, round(1920 * image.height / image.width)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    resized.save(buffer, "JPEG", quality=renditions.JPEG_OPTIONS["quality"])
    return buffer.getvalue()


def straightforward(path):
    """Every rendition resized from the fully decoded photo, the way a first version would do it."""
    outputs = []
    with Image.open(path) as image:
        image.load()
        for target in renditions.plan(image.width, image.height, *FOCAL):
            resized = image.resize((target.width, target.height), Image.Resampling.LANCZOS, box=target.box)
            for _fmt, pillow_format, options in renditions.FORMATS:
                buffer = io.BytesIO()
                resized.save(buffer, pillow_format, **options)
                outputs.append(buffer.getvalue())
    return outputs


def pipeline_runs(path, runs):
    """The shipped pipeline: median wall and CPU seconds, per-step medians, the files of the last run."""
    steps = []

    def run():
        timings = {}
        outputs = renditions.render(path, *FOCAL, timings=timings)
        steps.append(timings)
        return outputs

    wall, cpu, outputs = median_time(run, runs)
    return wall, cpu, {key: statistics.median(t[key] for t in steps) for key in steps[0]}, outputs


def with_webp_method(method, function):
    previous = renditions.WEBP_OPTIONS["method"]
    renditions.WEBP_OPTIONS["method"] = method
    try:
        return function()
    finally:
        renditions.WEBP_OPTIONS["method"] = previous


def through_storage(path, folder, runs):
    """ensure_renditions' file work end to end: read the source through the storage, render, save 16 files."""
    with override_settings(MEDIA_ROOT=folder, STORAGES={
        **settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }):
        Path(folder, "bench").mkdir(parents=True, exist_ok=True)
        Path(folder, "bench", "source.jpg").write_bytes(Path(path).read_bytes())
        photo = Photo(pk=1, image="bench/source.jpg", focal_x=FOCAL[0], focal_y=FOCAL[1], width=WIDTH, height=HEIGHT)
        seconds, _cpu, _result = median_time(lambda: renditions._generate(photo, "bench"), runs)
    return seconds


def ms(seconds):
    return round(seconds * 1000, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    # One core, as the goal says; libwebp and libjpeg then cannot borrow a second one either.
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "photo-24mp.jpg")
        photographic_jpeg(path)
        source_bytes = os.path.getsize(path)

        load_before = os.getloadavg()[0]
        plain_seconds, plain_cpu, plain_output = median_time(lambda: plain_pillow(path), runs)
        total, total_cpu, steps, outputs = pipeline_runs(path, runs)
        method6_total, _cpu6, _steps6, outputs6 = with_webp_method(6, lambda: pipeline_runs(path, runs))
        naive_seconds, naive_cpu, _naive = median_time(lambda: straightforward(path), max(1, runs // 2))
        storage_seconds = through_storage(path, os.path.join(folder, "media"), runs)

    sizes = {}
    for output in outputs:
        entry = sizes.setdefault(output.size, {"files": [], "resize_ms": ms(steps[(output.size, "resize")]),
                                               "webp_ms": ms(steps[(output.size, "webp")]),
                                               "jpeg_ms": ms(steps[(output.size, "jpeg")])})
        entry["files"].append({"width": output.width, "height": output.height, "format": output.format,
                               "bytes": len(output.data)})
    webp_bytes = sum(len(o.data) for o in outputs if o.format == "webp")
    webp6_bytes = sum(len(o.data) for o in outputs6 if o.format == "webp")
    jpeg_bytes = sum(len(o.data) for o in outputs if o.format == "jpeg")
    result = {
        "command": "DEBUG=1 .venv/bin/python bench/renditions.py",
        "runs": runs,
        "machine": {
            "cpu": _cpu_name(), "cores_used": 1, "python": platform.python_version(),
            "pillow": PIL.__version__, "libjpeg_turbo": features.version("libjpeg_turbo"),
            "libwebp": features.version("webp"),
        },
        "source": {"width": WIDTH, "height": HEIGHT, "megapixels": WIDTH * HEIGHT / 1e6, "bytes": source_bytes},
        "settings": {"jpeg": renditions.JPEG_OPTIONS, "webp": renditions.WEBP_OPTIONS,
                     "reducing_gap": renditions.REDUCING_GAP},
        "load_average_at_start": round(load_before, 2),
        "plain_pillow_1920_jpeg_ms": ms(plain_seconds),
        "plain_pillow_1920_jpeg_cpu_ms": ms(plain_cpu),
        "plain_pillow_output_bytes": len(plain_output),
        "all_renditions_ms": ms(total),
        "all_renditions_cpu_ms": ms(total_cpu),
        "files": len(outputs),
        "decode_ms": ms(steps[("decode", "decode")]),
        "per_format_ms": {
            fmt: ms(sum(seconds for (size, step), seconds in steps.items() if step == fmt)) for fmt in ("webp", "jpeg")
        },
        "resize_ms": ms(sum(seconds for (size, step), seconds in steps.items() if step == "resize")),
        "per_size": sizes,
        "through_storage_ms": ms(storage_seconds),
        "webp_method_6": {"all_renditions_ms": ms(method6_total), "webp_bytes": webp6_bytes},
        "webp_bytes": webp_bytes,
        "jpeg_bytes": jpeg_bytes,
        "straightforward_ms": ms(naive_seconds),
        "straightforward_cpu_ms": ms(naive_cpu),
        "goal_ms": 1500,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "renditions.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "renditions.md").write_text(markdown(result))
    print(markdown(result))


def markdown(r):
    m = r["machine"]
    lines = [
        "# Rendition benchmark",
        "",
        f"`{r['command']}`: a {r['source']['width']}x{r['source']['height']} "
        f"({r['source']['megapixels']:.0f} MP, {r['source']['bytes'] / 1e6:.1f} MB) JPEG drawn by the script, "
        f"median of {r['runs']} runs, pinned to one core of {m['cpu']} "
        f"(Python {m['python']}, Pillow {m['pillow']}, libjpeg-turbo {m['libjpeg_turbo']}, libwebp {m['libwebp']}); "
        f"load average {r['load_average_at_start']} when it started.",
        "",
        "| what | wall clock | CPU |",
        "|---|---:|---:|",
        f"| all {r['files']} renditions (5 sizes, WebP + JPEG), as shipped | **{r['all_renditions_ms']} ms** "
        f"(goal {r['goal_ms']} ms) | {r['all_renditions_cpu_ms']} ms |",
        f"| the same through the storage API (read source, save {r['files']} files) | {r['through_storage_ms']} ms "
        "| |",
        f"| plain Pillow: open, resize to 1920 wide (LANCZOS), save one JPEG | {r['plain_pillow_1920_jpeg_ms']} ms "
        f"| {r['plain_pillow_1920_jpeg_cpu_ms']} ms |",
        f"| all renditions, each resized from the full image (no draft, no intermediates) | "
        f"{r['straightforward_ms']} ms | {r['straightforward_cpu_ms']} ms |",
        f"| all renditions with WebP method 6 instead of 4 | {r['webp_method_6']['all_renditions_ms']} ms | |",
        "",
        f"Within the shipped pipeline: JPEG draft decode at reduced scale {r['decode_ms']} ms, resizing "
        f"{r['resize_ms']} ms, WebP encoding {r['per_format_ms']['webp']} ms, JPEG encoding "
        f"{r['per_format_ms']['jpeg']} ms.",
        "",
        "| size | resize ms | WebP ms | JPEG ms | files (WebP / JPEG bytes) |",
        "|---|---:|---:|---:|---|",
    ]
    for size, entry in r["per_size"].items():
        by_width = {}
        for file in entry["files"]:
            by_width.setdefault((file["width"], file["height"]), {})[file["format"]] = file["bytes"]
        files = ", ".join(
            f"{w}x{h} ({formats['webp'] / 1024:.0f} / {formats['jpeg'] / 1024:.0f} KiB)"
            for (w, h), formats in sorted(by_width.items())
        )
        lines.append(f"| {size} | {entry['resize_ms']} | {entry['webp_ms']} | {entry['jpeg_ms']} | {files} |")
    webp6 = r["webp_method_6"]["webp_bytes"]
    lines += [
        "",
        f"All WebP files: {r['webp_bytes'] / 1024:.0f} KiB at method 4, {webp6 / 1024:.0f} KiB at method 6 "
        f"({(webp6 - r['webp_bytes']) / r['webp_bytes'] * 100:+.1f}%); "
        f"all JPEG files: {r['jpeg_bytes'] / 1024:.0f} KiB.",
        "",
    ]
    return "\n".join(lines)


def _cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
