"""Every write of the mailbox: sending a request by email, storing what arrives, confirming
what an answer says. Views, tasks and commands call these.

Sending, exactly once: the send task claims the request's OutgoingEmail with a conditional
UPDATE (``... WHERE sent_at IS NULL``) inside the transaction that hands the message to the
mail server and records the sending through cases' services (so the sent date is the send
time and the due date follows from the channel's receipt rule). A temporary refusal (4xx, no
connection) rolls the claim back and the task retries later; a permanent one (5xx) is recorded
and not retried. As with reminders (dsar.cases.reminders), the one window left is a crash
between the server accepting and the commit: the retry then sends the same message again,
with the same Message-ID and reply address (both derived from the row, not random).

Receiving: `message_receive(raw)` stores a message once (its fingerprint is unique), matched
(dsar.mailbox.matching) or for staff review, classified (dsar.mailbox.classify), with its text
and files encrypted; a matched message is put on the request's timeline and its people are
told that something arrived (never what). The clock changes only in `message_confirm`, which
calls the cases service for what was confirmed, so the legal rules for extensions and identity
requests apply there as everywhere else.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import smtplib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from dsar.cases import services as case_services
from dsar.cases.fields import field_cipher
from dsar.cases.models import Event, Request
from dsar.mailbox import classify, matching
from dsar.mailbox.models import InboundAttachment, InboundMessage, OutgoingEmail
from dsar.mailbox.parsing import Attachment, Bounce, ParsedMessage, fingerprint_of, parse

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from dsar.letters.email import EmailText

logger = logging.getLogger(__name__)

NO_EMAIL_ADDRESS = _("This organisation has no privacy email address: send the letter by post or web form.")
ALREADY_SENT = _("This letter was already sent.")
TEXT_CHANGED = _("The text changed since you read it. Please read it again before sending.")
NOT_AN_ANSWER = _("This message cannot be confirmed for a request.")
UNKNOWN_LABEL = _("Choose what the answer says.")
SKIPPED_TOO_LARGE = "too_large"

Label = classify.Label


CaseError = case_services.CaseError


class MailboxError(CaseError):
    """Bad input from a person (shown next to the form), as cases' CaseError."""


class TemporarySendError(Exception):
    """The mail server refused for now (4xx) or could not be reached: retry later."""


# --- sending -------------------------------------------------------------------------------------


# Between the texts of a request's two letters (access + erasure) in one email.
LETTER_SEPARATOR = "\n\n" + "-" * 40 + "\n\n"


def email_text(request: Request) -> EmailText:
    """The subject and body dsar would send for `request`: the letter's own text, or for an
    access + erasure request both letters' texts in one email (their PDF is one file too)."""
    from dataclasses import replace

    from dsar.cases.letters import request_letters
    from dsar.letters.email import email_for

    texts = [email_for(letter) for letter in request_letters(request)]
    if len(texts) == 1:
        return texts[0]
    titles = " / ".join(text.subject.rsplit(" – ", 1)[0] for text in texts)
    reference = texts[0].subject.rsplit(" – ", 1)[-1]
    body = LETTER_SEPARATOR.join(text.body.strip() for text in texts) + "\n"
    return replace(texts[0], subject=f"{titles} – {reference}", body=body, mailto="")


def text_digest(text: EmailText) -> str:
    """What the person read: the confirm form carries it, so a text that changed since is not
    sent unread."""
    return hashlib.sha256(f"{text.to}\n{text.subject}\n{text.body}".encode()).hexdigest()


def can_send_by_email(request: Request) -> bool:
    organisation = request.organisation
    return (
        request.status == Request.Status.DRAFT
        and request.kind in matching.ANSWERABLE
        and organisation is not None and bool(organisation.email)
    )


@transaction.atomic
def outgoing_confirm(*, request: Request, digest: str, user: Any = None) -> OutgoingEmail:
    """The person or caseworker read the final text (`digest` of it) and asks dsar to send it.
    Confirming twice queues one email."""
    existing = OutgoingEmail.objects.filter(request=request).first()
    if existing is not None:
        return existing
    if not can_send_by_email(request):
        raise MailboxError(NO_EMAIL_ADDRESS if request.status == Request.Status.DRAFT else ALREADY_SENT)
    text = email_text(request)
    if digest != text_digest(text):
        raise MailboxError(TEXT_CHANGED, field="confirm")
    outgoing = OutgoingEmail.objects.create(
        request=request, to_address=text.to, subject=text.subject, body=text.body, confirmed_by=user,
    )
    transaction.on_commit(lambda: _enqueue_send(outgoing.pk))
    logger.info("request %s confirmed for sending by email (%s)", request.pk, outgoing.pk)
    return outgoing


def _enqueue_send(outgoing_id: int) -> None:
    from dsar.mailbox.tasks import send_request_email

    send_request_email.delay(outgoing_id)


def reply_token(outgoing_id: int) -> str:
    """The reply address's secret: derived from the row with the secret key (so a resend after
    a crash carries the same one), 120 bits, lowercase base32 (local parts may be lowercased)."""
    digest = salted_hmac("dsar.mailbox.reply", str(outgoing_id), algorithm="sha256").digest()
    return base64.b32encode(digest[:15]).decode("ascii").lower()


def reply_address(token: str) -> str:
    return f"reply+{token}@{settings.DSAR_MAIL_REPLY_DOMAIN}"


def outgoing_message_id(outgoing_id: int, token: str) -> str:
    return f"<dsar.{outgoing_id}.{matching.token_hash(token)[:20]}@{settings.DSAR_MAIL_REPLY_DOMAIN}>"


def _message(outgoing: OutgoingEmail, token: str, pdf: bytes, filename: str) -> EmailMessage:
    address = reply_address(token)
    message = EmailMessage(
        subject=outgoing.subject,
        body=outgoing.body,
        # The envelope sender is the reply address too, so bounces come back matched.
        from_email=address,
        to=[outgoing.to_address],
        headers={"From": settings.DEFAULT_FROM_EMAIL, "Reply-To": address,
                 "Message-ID": outgoing_message_id(outgoing.pk, token)},
    )
    message.attach(filename, pdf, "application/pdf")
    return message


def outgoing_send(*, outgoing_id: int) -> bool:
    """Send one confirmed email unless it was sent (or refused for good). True when this call
    sent it; raises TemporarySendError when the mail server should be tried again later."""
    from dsar.cases.letters import (
        request_letter_filename,
        request_letter_pdf,
        request_render_letter,
    )

    outgoing = OutgoingEmail.objects.select_related("request__case", "request__organisation").filter(
        pk=outgoing_id, sent_at__isnull=True, failed_at__isnull=True).first()
    if outgoing is None:
        return False
    # 1. The PDF, outside the write transaction (WeasyPrint takes a while; SQLite has one writer).
    request = request_render_letter(request=outgoing.request)
    pdf = request_letter_pdf(request)
    token = reply_token(outgoing.pk)
    message = _message(outgoing, token, pdf, request_letter_filename(request))
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(attempts=F("attempts") + 1)
    # 2. Claim, hand over, record the sending; all or nothing.
    try:
        with transaction.atomic():
            now = timezone.now()
            claimed = OutgoingEmail.objects.filter(pk=outgoing.pk, sent_at__isnull=True, failed_at__isnull=True).update(
                sent_at=now, reply_token_hash=matching.token_hash(token),
                message_id=outgoing_message_id(outgoing.pk, token))
            if claimed != 1:
                return False
            _hand_over(message)
            case_services.request_mark_sent(request=request, sent_on=timezone.localdate(now),
                                            channel=Request.Channel.EMAIL, user=outgoing.confirmed_by)
    except _PermanentRefusal as refusal:
        _record_refusal(outgoing, refusal)
        return False
    logger.info("request %s sent by email (%s)", request.pk, outgoing.pk)
    return True


class _PermanentRefusal(Exception):
    def __init__(self, code: int, text: str, recipient_refused: bool):
        super().__init__(code, text)
        self.code, self.text, self.recipient_refused = code, text, recipient_refused


def _hand_over(message: EmailMessage) -> None:
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            detail = next(iter(error.recipients.values()))[1]
            raise _PermanentRefusal(codes[0], _smtp_text(detail), True) from error
        raise TemporarySendError(str(codes)) from error
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600 and not isinstance(error, smtplib.SMTPAuthenticationError):
            raise _PermanentRefusal(error.smtp_code, _smtp_text(error.smtp_error), False) from error
        raise TemporarySendError(str(error.smtp_code)) from error
    except OSError as error:  # no connection, timeout, disconnected (SMTPException is an OSError)
        raise TemporarySendError(type(error).__name__) from error


def _smtp_text(detail: bytes | str) -> str:
    text = detail.decode("utf-8", errors="replace") if isinstance(detail, bytes) else str(detail)
    return " ".join(text.split())[:150]


def _record_refusal(outgoing: OutgoingEmail, refusal: _PermanentRefusal) -> None:
    from dsar.catalog.services import organisation_mark_contact_failing

    reason = f"{refusal.code} {refusal.text}".strip()
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(failed_at=timezone.now(), failure=reason[:200])
    organisation = outgoing.request.organisation
    if refusal.recipient_refused and organisation is not None:
        organisation_mark_contact_failing(organisation_id=organisation.pk, on=timezone.localdate(), reason=reason)
    logger.warning("request %s: mail server refused for good (%s)", outgoing.request_id, refusal.code)


# --- receiving -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    created: bool


def message_receive(*, raw: bytes) -> Received:
    """Store one incoming email (once, however often it is fetched) and act on it."""
    existing = InboundMessage.objects.filter(fingerprint=fingerprint_of(raw)).first()
    if existing is not None:
        return Received(existing, False)
    parsed = parse(raw)
    match = matching.match_message(parsed)
    proposal = _proposal(parsed)
    written: list[InboundAttachment] = []
    try:
        with transaction.atomic():
            message = _store(parsed, match, proposal)
            written = _store_attachments(message, parsed.attachments)
            _after_store(message, bounce=parsed.bounce)
    except IntegrityError:
        # Another worker stored the same message a moment ago.
        for attachment in written:
            attachment.file.storage.delete(str(attachment.file.name))
        return Received(InboundMessage.objects.get(fingerprint=parsed.fingerprint), False)
    logger.info("message %s stored (request %s, %s, review %s)", message.pk, message.request_id or "-",
                message.kind, message.review or "-")
    return Received(message, True)


def _proposal(parsed: ParsedMessage) -> classify.Classification | None:
    if parsed.bounce is not None:
        return None
    return classify.classify(parsed.text, attachments=[a.name for a in parsed.attachments])


def _store(parsed: ParsedMessage, match: matching.MatchResult,
           proposal: classify.Classification | None) -> InboundMessage:
    return InboundMessage.objects.create(
        request=match.request,
        kind=InboundMessage.Kind.BOUNCE if parsed.bounce else InboundMessage.Kind.ANSWER,
        fingerprint=parsed.fingerprint,
        message_id=parsed.message_id[:250],
        sent_at=parsed.date,
        sender=parsed.sender,
        sender_domain=parsed.sender_domain[:253],
        subject=parsed.subject,
        text=parsed.text if parsed.bounce is None else _bounce_text(parsed),
        headers=parsed.headers,
        had_html=parsed.has_html,
        matched_by=match.matched_by,
        review=match.review,
        proposal=str(proposal.label) if proposal else "",
        phrases=[list(pair) for pair in proposal.phrases] if proposal else [],
        extension_until=proposal.extension_until if proposal else None,
        ground=(proposal.ground if proposal else "")[:200],
    )


def _bounce_text(parsed: ParsedMessage) -> str:
    bounce = parsed.bounce
    assert bounce is not None
    return f"{bounce.action} {bounce.status} {bounce.recipient}\n{bounce.diagnostic}\n\n{parsed.text}".strip()


def _store_attachments(message: InboundMessage, attachments: tuple[Attachment, ...]) -> list[InboundAttachment]:
    """Each file encrypted into the private storage; a file over the limit is recorded, not kept."""
    written: list[InboundAttachment] = []
    for attachment in attachments:
        row = InboundAttachment(message=message, name=attachment.name, size=attachment.size,
                                content_type=attachment.content_type[:100])
        if attachment.size > settings.DSAR_MAILBOX_ATTACHMENT_MAX_BYTES:
            row.skipped = SKIPPED_TOO_LARGE
        else:
            row.file.save("file.bin", ContentFile(field_cipher().encrypt(attachment.content)), save=False)
            written.append(row)
        row.save()
    return written


def attachment_content(attachment: InboundAttachment) -> bytes:
    """The decrypted bytes of a kept attachment (for an access-checked download)."""
    with attachment.file.open("rb") as handle:
        return field_cipher().decrypt(handle.read())


def _after_store(message: InboundMessage, *, bounce: Bounce | None) -> None:
    request = message.request
    if request is None:
        return
    case_services.request_record_email(request=request, on=timezone.localdate(message.received_at),
                                       bounce=message.kind == InboundMessage.Kind.BOUNCE)
    if bounce is not None and bounce.permanent and request.organisation_id is not None:
        from dsar.catalog.services import organisation_mark_contact_failing

        reason = " ".join(part for part in (bounce.status, bounce.diagnostic) if part) or "bounced"
        organisation_mark_contact_failing(organisation_id=request.organisation_id,
                                          on=timezone.localdate(message.received_at), reason=reason)
    transaction.on_commit(lambda: _notify(message.pk))


def _notify(message_id: int) -> None:
    # A task of its own: reading the mailbox does not wait on the mail server.
    from dsar.mailbox.tasks import notify_arrival

    notify_arrival.delay(message_id)


# --- confirming ----------------------------------------------------------------------------------

# What each confirmed label records, through cases' services (which own the clock).
CONFIRMABLE = (Label.ACKNOWLEDGED, Label.EXTENSION, Label.IDENTITY, Label.ANSWERED, Label.REFUSED,
               Label.ERASED, Label.NO_LONGER_HELD)
_ANSWER_OUTCOME = {
    Label.ANSWERED: Event.Outcome.COMPLETE,
    Label.ERASED: Event.Outcome.COMPLETE,
    Label.REFUSED: Event.Outcome.REFUSED,
    Label.NO_LONGER_HELD: Event.Outcome.NO_DATA,
}


@transaction.atomic
def message_confirm(*, message: InboundMessage, label: str, user: AbstractBaseUser | None = None) -> Request:
    """The person or caseworker confirms what the answer says (usually the proposal): record
    it on the request through cases' services. Confirming again does nothing."""
    if message.request is None or message.kind != InboundMessage.Kind.ANSWER:
        raise MailboxError(NOT_AN_ANSWER)
    if label not in CONFIRMABLE:
        raise MailboxError(UNKNOWN_LABEL, field="label")
    claimed = InboundMessage.objects.filter(pk=message.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), confirmed_label=label, confirmed_by=user)
    request = message.request
    if claimed != 1:
        return request
    on = _answer_day(message, request)
    request = _record(request, Label(label), on, user)
    logger.info("message %s confirmed as %s for request %s", message.pk, label, request.pk)
    return request


def _answer_day(message: InboundMessage, request: Request) -> dt.date:
    """The day the answer arrived (never before the letter went out: cases' services refuse)."""
    day = timezone.localdate(message.received_at)
    return max(day, request.sent_on) if request.sent_on else day


def _record(request: Request, label: Label, on: dt.date, user: Any) -> Request:
    if label == Label.ACKNOWLEDGED:
        return case_services.request_acknowledged(request=request, on=on, user=user)
    if label == Label.EXTENSION:
        return case_services.request_extension_notified(request=request, on=on, user=user)
    if label == Label.IDENTITY:
        return case_services.request_identity_asked(request=request, on=on, user=user)
    return case_services.request_log_answer(request=request, outcome=_ANSWER_OUTCOME[label], on=on, user=user)


@transaction.atomic
def message_assign(*, message: InboundMessage, request: Request, user: Any) -> InboundMessage:
    """Staff put an unmatched message on the request it belongs to."""
    claimed = InboundMessage.objects.filter(pk=message.pk, request__isnull=True).update(
        request=request, matched_by=InboundMessage.Match.STAFF, review="")
    message.refresh_from_db()
    if claimed == 1:
        # A bounce assigned by hand flags no contact: a person has read it already.
        _after_store(message, bounce=None)
    return message


def message_delete(*, message: InboundMessage) -> None:
    """Staff remove a message nobody needs (spam, a misdirected mail), with its files."""
    message_pk = message.pk
    message.delete()  # attachments' files go with their rows (dsar.mailbox.signals)
    logger.info("message %s deleted", message_pk)
