"""Every write of the cases domain. Views, forms, admin actions, tasks and commands call these.

Each state change of a request writes one Event and then recomputes the request's dates and
status from its events (`request_refresh`), so the timeline is the single source of truth and
the stored `status`, `received_on` and `due_on` are derived copies the queues can index.

Errors a person can cause raise `CaseError` with a message from the constants below, which
views put next to the field concerned and tests import.
"""
from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
import secrets
import shutil
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar import languages
from dsar.cases import deadlines
from dsar.cases.access import token_hash
from dsar.cases.fields import blind_index, os_error_name
from dsar.cases.models import Case, DataSubject, Event, Request, Team, new_reference
from dsar.catalog.models import Organisation
from dsar.catalog.selectors import letter_addressee
from dsar.letters.law import CLOCK_LAW

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from dsar.catalog.models import SupervisoryAuthority

logger = logging.getLogger(__name__)

SENT_IN_FUTURE = _("The sending date cannot be in the future.")
DATE_IN_FUTURE = _("This date cannot be in the future.")
DATE_BEFORE_SENT = _("This date is before the letter was sent.")
NOT_SENT_YET = _("Record first when the letter was sent.")
IDENTITY_NOT_ASKED = _("No request for identity was recorded.")
UPLOAD_TOO_LARGE = _("The file is too large.")
UPLOAD_NOT_STORED = _(
    "The file could not be stored just now (our storage is full or unavailable), so nothing was"
    " saved. Please try again later."
)
UNKNOWN_ORGANISATION = _("Unknown organisation: %(slug)s")
UNKNOWN_DATASET = _("Unknown dataset: %(slug)s")
NO_AUTHORITY = _("No supervisory authority is known for the country of residence.")
NOTHING_TO_FOLLOW_UP = _("Only a sent access or erasure request can be followed up.")
UNKNOWN_GROUND = _("Choose the refusal you want to answer.")

# A reference kept from elsewhere must look like one: letters, digits and dashes.
REFERENCE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{3,19}")
ORIGINAL_KINDS = (Request.Kind.ACCESS, Request.Kind.ERASURE, Request.Kind.ACCESS_ERASURE)


class CaseError(ValidationError):
    """Bad input from a person; `field` names the form field the message belongs to."""

    def __init__(self, message: Any, *, field: str | None = None, params: dict[str, Any] | None = None):
        super().__init__(message, params=params)
        self.field = field


class PersonData(TypedDict, total=False):
    """A person's details as the wizard and the CSV import collect them (like letters' Person).
    `address` is accepted as another name for `postal_address` (the wizard's field name)."""

    name: str
    other_names: str
    postal_address: str
    address: str
    email: str
    phone: str
    country: str
    region: str
    date_of_birth: str
    # {dataset slug: {label: value}}
    identifying_details: dict[str, dict[str, Any]]


class RequestSpec(TypedDict, total=False):
    """One letter chosen in the wizard: organisation slug, kind, language, channel."""

    organisation: str
    kind: str
    language: str
    channel: str


# --- data subjects and cases -------------------------------------------------------------------


def data_subject_create(*, person: PersonData, team: Team | None = None) -> DataSubject:
    subject = DataSubject(
        team=team,
        name=person.get("name", "").strip(),
        other_names=person.get("other_names", "").strip(),
        postal_address=(person.get("postal_address") or person.get("address") or "").strip(),
        email=person.get("email", "").strip(),
        phone=str(person.get("phone") or "").strip(),  # the wizard may pass a PhoneNumber
        country=person.get("country", "").strip().upper(),
        region=person.get("region", "").strip().upper(),
        date_of_birth=person.get("date_of_birth", "").strip(),
        identifying_details=person.get("identifying_details") or {},
    )
    subject.blind_index = blind_index(subject.name, subject.email)
    subject.save()
    return subject


@transaction.atomic
def case_create(
    *,
    subject_data: PersonData,
    datasets: Iterable[str] = (),
    requests: Iterable[RequestSpec] = (),
    team: Team | None = None,
    assignee: User | None = None,
    language: str = "en",
    data_subject: DataSubject | None = None,
    reference: str | None = None,
) -> Case:
    """A case for a person (new, or `data_subject` when the CSV import found a duplicate),
    with its datasets (slugs) and one draft request per chosen organisation.

    `reference`: keep a reference already printed on letters (the wizard's session reference)
    when it is well-formed and free; otherwise a new one is generated."""
    from dsar.catalog.models import Dataset

    subject = data_subject or data_subject_create(person=subject_data, team=team)
    case = Case.objects.create(data_subject=subject, team=team, assignee=assignee, language=language,
                               reference=_usable_reference(reference))
    slugs = list(dict.fromkeys(datasets))
    found = list(Dataset.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {d.slug for d in found})
    if missing:
        raise CaseError(UNKNOWN_DATASET, field="datasets", params={"slug": missing[0]})
    case.datasets.set(found)
    for spec in requests:
        request_create_for_organisation(case=case, spec=spec)
    logger.info("case %s created (team %s)", case.pk, team.pk if team else "-")
    return case


def _usable_reference(wanted: str | None) -> str:
    if wanted and REFERENCE_PATTERN.fullmatch(wanted) and not Case.objects.filter(reference=wanted).exists():
        return wanted
    return new_reference()


def case_issue_token(*, case: Case) -> str:
    """A new secret link for a public case; only its sha256 is stored. Returns the raw token."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    case.access_token_hash = token_hash(raw)
    case.token_created_at = now
    case.token_expires_at = now + dt.timedelta(days=settings.DSAR_TRACKING_TOKEN_DAYS)
    case.save(update_fields=["access_token_hash", "token_created_at", "token_expires_at"])
    return raw


@transaction.atomic
def case_create_public(
    *,
    email: str,
    person: PersonData,
    datasets: Iterable[str],
    requests: Iterable[RequestSpec],
    language: str = "en",
    reference: str | None = None,
) -> tuple[Case, str]:
    """The wizard's opt-in to tracking: store the case and mail the secret link to `email`.

    Stable contract for the wizard: `person` (PersonData), `datasets` (slugs), `requests`
    (RequestSpec: organisation slug, kind, language, channel), the UI `language`, and the
    `reference` already printed on the letters. Returns (case, raw_token); the raw token is
    never stored (show "check your mail", not the link: opening it proves the address works).
    Raises CaseError for an unknown dataset or organisation (nothing is stored then).
    """
    from dsar.cases.emails import send_tracking_confirmation

    case = case_create(subject_data=person, datasets=datasets, requests=requests, language=language,
                       reference=reference)
    case.tracking_email = email.strip()
    case.save(update_fields=["tracking_email"])
    raw = case_issue_token(case=case)
    transaction.on_commit(lambda: send_tracking_confirmation(case_id=case.pk, raw_token=raw))
    return case, raw


@transaction.atomic
def case_send_new_link(*, reference: str, email: str) -> bool:
    """A person lost their secret link: if `reference` is a public case tracked at `email`,
    issue a new link (the old one stops working) and mail it to that address.

    Returns whether it did; the page that calls this says the same either way, so it tells
    nobody which references exist or which address belongs to them."""
    from dsar.cases.emails import send_new_link

    case = Case.objects.filter(reference=reference.strip().upper(), team__isnull=True).first()
    stored = (case.tracking_email if case is not None else "") or ""
    given = email.strip().casefold()
    if not stored or not hmac.compare_digest(stored.strip().casefold().encode(), given.encode()):
        logger.info("new link refused")
        return False
    assert case is not None  # a stored address was found above
    raw, case_id = case_issue_token(case=case), case.pk
    transaction.on_commit(lambda: send_new_link(case_id=case_id, raw_token=raw))
    logger.info("new link issued for case %s", case_id)
    return True


def case_confirm_email(*, case: Case) -> bool:
    """The person opened the link from the confirmation mail. True the first time."""
    updated = Case.objects.filter(pk=case.pk, email_confirmed_at__isnull=True).update(
        email_confirmed_at=timezone.now()
    )
    case.refresh_from_db(fields=["email_confirmed_at"])
    return bool(updated)


def case_add_note(*, case: Case, text: str, user: User | None = None) -> Event:
    return _event(case=case, request=None, kind=Event.Kind.NOTE, on=timezone.localdate(), user=user, note=text)


def case_delete_everything(*, case: Case) -> None:
    """Remove the case, its person (unless another case still needs them), every event and
    every file (answer scans, rendered letters). Nothing of it remains afterwards."""
    files = [e.attachment for e in case.events.exclude(attachment="")]
    files += [r.letter_pdf for r in case.requests.exclude(letter_pdf="")]
    subject = case.data_subject
    case_id = case.pk
    with transaction.atomic():
        case.delete()  # cascades to requests and events (append-only except for this)
        if not subject.cases.exists():
            subject.delete()
    for stored in files:
        stored.storage.delete(str(stored.name))
    _remove_case_dir(case_id)
    logger.info("case %s deleted with %d files", case_id, len(files))


def cases_purge_abandoned(*, now: dt.datetime | None = None) -> int:
    """Delete everything of public cases whose link expired, or whose email address was not
    confirmed within DSAR_UNCONFIRMED_DAYS: personal data is kept only while someone tracks.
    NGO cases have no link and are never purged here. Returns the number of cases deleted."""
    now = now or timezone.now()
    unconfirmed_before = now - dt.timedelta(days=settings.DSAR_UNCONFIRMED_DAYS)
    abandoned = Case.objects.filter(team__isnull=True).filter(
        Q(token_expires_at__lte=now) | Q(email_confirmed_at__isnull=True, created_at__lte=unconfirmed_before)
    )
    count = 0
    for case in abandoned.select_related("data_subject").order_by("pk"):
        case_delete_everything(case=case)
        count += 1
    logger.info("purged %d abandoned public cases", count)
    return count


def _remove_case_dir(case_id: int) -> None:
    """Everything under cases/<id>/ belongs to that case (see the models' upload_to)."""
    from dsar.cases.fields import private_storage

    shutil.rmtree(private_storage.path(f"cases/{case_id}"), ignore_errors=True)


# --- requests ------------------------------------------------------------------------------------


def request_create_for_organisation(*, case: Case, spec: RequestSpec) -> Request:
    from dsar.catalog.models import Organisation

    slug = spec.get("organisation", "")
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise CaseError(UNKNOWN_ORGANISATION, field="requests", params={"slug": slug})
    return request_create(
        case=case,
        kind=spec.get("kind") or Request.Kind.ACCESS_ERASURE,
        organisation=organisation,
        language=spec.get("language") or organisation.letter_language or case.language,
        channel=spec.get("channel") or organisation.preferred_channel,
    )


def request_create(
    *,
    case: Case,
    kind: str,
    organisation: Any = None,
    authority: SupervisoryAuthority | None = None,
    language: str = "en",
    channel: str = Request.Channel.POST,
    parent: Request | None = None,
    ground: str = "",
) -> Request:
    return Request.objects.create(
        case=case, kind=kind, organisation=organisation, authority=authority,
        language=language, channel=channel, parent=parent, ground=ground,
    )


def _check_day(day: dt.date, *, field: str, not_before: dt.date | None = None) -> None:
    if day > timezone.localdate():
        raise CaseError(SENT_IN_FUTURE if field == "sent_on" else DATE_IN_FUTURE, field=field)
    if not_before is not None and day < not_before:
        raise CaseError(DATE_BEFORE_SENT, field=field)


def _require_sent(request: Request, field: str) -> dt.date:
    if request.sent_on is None:
        raise CaseError(NOT_SENT_YET, field=field)
    return request.sent_on


@transaction.atomic
def request_mark_sent(
    *, request: Request, sent_on: dt.date, channel: str, user: User | None = None, proof: str = "",
    upload: UploadedFile | None = None,
) -> Request:
    """The letter went out. A second call corrects the date or channel (latest event wins).
    `proof` (a registered-post number, never personal text) and `upload` (a scan of the
    receipt) go into the evidence dossier."""
    _check_day(sent_on, field="sent_on")
    if upload is not None and upload.size is not None and upload.size > settings.DSAR_UPLOAD_MAX_BYTES:
        raise CaseError(UPLOAD_TOO_LARGE, field="proof_file")
    _event(case=request.case, request=request, kind=Event.Kind.SENT, on=sent_on, user=user,
           data={"channel": channel, **({"proof": proof.strip()} if proof.strip() else {})}, upload=upload)
    if request.parent is not None and request.kind == Request.Kind.FOLLOWUP:
        _event(case=request.case, request=request.parent, kind=Event.Kind.FOLLOWUP_SENT,
               on=sent_on, user=user, data={"followup": request.pk})
        request_refresh(request=request.parent)
    if request.parent is not None and request.kind == Request.Kind.COMPLAINT:
        _event(case=request.case, request=request.parent, kind=Event.Kind.COMPLAINT_FILED,
               on=sent_on, user=user, data={"complaint": request.pk})
        request_refresh(request=request.parent)
    return request_refresh(request=request)


@transaction.atomic
def request_confirm_delivery(
    *, request: Request, delivered_on: dt.date, user: User | None = None
) -> Request:
    sent_on = _require_sent(request, "delivered_on")
    _check_day(delivered_on, field="delivered_on", not_before=sent_on)
    _event(case=request.case, request=request, kind=Event.Kind.DELIVERY_CONFIRMED, on=delivered_on, user=user)
    return request_refresh(request=request)


def _record_after_sending(request: Request, kind: str, on: dt.date, user: User | None) -> Request:
    sent_on = _require_sent(request, "on")
    _check_day(on, field="on", not_before=sent_on)
    _event(case=request.case, request=request, kind=kind, on=on, user=user)
    return request_refresh(request=request)


@transaction.atomic
def request_acknowledged(*, request: Request, on: dt.date, user: User | None = None) -> Request:
    return _record_after_sending(request, Event.Kind.ACKNOWLEDGED, on, user)


@transaction.atomic
def request_identity_asked(*, request: Request, on: dt.date, user: User | None = None) -> Request:
    """The controller asked for proof of identity: the clock pauses (EU) until it is supplied."""
    return _record_after_sending(request, Event.Kind.IDENTITY_ASKED, on, user)


@transaction.atomic
def request_extension_notified(*, request: Request, on: dt.date, user: User | None = None) -> Request:
    """The controller extended the period (Art. 12(3)): due three months after receipt."""
    return _record_after_sending(request, Event.Kind.EXTENSION_NOTIFIED, on, user)


@transaction.atomic
def request_identity_supplied(*, request: Request, on: dt.date, user: User | None = None) -> Request:
    asked = _latest(request, Event.Kind.IDENTITY_ASKED)
    if asked is None:
        raise CaseError(IDENTITY_NOT_ASKED, field="on")
    _check_day(on, field="on", not_before=asked.on)
    _event(case=request.case, request=request, kind=Event.Kind.IDENTITY_SUPPLIED, on=on, user=user)
    return request_refresh(request=request)


@transaction.atomic
def request_log_answer(
    *,
    request: Request,
    outcome: str,
    on: dt.date,
    upload: UploadedFile | None = None,
    note: str = "",
    user: User | None = None,
) -> Request:
    """An answer arrived (with its outcome and optionally a scan, stored privately). Open
    follow-ups of the request are closed: the organisation has now answered."""
    sent_on = _require_sent(request, "on")
    _check_day(on, field="on", not_before=sent_on)
    if upload is not None and upload.size is not None and upload.size > settings.DSAR_UPLOAD_MAX_BYTES:
        raise CaseError(UPLOAD_TOO_LARGE, field="upload")
    try:
        _event(case=request.case, request=request, kind=Event.Kind.ANSWER_RECEIVED, on=on, user=user,
               outcome=outcome, note=note, upload=upload)
    except OSError as error:
        # Private storage full or read-only: nothing is recorded (this transaction rolls back,
        # the storage keeps no partial file) and the person is told next to the file field.
        logger.warning("answer for request %s not stored: %s", request.pk, os_error_name(error))
        raise CaseError(UPLOAD_NOT_STORED, field="upload") from error
    for child in request.children.filter(kind=Request.Kind.FOLLOWUP).exclude(status=Request.Status.CLOSED):
        request_close(request=child, on=on, user=user)
    return request_refresh(request=request)


@transaction.atomic
def request_close(*, request: Request, on: dt.date | None = None, user: User | None = None) -> Request:
    _event(case=request.case, request=request, kind=Event.Kind.CLOSED, on=on or timezone.localdate(), user=user)
    return request_refresh(request=request)


@transaction.atomic
def request_create_followup(*, request: Request) -> Request:
    """A draft follow-up letter to the same organisation (no answer, or an incomplete one).
    Returns the existing draft when there is one, so a double click makes one letter."""
    if request.kind not in ORIGINAL_KINDS or request.sent_on is None:
        raise CaseError(NOTHING_TO_FOLLOW_UP)
    existing = request.children.filter(kind=Request.Kind.FOLLOWUP, status=Request.Status.DRAFT).first()
    if existing:
        return existing
    return request_create(case=request.case, kind=Request.Kind.FOLLOWUP, organisation=request.organisation,
                          language=request.language, channel=request.channel, parent=request)


@transaction.atomic
def request_create_rebuttal(*, request: Request, ground: str) -> Request:
    """A draft letter answering the organisation's refusal on `ground` (Request.Ground), to the
    same organisation in the same language. An existing draft for the same ground is returned,
    so a double click makes one letter."""
    if request.kind not in ORIGINAL_KINDS or request.sent_on is None:
        raise CaseError(NOTHING_TO_FOLLOW_UP)
    if ground not in Request.Ground.values:
        raise CaseError(UNKNOWN_GROUND, field="ground")
    existing = request.children.filter(kind=Request.Kind.REBUTTAL, ground=ground, status=Request.Status.DRAFT).first()
    if existing:
        return existing
    return request_create(case=request.case, kind=Request.Kind.REBUTTAL, organisation=request.organisation,
                          language=request.language, channel=request.channel, parent=request, ground=ground)


@transaction.atomic
def request_create_complaint(*, request: Request, authority: SupervisoryAuthority | None = None) -> Request:
    """A draft complaint (Art. 77) about `request` to the authority of the person's residence."""
    from dsar.catalog.selectors import authority_for_residence

    if request.kind not in ORIGINAL_KINDS or request.sent_on is None:
        raise CaseError(NOTHING_TO_FOLLOW_UP)
    subject = request.case.data_subject
    authority = authority or authority_for_residence(subject.country, subject.region)
    if authority is None:
        raise CaseError(NO_AUTHORITY, field="authority")
    existing = request.children.filter(kind=Request.Kind.COMPLAINT, status=Request.Status.DRAFT).first()
    if existing:
        return existing
    language = languages.supported(request.case.language)
    return request_create(case=request.case, kind=Request.Kind.COMPLAINT, authority=authority,
                          language=language, channel=Request.Channel.POST, parent=request)


def request_record_reminder(*, request: Request, reminder: str, on: dt.date | None = None) -> Event:
    """The sweep sent a reminder ("before", "overdue" or "complaint"): put it on the timeline."""
    return _event(case=request.case, request=request, kind=Event.Kind.REMINDER_SENT,
                  on=on or timezone.localdate(), user=None, actor=Event.Actor.SYSTEM,
                  data={"reminder": reminder})


def request_record_email(*, request: Request, on: dt.date, bounce: bool = False) -> Event:
    """dsar.mailbox stored an email (an answer, or a bounce of ours) for this request: the
    timeline shows it arrived. Dates and status stay as they are until someone confirms what
    it says through the services above."""
    return _event(case=request.case, request=request, kind=Event.Kind.EMAIL_RECEIVED, on=on,
                  user=None, actor=Event.Actor.SYSTEM, data={"bounce": bounce})


# --- derived state -------------------------------------------------------------------------------

_ANSWER_STATUS: dict[str, str] = {
    Event.Outcome.COMPLETE: Request.Status.ANSWERED_COMPLETE,
    Event.Outcome.PARTIAL: Request.Status.ANSWERED_PARTIAL,
    Event.Outcome.REFUSED: Request.Status.ANSWERED_REFUSED,
    Event.Outcome.NO_DATA: Request.Status.ANSWERED_NO_DATA,
    Event.Outcome.ASKS_MORE: Request.Status.ANSWERED_ASKS_MORE,
}


def derive_status(
    events: Sequence[Event], *, due_on: dt.date | None, today: dt.date,
    ignored: Iterable[str] = (),
) -> str:
    """The one place a request's status is decided: replay its events in order, then a clock
    still running past `due_on` makes it overdue (a paused or extended clock is honoured).

    `ignored` names what the clock judged too late (`Deadline.ignored`: "extension",
    "question"): a late extension does not make the request extended, a late identity question
    does not pause it, so it turns overdue like any other."""
    status: str = Request.Status.DRAFT
    extended = False
    skipped = _ignored_kinds(ignored)
    for event in sorted(events, key=lambda e: (e.on, e.at, e.pk or 0)):
        kind = event.kind
        if kind in skipped:
            continue
        if kind == Event.Kind.SENT and status == Request.Status.DRAFT:
            status = Request.Status.AWAITING
        elif kind == Event.Kind.IDENTITY_ASKED:
            status = Request.Status.IDENTITY_ASKED
        elif kind == Event.Kind.IDENTITY_SUPPLIED and status == Request.Status.IDENTITY_ASKED:
            status = Request.Status.EXTENDED if extended else Request.Status.AWAITING
        elif kind == Event.Kind.EXTENSION_NOTIFIED:
            extended = True
            if status in Request.CLOCK_RUNNING:
                status = Request.Status.EXTENDED
        elif kind == Event.Kind.ANSWER_RECEIVED:
            status = _ANSWER_STATUS.get(event.outcome, Request.Status.ANSWERED_PARTIAL)
        elif kind == Event.Kind.FOLLOWUP_SENT:
            status = Request.Status.FOLLOWUP_SENT
        elif kind == Event.Kind.COMPLAINT_FILED:
            status = Request.Status.COMPLAINT_FILED
        elif kind == Event.Kind.CLOSED:
            status = Request.Status.CLOSED
    if status in Request.CLOCK_RUNNING and due_on is not None and today > due_on:
        return Request.Status.OVERDUE
    return status


def request_deadline(request: Request, events: Sequence[Event]) -> deadlines.Deadline | None:
    """The legal deadline of a sent request from its events (None before sending, for
    mandates, and where no country is known). Selectors use it to show the steps."""
    sent = _latest_in(events, Event.Kind.SENT)
    if sent is None:
        return None
    channel = sent.data.get("channel", request.channel)
    delivered = _latest_in(events, Event.Kind.DELIVERY_CONFIRMED)
    country = request_country(request)
    if not country or request.kind == Request.Kind.MANDATE:
        return None
    if request.kind == Request.Kind.COMPLAINT:
        return deadlines.authority_silence_end(sent.on, country)
    if request.kind == Request.Kind.FOLLOWUP:
        # The follow-up's period is tracked on the original request (status followup_sent),
        # so the sweep reminds once, about the original.
        return None
    asked = _latest_in(events, Event.Kind.IDENTITY_ASKED)
    supplied = _latest_in(events, Event.Kind.IDENTITY_SUPPLIED)
    if asked is not None and supplied is not None and supplied.on < asked.on:
        supplied = None  # answered an earlier question; the latest one is still open
    # The first notice counts: a later one cannot make a late extension timely.
    extension = _earliest_in(events, Event.Kind.EXTENSION_NOTIFIED)
    try:
        return deadlines.due_date_for_sent(
            sent.on, channel, country,
            delivered=delivered.on if delivered else None,
            postal_days=settings.DSAR_POSTAL_DELIVERY_DAYS,
            law=request_law(request),
            extension_notified=extension.on if extension else None,
            identity_asked=asked.on if asked else None,
            identity_received=supplied.on if supplied else None,
        )
    except ValueError:
        # Inconsistent dates a person entered (e.g. identity asked before assumed receipt):
        # fall back to the plain deadline rather than lose the clock.
        return deadlines.due_date_for_sent(sent.on, channel, country, law=request_law(request),
                                           postal_days=settings.DSAR_POSTAL_DELIVERY_DAYS)


def request_refresh(*, request: Request, today: dt.date | None = None) -> Request:
    """Recompute sent/received/due dates and the status from the events; save what changed.
    The sweep calls this (through the clock helper's task) to turn requests overdue."""
    events = list(request.events.all())
    today = today or timezone.localdate()
    sent = _latest_in(events, Event.Kind.SENT)
    delivered = _latest_in(events, Event.Kind.DELIVERY_CONFIRMED)
    answer = _latest_in(events, Event.Kind.ANSWER_RECEIVED)
    request.sent_on = sent.on if sent else None
    request.channel = sent.data.get("channel", request.channel) if sent else request.channel
    request.delivered_on = delivered.on if delivered else None
    request.answered_on = answer.on if answer else None
    request.outcome = answer.outcome if answer else ""
    deadline = request_deadline(request, events)
    request.received_on = deadlines.assumed_receipt(
        sent.on, request.channel, request.delivered_on, settings.DSAR_POSTAL_DELIVERY_DAYS
    ) if sent else None
    request.received_assumed = bool(sent and not delivered and request.channel == Request.Channel.POST)
    request.due_on = deadline.due if deadline else None
    request.due_rule = deadline.rule.code if deadline else ""
    request.extended_due_on = request.due_on if deadline and deadline.extended else None
    request.status = derive_status(events, due_on=request.due_on, today=today,
                                   ignored=deadline.ignored if deadline else ())
    followup = _latest_in(events, Event.Kind.FOLLOWUP_SENT)
    if request.status == Request.Status.FOLLOWUP_SENT and followup is not None:
        # While a follow-up runs, the original's due_on is the end of the period the follow-up
        # gave: the sweep's complaint reminder reads it (dsar.cases.reminders).
        followup_deadline = deadlines.followup_due(followup.on, request_country(request) or "DE")
        request.due_on = followup_deadline.due
        request.due_rule = followup_deadline.rule.code
    request.save(update_fields=[
        "sent_on", "channel", "delivered_on", "received_on", "received_assumed", "due_on",
        "due_rule", "extended_due_on", "answered_on", "outcome", "status", "updated_at",
    ])
    return request


def request_country(request: Request) -> str:
    """The region whose holidays the request's clock counts: the addressee's country and, where
    the catalogue records one, its ISO 3166-2 subdivision ("DE-BY"); "" when unknown.

    The addressee is the entity the letter goes to (the organisation, or the authority of a
    complaint), never the person's residence, except for a controller of unknown seat."""
    recipient = request.recipient
    if isinstance(recipient, Organisation):
        # The entity written to: an EU entity, a UK office, an Art. 27 representative.
        addressee = letter_addressee(recipient)
        country, subdivision = addressee.country, addressee.subdivision
    else:
        country = str(getattr(recipient, "country", "") or "") if recipient is not None else ""
        subdivision = ""
    if not country:
        # A controller of unknown seat: the person's own country gives a usable clock.
        country = request.case.data_subject.country
    try:
        code, sub = deadlines.parse_region(country, subdivision)
    except ValueError:
        try:
            code, sub = deadlines.normalise_country(country), ""
        except ValueError:
            return ""
    return f"{code}-{sub}" if sub else code


_IGNORED_KINDS = {
    "extension": (Event.Kind.EXTENSION_NOTIFIED,),
    "question": (Event.Kind.IDENTITY_ASKED, Event.Kind.IDENTITY_SUPPLIED),
}


def _ignored_kinds(ignored: Iterable[str]) -> set[str]:
    return {kind for name in ignored for kind in _IGNORED_KINDS.get(name, ())}


def _earliest_in(events: Iterable[Event], kind: str) -> Event | None:
    matching = [e for e in events if e.kind == kind]
    return min(matching, key=lambda e: (e.on, e.at, e.pk or 0)) if matching else None


def request_law(request: Request) -> deadlines.Law | None:
    """The law the clock counts by: the addressee's regime from the catalogue (a Korean
    controller answering EU residents through a UK office counts the GDPR's way); None: the
    country's default (`deadlines.law_for_country`)."""
    recipient = request.recipient
    if request.kind == Request.Kind.COMPLAINT or not isinstance(recipient, Organisation):
        return None
    regime = recipient.law_regime
    return CLOCK_LAW[regime] if regime else None


def _latest_in(events: Iterable[Event], kind: str) -> Event | None:
    matching = [e for e in events if e.kind == kind]
    return max(matching, key=lambda e: (e.on, e.at, e.pk or 0)) if matching else None


def _latest(request: Request, kind: str) -> Event | None:
    return _latest_in(request.events.filter(kind=kind), kind)


def _event(
    *,
    case: Case,
    request: Request | None,
    kind: str,
    on: dt.date,
    user: User | None,
    actor: str | None = None,
    outcome: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    upload: UploadedFile | None = None,
) -> Event:
    event = Event(
        case=case, request=request, kind=kind, on=on, outcome=outcome, note=note, data=data or {},
        actor=actor or (Event.Actor.USER if user is not None else Event.Actor.SUBJECT),
        actor_user=user,
    )
    if upload is not None:
        event.attachment_name = upload.name or ""
        event.attachment_type = (getattr(upload, "content_type", "") or "application/octet-stream")[:100]
        event.attachment.save(upload.name or "upload.bin", upload, save=False)
    event.save()
    logger.info("case %s request %s event %s", case.pk, request.pk if request else "-", kind)
    return event


# --- keys ------------------------------------------------------------------------------------------


def field_keys_rotate(*, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted column with the newest key (see rotate_field_keys)."""
    from dsar.cases.fields import EncryptedJSONField, EncryptedTextField

    counts: dict[str, int] = {}
    for model in (DataSubject, Case, Event):
        fields = [f.name for f in model._meta.fields if isinstance(f, (EncryptedTextField, EncryptedJSONField))]
        count = 0
        batch: list[Any] = []
        for row in model._base_manager.only("pk", *fields).iterator(chunk_size=batch_size):
            batch.append(row)
            if len(batch) >= batch_size:
                count += _rewrite(model, batch, fields)
                batch = []
        count += _rewrite(model, batch, fields)
        counts[model._meta.label] = count
    counts["letter files"] = _rotate_letter_files()
    return counts


def _rotate_letter_files() -> int:
    """Rendered letters are encrypted files (dsar.cases.letters): re-encrypt each in place."""
    from dsar.cases.fields import private_storage, rotate_file

    count = 0
    for name in Request.objects.exclude(letter_pdf="").values_list("letter_pdf", flat=True).iterator():
        if private_storage.exists(name):
            rotate_file(name)
            count += 1
    return count


def _rewrite(model: Any, rows: list[Any], fields: list[str]) -> int:
    if not rows:
        return 0
    # Event rows are append-only for the application; re-encrypting does not change a value,
    # so it goes through the base manager's bulk_update rather than Event.save().
    with transaction.atomic():
        model._base_manager.bulk_update(rows, fields)
    return len(rows)
