"""Draws static/img/logo.png, the publisher logo in the article pages' structured data (NewsArticle).

A placeholder wordmark: «غرفة الأخبار» in the site's Noto Sans Arabic Bold, ink on white, beside a bar in
the site's accent red, 60 pixels high as Google asks (within 600×60). A newsroom replaces the file with its
own wordmark of the same height and updates LOGO in articles/structured_data.py.

    DEBUG=1 .venv/bin/python scripts/draw_logo.py
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "static" / "fonts" / "noto-sans-arabic-arabic-700-normal.woff2"
OUT = ROOT / "static" / "img" / "logo.png"
HEIGHT, PADDING, BAR = 60, 12, 8
INK, ACCENT, PAPER = (27, 27, 27), (164, 22, 26), (255, 255, 255)


def draw(text="غرفة الأخبار"):
    # Arabic needs shaping (joined letters, right to left): Pillow does it with libraqm.
    font = ImageFont.truetype(str(FONT), 34, layout_engine=ImageFont.Layout.RAQM)
    left, top, right, bottom = font.getbbox(text, direction="rtl", language="ar")
    width = PADDING + (right - left) + PADDING + BAR
    image = Image.new("RGB", (width, HEIGHT), PAPER)
    canvas = ImageDraw.Draw(image)
    # The bar stands where an Arabic line starts, on the right.
    canvas.rectangle([width - BAR, 0, width - 1, HEIGHT - 1], fill=ACCENT)
    y = (HEIGHT - (bottom - top)) // 2 - top
    canvas.text((PADDING - left, y), text, font=font, fill=INK, direction="rtl", language="ar")
    # A small palette keeps the file to a few kilobytes with no visible loss (three colours and their blends).
    image.quantize(colors=32).save(OUT, optimize=True)
    return image.size


if __name__ == "__main__":
    size = draw()
    print(f"{OUT.relative_to(ROOT)}: {size[0]}×{size[1]}, {OUT.stat().st_size} bytes")
