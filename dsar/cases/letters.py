"""The letters of a request: cases maps its models to the assembler's plain `LetterSpec`
(dsar.letters.assemble) and keeps the rendered PDF (the letters app never sees a case model).
The PDF is kept in private storage, encrypted, with a hash of what it was made from, so an
unchanged letter is not rendered twice (the render task and the download views both call
`request_render_letter`)."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dsar.cases import deadlines
from dsar.cases.fields import decrypt_file, encrypt_file_bytes
from dsar.cases.models import Case, Event, Request, Team
from dsar.cases.services import request_country, request_deadline
from dsar.letters.assemble import LetterSpec, Sender, assemble, team_ngo
from dsar.letters.data import LANGUAGES, LetterData, Ngo, OriginalRequest, Outcome
from dsar.letters.phrases import format_date, phrases

logger = logging.getLogger(__name__)

# What happened to the original request, as the follow-up and complaint letters word it.
ORIGINAL_OUTCOME: dict[str, Outcome] = {
    Request.Status.OVERDUE: "no_answer",
    Request.Status.FOLLOWUP_SENT: "no_answer",
    Request.Status.ANSWERED_PARTIAL: "incomplete",
    Request.Status.ANSWERED_ASKS_MORE: "incomplete",
    Request.Status.ANSWERED_REFUSED: "refused",
    Request.Status.IDENTITY_ASKED: "id_demand",
}


def case_sender(case: Case) -> Sender:
    subject = case.data_subject
    return Sender(name=subject.name, address=subject.postal_address, country=subject.country,
                  email=subject.email, phone=subject.phone, other_names=subject.other_names)


def team_as_ngo(team: Team) -> Ngo:
    return team_ngo(name=team.name, address=team.postal_address, email=team.contact_email,
                    phone=team.contact_phone, website=team.website, description=team.description)


def _country(request: Request) -> str:
    # Without any known country the letter still needs a clock: the GDPR's is the default.
    return request_country(request) or "DE"


def draft_due(country: str, channel: str, today: dt.date) -> deadlines.Deadline:
    """The deadline an unsent letter would have if sent today (printed on drafts: the wizard's
    review and an unsent tracked letter give the same date)."""
    return deadlines.due_date_for_sent(today, channel, country, postal_days=settings.DSAR_POSTAL_DELIVERY_DAYS)


def _due(request: Request, today: dt.date) -> dt.date:
    """The due date printed on the letter: its own if sent, else as if it were sent today."""
    country = _country(request)
    if request.kind == Request.Kind.FOLLOWUP:
        return deadlines.followup_due(request.sent_on or today, country).due or today
    if request.kind == Request.Kind.REBUTTAL:
        # Its own deadline: the short follow-up period, unless the original one runs longer.
        short = deadlines.followup_due(request.sent_on or today, country).due or today
        original = request.parent.due_on if request.parent is not None else None
        return max(short, original) if original else short
    if request.due_on is not None:
        return request.due_on
    if request.kind == Request.Kind.COMPLAINT:
        return deadlines.authority_silence_end(today, country).due or today
    return draft_due(country, request.channel, today).due or today


def _original(request: Request) -> OriginalRequest | None:
    parent = request.parent
    if parent is None or parent.sent_on is None:
        return None
    return OriginalRequest(
        kind=parent.kind, sent_on=parent.sent_on, reference=request.case.reference,
        received_on=parent.received_on, due_on=parent.due_on, channel=parent.channel,
        outcome=ORIGINAL_OUTCOME.get(parent.status, "no_answer"),
        reminders=(),
        answered_on=_answered_on(parent),
        extended=parent.extended_due_on is not None,
    )


def _enclosures(request: Request) -> tuple[str, ...]:
    """A complaint lists the original request and, when it is enclosed, the evidence dossier."""
    parent = request.parent
    if request.kind != Request.Kind.COMPLAINT or parent is None or parent.sent_on is None:
        return ()
    language = request.language if request.language in LANGUAGES else "en"
    words = phrases(language)
    kinds = ("access", "erasure") if parent.kind == Request.Kind.ACCESS_ERASURE else (parent.kind,)
    title = words["and_word"].join(words["titles"][kind] for kind in kinds)
    original = f"{title}, {request.case.reference} ({format_date(parent.sent_on, language)})"
    return (original, words["dossier_enclosure"]) if _dossier_enclosed(request) else (original,)


def _answered_on(request: Request) -> dt.date | None:
    """The day of the latest answer recorded on `request` (a rebuttal answers it)."""
    answers = [event.on for event in request.events.all() if event.kind == Event.Kind.ANSWER_RECEIVED]
    return max(answers) if answers else None


def _original_steps(request: Request) -> tuple[deadlines.Phrase, ...]:
    if request.parent is None:
        return ()
    deadline = request_deadline(request.parent, list(request.parent.events.all()))
    return (deadline.rule, *deadline.steps) if deadline else ()


def request_letter_spec(request: Request, *, today: dt.date | None = None) -> LetterSpec:
    """The assembler's input for a request: its addressee (the organisation; for a complaint
    the controller complained about, addressed to the authority), the case's datasets (the
    assembler keeps the addressee's), the person, the team as representative, the dates."""
    from dsar.catalog.selectors import authority_for_residence

    today = today or timezone.localdate()
    case = request.case
    subject = case.data_subject
    organisation = request.organisation or (request.parent.organisation if request.parent else None)
    authority = request.authority or authority_for_residence(subject.country, subject.region)
    return LetterSpec(
        kind=request.kind,
        organisation=organisation,
        datasets=list(case.datasets.select_related("publisher").prefetch_related("derivatives")),
        details=subject.identifying_details or {},
        sender=case_sender(case),
        reference=case.reference,
        letter_date=request.sent_on or today,
        due_date=_due(request, today),
        language=request.language,
        ngo=team_as_ngo(case.team) if case.team is not None else None,
        authority=authority,
        original=_original(request),
        due_steps=_original_steps(request),
        extended=request.extended_due_on is not None,
        ground=request.ground,
        enclosures=_enclosures(request),
    )


def request_letters(request: Request, *, today: dt.date | None = None) -> tuple[LetterData, ...]:
    """The plain data of the request's letters (two for access + erasure; no rendering)."""
    return assemble(request_letter_spec(request, today=today))


def letter_inputs_hash(letters: tuple[LetterData, ...]) -> str:
    # repr of frozen dataclasses of str/date/tuple is deterministic: equal inputs, equal hash.
    return hashlib.sha256(repr(letters).encode("utf-8")).hexdigest()


def render_letters_pdf(letters: tuple[LetterData, ...]) -> bytes:
    """One PDF for a request: its letter, or its two letters one after the other."""
    from dsar.letters.bundle import combined_pdf
    from dsar.letters.render import render_pdf

    pdfs = [render_pdf(letter) for letter in letters]
    return pdfs[0] if len(pdfs) == 1 else combined_pdf(letters, pdfs=pdfs)


def request_store_pdf(*, request: Request, pdf: bytes, name: str, digest: str = "") -> None:
    """Keep a rendered PDF for a request, encrypted at rest with the field keys (it holds the
    person's name and address); the old file goes once the new one is saved."""
    old = request.letter_pdf.name if request.letter_pdf else ""
    with transaction.atomic():
        request.letter_pdf.save(name, encrypt_file_bytes(pdf), save=False)
        request.letter_inputs_hash = digest
        request.save(update_fields=["letter_pdf", "letter_inputs_hash", "updated_at"])
    if old and old != request.letter_pdf.name:
        request.letter_pdf.storage.delete(old)


def _dossier_enclosed(request: Request) -> Request | None:
    """The request whose evidence dossier a complaint encloses (its parent), if one is due."""
    from dsar.cases.dossier import dossier_available

    parent = request.parent
    if request.kind != Request.Kind.COMPLAINT or parent is None or not dossier_available(parent):
        return None
    return parent


def _last_event_id(request: Request) -> int:
    return max([e.pk for e in request.events.all()] or [0])


def request_render_letter(*, request: Request, today: dt.date | None = None, spec: LetterSpec | None = None) -> Request:
    """Render and store the request's PDF unless the stored one was made from the same data.
    `spec` lets a caller adjust the assembler's input (a batch's mandate names its scope)."""
    letters = assemble(spec) if spec is not None else request_letters(request, today=today)
    digest = letter_inputs_hash(letters)
    dossier_of = _dossier_enclosed(request)
    if dossier_of is not None:
        # The enclosed dossier changes with every event of the complained-about request.
        digest = hashlib.sha256(f"{digest}:{dossier_of.status}:{_last_event_id(dossier_of)}".encode()).hexdigest()
    if request.letter_inputs_hash == digest and request.letter_pdf and request.letter_pdf.storage.exists(
        str(request.letter_pdf.name)
    ):
        return request
    pdf = render_letters_pdf(letters)
    if dossier_of is not None:
        from dsar.cases.dossier import request_dossier_pdf
        from dsar.letters.bundle import concatenate_pdfs

        pdf = concatenate_pdfs([pdf, request_dossier_pdf(dossier_of, today=today)])
    request_store_pdf(request=request, pdf=pdf, name=f"{request.kind}-{request.pk}.pdf", digest=digest)
    logger.info("letter of request %s rendered (%d bytes)", request.pk, len(pdf))
    return request


def request_letter_pdf(request: Request) -> bytes:
    """The stored PDF of a request, decrypted (downloads, zips)."""
    return decrypt_file(str(request.letter_pdf.name), request.letter_pdf.storage)  # type: ignore[arg-type]


def request_letter_filename(request: Request) -> str:
    return f"{request.case.reference}-{request.kind}-{request.pk}.pdf"
