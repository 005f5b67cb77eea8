"""Build the reduced letter fonts from the bundled full DejaVu Sans (issue 4, benchmark (b)).

    .venv/bin/python scripts/build_letter_fonts.py

WeasyPrint subsets every font for every PDF it writes; starting from a font that holds only
the scripts a letter can contain (instead of DejaVu's ~6,000 glyphs) makes that per-letter
work smaller. Hinting is dropped: PDF viewers do not use TrueType hinting for embedded fonts
(WeasyPrint drops it from the embedded subset by default anyway). Layout tables (GSUB, GPOS,
GDEF) are kept for the kept glyphs, so combining marks and Arabic joining still work.
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "fonts"
TARGET = SOURCE / "letters"

# Every script a name, address or organisation in a letter may plausibly use, by Unicode block.
UNICODE_RANGES = (
    "U+0000-007F",  # Basic Latin
    "U+0080-00FF",  # Latin-1 Supplement
    "U+0100-017F",  # Latin Extended-A
    "U+0180-024F",  # Latin Extended-B
    "U+0250-02AF",  # IPA Extensions
    "U+02B0-02FF",  # Spacing Modifier Letters
    "U+0300-036F",  # Combining Diacritical Marks
    "U+0370-03FF",  # Greek and Coptic
    "U+0400-04FF",  # Cyrillic
    "U+0500-052F",  # Cyrillic Supplement
    "U+0590-05FF",  # Hebrew
    "U+0600-06FF",  # Arabic
    "U+1E00-1EFF",  # Latin Extended Additional (Vietnamese, Welsh, ...)
    "U+1F00-1FFF",  # Greek Extended
    "U+2000-206F",  # General Punctuation
    "U+20A0-20CF",  # Currency Symbols
    "U+2100-214F",  # Letterlike Symbols
    "U+2190-21FF",  # Arrows
    "U+2500-257F",  # Box Drawing
    "U+25A0-25FF",  # Geometric Shapes (the box shown for characters the font lacks)
    "U+FB1D-FB4F",  # Hebrew presentation forms
    "U+FB50-FDFF",  # Arabic Presentation Forms-A
    "U+FE70-FEFF",  # Arabic Presentation Forms-B
)

FONTS = {"DejaVuSans.ttf": "DejaVuSans-Letters.ttf", "DejaVuSans-Bold.ttf": "DejaVuSans-Bold-Letters.ttf"}


def build(source: Path, target: Path) -> None:
    options = subset.Options()
    options.layout_features = ["*"]  # keep every OpenType feature (marks, Arabic joining, ...)
    options.hinting = False
    options.name_IDs = ["*"]  # keep the names (copyright and licence notice among them)
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(",".join(UNICODE_RANGES)))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def main() -> None:
    TARGET.mkdir(exist_ok=True)
    for source, target in FONTS.items():
        build(SOURCE / source, TARGET / target)
        print(f"{target}: {(TARGET / target).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
