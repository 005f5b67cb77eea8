"""Build the fold and punch marks of the letter's first page as a small PNG (issue 4, bench (b)).

    .venv/bin/python scripts/build_letter_marks.py

DIN 5008 form B: fold marks at 105 mm and 210 mm from the top edge, the punch (hole) mark at
148.5 mm, all in the left margin. They are drawn as a narrow image strip (12 x 297 mm, four
pixels a millimetre, one grey line each) that letter.css places as the first page's background:
a background stays an artifact for screen readers, and WeasyPrint draws a small raster image
for ~2.5 ms less a letter than the same three lines as an SVG (bench/RESULTS.md).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "static" / "letters" / "marks.png"
PX_PER_MM = 4
WIDTH_MM, HEIGHT_MM = 12, 297
GREY = 0x77
# (distance from the top edge, from x, to x), in millimetres.
MARKS = ((105, 4, 9), (148.5, 4, 11), (210, 4, 9))


def build() -> Image.Image:
    image = Image.new("L", (WIDTH_MM * PX_PER_MM, HEIGHT_MM * PX_PER_MM), 255)
    draw = ImageDraw.Draw(image)
    for top, left, right in MARKS:
        y = round(top * PX_PER_MM)
        draw.line([(left * PX_PER_MM, y), (right * PX_PER_MM - 1, y)], fill=GREY, width=1)
    return image


def main() -> None:
    build().save(TARGET, optimize=True)
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
