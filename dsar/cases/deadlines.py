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
   same shift (legal-facts 1(i): never "one shifted month + two months"). An extension notified
   after the first period ended does not extend: the notice had to come within it.
3. Identity or clarification asked: EU pauses the clock from the question to the answer, the
   paused days (both ends included) are added (EDPB 01/2022 para. 159); the UK period runs from
   the latest of receipt, the identity asked for and a fee (UK GDPR Art. 12A, ICO practice
   before it), while a UK clarification pauses it like the EU rule. A question asked after the
   due date (the one that applies without it) neither pauses nor restarts anything.
4. Swiss FADP Art. 25(7) / DSV Art. 18: 30 days, the day of receipt not counted, then the
   same working-day shift (an assumption: the counting method is unconfirmed).
5. Holidays are those of the addressee's country and, where given, its ISO 3166-2 subdivision
   ("DE-BY", "GB-SCT"): `parse_region` reads both forms, "DE" and "DE-BY".

Every step is a `Phrase` (a template code plus parameters) so callers can translate it; its
`str()` is English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
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
    "extension_in_time": gettext_noop(
        "extension notified {notified}, within the first period (which ended {due})"
    ),
    "extension_late": gettext_noop(
        "extension notified {notified}, after the first period ended on {due}: an extension must"
        " be notified within that period, so this one does not extend it"
    ),
    "question_late": gettext_noop(
        "{what} asked {asked}, after the answer was due on {due}: a question asked that late"
        " does not pause the clock"
    ),
    "fee_received": gettext_noop(
        "fee received {day}: the period runs from that day (UK GDPR Art. 12A)"
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
    """The result: `due` is None only while an identity/clarification question is unanswered.

    `extended` says whether an extension counts (a late one does not); `ignored` names the
    events that came too late to change the clock ("extension", "question"), so status and
    pages can say so.
    """

    due: dt.date | None
    steps: tuple[Phrase, ...]
    rule: Phrase
    law: Law
    country: str
    start: dt.date  # the day the period runs from (receipt, or the UK identity day)
    subdivision: str = ""  # the subdivision part of the ISO 3166-2 code ("BY"), if any
    extended: bool = False
    ignored: tuple[str, ...] = ()

    @property
    def paused(self) -> bool:
        return self.due is None

    @property
    def region(self) -> str:
        """'DE-BY', or 'DE' without a subdivision."""
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country

    def explain(self, gettext: Callable[[str], str] = _identity) -> list[str]:
        """The rule, then the steps, as sentences: what the person is shown."""
        return [self.rule.render(gettext), *(step.render(gettext) for step in self.steps)]


def law_for_country(country: str) -> Law:
    """GB -> UK GDPR, CH -> FADP, any other known country -> GDPR; ValueError otherwise.

    Accepts "DE-BY" as well. The catalogue records a law per addressee that may differ (a Korean
    controller answering through a UK office still answers EU residents under the GDPR); callers
    that know it pass it to `due_date(law=...)`.
    """
    code = parse_region(country)[0]
    if code == "GB":
        return "uk_gdpr"
    if code == "CH":
        return "fadp"
    return "gdpr"


UNKNOWN_COUNTRY = "unknown country code {value!r} (expected an ISO 3166 code such as DE)"
UNKNOWN_SUBDIVISION = (
    "unknown subdivision {value!r} of {country} (expected an ISO 3166-2 code such as {example})"
)
CONFLICTING_SUBDIVISION = "the subdivision {given!r} does not match {region!r}"


def normalise_country(country: str) -> str:
    """The ISO 3166 country code of "de" or "DE-BY" ("DE"); ValueError when unknown."""
    return parse_region(country)[0]


def parse_region(region: str, subdivision: str = "") -> tuple[str, str]:
    """'DE-BY' -> ('DE', 'BY'); 'de' -> ('DE', ''); ('GB', 'SCT') -> ('GB', 'SCT').

    The subdivision must be one the holidays package has a calendar for (ISO 3166-2 codes:
    DE-BY, GB-ENG, GB-SCT, ES-CT, US-WA ...), so a region is never silently counted with the
    national holidays only. ValueError otherwise.
    """
    text = (region or "").strip()
    country, _, part = text.partition("-")
    code = country.upper()
    if code not in _supported_countries():
        raise ValueError(UNKNOWN_COUNTRY.format(value=country or text))
    given = (subdivision or "").strip()
    if given.upper().startswith(f"{code}-"):
        given = given[len(code) + 1:]
    if part and given and part.upper() != given.upper():
        raise ValueError(CONFLICTING_SUBDIVISION.format(given=subdivision, region=region))
    wanted = part or given
    if not wanted:
        return code, ""
    known = {name.upper(): name for name in _subdivisions(code)}
    if wanted.upper() not in known:
        example = f"{code}-{next(iter(known.values()))}" if known else "DE-BY"
        raise ValueError(UNKNOWN_SUBDIVISION.format(value=wanted, country=code, example=example))
    return code, known[wanted.upper()]


@lru_cache(maxsize=1)
def _supported_countries() -> frozenset[str]:
    # Only codes the holidays package has a calendar for: a country we cannot shift for is an
    # error, not a silent "no holidays".
    return frozenset(code for code in holidays.list_supported_countries() if len(code) == 2)


@lru_cache(maxsize=256)
def _subdivisions(country: str) -> tuple[str, ...]:
    return tuple(holidays.country_holidays(country).subdivisions)


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
    where = f"{country}-{subdivision}" if subdivision else country
    while True:
        name = holiday_name(day, country, subdivision)
        if day.weekday() == 5:
            steps.append(_phrase("saturday", day=day))
        elif day.weekday() == 6:
            steps.append(_phrase("sunday", day=day))
        elif name:
            steps.append(_phrase("holiday", day=day, country=where, name=name))
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
    shift); applying 1182/71 here is an assumption (legal-facts 1(h) #26). `country` may
    carry a subdivision ("DE-BY").
    """
    code, sub = parse_region(country)
    end, step = add_months(lodged, 3)
    due, shift_steps = next_working_day(end, code, sub)
    steps = (_phrase("complaint_lodged", day=lodged), step, *shift_steps)
    return Deadline(due, steps, _phrase("rule_art_78_2"), law_for_country(code), code, lodged, sub)


def followup_due(sent: dt.date, country: str) -> Deadline:
    """When an unanswered follow-up sent on `sent` turns into a complaint: 14 days, shifted."""
    code, sub = parse_region(country)
    end = sent + dt.timedelta(days=FOLLOWUP_DAYS)
    due, shift_steps = next_working_day(end, code, sub)
    steps = (_phrase("followup_sent", day=sent), _phrase("fourteen_days", day=end), *shift_steps)
    return Deadline(due, steps, _phrase("rule_followup"), law_for_country(code), code, sent, sub)


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


@dataclass(frozen=True)
class _Clock:
    """What `due_date` works from once the region, law and dates are checked."""

    received: dt.date
    country: str
    subdivision: str
    law: Law
    extended: bool
    extension_notified: dt.date | None
    asked: dt.date | None
    answered: dt.date | None
    asked_for: AskedFor
    fee_received: dt.date | None


def due_date(
    received: dt.date,
    country: str,
    *,
    extended: bool = False,
    extension_notified: dt.date | None = None,
    identity_asked: dt.date | None = None,
    identity_received: dt.date | None = None,
    asked_for: AskedFor = "identity",
    subdivision: str = "",
    law: Law | None = None,
    fee_received: dt.date | None = None,
) -> Deadline:
    """When the answer to a request received on `received` by an addressee in `country` is due.

    `country` is an ISO 3166 code, optionally with its ISO 3166-2 subdivision ("DE-BY",
    "GB-SCT"; or pass `subdivision="BY"`): the holidays of both count. `law` defaults to the
    country's (`law_for_country`). `extended=True` is an extension known to be notified in time;
    `extension_notified` is the day it was notified, judged against the first period.
    `identity_asked`/`identity_received`: the day the controller asked for identity (or, with
    `asked_for="clarification"`, for clarification) and the day the answer reached it; a
    question asked after the due date is ignored. `fee_received` (UK GDPR Art. 12A only) moves
    the start. Raises ValueError for an unknown region or inconsistent dates.
    """
    code, sub = parse_region(country, subdivision)
    clock = _Clock(received, code, sub, law or law_for_country(code), extended,
                   extension_notified, identity_asked, identity_received, asked_for, fee_received)
    _check_dates(clock)
    return _count(clock)


def _count(clock: _Clock) -> Deadline:
    steps: list[Phrase] = [_phrase("received", day=clock.received)]
    ignored: list[str] = []
    start = clock.received
    if clock.fee_received is not None and clock.fee_received > start:
        start = clock.fee_received
        steps.append(_phrase("fee_received", day=start))

    asked, answered = clock.asked, clock.answered
    if asked is not None:
        without = _count(replace(clock, asked=None, answered=None))
        assert without.due is not None  # no question, so never paused
        if asked > without.due:
            steps.append(_phrase("question_late", ("what",), what=clock.asked_for, asked=asked,
                                 due=without.due))
            ignored.append("question")
            asked = answered = None
    if asked is not None and answered is None:
        steps.append(_phrase("paused_open", ("what",), what=clock.asked_for, asked=asked))
        return _deadline(clock, None, steps, start, False, ignored)

    restart = clock.law == "uk_gdpr" and clock.asked_for == "identity" and asked is not None
    if restart:
        assert asked is not None and answered is not None
        start = max(start, answered)
        restart_code = "restart_identity" if clock.received >= UK_ART_12A_FROM else "restart_identity_ico"
        steps.append(_phrase(restart_code, asked=asked, answered=answered))
    # EDPB 01/2022 para. 159 (and UK Art. 12A for clarification): the days from the question to
    # the answer, both included, do not count (legal-facts 1(h) #25).
    pause = (asked, answered) if asked is not None and answered is not None and not restart else None

    first_steps, first_due = _period(clock, start, 1, pause)
    extended = clock.extended or clock.extension_notified is not None
    notified = clock.extension_notified
    if notified is not None and extended and clock.law != "fadp":
        if notified > first_due:
            steps.append(_phrase("extension_late", notified=notified, due=first_due))
            ignored.append("extension")
            extended = False
        else:
            steps.append(_phrase("extension_in_time", notified=notified, due=first_due))
    if extended and clock.law != "fadp":
        period_steps, due = _period(clock, start, 3, pause)
        steps.extend(period_steps)
    else:
        steps.extend(first_steps)
        due = first_due
        if extended:  # FADP
            steps.insert(len(steps) - _shift_count(first_steps), _phrase("fadp_no_extension"))
            extended = False
    return _deadline(clock, due, steps, start, extended, ignored)


def _period(
    clock: _Clock, start: dt.date, months: int, pause: tuple[dt.date, dt.date] | None
) -> tuple[list[Phrase], dt.date]:
    """The steps of one period from `start` (a month, three months or the FADP's 30 days),
    the pause added, then shifted to a working day; and its due date."""
    steps: list[Phrase] = []
    if clock.law == "fadp":
        end = start + dt.timedelta(days=FADP_DAYS)
        steps.append(_phrase("thirty_days", day=end))
    else:
        end, step = add_months(start, months)
        steps.append(step)
    if pause is not None:
        asked, answered = pause
        paused = (answered - asked).days + 1
        end += dt.timedelta(days=paused)
        code = "pause_clarification" if clock.law == "uk_gdpr" else "pause_identity"
        steps.append(_phrase(code, asked=asked, answered=answered, days=paused, day=end))
    due, shift_steps = next_working_day(end, clock.country, clock.subdivision)
    return [*steps, *shift_steps], due


def _shift_count(steps: list[Phrase]) -> int:
    return sum(1 for step in steps if step.code in _SHIFT_CODES)


_SHIFT_CODES = frozenset({"saturday", "sunday", "holiday", "next_working_day"})


def _deadline(
    clock: _Clock, due: dt.date | None, steps: list[Phrase], start: dt.date, extended: bool,
    ignored: list[str],
) -> Deadline:
    return Deadline(
        due, tuple(steps), _rule(clock.law, clock.received, extended), clock.law, clock.country,
        start, clock.subdivision, extended, tuple(ignored),
    )


def due_date_for_sent(
    sent: dt.date,
    channel: str,
    country: str,
    *,
    delivered: dt.date | None = None,
    postal_days: int,
    extended: bool = False,
    extension_notified: dt.date | None = None,
    identity_asked: dt.date | None = None,
    identity_received: dt.date | None = None,
    asked_for: AskedFor = "identity",
    subdivision: str = "",
    law: Law | None = None,
) -> Deadline:
    """`due_date` for a request known by its sending: receipt first (`receipt`), then the clock."""
    received, receipt_step = receipt(sent, channel, delivered, postal_days)
    deadline = due_date(
        received,
        country,
        extended=extended,
        extension_notified=extension_notified,
        identity_asked=identity_asked,
        identity_received=identity_received,
        asked_for=asked_for,
        subdivision=subdivision,
        law=law,
    )
    return replace(deadline, steps=(receipt_step, *deadline.steps))


def _rule(law: Law, received: dt.date, extended: bool) -> Phrase:
    if law == "fadp":
        return _phrase("rule_fadp")
    base = "rule_gdpr"
    if law == "uk_gdpr":
        base = "rule_uk" if received >= UK_ART_12A_FROM else "rule_uk_before_12a"
    return _phrase(f"{base}_extended" if extended else base)


FEE_OUTSIDE_UK = "a fee moves the start of the period only under UK GDPR Art. 12A"


def _check_dates(clock: _Clock) -> None:
    received, asked, answered = clock.received, clock.asked, clock.answered
    if asked is None and answered is not None:
        raise ValueError("an identity answer needs the date it was asked for")
    if asked is not None and asked < received:
        raise ValueError("identity was asked before the request was received")
    if asked is not None and answered is not None and answered < asked:
        raise ValueError("the identity answer is dated before the question")
    if clock.extension_notified is not None and clock.extension_notified < received:
        raise ValueError("the extension was notified before the request was received")
    if clock.fee_received is not None and clock.law != "uk_gdpr":
        raise ValueError(FEE_OUTSIDE_UK)
