"""The legal clock (dsar/cases/deadlines.py): every worked example of ../shared/legal and both
sides of every edge. Pure functions: no database, no Django."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from dsar.cases import deadlines
from dsar.cases.deadlines import (
    assumed_receipt,
    authority_silence_end,
    due_date,
    due_date_for_sent,
    law_for_country,
)

D = dt.date.fromisoformat
EXAMPLES_TSV = Path(__file__).parent / "data" / "deadline-examples.tsv"


def _tsv_rows() -> list[dict[str, str]]:
    with EXAMPLES_TSV.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip()]
    header = lines[0].lstrip("# ").rstrip("\n")
    return list(csv.DictReader([header + "\n", *lines[1:]], delimiter="\t"))


@pytest.mark.parametrize("row", _tsv_rows(), ids=lambda row: f"{row['received']}-{row['country']}")
def test_it_reproduces_every_row_of_deadline_examples_tsv(row: dict[str, str]) -> None:
    deadline = due_date(D(row["received"]), row["country"], extended=row["extended"] == "yes")
    assert deadline.due == D(row["due"]), row["why"]


# legal-facts.md 1(h). Rows without a year use one where the result is a plain working day
# (the sources' point is the counting, not the calendar).
WORKED_EXAMPLES = [
    ("1 EDPB Ex. 32", "2024-03-05", "DE", "2024-04-05"),
    ("2 EDPB Ex. 33", "2024-08-31", "DE", "2024-09-30"),
    ("3 ICO same date", "2024-09-03", "GB", "2024-10-03"),
    ("4 ICO Christmas", "2024-11-25", "GB", "2024-12-27"),
    ("5 ICO 31 Mar", "2024-03-31", "GB", "2024-04-30"),
    ("6 ICO bank holiday receipt", "2024-01-01", "GB", "2024-02-01"),
    ("7 ICO 31 Jan", "2025-01-31", "GB", "2025-02-28"),
    ("7 ICO 31 Jan leap", "2024-01-31", "GB", "2024-02-29"),
    ("7 ICO 31 Jan weekend", "2026-01-31", "GB", "2026-03-02"),
    ("8 leap clamp EU", "2024-01-31", "DE", "2024-02-29"),
    ("8 leap clamp UK", "2024-01-31", "GB", "2024-02-29"),
    ("9 clamp then weekend EU", "2026-01-31", "DE", "2026-03-02"),
    ("9 clamp then weekend UK", "2026-01-31", "GB", "2026-03-02"),
    ("10 30 Jan EU", "2026-01-30", "DE", "2026-03-02"),
    ("10 30 Jan UK", "2026-01-30", "GB", "2026-03-02"),
    ("11 across the year EU", "2025-12-31", "DE", "2026-02-02"),
    ("11 across the year UK", "2025-12-31", "GB", "2026-02-02"),
    ("12 weekend receipt EU", "2026-03-14", "DE", "2026-04-14"),
    ("12 weekend receipt UK", "2026-03-14", "GB", "2026-04-14"),
    ("13 weekend end EU", "2026-09-17", "DE", "2026-10-19"),
    ("13 weekend end UK", "2026-09-17", "GB", "2026-10-19"),
    ("14 Easter Monday DE", "2026-03-06", "DE", "2026-04-07"),
    ("15 Labour Day DE", "2026-04-01", "DE", "2026-05-04"),
    ("16 no UK holiday 1 May", "2026-04-01", "GB", "2026-05-01"),
    ("17 Christmas DE", "2026-11-25", "DE", "2026-12-28"),
    ("18 Christmas UK (28 Dec substitute)", "2026-11-25", "GB", "2026-12-29"),
    ("19 Unity Day DE", "2026-09-03", "DE", "2026-10-05"),
    ("20 clamp weekday EU", "2026-05-31", "DE", "2026-06-30"),
    ("20 clamp weekday UK", "2026-05-31", "GB", "2026-06-30"),
    ("21 extension notice", "2026-01-15", "DE", "2026-02-16"),
    ("22 extension notice", "2026-01-31", "DE", "2026-03-02"),
    ("27 CH 30 days", "2026-01-05", "CH", "2026-02-04"),
]


@pytest.mark.parametrize(("label", "received", "country", "due"), WORKED_EXAMPLES, ids=lambda v: v)
def test_it_reproduces_the_worked_examples_of_legal_facts(
    label: str, received: str, country: str, due: str
) -> None:
    assert due_date(D(received), country).due == D(due), label


def test_it_counts_english_easter_monday_only_with_the_subdivision() -> None:
    # 1(h) #14 is England & Wales; the national GB calendar has no Easter Monday (Scotland).
    assert due_date(D("2026-03-06"), "GB", subdivision="ENG").due == D("2026-04-07")
    assert due_date(D("2026-03-06"), "GB").due == D("2026-04-06")


@pytest.mark.parametrize(
    ("received", "due"),
    [("2026-01-15", "2026-04-15"), ("2026-01-31", "2026-04-30"), ("2026-03-14", "2026-06-15")],
    ids=["21 plain", "22 clamped", "23 weekend shift"],
)
def test_it_extends_to_three_months_from_receipt(received: str, due: str) -> None:
    # 1(h) #21-#23: receipt + 3 months, then the shift (not shifted month + 2 months).
    assert due_date(D(received), "DE", extended=True).due == D(due)


def test_it_restarts_the_uk_period_on_the_day_identity_arrives() -> None:
    # 1(h) #24.
    deadline = due_date(
        D("2026-03-02"), "GB", identity_asked=D("2026-03-04"), identity_received=D("2026-03-10")
    )
    assert deadline.due == D("2026-04-10")
    assert deadline.start == D("2026-03-10")
    assert "UK GDPR Art. 12A" in " ".join(deadline.explain())


def test_it_pauses_the_eu_period_from_question_to_answer() -> None:
    # 1(h) #25: Thu 2 Apr + 7 paused days (4-10 Mar, both included) = Thu 9 Apr.
    deadline = due_date(
        D("2026-03-02"), "DE", identity_asked=D("2026-03-04"), identity_received=D("2026-03-10")
    )
    assert deadline.due == D("2026-04-09")
    assert deadline.start == D("2026-03-02")
    assert "EDPB Guidelines 01/2022 para. 159" in " ".join(deadline.explain())


def test_it_pauses_a_uk_clarification_like_the_eu_rule() -> None:
    # 1(h) #25, UK side: a clarification pauses, it does not restart.
    deadline = due_date(
        D("2026-03-02"),
        "GB",
        identity_asked=D("2026-03-04"),
        identity_received=D("2026-03-10"),
        asked_for="clarification",
    )
    assert deadline.due == D("2026-04-09")


def test_it_cites_ico_guidance_for_uk_requests_before_art_12a() -> None:
    before = due_date(
        D("2026-02-04"), "GB", identity_asked=D("2026-02-05"), identity_received=D("2026-02-06")
    )
    after = due_date(
        D("2026-02-05"), "GB", identity_asked=D("2026-02-05"), identity_received=D("2026-02-06")
    )
    assert before.due == after.due == D("2026-03-06")
    assert before.rule.code == "rule_uk_before_12a"
    assert after.rule.code == "rule_uk"
    assert "ICO guidance" in str(before.steps[1])
    assert "Art. 12A" in str(after.steps[1])


def test_it_shifts_a_paused_eu_deadline_past_a_weekend() -> None:
    # 2 Apr 2026 + 3 paused days = Sun 5 Apr, Easter Monday in DE -> Tue 7 Apr.
    deadline = due_date(
        D("2026-03-02"), "DE", identity_asked=D("2026-03-04"), identity_received=D("2026-03-06")
    )
    assert deadline.due == D("2026-04-07")


def test_it_leaves_the_due_date_open_while_identity_is_unanswered() -> None:
    deadline = due_date(D("2026-03-02"), "DE", identity_asked=D("2026-03-04"))
    assert deadline.due is None
    assert deadline.paused
    assert "not yet answered" in str(deadline.steps[-1])


@pytest.mark.parametrize(
    ("asked", "answered"),
    [(None, "2026-03-05"), ("2026-03-01", "2026-03-05"), ("2026-03-05", "2026-03-04")],
    ids=["answer without question", "asked before receipt", "answer before question"],
)
def test_it_rejects_inconsistent_question_dates(asked: str | None, answered: str) -> None:
    with pytest.raises(ValueError):
        due_date(
            D("2026-03-02"),
            "DE",
            identity_asked=D(asked) if asked else None,
            identity_received=D(answered),
        )


# Both sides of every edge.
EDGES = [
    ("day before the last day of a short month", "2025-01-27", "DE", "2025-02-27"),
    ("last day of a short month", "2025-01-28", "DE", "2025-02-28"),
    ("date missing in February", "2025-01-29", "DE", "2025-02-28"),
    ("leap year: 29 Jan to 29 Feb", "2024-01-29", "DE", "2024-02-29"),
    ("leap year: 30 Jan clamped to 29 Feb", "2024-01-30", "DE", "2024-02-29"),
    ("common year: 29 Jan clamped to 28 Feb", "2023-01-29", "DE", "2023-02-28"),
    ("end on a Friday", "2026-09-16", "DE", "2026-10-16"),
    ("end on a Saturday", "2026-09-17", "DE", "2026-10-19"),
    ("end on a Sunday", "2026-09-18", "DE", "2026-10-19"),
    ("end on a Monday", "2026-09-19", "DE", "2026-10-19"),
    ("14 Jul: a holiday in FR", "2026-06-14", "FR", "2026-07-15"),
    ("14 Jul: not a holiday in DE", "2026-06-14", "DE", "2026-07-14"),
    ("17 Mar: a holiday in IE", "2026-02-17", "IE", "2026-03-18"),
    ("17 Mar: not a holiday in GB", "2026-02-17", "GB", "2026-03-17"),
    ("1 May: a holiday in DE", "2026-04-01", "DE", "2026-05-04"),
    ("1 May: not a holiday in GB", "2026-04-01", "GB", "2026-05-01"),
    ("CH: 30 days on a weekday", "2026-01-05", "CH", "2026-02-04"),
    ("CH: 30 days on a Saturday", "2026-01-08", "CH", "2026-02-09"),
    ("CH: 30 days on Ascension Day", "2026-04-14", "CH", "2026-05-15"),
    ("CH: the day before Ascension Day", "2026-04-13", "CH", "2026-05-13"),
]


@pytest.mark.parametrize(("label", "received", "country", "due"), EDGES, ids=lambda v: v)
def test_it_counts_both_sides_of_each_edge(
    label: str, received: str, country: str, due: str
) -> None:
    assert due_date(D(received), country).due == D(due), label


def test_it_extends_only_when_asked() -> None:
    assert due_date(D("2026-08-31"), "IE").due == D("2026-09-30")
    assert due_date(D("2026-08-31"), "IE", extended=True).due == D("2026-11-30")


def test_it_keeps_thirty_days_for_an_extended_swiss_request() -> None:
    deadline = due_date(D("2026-01-05"), "CH", extended=True)
    assert deadline.due == D("2026-02-04")
    assert deadline.law == "fadp"
    assert any(step.code == "fadp_no_extension" for step in deadline.steps)


def test_it_explains_the_steps_and_the_rule() -> None:
    deadline = due_date(D("2026-01-31"), "DE")
    assert deadline.explain() == [
        "GDPR Art. 12(3): one month, counted under Regulation 1182/71",
        "received Sat 31 Jan 2026; that day starts the clock",
        "one month -> Sat 28 Feb 2026 (no 31 Feb)",
        "Sat 28 Feb 2026 is a Saturday",
        "Sun 1 Mar 2026 is a Sunday",
        "next working day -> Mon 2 Mar 2026",
    ]


def test_it_names_the_holiday_it_skipped() -> None:
    deadline = due_date(D("2026-11-25"), "GB")
    text = [str(step) for step in deadline.steps]
    assert "Mon 28 Dec 2026 is a public holiday in GB (Boxing Day (observed))" in text
    assert text[-1] == "next working day -> Tue 29 Dec 2026"


def test_it_translates_steps_through_the_given_gettext() -> None:
    catalogue = {
        deadlines.TEMPLATES["one_month"]: "ein Monat -> {day}",
        deadlines.TEMPLATES["received"]: "eingegangen {day}",
    }
    deadline = due_date(D("2026-09-15"), "IE")
    rendered = [
        step.render(lambda s: catalogue.get(s, s), format_date=lambda d: d.strftime("%d.%m.%Y"))
        for step in deadline.steps
    ]
    assert rendered == ["eingegangen 15.09.2026", "ein Monat -> 15.10.2026"]


def test_it_translates_words_inside_a_step() -> None:
    step = deadlines.receipt(D("2026-03-02"), "webform", None, 3)[1]
    assert step.render(lambda s: {"web form": "Webformular"}.get(s, s)).endswith(
        "by Webformular; received the same day"
    )


@pytest.mark.parametrize(
    ("country", "law"), [("GB", "uk_gdpr"), ("ch", "fadp"), ("DE", "gdpr"), ("us", "gdpr")]
)
def test_it_chooses_the_law_from_the_country(country: str, law: str) -> None:
    assert law_for_country(country) == law
    assert due_date(D("2026-09-15"), country).law == law


@pytest.mark.parametrize("country", ["XX", "", "UKK", "EU"])
def test_it_rejects_an_unknown_country(country: str) -> None:
    with pytest.raises(ValueError, match="unknown country code"):
        due_date(D("2026-09-15"), country)


def test_it_counts_three_months_of_authority_silence() -> None:
    # 1(h) #26: complaint lodged Fri 20 Mar 2026 -> Sat 20 Jun -> Mon 22 Jun.
    assert authority_silence_end(D("2026-03-20"), "DE").due == D("2026-06-22")


# Posted letters: assumed received N days after posting unless delivery is recorded.
def test_it_assumes_a_posted_letter_arrives_after_the_postal_days() -> None:
    assert assumed_receipt(D("2026-03-02"), "post", None, 3) == D("2026-03-05")
    assert assumed_receipt(D("2026-03-02"), "post", None, 5) == D("2026-03-07")


def test_it_prefers_a_recorded_delivery_date() -> None:
    assert assumed_receipt(D("2026-03-02"), "post", D("2026-03-03"), 3) == D("2026-03-03")
    assert assumed_receipt(D("2026-03-02"), "post", D("2026-03-09"), 3) == D("2026-03-09")


@pytest.mark.parametrize("channel", ["email", "webform"])
def test_it_takes_electronic_requests_as_received_the_day_they_are_sent(channel: str) -> None:
    assert assumed_receipt(D("2026-03-02"), channel, None, 3) == D("2026-03-02")


@pytest.mark.parametrize(
    ("channel", "delivered", "days"),
    [("fax", None, 3), ("post", "2026-03-01", 3), ("post", None, -1)],
    ids=["unknown channel", "delivered before sent", "negative days"],
)
def test_it_rejects_bad_receipt_input(channel: str, delivered: str | None, days: int) -> None:
    with pytest.raises(ValueError):
        assumed_receipt(D("2026-03-02"), channel, D(delivered) if delivered else None, days)


def test_it_counts_a_posted_request_from_the_assumed_receipt() -> None:
    # Posted Mon 2 Mar, assumed received Thu 5 Mar; 5 Apr Easter Sunday, 6 Apr Easter Monday.
    deadline = due_date_for_sent(D("2026-03-02"), "post", "FR", postal_days=3)
    assert deadline.due == D("2026-04-07")
    assert deadline.start == D("2026-03-05")
    assert (
        str(deadline.steps[0])
        == "posted Mon 2 Mar 2026; assumed received 3 days later, on Thu 5 Mar 2026"
    )
    # A faster post (1 day): received Tue 3 Mar -> Fri 3 Apr, a working day in FR.
    assert due_date_for_sent(D("2026-03-02"), "post", "FR", postal_days=1).due == D("2026-04-03")


def test_it_imports_without_django() -> None:
    # Loaded by path: importing the dsar package itself starts the Celery app (and Django).
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('deadlines', {deadlines.__file__!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "sys.modules['deadlines'] = module\n"
        "spec.loader.exec_module(module)\n"
        "sys.exit('django' in sys.modules)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- subdivisions: the addressee's country AND subdivision (ISO 3166-2) ---------------------

SUBDIVISION_EDGES = [
    # (label, received, region, due)
    ("Corpus Christi 4 Jun: a holiday in DE-BY", "2026-05-04", "DE-BY", "2026-06-05"),
    ("Corpus Christi 4 Jun: not a holiday in DE-BE", "2026-05-04", "DE-BE", "2026-06-04"),
    ("Epiphany 6 Jan: a holiday in DE-BY", "2025-12-06", "DE-BY", "2026-01-07"),
    ("Epiphany 6 Jan: not a holiday in DE-BE", "2025-12-06", "DE-BE", "2026-01-06"),
    ("Women's Day 8 Mar: a holiday in DE-BE", "2028-02-08", "DE-BE", "2028-03-09"),
    ("Women's Day 8 Mar: not a holiday in DE-BY", "2028-02-08", "DE-BY", "2028-03-08"),
    ("2 Jan: a bank holiday in GB-SCT", "2025-12-02", "GB-SCT", "2026-01-05"),
    ("2 Jan: not a bank holiday in GB-ENG", "2025-12-02", "GB-ENG", "2026-01-02"),
    ("Easter Monday: a bank holiday in GB-ENG", "2026-03-06", "GB-ENG", "2026-04-07"),
    ("Easter Monday: not a bank holiday in GB-SCT", "2026-03-06", "GB-SCT", "2026-04-06"),
    ("31 Aug: late summer bank holiday in GB-ENG", "2026-07-31", "GB-ENG", "2026-09-01"),
    ("31 Aug: not a bank holiday in GB-SCT", "2026-07-31", "GB-SCT", "2026-08-31"),
    ("St Andrew's Day 30 Nov in GB-SCT", "2026-10-30", "GB-SCT", "2026-12-01"),
    ("30 Nov: not a bank holiday in GB-ENG", "2026-10-30", "GB-ENG", "2026-11-30"),
]


@pytest.mark.parametrize(("label", "received", "region", "due"), SUBDIVISION_EDGES, ids=lambda v: v)
def test_it_counts_the_holidays_of_the_subdivision(
    label: str, received: str, region: str, due: str
) -> None:
    assert due_date(D(received), region).due == D(due), label


def test_it_takes_the_subdivision_as_a_keyword_too() -> None:
    by_code = due_date(D("2026-05-04"), "DE-BY")
    by_keyword = due_date(D("2026-05-04"), "DE", subdivision="BY")
    by_full_keyword = due_date(D("2026-05-04"), "de", subdivision="DE-BY")
    assert by_code == by_keyword == by_full_keyword
    assert (by_code.country, by_code.subdivision, by_code.region) == ("DE", "BY", "DE-BY")


def test_it_names_the_subdivision_of_the_holiday_it_skipped() -> None:
    steps = [str(step) for step in due_date(D("2026-05-04"), "DE-BY").steps]
    assert "Thu 4 Jun 2026 is a public holiday in DE-BY (Corpus Christi)" in steps


@pytest.mark.parametrize(
    ("region", "subdivision", "message"),
    [
        ("DE-XX", "", "unknown subdivision 'XX' of DE"),
        ("DE-BY", "BE", "does not match 'DE-BY'"),
        ("XX-BY", "", "unknown country code 'XX'"),
        ("IE-D", "", "unknown subdivision 'D' of IE"),
    ],
    ids=["unknown subdivision", "conflicting subdivision", "unknown country", "country without any"],
)
def test_it_rejects_a_bad_region(region: str, subdivision: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        due_date(D("2026-05-04"), region, subdivision=subdivision)


def test_it_reads_plain_and_subdivided_regions() -> None:
    assert deadlines.parse_region("de") == ("DE", "")
    assert deadlines.parse_region("gb-sct") == ("GB", "SCT")
    assert deadlines.parse_region("GB", "ENG") == ("GB", "ENG")
    assert law_for_country("GB-SCT") == "uk_gdpr"
    assert law_for_country("CH-VD") == "fadp"


def test_it_counts_the_follow_up_and_art_78_periods_with_the_subdivision() -> None:
    # 21 May 2026 + 14 days = Thu 4 Jun, Corpus Christi in Bavaria only.
    assert deadlines.followup_due(D("2026-05-21"), "DE-BY").due == D("2026-06-05")
    assert deadlines.followup_due(D("2026-05-21"), "DE-BE").due == D("2026-06-04")
    assert authority_silence_end(D("2026-03-04"), "DE-BY").due == D("2026-06-05")


# --- late events are judged ------------------------------------------------------------------


def test_it_extends_when_the_extension_was_notified_on_the_last_day_of_the_first_period() -> None:
    # 1(h) #21: received Thu 15 Jan 2026, notice by Mon 16 Feb (15 Feb is a Sunday).
    deadline = due_date(D("2026-01-15"), "DE", extension_notified=D("2026-02-16"))
    assert deadline.due == D("2026-04-15")
    assert deadline.extended
    assert deadline.rule.code == "rule_gdpr_extended"
    assert deadline.ignored == ()
    assert deadline.steps[1].code == "extension_in_time"


def test_it_does_not_extend_for_an_extension_notified_after_the_first_period() -> None:
    deadline = due_date(D("2026-01-15"), "DE", extension_notified=D("2026-02-17"))
    assert deadline.due == D("2026-02-16")
    assert not deadline.extended
    assert deadline.rule.code == "rule_gdpr"
    assert deadline.ignored == ("extension",)
    assert str(deadline.steps[1]) == (
        "extension notified Tue 17 Feb 2026, after the first period ended on Mon 16 Feb 2026:"
        " an extension must be notified within that period, so this one does not extend it"
    )


def test_it_judges_the_extension_against_a_paused_first_period() -> None:
    # Received 2 Mar, identity asked 4 Mar and answered 10 Mar: the first period ends 9 Apr, so
    # an extension notified on 8 Apr (after the unpaused 2 Apr) still counts: 2 Jun + 7 days.
    deadline = due_date(
        D("2026-03-02"), "DE", identity_asked=D("2026-03-04"),
        identity_received=D("2026-03-10"), extension_notified=D("2026-04-08"),
    )
    assert deadline.due == D("2026-06-09")
    assert deadline.extended


def test_it_pauses_for_an_identity_question_asked_on_the_due_date() -> None:
    # Due Thu 2 Apr 2026; asked that day, answered 10 Apr: 9 days paused -> Sat 11 Apr -> Mon 13.
    deadline = due_date(
        D("2026-03-02"), "DE", identity_asked=D("2026-04-02"), identity_received=D("2026-04-10")
    )
    assert deadline.due == D("2026-04-13")
    assert deadline.ignored == ()


def test_it_does_not_pause_for_an_identity_question_asked_after_the_due_date() -> None:
    deadline = due_date(
        D("2026-03-02"), "DE", identity_asked=D("2026-04-03"), identity_received=D("2026-04-10")
    )
    assert deadline.due == D("2026-04-02")
    assert deadline.ignored == ("question",)
    assert str(deadline.steps[1]) == (
        "identity asked Fri 3 Apr 2026, after the answer was due on Thu 2 Apr 2026: a question"
        " asked that late does not pause the clock"
    )


def test_it_keeps_the_clock_running_for_a_late_unanswered_identity_question() -> None:
    deadline = due_date(D("2026-03-02"), "DE", identity_asked=D("2026-04-03"))
    assert not deadline.paused
    assert deadline.due == D("2026-04-02")


def test_it_does_not_restart_the_uk_period_for_a_late_identity_question() -> None:
    on_time = due_date(
        D("2026-03-02"), "GB", identity_asked=D("2026-04-02"), identity_received=D("2026-04-07")
    )
    late = due_date(
        D("2026-03-02"), "GB", identity_asked=D("2026-04-03"), identity_received=D("2026-04-07")
    )
    assert on_time.due == D("2026-05-07")
    assert late.due == D("2026-04-02")


def test_it_starts_the_uk_period_at_the_latest_of_request_identity_and_fee() -> None:
    # Art. 12A: receipt 2 Mar, fee 9 Mar -> 9 Apr; identity received 12 Mar as well -> 13 Apr
    # (12 Apr is a Sunday).
    assert due_date(D("2026-03-02"), "GB", fee_received=D("2026-03-09")).due == D("2026-04-09")
    both = due_date(
        D("2026-03-02"), "GB", fee_received=D("2026-03-09"),
        identity_asked=D("2026-03-03"), identity_received=D("2026-03-12"),
    )
    assert both.due == D("2026-04-13")
    assert both.start == D("2026-03-12")


def test_it_refuses_a_fee_outside_the_uk() -> None:
    with pytest.raises(ValueError, match="only under UK GDPR Art. 12A"):
        due_date(D("2026-03-02"), "DE", fee_received=D("2026-03-09"))


def test_it_refuses_an_extension_notified_before_receipt() -> None:
    with pytest.raises(ValueError, match="before the request was received"):
        due_date(D("2026-03-02"), "DE", extension_notified=D("2026-03-01"))


def test_it_lets_the_addressee_law_override_the_country() -> None:
    # A controller answering EU residents through a UK office: UK holidays, GDPR clock.
    deadline = due_date(D("2026-03-02"), "GB-ENG", law="gdpr", identity_asked=D("2026-03-04"),
                        identity_received=D("2026-03-10"))
    assert deadline.law == "gdpr"
    assert deadline.due == D("2026-04-09")  # paused, not restarted
