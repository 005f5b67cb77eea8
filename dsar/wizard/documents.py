"""From a complete journey to letters: one LetterData per chosen organisation and kind, with the
due date each will have once sent, and what tracking stores if the person opts in.

Only plain data leaves this module (letters' dataclasses, cases' TypedDicts); rendering is the
letters app's job.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django_countries import countries

from dsar.cases import deadlines
from dsar.catalog.models import Organisation
from dsar.letters.bundle import zip_bundle
from dsar.letters.catalog_data import dataset_ref, recipient_from_organisation
from dsar.letters.data import LetterData, Person
from dsar.letters.email import EmailText, email_for
from dsar.letters.render import render_pdf
from dsar.wizard.details import identifying_details
from dsar.wizard.flow import KIND_LETTERS, Journey, Match

# cases.deadlines names the Swiss law "fadp"; the letters call it "ch_fadp".
LETTER_LAW = {"gdpr": "gdpr", "uk_gdpr": "uk_gdpr", "fadp": "ch_fadp"}


@dataclass(frozen=True)
class PlannedLetter:
    """One letter as the review page shows it and the download endpoints render it."""

    organisation: Organisation
    kind: str
    letter: LetterData
    channel: str
    deadline: deadlines.Deadline | None  # None when the organisation's country is unknown

    @property
    def filename(self) -> str:
        return f"{self.organisation.slug}-{self.kind}-{self.letter.language}.pdf"


def _language(choice: str, organisation: Organisation) -> str:
    if choice in ("en", "de", "fr"):
        return choice
    preferred = organisation.letter_language
    return preferred if preferred in ("en", "de", "fr") else (translation.get_language() or "en")[:2]


def _person(details: dict[str, object], language: str) -> Person:
    with translation.override(language):
        country = str(countries.name(str(details["country"])) or details["country"])
    address = [line.strip() for line in str(details["address"]).splitlines() if line.strip()]
    phone = details.get("phone")
    return Person(
        name=str(details["name"]).strip(),
        address_lines=(*address, country),
        email=str(details.get("email") or ""),
        phone=phone.as_international if phone else "",  # type: ignore[attr-defined]
        other_names=tuple(line.strip() for line in str(details.get("other_names") or "").splitlines()
                          if line.strip()),
    )


def _deadline(organisation: Organisation, channel: str, sent: dt.date) -> deadlines.Deadline | None:
    try:
        return deadlines.due_date_for_sent(sent, channel, organisation.country.code or "",  # type: ignore[attr-defined]  # a Country
                                           postal_days=settings.DSAR_POSTAL_DELIVERY_DAYS)
    except ValueError:
        return None


def _fallback_due(channel: str, sent: dt.date) -> dt.date:
    """Without a country there are no holidays to skip: receipt plus one month."""
    received = deadlines.assumed_receipt(sent, channel, None, settings.DSAR_POSTAL_DELIVERY_DAYS)
    return deadlines.add_months(received, 1)[0]


def _role(match: Match, organisation: Organisation) -> str:
    roles = {u.role for u in match.uses if u.organisation.pk == organisation.pk}
    return "publisher" if "publisher" in roles else ("user" if "user" in roles else "derivative_host")


def plan_letters(journey: Journey, reference: str, sent: dt.date | None = None) -> list[PlannedLetter]:
    """Every letter of a complete journey (choice and details valid), in the order chosen."""
    choice, details = journey.choice, journey.details
    if choice is None or details is None:
        return []
    sent = sent or timezone.localdate()
    groups = journey.detail_groups()
    by_slug = {u.organisation.slug: u.organisation for m in journey.matches for u in m.uses}
    planned = []
    for slug in choice["organisations"]:
        organisation = by_slug[slug]
        language = _language(str(choice["letter_language"]), organisation)
        concerned = [m for m in journey.matches
                     if any(u.organisation.pk == organisation.pk for u in m.uses)]
        with translation.override(language):
            refs = tuple(
                dataset_ref(m.dataset, language=language, role=_role(m, organisation),  # type: ignore[arg-type]
                            details=identifying_details(groups, details, m.dataset.slug))
                for m in concerned
            )
        channel = organisation.preferred_channel or "post"
        deadline = _deadline(organisation, channel, sent)
        for kind in KIND_LETTERS[str(choice["kind"])]:
            letter = LetterData(
                kind=kind,  # type: ignore[arg-type]
                language=language,  # type: ignore[arg-type]
                reference=reference,
                letter_date=sent,
                due_date=deadline.due if deadline and deadline.due else _fallback_due(channel, sent),
                person=_person(details, language),
                recipient=recipient_from_organisation(organisation),
                datasets=refs,
                law=LETTER_LAW[deadline.law] if deadline else "gdpr",  # type: ignore[arg-type]
            )
            planned.append(PlannedLetter(organisation, kind, letter, channel, deadline))
    return planned


def find_letter(planned: list[PlannedLetter], organisation: str, kind: str) -> PlannedLetter | None:
    return next((p for p in planned if p.organisation.slug == organisation and p.kind == kind),
                None)


@dataclass
class ReviewRow:
    """One organisation on the review page: its letters, how to send them, when the answer is due."""

    organisation: Organisation
    letters: list[PlannedLetter]
    channel: str
    due: dt.date
    due_steps: list[str]
    emails: list[tuple[PlannedLetter, EmailText]]


def review_rows(planned: list[PlannedLetter]) -> list[ReviewRow]:
    rows: dict[int, ReviewRow] = {}
    for item in planned:
        row = rows.get(item.organisation.pk)
        if row is None:
            steps = item.deadline.explain(translation.gettext) if item.deadline else []
            row = ReviewRow(item.organisation, [], item.channel, item.letter.due_date, steps, [])
            rows[item.organisation.pk] = row
        row.letters.append(item)
        if item.channel in ("email", "webform"):
            # The text to send or paste; only rendered where the page shows it.
            row.emails.append((item, email_for(item.letter)))
    return list(rows.values())


def zip_letters(planned: list[PlannedLetter]) -> bytes:
    """All letters of the session in one zip: a PDF each, with its email text.

    Rendered in this process, one after the other: a web worker keeps WeasyPrint's fonts and
    stylesheets warm, while render_many would fork a fresh pool (and build them again) per
    request."""
    letters = [p.letter for p in planned]
    return zip_bundle(letters, pdfs=[render_pdf(letter) for letter in letters])


def tracking_payload(journey: Journey, planned: list[PlannedLetter]) -> dict[str, Any]:
    """The keyword arguments for cases.services.case_create_public (its PersonData and
    RequestSpec shapes): what tracking stores, and nothing more."""
    details = journey.details or {}
    groups = journey.detail_groups()
    phone = details.get("phone")
    person = {
        "name": str(details.get("name", "")),
        "other_names": str(details.get("other_names", "")),
        "postal_address": str(details.get("address", "")),
        "email": str(details.get("email") or ""),
        "phone": phone.as_e164 if phone else "",  # type: ignore[attr-defined]
        "country": str(details.get("country", "")),
        "region": str(details.get("region", "")),
        "identifying_details": {
            m.dataset.slug: dict(identifying_details(groups, details, m.dataset.slug))
            for m in journey.chosen_matches()
        },
    }
    requests = [{"organisation": p.organisation.slug, "kind": p.kind,
                 "language": p.letter.language, "channel": p.channel} for p in planned]
    return {"person": person, "datasets": [m.dataset.slug for m in journey.chosen_matches()],
            "requests": requests}
