"""The short texts of a letter in each language: month names, how a date is written, the law's
names, titles, channels, page and reference labels, the labels of identifying details, the
web-form steps. They live in templates/letters/<language>/phrases.json beside that language's
templates, so a new language's letter text is one folder (README, "Adding a language");
tests/letters/test_languages.py checks that every declared language has every key English has.
"""
from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import TypedDict

from dsar import languages

LETTERS_DIR = Path(__file__).resolve().parents[2] / "templates" / "letters"
FILENAME = "phrases.json"


class Phrases(TypedDict):
    months: list[str]
    date_format: str  # "{day} {month} {year}" and the like
    first_day: str  # how day 1 is written where it differs ("1er"); "" for the plain number
    law_names: dict[str, str]  # instrument -> short name (GDPR, DSGVO, RGPD)
    law_of: dict[str, str]  # the short name as it follows an article number ("du RGPD")
    law_full_names: dict[str, str]  # inflected for "Art. 15 ___"
    request_kinds: dict[str, str]
    channels: dict[str, str]
    titles: dict[str, str]  # letter kind -> title
    page_labels: list[str]  # ["Page", "of"]
    reference_label: str
    detail_labels: dict[str, str]  # IdentifyingDetail key -> label
    webform_steps: list[str]  # "{url}" is the form's address


@cache
def phrases(language: str) -> Phrases:
    """The phrases of a declared language (ValueError for any other)."""
    path = LETTERS_DIR / languages.check(language) / FILENAME
    data: Phrases = json.loads(path.read_text(encoding="utf-8"))
    return data


def format_date(value: date, language: str) -> str:
    """A date as a letter writes it: 5 March 2026 / 5. März 2026 / 1er mars 2026."""
    p = phrases(language)
    day = p["first_day"] if value.day == 1 and p["first_day"] else str(value.day)
    return p["date_format"].format(day=day, month=p["months"][value.month - 1], year=value.year)
