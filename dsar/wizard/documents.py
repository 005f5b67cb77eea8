"""From a complete journey to letters: the wizard's adapter over the one letter assembler
(dsar.letters.assemble). It maps the session's answers to `LetterSpec`s, one per chosen
organisation, with the due date each letter will have once sent, and says what tracking
stores if the person opts in.

Only plain data leaves this module (letters' dataclasses, cases' TypedDicts); rendering is the
letters app's job.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation

from dsar.cases import deadlines
from dsar.cases.letters import draft_due
from dsar.catalog.models import Organisation
from dsar.letters.assemble import LetterSpec, Sender, assemble, country_code, letter_language
from dsar.letters.bundle import zip_bundle
from dsar.letters.data import LetterData
from dsar.letters.email import EmailText, email_for
from dsar.letters.render import render_pdf
from dsar.wizard.details import identifying_details
from dsar.wizard.flow import Journey


@dataclass(frozen=True)
class PlannedLetter:
    """One letter as the review page shows it and the download endpoints render it."""

    organisation: Organisation
    kind: str
    letter: LetterData
    channel: str
    deadline: deadlines.Deadline | None  # None when no country is known for the clock

    @property
    def filename(self) -> str:
        return f"{self.organisation.slug}-{self.kind}-{self.letter.language}.pdf"


def journey_sender(details: dict[str, object]) -> Sender:
    """The details form as the assembler's sender (what tracking stores reads the same)."""
    phone = details.get("phone")
    return Sender(
        name=str(details["name"]), address=str(details["address"]), country=str(details["country"]),
        email=str(details.get("email") or ""),
        phone=phone.as_e164 if phone else "",  # type: ignore[attr-defined]
        other_names=str(details.get("other_names") or ""),
    )


def _deadline(organisation: Organisation, channel: str, sent: dt.date,
              person_country: str) -> deadlines.Deadline | None:
    try:
        return draft_due(country_code(organisation.country) or person_country, channel, sent)
    except ValueError:
        return None


def _fallback_due(channel: str, sent: dt.date) -> dt.date:
    """Without a country there are no holidays to skip: receipt plus one month."""
    from django.conf import settings

    received = deadlines.assumed_receipt(sent, channel, None, settings.DSAR_POSTAL_DELIVERY_DAYS)
    return deadlines.add_months(received, 1)[0]


def _details_for(journey: Journey, language: str) -> dict[str, dict[str, str]]:
    """The identifying details per dataset, worded in the letter's language (dates)."""
    groups, details = journey.detail_groups(), journey.details or {}
    with translation.override(language):
        return {m.dataset.slug: dict(identifying_details(groups, details, m.dataset.slug))
                for m in journey.chosen_matches()}


def plan_letters(journey: Journey, reference: str, sent: dt.date | None = None) -> list[PlannedLetter]:
    """Every letter of a complete journey (choice and details valid), in the order chosen."""
    choice, details = journey.choice, journey.details
    if choice is None or details is None:
        return []
    sent = sent or timezone.localdate()
    by_slug = {u.organisation.slug: u.organisation for m in journey.matches for u in m.uses}
    datasets = [m.dataset for m in journey.chosen_matches()]
    planned = []
    for slug in choice["organisations"]:
        organisation = by_slug[slug]
        language = letter_language(organisation, str(choice["letter_language"]))
        channel = organisation.preferred_channel or "post"
        deadline = _deadline(organisation, channel, sent, str(details["country"]))
        spec = LetterSpec(
            kind=str(choice["kind"]), organisation=organisation, datasets=datasets,
            details=_details_for(journey, language), sender=journey_sender(details),
            reference=reference, letter_date=sent, language=language,
            due_date=deadline.due if deadline and deadline.due else _fallback_due(channel, sent),
        )
        planned += [PlannedLetter(organisation, letter.kind, letter, channel, deadline)
                    for letter in assemble(spec)]
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
    reference = planned[0].letter.reference if planned else ""
    return {"person": person, "datasets": [m.dataset.slug for m in journey.chosen_matches()],
            "requests": requests, "reference": reference}
