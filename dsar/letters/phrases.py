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
    day_month_format: str  # a day without its year ("31 February", a day that does not exist)
    first_day: str  # how day 1 is written where it differs ("1er"); "" for the plain number
    and_word: str  # " and " joining listed items, with its spaces
    citation: dict[str, str]  # "paragraph" / "letter": how "32(2)" and "32(2)(c)" are cited
    citation_swiss: dict[str, str]  # the same in Swiss usage (Swiss French "al.", "let.")
    law_names: dict[str, str]  # instrument -> short name (GDPR, DSGVO, RGPD)
    law_of: dict[str, str]  # the short name as it follows an article number ("du RGPD")
    law_full_names: dict[str, str]  # inflected for "Art. 15 ___"
    period_citations: dict[str, str]  # LawRegime.period -> the provision ({law}, {law_of})
    period_lengths: dict[str, str]  # completes "within ..."; "extended" for three months
    transfer_areas: dict[str, str]  # "outside ..." per LawRegime.home_area
    authority_kinds: dict[str, str]  # the authority a follow-up names when the catalogue has none
    sensitive_words: dict[str, str]  # Art. 9 categories a dataset reveals
    request_kinds: dict[str, str]
    channels: dict[str, str]
    titles: dict[str, str]  # letter kind -> title
    ground_titles: dict[str, str]  # a rebuttal's title: the refusal it answers (data.GROUNDS)
    dossier_enclosure: str  # how a complaint lists the enclosed evidence dossier
    page_labels: list[str]  # ["Page", "of"]
    reference_label: str
    detail_labels: dict[str, str]  # IdentifyingDetail key -> label
    yes: str  # a checked box printed as a word ("offered")
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
