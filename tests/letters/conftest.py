from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from dsar.letters.data import KINDS, LANGUAGES, LetterData
from dsar.letters.demo import demo_letters, demo_rebuttals
from dsar.letters.render import render_pdf
from tests.letters.parties import PARTIES

TODAY = date(2026, 3, 2)


def pdf_text(pdf: bytes) -> str:
    """All pages' text, whitespace collapsed and NFC-normalised, for substring checks."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # pypdf 7.1 reads a font's two-byte codes as UTF-16 halves once it holds a .notdef glyph
    # (an emoji our fonts lack); poppler's pdftotext reads the same file correctly. Drop the NULs.
    text = text.replace("\x00", "")
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text))


def sample_letters(language: str) -> dict[str, LetterData]:
    letters = {letter.kind: letter for letter in demo_letters(language, today=TODAY, parties=PARTIES)}
    # Every kind in every language: the rebuttal of "we deleted the dataset" stands for its kind.
    letters["rebuttal"] = demo_rebuttals(language, today=TODAY, parties=PARTIES)[0][1]
    return letters


@pytest.fixture(scope="session")
def letters() -> dict[tuple[str, str], LetterData]:
    return {(kind, lang): letter for lang in LANGUAGES for kind, letter in sample_letters(lang).items()}


@pytest.fixture(scope="session")
def rendered(letters: dict[tuple[str, str], LetterData]) -> dict[tuple[str, str], tuple[bytes, str]]:
    """Every kind in every language rendered once for the whole suite (each takes ~100 ms)."""
    out = {}
    for key in [(k, lang) for lang in LANGUAGES for k in KINDS]:
        pdf = render_pdf(letters[key])
        out[key] = (pdf, pdf_text(pdf))
    return out


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def contains(text: str, needle: str) -> bool:
    """Substring check that ignores where the PDF broke lines ("Art. 17(1)\\n(a)")."""
    return squash(needle) in squash(text)
