"""Every declared language (dsar/languages.py) through every letter kind, and everything a
language needs present: its letter templates, its phrases, its translations.

Adding a language to dsar.languages.LANGUAGES makes these tests ask for exactly what the README's
"Adding a language" lists, and nothing else."""
from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from pypdf import PdfReader

from dsar import languages
from dsar.letters.data import KINDS
from dsar.letters.phrases import LETTERS_DIR, format_date, phrases
from dsar.letters.render import render_pdf
from dsar.wizard.forms import LANGUAGE_CHOICES
from tests.letters.conftest import TODAY, contains, pdf_text, sample_letters

EVERY_KIND_IN_EVERY_LANGUAGE = [(kind, lang) for lang in languages.CODES for kind in KINDS]


def shape(value: Any) -> Any:
    """The keys of nested objects, and the length of lists: what a translation must match."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items() if not key.startswith("_")}
    if isinstance(value, list):
        return len(value)
    return type(value).__name__


def title(kind: str, lang: str) -> str:
    # A rebuttal is titled by the refusal it answers (the sample answers "we deleted the dataset").
    return phrases(lang)["ground_titles"]["dataset_deleted"] if kind == "rebuttal" else phrases(lang)["titles"][kind]


@pytest.fixture(scope="module")
def every_letter() -> dict[tuple[str, str], tuple[bytes, str]]:
    out = {}
    for lang in languages.CODES:
        for kind, letter in sample_letters(lang).items():
            pdf = render_pdf(letter)
            out[(kind, lang)] = (pdf, pdf_text(pdf))
    return out


@pytest.mark.parametrize(("kind", "lang"), EVERY_KIND_IN_EVERY_LANGUAGE)
def test_it_writes_every_kind_in_every_language(every_letter, kind, lang) -> None:
    pdf, text = every_letter[(kind, lang)]

    assert contains(text, title(kind, lang)), (kind, lang)
    assert contains(text, format_date(TODAY, lang)), (kind, lang)
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == lang
    english_title = title(kind, "en")
    if lang != "en":
        assert not contains(text, english_title), f"{kind} in {lang} carries the English title"


@pytest.mark.parametrize("lang", languages.CODES)
def test_every_language_has_every_letter_template_and_phrase(lang) -> None:
    english = {path.name for path in (LETTERS_DIR / "en").iterdir()}

    assert {path.name for path in (LETTERS_DIR / lang).iterdir()} >= english
    assert shape(phrases(lang)) == shape(phrases("en"))


@pytest.mark.parametrize("lang", [code for code in languages.CODES if code != "en"])
def test_every_language_but_english_has_its_translations(lang) -> None:
    assert (settings.BASE_DIR / "locale" / lang / "LC_MESSAGES" / "django.po").is_file()
    assert (settings.BASE_DIR / "locale" / lang / "LC_MESSAGES" / "django.mo").is_file()


def test_the_languages_are_declared_once() -> None:
    assert [code for code, _name in settings.LANGUAGES] == list(languages.CODES)
    assert [code for code, _name in LANGUAGE_CHOICES] == ["auto", *languages.CODES]


def test_it_refuses_an_undeclared_language() -> None:
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        phrases("xx")
