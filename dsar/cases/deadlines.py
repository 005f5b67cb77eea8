"""The legal clock: when an answer to a data-subject request is due, and why.

Pure Python on purpose (no Django import): the rules can be read, tested and quoted on their
own. Sources are in ../shared/legal/legal-facts.md section 1; the tests reproduce every worked
example there.

Rules (see `due_date`):

1. GDPR Art. 12(3), counted as Regulation 1182/71 Art. 3 does: the day of receipt is not
   counted but starts the clock even on a weekend or holiday; the period ends on the same date
   of the next month, or that month's last day where the date does not exist; an end on a
   Saturday, Sunday or national public holiday of the recipient's country moves to the next
   working day.
2. Extension (Art. 12(3), notified within the first month): receipt + three months, then the
   same shift (legal-facts 1(i): never "one shifted month + two months").
3. Identity or clarification asked: EU pauses the clock from the question to the answer, the
   paused days (both ends included) are added (EDPB 01/2022 para. 159); the UK starts the
   period again on the day the identity arrives (UK GDPR Art. 12A, ICO practice before it),
   while a UK clarification pauses it like the EU rule.
4. Swiss FADP Art. 25(7) / DSV Art. 18: 30 days, the day of receipt not counted, then the
   same working-day shift (an assumption: the counting method is unconfirmed).

Every step is a `Phrase` (a template code plus parameters) so callers can translate it; its
`str()` is English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import holidays
from dateutil.relativedelta import relativedelta

Law = Literal["gdpr", "uk_gdpr", "fadp"]
AskedFor = Literal["identity", "clarification"]

# UK GDPR Art. 12A (inserted by the Data (Use and Access) Act 2025) applies to requests
# received from this day (SI 2026/82); earlier requests follow the ICO's earlier practice,
# which computes the same dates.
UK_ART_12A_FROM = dt.date(2026, 2, 5)
FADP_DAYS = 30
# The period a follow-up letter gives before the complaint (our choice, not the law's: the
# legal deadline has already passed). dsar.cases.reminders sends the complaint after it.
FOLLOWUP_DAYS = 14
CHANNELS = ("post", "email", "webform")


def gettext_noop(message: str) -> str:
    """Marks a template for `makemessages` (it matches the name) without importing Django."""
    return message


# The English templates. Callers translate a Phrase by passing a gettext function to
# `Phrase.render`; the msgids are these strings.
TEMPLATES: dict[str, str] = {
    # Rules (Deadline.rule).
    "rule_gdpr": gettext_noop("GDPR Art. 12(3): one month, counted under Regulation 1182/71"),
    "rule_gdpr_extended": gettext_noop(
        "GDPR Art. 12(3): extended to three months from receipt, counted under Regulation 1182/71"
    ),
    "rule_uk": gettext_noop("UK GDPR Art. 12(3) and 12A: one month from the relevant time"),
    "rule_uk_extended": gettext_noop(
        "UK GDPR Art. 12(3) and 12A: extended to three months from the relevant time"
    ),
    "rule_uk_before_12a": gettext_noop(
        "UK GDPR Art. 12(3), counted as the ICO does (request before Art. 12A took effect)"
    ),
    "rule_uk_before_12a_extended": gettext_noop(
        "UK GDPR Art. 12(3), extended to three months, counted as the ICO does"
        " (request before Art. 12A took effect)"
    ),
    "rule_fadp": gettext_noop("Swiss FADP Art. 25(7): 30 days from receipt"),
    "rule_followup": gettext_noop(
        "follow-up: 14 more days for an answer before the complaint to the authority"
    ),
    "rule_art_78_2": gettext_noop(
        "GDPR Art. 78(2): an authority silent for three months can be taken to court"
    ),
    # Steps (Deadline.steps).
    "received": gettext_noop("received {day}; that day starts the clock"),
    "complaint_lodged": gettext_noop("complaint lodged {day}"),
    "followup_sent": gettext_noop("follow-up sent {day}"),
    "fourteen_days": gettext_noop("14 days -> {day}"),
    "sent_delivered": gettext_noop("sent {sent} by {channel}; delivery recorded on {day}"),
    "sent_same_day": gettext_noop("sent {sent} by {channel}; received the same day"),
    "sent_post_assumed": gettext_noop(
        "posted {sent}; assumed received {days} days later, on {day}"
    ),
    "one_month": gettext_noop("one month -> {day}"),
    "three_months": gettext_noop("three months -> {day}"),
    "month_clamped": gettext_noop("{months} -> {day} (no {missing})"),
    "thirty_days": gettext_noop("30 days -> {day}"),
    "fadp_no_extension": gettext_noop(
        "the FADP has no fixed extension: the controller must say when the answer will come;"
        " the 30-day limit is kept"
    ),
    "pause_identity": gettext_noop(
        "identity asked {asked}, answered {answered}: the clock paused for {days} days"
        " (EDPB Guidelines 01/2022 para. 159) -> {day}"
    ),
    "pause_clarification": gettext_noop(
        "clarification asked {asked}, answered {answered}: the clock paused for {days} days"
        " (UK GDPR Art. 12A) -> {day}"
    ),
    "restart_identity": gettext_noop(
        "identity asked {asked}, received {answered}: the period runs from that day"
        " (UK GDPR Art. 12A)"
    ),
    "restart_identity_ico": gettext_noop(
        "identity asked {asked}, received {answered}: the period runs from that day (ICO guidance)"
    ),
    "paused_open": gettext_noop(
        "{what} asked {asked} and not yet answered: the clock is paused; the due date is set"
        " when the answer arrives"
    ),
    "saturday": gettext_noop("{day} is a Saturday"),
    "sunday": gettext_noop("{day} is a Sunday"),
    "holiday": gettext_noop("{day} is a public holiday in {country} ({name})"),
    "next_working_day": gettext_noop("next working day -> {day}"),
    # Words used inside steps.
    "one month": gettext_noop("one month"),
    "three months": gettext_noop("three months"),
    "identity": gettext_noop("identity"),
    "clarification": gettext_noop("clarification"),
    "post": gettext_noop("post"),
    "email": gettext_noop("email"),
    "webform": gettext_noop("web form"),
}

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def english_date(day: dt.date) -> str:
    """'Sat 31 Jan 2026', independent of the process locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True)
class Phrase:
    """One translatable sentence: a key of TEMPLATES plus its parameters.

    Parameters that are dates are formatted by `format_date`; parameters that are themselves
    template keys (in `words`) are translated too.
    """

    code: str
    params: tuple[tuple[str, object], ...] = ()
    words: tuple[str, ...] = ()

    def render(
        self,
        gettext: Callable[[str], str] = _identity,
        format_date: Callable[[dt.date], str] = english_date,
    ) -> str:
        values: dict[str, object] = {}
        for name, value in self.params:
            if isinstance(value, dt.date):
                values[name] = format_date(value)
            elif name in self.words:
                values[name] = gettext(TEMPLATES[str(value)])
            else:
                values[name] = value
        return gettext(TEMPLATES[self.code]).format(**values)

    def __str__(self) -> str:
        return self.render()


def _phrase(code: str, words: tuple[str, ...] = (), **params: object) -> Phrase:
    return Phrase(code, tuple(params.items()), words)


@dataclass(frozen=True)
class Deadline:
    """The result: `due` is None only while an identity/clarification question is unanswered."""

    due: dt.date | None
    steps: tuple[Phrase, ...]
    rule: Phrase
    law: Law
    country: str
    start: dt.date  # the day the period runs from (receipt, or the UK identity day)

    @property
    def paused(self) -> bool:
        return self.due is None

    def explain(self, gettext: Callable[[str], str] = _identity) -> list[str]:
        """The rule, then the steps, as sentences: what the person is shown."""
        return [self.rule.render(gettext), *(step.render(gettext) for step in self.steps)]


def law_for_country(country: str) -> Law:
    """GB -> UK GDPR, CH -> FADP, any other known country -> GDPR; ValueError otherwise."""
    code = normalise_country(country)
    if code == "GB":
        return "uk_gdpr"
    if code == "CH":
        return "fadp"
    return "gdpr"


def normalise_country(country: str) -> str:
    code = (country or "").strip().upper()
    if code not in _supported_countries():
        raise ValueError(f"unknown country code {country!r} (expected an ISO 3166 code such as DE)")
    return code


@lru_cache(maxsize=1)
def _supported_countries() -> frozenset[str]:
    # Only codes the holidays package has a calendar for: a country we cannot shift for is an
    # error, not a silent "no holidays".
    return frozenset(code for code in holidays.list_supported_countries() if len(code) == 2)


@lru_cache(maxsize=512)
def _holidays_of(country: str, subdivision: str, year: int) -> dict[dt.date, str]:
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return dict(calendar.items())


def holiday_name(day: dt.date, country: str, subdivision: str = "") -> str | None:
    return _holidays_of(country, subdivision, day.year).get(day)


def next_working_day(
    day: dt.date, country: str, subdivision: str = ""
) -> tuple[dt.date, tuple[Phrase, ...]]:
    """Regulation 1182/71 Art. 3(4): move past Saturdays, Sundays and public holidays."""
    steps: list[Phrase] = []
    while True:
        name = holiday_name(day, country, subdivision)
        if day.weekday() == 5:
            steps.append(_phrase("saturday", day=day))
        elif day.weekday() == 6:
            steps.append(_phrase("sunday", day=day))
        elif name:
            steps.append(_phrase("holiday", day=day, country=country, name=name))
        else:
            break
        day += dt.timedelta(days=1)
    if steps:
        steps.append(_phrase("next_working_day", day=day))
    return day, tuple(steps)


def add_months(start: dt.date, months: int) -> tuple[dt.date, Phrase]:
    """Regulation 1182/71 Art. 3(2)(c): same date, or the month's last day if it is missing."""
    end = start + relativedelta(months=months)  # relativedelta clamps to the month's end
    word = "one month" if months == 1 else "three months"
    if end.day != start.day:
        missing = f"{start.day} {_MONTHS[end.month - 1]}"
        return end, _phrase("month_clamped", ("months",), months=word, day=end, missing=missing)
    return end, _phrase("one_month" if months == 1 else "three_months", day=end)


def authority_silence_end(lodged: dt.date, country: str) -> Deadline:
    """GDPR Art. 78(2): a complaint unanswered for three months opens a court remedy.

    Counted like the extended period (three months under 1182/71, then the working-day
    shift); applying 1182/71 here is an assumption (legal-facts 1(h) #26).
    """
    code = normalise_country(country)
    end, step = add_months(lodged, 3)
    due, shift_steps = next_working_day(end, code)
    steps = (_phrase("complaint_lodged", day=lodged), step, *shift_steps)
    return Deadline(due, steps, _phrase("rule_art_78_2"), law_for_country(code), code, lodged)


def followup_due(sent: dt.date, country: str) -> Deadline:
    """When an unanswered follow-up sent on `sent` turns into a complaint: 14 days, shifted."""
    code = normalise_country(country)
    end = sent + dt.timedelta(days=FOLLOWUP_DAYS)
    due, shift_steps = next_working_day(end, code)
    steps = (_phrase("followup_sent", day=sent), _phrase("fourteen_days", day=end), *shift_steps)
    return Deadline(due, steps, _phrase("rule_followup"), law_for_country(code), code, sent)


def assumed_receipt(
    sent: dt.date, channel: str, delivered: dt.date | None, postal_days: int
) -> dt.date:
    """The day the request reached the controller: recorded delivery, else an assumption."""
    return receipt(sent, channel, delivered, postal_days)[0]


def receipt(
    sent: dt.date, channel: str, delivered: dt.date | None, postal_days: int
) -> tuple[dt.date, Phrase]:
    """Like `assumed_receipt`, with the step that explains it (post: `postal_days` later)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r} (expected one of {', '.join(CHANNELS)})")
    if postal_days < 0:
        raise ValueError("postal_days must not be negative")
    if delivered is not None:
        if delivered < sent:
            raise ValueError("the delivery date is before the sending date")
        return delivered, _phrase(
            "sent_delivered", ("channel",), sent=sent, channel=channel, day=delivered
        )
    if channel == "post":
        day = sent + dt.timedelta(days=postal_days)
        return day, _phrase("sent_post_assumed", sent=sent, days=postal_days, day=day)
    return sent, _phrase("sent_same_day", ("channel",), sent=sent, channel=channel)


def due_date(
    received: dt.date,
    country: str,
    *,
    extended: bool = False,
    identity_asked: dt.date | None = None,
    identity_received: dt.date | None = None,
    asked_for: AskedFor = "identity",
    subdivision: str = "",
) -> Deadline:
    """When the answer to a request received on `received` by a controller in `country` is due.

    `identity_asked`/`identity_received`: the day the controller asked for identity (or, with
    `asked_for="clarification"`, for clarification) and the day the answer reached it.
    `subdivision` is off by default (national holidays only); pass e.g. "ENG" to count a
    region's holidays as well. Raises ValueError for an unknown country or inconsistent dates.
    """
    code = normalise_country(country)
    law = law_for_country(code)
    _check_question_dates(received, identity_asked, identity_received)
    rule = _rule(law, received, extended)
    steps: list[Phrase] = [_phrase("received", day=received)]
    start = received

    if identity_asked is not None and identity_received is None:
        steps.append(_phrase("paused_open", ("what",), what=asked_for, asked=identity_asked))
        return Deadline(None, tuple(steps), rule, law, code, start)

    restart = law == "uk_gdpr" and asked_for == "identity" and identity_asked is not None
    if restart:
        assert identity_received is not None
        start = identity_received
        restart_code = "restart_identity" if received >= UK_ART_12A_FROM else "restart_identity_ico"
        steps.append(_phrase(restart_code, asked=identity_asked, answered=identity_received))

    if law == "fadp":
        end = start + dt.timedelta(days=FADP_DAYS)
        steps.append(_phrase("thirty_days", day=end))
        if extended:
            steps.append(_phrase("fadp_no_extension"))
    else:
        end, step = add_months(start, 3 if extended else 1)
        steps.append(step)

    if identity_asked is not None and identity_received is not None and not restart:
        # EDPB 01/2022 para. 159 (and UK Art. 12A for clarification): the days from the
        # question to the answer, both included, do not count (legal-facts 1(h) #25).
        paused = (identity_received - identity_asked).days + 1
        end += dt.timedelta(days=paused)
        code_ = "pause_clarification" if law == "uk_gdpr" else "pause_identity"
        steps.append(
            _phrase(code_, asked=identity_asked, answered=identity_received, days=paused, day=end)
        )

    due, shift_steps = next_working_day(end, code, subdivision)
    steps.extend(shift_steps)
    return Deadline(due, tuple(steps), rule, law, code, start)


def due_date_for_sent(
    sent: dt.date,
    channel: str,
    country: str,
    *,
    delivered: dt.date | None = None,
    postal_days: int,
    extended: bool = False,
    identity_asked: dt.date | None = None,
    identity_received: dt.date | None = None,
    asked_for: AskedFor = "identity",
) -> Deadline:
    """`due_date` for a request known by its sending: receipt first (`receipt`), then the clock."""
    received, receipt_step = receipt(sent, channel, delivered, postal_days)
    deadline = due_date(
        received,
        country,
        extended=extended,
        identity_asked=identity_asked,
        identity_received=identity_received,
        asked_for=asked_for,
    )
    return Deadline(
        deadline.due,
        (receipt_step, *deadline.steps),
        deadline.rule,
        deadline.law,
        deadline.country,
        deadline.start,
    )


def _rule(law: Law, received: dt.date, extended: bool) -> Phrase:
    if law == "fadp":
        return _phrase("rule_fadp")
    base = "rule_gdpr"
    if law == "uk_gdpr":
        base = "rule_uk" if received >= UK_ART_12A_FROM else "rule_uk_before_12a"
    return _phrase(f"{base}_extended" if extended else base)


def _check_question_dates(
    received: dt.date, asked: dt.date | None, answered: dt.date | None
) -> None:
    if asked is None and answered is not None:
        raise ValueError("an identity answer needs the date it was asked for")
    if asked is not None and asked < received:
        raise ValueError("identity was asked before the request was received")
    if asked is not None and answered is not None and answered < asked:
        raise ValueError("the identity answer is dated before the question")
