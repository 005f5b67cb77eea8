"""The evidence dossier of a tracked request: cases maps the request, its follow-ups and
rebuttals, their events and files to the letters app's plain `DossierData`
(dsar.letters.dossier), which lays it out. Served on the public tracking page and in casework
(both through `access_case`) for a request that is overdue or whose answer fell short, and
appended to the complaint letter."""
from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dsar.cases.letters import request_letters, team_as_ngo
from dsar.cases.models import Event, Request
from dsar.cases.services import ORIGINAL_KINDS, request_deadline
from dsar.letters.assemble import (
    Sender,
    authority_party,
    organisation_regime,
    person,
    recipient_for_organisation,
    render_steps,
)
from dsar.letters.data import LANGUAGES, LetterData
from dsar.letters.dossier import (
    Answer,
    AttachmentRef,
    DossierData,
    TimelineEntry,
    dataset_evidence,
    render_dossier,
)

# A dossier is offered once the organisation is late or its answer fell short.
DOSSIER_STATUSES = (
    Request.Status.OVERDUE, Request.Status.FOLLOWUP_SENT, Request.Status.ANSWERED_REFUSED,
    Request.Status.ANSWERED_PARTIAL, Request.Status.ANSWERED_ASKS_MORE, Request.Status.ANSWERED_NO_DATA,
)
# The follow-up letters that belong in the file of the original request.
SENT_CHILD_KINDS = (Request.Kind.FOLLOWUP, Request.Kind.REBUTTAL)


def dossier_available(request: Request) -> bool:
    return request.kind in ORIGINAL_KINDS and request.sent_on is not None and request.status in DOSSIER_STATUSES


def _detail(event: Event) -> str:
    parts = []
    if event.outcome:
        parts.append(str(event.get_outcome_display()))
    channel = event.data.get("channel")
    if channel:
        parts.append(str(Request.Channel(channel).label) if channel in Request.Channel.values else channel)
    for key in ("message_id", "proof"):
        if event.data.get(key):
            parts.append(str(event.data[key]))
    if event.attachment and event.kind != Event.Kind.ANSWER_RECEIVED:  # answers list theirs below
        attachment = _attachment(event)
        parts.append(f"{attachment.name}, SHA-256 {attachment.sha256}")
    return ", ".join(parts)


def _timeline(request: Request, children: list[Request], events: list[Event]) -> tuple[TimelineEntry, ...]:
    """Every recorded event of the request and of its follow-ups and rebuttals (internal notes
    excepted), plus the due date; in date order (the presenter sorts, ties as recorded)."""
    entries = [TimelineEntry(e.on, str(e.get_kind_display()), _detail(e)) for e in events if e.kind != Event.Kind.NOTE]
    for child in children:
        entries += [TimelineEntry(e.on, f"{child.get_kind_display()}: {e.get_kind_display()}", _detail(e))
                    for e in child.events.all() if e.kind != Event.Kind.NOTE]
    if request.due_on:
        entries.append(TimelineEntry(request.due_on, _("Answer due")))
    if request.extended_due_on:
        entries.append(TimelineEntry(request.extended_due_on, _("Answer due (extended)")))
    return tuple(entries)


def _attachment(event: Event) -> AttachmentRef:
    digest, size = hashlib.sha256(), 0
    with event.attachment.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
            size += len(chunk)
    return AttachmentRef(name=event.attachment_name or "answer", sha256=digest.hexdigest(), size=size,
                         media_type=event.attachment_type)


def _answers(events: list[Event]) -> tuple[Answer, ...]:
    return tuple(
        Answer(received_on=e.on, outcome=str(e.get_outcome_display()), text=e.note,
               attachments=(_attachment(e),) if e.attachment else ())
        for e in events if e.kind == Event.Kind.ANSWER_RECEIVED
    )


def _letters(request: Request, children: list[Request], today: dt.date) -> tuple[LetterData, ...]:
    letters = list(request_letters(request, today=today))
    for child in children:
        if child.sent_on is not None:
            letters += request_letters(child, today=today)
    return tuple(letters)


def request_dossier(request: Request, *, today: dt.date | None = None) -> DossierData:
    """The dossier of an original (access / erasure) request, in the request's language."""
    from dsar.catalog.selectors import authority_for_residence

    today = today or timezone.localdate()
    language = request.language if request.language in LANGUAGES else "en"
    case, organisation = request.case, request.organisation
    if organisation is None:
        raise ValueError("a dossier is made for a request to an organisation")
    subject = case.data_subject
    events = list(request.events.all())
    children = list(request.children.filter(kind__in=SENT_CHILD_KINDS).order_by("sent_on", "pk"))
    deadline = request_deadline(request, events)
    authority = authority_for_residence(subject.country, subject.region)
    datasets = list(case.datasets.select_related("publisher").prefetch_related("derivatives", "sources"))
    with translation.override(language):
        return DossierData(
            language=language, reference=case.reference, made_on=today,
            complainant=person(Sender(name=subject.name, address=subject.postal_address, country=subject.country,
                                      email=subject.email, phone=subject.phone), language),
            controller=recipient_for_organisation(organisation), law=organisation_regime(organisation),
            request_kind=request.kind, status=str(request.get_status_display()),
            timeline=_timeline(request, children, events),
            ngo=None if case.team is None else team_as_ngo(case.team),
            authority=authority_party(authority) if authority else None,
            authority_reason=_("the authority of the place where the person lives (Art. 77(1) GDPR)") if authority else "",
            sent_on=request.sent_on, channel=str(request.get_channel_display()),
            received_on=request.received_on, due_on=request.extended_due_on or request.due_on,
            due_steps=render_steps((deadline.rule, *deadline.steps), language) if deadline else (),
            answers=_answers(events), evidence=dataset_evidence(organisation, datasets, language),
            letters=_letters(request, children, today),
        )


def request_dossier_pdf(request: Request, *, today: dt.date | None = None) -> bytes:
    return render_dossier(request_dossier(request, today=today))


def dossier_filename(request: Request) -> str:
    return f"{request.case.reference}-dossier-{request.pk}.pdf"
