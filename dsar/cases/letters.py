"""The letter of a request: cases builds the plain LetterData and asks the letters app to
render it (the letters app never sees a case model). The PDF is kept in private storage with a
hash of what it was made from, so an unchanged letter is not rendered twice (the render task
and the download view both call `request_render_letter`)."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dsar.cases import deadlines
from dsar.cases.models import Request
from dsar.cases.services import request_country, request_deadline
from dsar.letters.data import (
    LANGUAGES,
    DatasetRef,
    Kind,
    LetterData,
    Ngo,
    OriginalRequest,
    Outcome,
    Person,
    Recipient,
    Role,
)

logger = logging.getLogger(__name__)

# Our request kinds -> the letters app's kinds. A combined access + erasure request uses the
# erasure letter, which also asks what is held (Art. 15) before erasing it.
LETTER_KIND: dict[str, Kind] = {
    Request.Kind.ACCESS: "access",
    Request.Kind.ERASURE: "erasure",
    Request.Kind.ACCESS_ERASURE: "erasure",
    Request.Kind.FOLLOWUP: "followup",
    Request.Kind.COMPLAINT: "complaint",
    Request.Kind.MANDATE: "mandate",
}
LETTER_LAW = {"gdpr": "gdpr", "uk_gdpr": "uk_gdpr", "fadp": "ch_fadp"}
# What happened to the original request, as the follow-up and complaint letters word it.
ORIGINAL_OUTCOME: dict[str, Outcome] = {
    Request.Status.OVERDUE: "no_answer",
    Request.Status.FOLLOWUP_SENT: "no_answer",
    Request.Status.ANSWERED_PARTIAL: "incomplete",
    Request.Status.ANSWERED_ASKS_MORE: "incomplete",
    Request.Status.ANSWERED_REFUSED: "refused",
    Request.Status.IDENTITY_ASKED: "id_demand",
}


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _person(request: Request) -> Person:
    subject = request.case.data_subject
    return Person(
        name=subject.name,
        address_lines=_lines(subject.postal_address),
        email=subject.email,
        phone=subject.phone,
        other_names=tuple(n.strip() for n in subject.other_names.replace("\n", ",").split(",") if n.strip()),
    )


def _datasets(request: Request, language: str) -> tuple[DatasetRef, ...]:
    from dsar.catalog.models import DatasetUse
    from dsar.letters.catalog_data import dataset_ref

    case = request.case
    details: dict[str, Any] = case.data_subject.identifying_details or {}
    organisation = request.organisation if request.kind != Request.Kind.COMPLAINT else None
    organisation = organisation or (request.parent.organisation if request.parent else None)
    roles: dict[int, Role] = {}
    if organisation is not None:
        uses = DatasetUse.objects.filter(organisation=organisation, dataset__in=case.datasets.all())
        roles = {use.dataset_id: cast(Role, use.role) for use in uses}
    refs = []
    for dataset in case.datasets.select_related("publisher").prefetch_related("derivatives"):
        refs.append(dataset_ref(dataset, language=language, details=details.get(dataset.slug, {}),
                                role=roles.get(dataset.pk, "user")))
    return tuple(refs)


def _country(request: Request) -> str:
    # Without any known country the letter still needs a law: the GDPR's is the default.
    return request_country(request) or "DE"


def _due(request: Request, today: dt.date) -> dt.date:
    """The due date printed on the letter: its own if sent, else as if it were sent today."""
    country = _country(request)
    if request.kind == Request.Kind.FOLLOWUP:
        return deadlines.followup_due(request.sent_on or today, country).due or today
    if request.due_on is not None:
        return request.due_on
    if request.kind == Request.Kind.COMPLAINT:
        return deadlines.authority_silence_end(today, country).due or today
    deadline = deadlines.due_date_for_sent(
        today, request.channel, country, postal_days=settings.DSAR_POSTAL_DELIVERY_DAYS
    )
    return deadline.due or today


def _original(request: Request) -> OriginalRequest | None:
    parent = request.parent
    if parent is None or parent.sent_on is None:
        return None
    return OriginalRequest(
        kind=parent.kind, sent_on=parent.sent_on, reference=request.case.reference,
        received_on=parent.received_on, due_on=parent.due_on, channel=parent.channel,
        outcome=ORIGINAL_OUTCOME.get(parent.status, "no_answer"),
        reminders=(),
    )


def _original_steps(request: Request) -> tuple[str, ...]:
    if request.parent is None:
        return ()
    deadline = request_deadline(request.parent, list(request.parent.events.all()))
    return tuple(deadline.explain()) if deadline else ()


def _recipient_and_controller(request: Request) -> tuple[Recipient, Recipient | None]:
    from dsar.letters.catalog_data import recipient_from_authority, recipient_from_organisation

    if request.kind == Request.Kind.COMPLAINT and request.authority is not None:
        controller_org = request.parent.organisation if request.parent else None
        controller = recipient_from_organisation(controller_org) if controller_org else None
        return recipient_from_authority(request.authority), controller
    if request.organisation is not None:
        return recipient_from_organisation(request.organisation), None
    return Recipient(name=""), None


def request_letter_data(request: Request, *, today: dt.date | None = None) -> LetterData:
    """The plain data of the request's letter (no rendering)."""
    from dsar.catalog.selectors import authority_for_residence
    from dsar.letters.catalog_data import authority_from_model

    today = today or timezone.localdate()
    language = request.language if request.language in LANGUAGES else "en"
    recipient, controller = _recipient_and_controller(request)
    subject = request.case.data_subject
    authority_model = request.authority or authority_for_residence(subject.country, subject.region)
    team = request.case.team
    return LetterData(
        kind=LETTER_KIND[request.kind],
        language=language,  # type: ignore[arg-type]
        reference=request.case.reference,
        letter_date=request.sent_on or today,
        due_date=_due(request, today),
        person=_person(request),
        recipient=recipient,
        datasets=_datasets(request, language),
        law=LETTER_LAW[deadlines.law_for_country(_country(request))],  # type: ignore[arg-type]
        original=_original(request),
        controller=controller,
        authority=authority_from_model(authority_model) if authority_model else None,
        ngo=Ngo(name=team.name) if team is not None else None,
        scope_organisations=(),
        due_steps=_original_steps(request),
        extended=request.extended_due_on is not None,
    )


def letter_inputs_hash(letter: LetterData) -> str:
    # repr of frozen dataclasses of str/date/tuple is deterministic: equal inputs, equal hash.
    return hashlib.sha256(repr(letter).encode("utf-8")).hexdigest()


def request_render_letter(*, request: Request, today: dt.date | None = None) -> Request:
    """Render and store the request's PDF unless the stored one was made from the same data."""
    from dsar.letters.render import render_pdf

    letter = request_letter_data(request, today=today)
    digest = letter_inputs_hash(letter)
    if request.letter_inputs_hash == digest and request.letter_pdf and request.letter_pdf.storage.exists(
        str(request.letter_pdf.name)
    ):
        return request
    pdf = render_pdf(letter)
    old = request.letter_pdf.name if request.letter_pdf else ""
    with transaction.atomic():
        request.letter_pdf.save(f"{letter.kind}-{request.pk}.pdf", ContentFile(pdf), save=False)
        request.letter_inputs_hash = digest
        request.save(update_fields=["letter_pdf", "letter_inputs_hash", "updated_at"])
    if old and old != request.letter_pdf.name:
        request.letter_pdf.storage.delete(old)
    logger.info("letter of request %s rendered (%d bytes)", request.pk, len(pdf))
    return request


def request_letter_filename(request: Request) -> str:
    return f"{request.case.reference}-{LETTER_KIND[request.kind]}-{request.pk}.pdf"
