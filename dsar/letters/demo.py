"""Letters for a fictitious person against the real catalogue: the preview of every kind in
every language (`manage.py demo_letters`), also used by the letters tests."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from dsar.catalog.models import Dataset, Organisation
from dsar.letters import assemble
from dsar.letters.data import (
    GROUNDS,
    KINDS,
    Authority,
    DatasetRef,
    LetterData,
    Ngo,
    OriginalRequest,
    Person,
    Recipient,
)
from dsar.letters.presenters import FOLLOWUP_DAYS

DEMO_PERSON = Person(
    name="Zoë Łukasiewicz-Ørsted",
    address_lines=("Hauptstraße 5", "10115 Berlin", "Germany"),
    email="zoe.orsted@example.org",
    phone="+49 30 1234567",
    other_names=("Zoë Ørsted", "Зоя Орстед"),
)
# The same person as the assembler's input (the regional letters go through it whole).
DEMO_SENDER = assemble.Sender(
    name=DEMO_PERSON.name, address="Hauptstraße 5\n10115 Berlin", country="DE", email=DEMO_PERSON.email,
    phone=DEMO_PERSON.phone, other_names="\n".join(DEMO_PERSON.other_names),
)
DEMO_NGO = Ngo(
    name="Gesichter zurück e.V.",
    address_lines=("Lindenstraße 12", "10969 Berlin", "Germany"),
    email="faelle@gesichter-zurueck.example",
    website="https://gesichter-zurueck.example",
    phone="+49 30 7654321",
    description="a not-for-profit association registered in Berlin (VR 40000 B)",
    caseworker="Dmitri Ilyin",
)
# The signed mandate goes to the NGO that will act on it.
NGO_RECIPIENT = Recipient(name=DEMO_NGO.name, address_lines=DEMO_NGO.address_lines, email=DEMO_NGO.email)
DEMO_DETAILS = {
    "ms-celeb-1m": {
        "name_as_listed": "Zoe Orsted",
        "profession": "Documentary photographer",
        "image_urls": "https://example.org/press/zoe-orsted.jpg",
    },
    "duke-mtmc": {
        "presence": "Duke University, Chapel Quad, 14 March 2014, about 11:00-12:30",
        "appearance": "red coat, black backpack",
    },
}


# The kinds demo_letters makes one of each; rebuttals come one per ground (demo_rebuttals).
DEMO_KINDS = tuple(kind for kind in KINDS if kind != "rebuttal")


def one_month_later(received: date) -> date:
    """Good enough for a preview; real letters get their date from cases.deadlines."""
    return received + relativedelta(months=1)


@dataclass(frozen=True)
class Parties:
    """Who the demo letters go to and what they are about."""

    first: Recipient  # gets access, follow-up, and is complained about (Microsoft)
    first_dataset: DatasetRef  # MS-Celeb-1M
    second: Recipient  # gets the erasure request (Duke University)
    second_dataset: DatasetRef  # DukeMTMC
    authority: Authority  # the Irish DPC
    authority_recipient: Recipient


def _organisation(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def _dataset_ref(slug: str, organisation: Organisation, language: str) -> DatasetRef:
    dataset = Dataset.objects.select_related("publisher").prefetch_related("derivatives").get(slug=slug)
    role = dict(assemble.datasets_for(organisation, [dataset])).get(dataset, "user")
    return assemble.dataset_ref(dataset, language=language, details=DEMO_DETAILS.get(slug, {}), role=role)


def catalogue_parties(language: str) -> Parties:
    """The real catalogue's Microsoft, Duke, their datasets and the Irish DPC, built with the
    assembler's own catalogue readers."""
    from dsar.catalog.selectors import authority_for_residence

    dpc = authority_for_residence("IE", "")
    if dpc is None:
        raise LookupError("the catalogue has no authority for Ireland")
    microsoft, duke = _organisation("microsoft"), _organisation("duke-university")
    return Parties(
        first=assemble.recipient_for_organisation(microsoft),
        first_dataset=_dataset_ref("ms-celeb-1m", microsoft, language),
        second=assemble.recipient_for_organisation(duke),
        second_dataset=_dataset_ref("duke-mtmc", duke, language),
        authority=assemble.authority_party(dpc),
        authority_recipient=assemble.recipient_for_authority(dpc),
    )


# The letters to addressees under other laws (`manage.py demo_letters` writes them as
# <kind>-<lang>-<region>.pdf): organisation slug, dataset slug, kind, language.
REGIONAL = (
    ("uk", "university-of-leicester", "ms-celeb-1m", "access", "en"),
    ("ch", "idiap", "ms-celeb-1m", "access", "de"),
    ("ch", "idiap", "ms-celeb-1m", "erasure", "de"),
    ("us", "duke-university", "duke-mtmc", "access", "en"),
)


def regional_letters(*, today: date, due_for: Callable[[date], date] = one_month_later,
                     language: str = "") -> list[tuple[str, LetterData]]:
    """The letters to a UK, a Swiss and a US controller through the full assembler (the law is
    the addressee's, from the catalogue), as (file name, letter)."""
    out = []
    for region, slug, dataset_slug, kind, lang in REGIONAL:
        if language and lang != language:
            continue
        organisation = _organisation(slug)
        received = today + timedelta(days=3)
        law = assemble.organisation_regime(organisation)
        # The FADP counts 30 days; a preview needs no holiday shift (real letters: cases.deadlines).
        due = received + timedelta(days=law.period_days) if law.period_days else due_for(received)
        spec = assemble.LetterSpec(
            kind=kind, organisation=organisation,
            datasets=list(Dataset.objects.filter(slug=dataset_slug)), details=DEMO_DETAILS,
            sender=DEMO_SENDER, reference="DEMO-ZLO-0005", letter_date=today,
            due_date=due, language=lang, place="Berlin",
        )
        (letter,) = assemble.assemble(spec)
        out.append((f"{kind}-{lang}-{region}.pdf", letter))
    return out


def demo_letters(
    language: str,
    *,
    today: date,
    parties: Parties | None = None,
    due_for: Callable[[date], date] = one_month_later,
    kinds: tuple[str, ...] = DEMO_KINDS,
) -> list[LetterData]:
    """One letter per kind: access (MS-Celeb-1M -> Microsoft), erasure (DukeMTMC -> Duke),
    follow-up and complaint about the Microsoft request (to the Irish DPC), and a mandate.
    `parties` defaults to the catalogue's."""
    p = parties or catalogue_parties(language)
    sent = today - relativedelta(months=1, days=20)
    received = sent + timedelta(days=3)
    original = OriginalRequest(
        kind="access_erasure", sent_on=sent, reference="DEMO-ZLO-0001", received_on=received,
        due_on=due_for(received), channel="post", proof="registered post RR 1234 5678 9DE",
    )
    common: dict[str, Any] = dict(language=language, letter_date=today, person=DEMO_PERSON, place="Berlin")
    arrives = today + timedelta(days=3)
    letters = {
        "access": LetterData(kind="access", reference="DEMO-ZLO-0001", due_date=due_for(arrives),
                             recipient=p.first, datasets=(p.first_dataset,), **common),
        "erasure": LetterData(kind="erasure", reference="DEMO-ZLO-0002", due_date=due_for(arrives),
                              recipient=p.second, datasets=(p.second_dataset,), **common),
        "followup": LetterData(kind="followup", reference="DEMO-ZLO-0001",
                               due_date=today + timedelta(days=FOLLOWUP_DAYS), recipient=p.first,
                               datasets=(p.first_dataset,), original=original, authority=p.authority,
                               **common),
        "complaint": LetterData(kind="complaint", reference="DEMO-ZLO-0003", due_date=today + relativedelta(months=3),
                                recipient=p.authority_recipient, controller=p.first,
                                datasets=(p.first_dataset,), original=original, authority=p.authority,
                                enclosures=(f"{original.reference} ({sent.isoformat()})", "RR 1234 5678 9DE"),
                                **common),
        "mandate": LetterData(kind="mandate", reference="DEMO-ZLO-0004", due_date=today, recipient=NGO_RECIPIENT,
                              datasets=(p.first_dataset, p.second_dataset), ngo=DEMO_NGO,
                              scope_organisations=(p.first.addressee, p.second.addressee), **common),
    }
    return [letters[kind] for kind in kinds]


def _original(today: date, due_for: Callable[[date], date]) -> OriginalRequest:
    sent = today - relativedelta(months=2)
    received = sent + timedelta(days=3)
    return OriginalRequest(
        kind="access_erasure", sent_on=sent, reference="DEMO-ZLO-0001", received_on=received,
        due_on=due_for(received), channel="post", proof="registered post RR 1234 5678 9DE",
        outcome="refused", answered_on=today - timedelta(days=4),
    )


def demo_rebuttals(language: str, *, today: date, parties: Parties | None = None,
                   due_for: Callable[[date], date] = one_month_later) -> list[tuple[str, LetterData]]:
    """One rebuttal per refusal ground to Microsoft about MS-Celeb-1M, as
    (rebuttal-<ground>-<lang>.pdf, letter)."""
    p = parties or catalogue_parties(language)
    original = _original(today, due_for)
    return [
        (f"rebuttal-{ground}-{language}.pdf", LetterData(
            kind="rebuttal", language=language, reference="DEMO-ZLO-0001", letter_date=today,
            due_date=today + timedelta(days=FOLLOWUP_DAYS), person=DEMO_PERSON, recipient=p.first,
            datasets=(p.first_dataset,), original=original, authority=p.authority, place="Berlin",
            ground=ground,
        ))
        for ground in GROUNDS
    ]


# The demo answer's enclosure: its SHA-256 is what the dossier lists.
DEMO_ATTACHMENT = b"%PDF-1.4 demo scan of the controller's answer\n"


def demo_dossier(language: str, *, today: date, parties: Parties | None = None,
                 due_for: Callable[[date], date] = one_month_later) -> Any:
    """The evidence dossier of an overdue access + erasure request to Microsoft: two reminders,
    one (refusing) answer with an enclosure, the letters as appendices."""
    import hashlib

    from django.utils import translation

    from dsar.letters.dossier import Answer as DossierAnswer
    from dsar.letters.dossier import AttachmentRef, DossierData, TimelineEntry, dataset_evidence

    p = parties or catalogue_parties(language)
    original = _original(today, due_for)
    assert original.received_on is not None and original.due_on is not None
    microsoft = _organisation("microsoft")
    datasets = list(Dataset.objects.filter(slug="ms-celeb-1m").prefetch_related("derivatives", "sources"))
    first, second = original.due_on + timedelta(days=1), original.due_on + timedelta(days=15)
    reminder = {"original": original, "authority": p.authority, "person": DEMO_PERSON, "recipient": p.first,
                "datasets": (p.first_dataset,), "reference": original.reference, "language": language,
                "place": "Berlin"}
    letters = (
        LetterData(kind="access", letter_date=original.sent_on, due_date=original.due_on,
                   **{k: v for k, v in reminder.items() if k not in ("original", "authority")}),  # type: ignore[arg-type]
        LetterData(kind="followup", letter_date=first, due_date=first + timedelta(days=FOLLOWUP_DAYS), **reminder),  # type: ignore[arg-type]
        LetterData(kind="followup", letter_date=second, due_date=second + timedelta(days=FOLLOWUP_DAYS), **reminder),  # type: ignore[arg-type]
    )
    with translation.override(language):
        _ = translation.gettext
        timeline = (
            TimelineEntry(original.sent_on, _("Sent"), _("by post") + f", {original.proof}"),
            TimelineEntry(original.received_on, _("Delivery confirmed")),
            TimelineEntry(original.due_on, _("Answer due")),
            TimelineEntry(first, _("Follow-up sent")),
            TimelineEntry(second, _("Follow-up sent")),
            TimelineEntry(today - timedelta(days=4), _("Answer received"), _("Refused")),
        )
        answers = (DossierAnswer(
            received_on=today - timedelta(days=4), outcome=_("Refused"),
            text="We no longer distribute MS-Celeb-1M and cannot identify you in any data we hold.",
            attachments=(AttachmentRef(name="answer-scan.pdf", sha256=hashlib.sha256(DEMO_ATTACHMENT).hexdigest(),
                                       size=len(DEMO_ATTACHMENT), media_type="application/pdf"),),
        ),)
        status = _("No complete answer by the due date; the answer received refuses the request.")
        reason = _("the authority of the controller's main establishment in the Union (Art. 56(1) GDPR)")
    return DossierData(
        language=language, reference=original.reference, made_on=today, complainant=DEMO_PERSON,
        controller=p.first, law=assemble.organisation_regime(microsoft), request_kind=original.kind,
        status=status, timeline=timeline, authority=p.authority, authority_reason=reason,
        sent_on=original.sent_on, channel=_channel_word(language), proof=original.proof,
        received_on=original.received_on, due_on=original.due_on,
        due_steps=(), answers=answers, evidence=dataset_evidence(microsoft, datasets, language), letters=letters,
    )


def _channel_word(language: str) -> str:
    from dsar.letters.phrases import phrases

    return phrases(language)["channels"]["post"]
