"""What an organisation's answer says, proposed from its text: pure Python, no Django.

The rules are data (`rules/<language>.json` plus `rules/common.json`), not a trained model:
each label lists the phrases an organisation writes when it does that thing. Every language's
rules are applied to every answer (an organisation may answer a German letter in English).
Only the organisation's own words count: the quoted original under a reply (our letter, which
cites Art. 12(3), erasure and identity) is cut off first.

`classify(text, attachments=...)` returns the proposed label, the phrases that led to it, and
for an extension the date it names (the latest date written in the answer), for a refusal the
provision it cites. A person or caseworker confirms the proposal; nothing here changes a clock.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent / "rules"
LANGUAGES = ("en", "de", "fr")
# A phrase shown to a person is cut to this length (the pattern may match a long stretch).
PHRASE_MAX = 120


class Label(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    EXTENSION = "extension"
    IDENTITY = "identity"
    ANSWERED = "answered"
    REFUSED = "refused"
    ERASED = "erased"
    NO_LONGER_HELD = "no_longer_held"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Rules:
    patterns: dict[Label, tuple[re.Pattern[str], ...]]
    precedence: tuple[Label, ...]
    ground: re.Pattern[str]
    # Grounds named in words rather than by article ("research exemption").
    grounds: tuple[re.Pattern[str], ...]
    quote_markers: tuple[re.Pattern[str], ...]
    months: dict[str, int]


@dataclass(frozen=True)
class Classification:
    label: Label
    # (label, phrase as written in the answer) for every rule that matched, in text order.
    phrases: tuple[tuple[str, str], ...] = ()
    extension_until: dt.date | None = None
    ground: str = ""
    languages: tuple[str, ...] = field(default=())

    def phrases_for(self, label: Label) -> list[str]:
        return [phrase for name, phrase in self.phrases if name == label]


def _compile(pattern: str) -> re.Pattern[str]:
    # Whitespace in a rule matches any run of whitespace (answers wrap lines anywhere).
    return re.compile(pattern.replace(" ", r"\s+"), re.IGNORECASE | re.MULTILINE)


@lru_cache(maxsize=4)
def load_rules(rules_dir: Path = RULES_DIR, languages: tuple[str, ...] = LANGUAGES) -> Rules:
    """Read and compile the rule files once per process."""
    common = json.loads((rules_dir / "common.json").read_text(encoding="utf-8"))
    patterns: dict[Label, list[re.Pattern[str]]] = {label: [] for label in Label}
    months: dict[str, int] = {}
    grounds: list[re.Pattern[str]] = []
    for language in languages:
        data = json.loads((rules_dir / f"{language}.json").read_text(encoding="utf-8"))
        for name, texts in data["labels"].items():
            patterns[Label(name)].extend(_compile(text) for text in texts)
        grounds.extend(_compile(text) for text in data["grounds"])
        months.update({name.casefold(): number for name, number in data["months"].items()})
    return Rules(
        patterns={label: tuple(found) for label, found in patterns.items()},
        precedence=tuple(Label(name) for name in common["precedence"]),
        ground=re.compile(common["ground"], re.IGNORECASE),
        grounds=tuple(grounds),
        quote_markers=tuple(re.compile(text, re.IGNORECASE) for text in common["quote_markers"]),
        months=months,
    )


def own_words(text: str, rules: Rules | None = None) -> str:
    """The answer without the quoted message below it (from the first quote marker on)."""
    rules = rules or load_rules()
    kept: list[str] = []
    for line in text.splitlines():
        if any(marker.search(line) for marker in rules.quote_markers):
            break
        kept.append(line)
    return "\n".join(kept)


def classify(text: str, *, attachments: Sequence[str] = (), rules: Rules | None = None) -> Classification:
    """Propose what the answer `text` (plain text) says; `attachments` are the file names it
    came with (data sent as a file counts as an answer when nothing else was said)."""
    rules = rules or load_rules()
    words = own_words(text, rules)
    found: list[tuple[int, Label, str]] = []
    for label, patterns in rules.patterns.items():
        for pattern in patterns:
            for match in pattern.finditer(words):
                found.append((match.start(), label, _phrase(match.group(0))))
    found.sort(key=lambda item: item[0])
    matched = {label for _, label, _ in found}
    label = next((candidate for candidate in rules.precedence if candidate in matched), Label.UNKNOWN)
    phrases = tuple(dict.fromkeys((str(name), phrase) for _, name, phrase in found))
    if label in (Label.UNKNOWN, Label.ACKNOWLEDGED) and attachments:
        # Files with no words saying otherwise: data enclosed.
        label = Label.ANSWERED
        phrases += tuple(("answered", f"[{name}]") for name in attachments)
    return Classification(
        label=label,
        phrases=phrases,
        extension_until=latest_date(words, rules) if label == Label.EXTENSION else None,
        ground=_ground(words, rules) if label == Label.REFUSED else "",
    )


def _phrase(text: str) -> str:
    return " ".join(text.split())[:PHRASE_MAX]


def _ground(words: str, rules: Rules) -> str:
    match = rules.ground.search(words)
    if match:
        return _phrase(match.group(0))
    for pattern in rules.grounds:
        hit = pattern.search(words)
        if hit:
            return _phrase(hit.group(0))
    return ""


# --- dates in en/de/fr ---------------------------------------------------------------------------

_NUMERIC = (
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    # Day first, as written in Germany, France and the UK (15.06.2026, 15/06/2026).
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})\b"),
)
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?"
_YEAR = r"(?P<y>\d{4})"


def _month_patterns(rules: Rules) -> tuple[re.Pattern[str], ...]:
    names = "|".join(sorted((re.escape(name) for name in rules.months), key=len, reverse=True))
    month = rf"(?P<month>{names})\.?"
    return (
        re.compile(rf"\b{_DAY}\s+(?:of\s+)?{month}\s+{_YEAR}\b", re.IGNORECASE),  # 15 June 2026, 15. Juni 2026, 1er juin 2026
        re.compile(rf"\b{month}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # June 15, 2026
    )


def dates_in(text: str, rules: Rules | None = None) -> list[dt.date]:
    """Every calendar date written in `text` (numeric day-first or ISO, or with a month name in
    English, German or French), in no particular order; impossible dates are skipped."""
    rules = rules or load_rules()
    found: list[dt.date] = []
    for pattern in _NUMERIC:
        found += [d for d in (_date(m["y"], m["m"], m["d"]) for m in pattern.finditer(text)) if d]
    for pattern in _month_patterns(rules):
        for m in pattern.finditer(text):
            day = _date(m["y"], str(rules.months[m["month"].casefold()]), m["d"])
            if day:
                found.append(day)
    return found


def latest_date(text: str, rules: Rules | None = None) -> dt.date | None:
    """The latest date in `text`: in an extension notice, the new date the answer is due by
    (the date of the request it also mentions is earlier)."""
    found = dates_in(text, rules)
    return max(found) if found else None


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
