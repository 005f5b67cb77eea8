"""The whole loop against real servers started here: dsar sends a request through an SMTP server
(aiosmtpd), the answers are delivered into a Dovecot mailbox, the beat task reads them over IMAP,
matches, stores and classifies them; confirming the extension moves the due date; a bounce flags
the contact; a message with no match is kept for staff; the same message fetched twice is
stored once."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Iterator

import pytest

from dsar.cases.models import Request
from dsar.catalog.models import Organisation
from dsar.mailbox import services, tasks
from dsar.mailbox.models import InboundMessage, OutgoingEmail
from tests.mailbox import mails, servers

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(scope="module")
def mailbox() -> Iterator[servers.Dovecot]:
    if not servers.dovecot_available():
        pytest.skip("Debian's dovecot-imapd is not installed (make test installs it)")
    with servers.dovecot() as running:
        yield running


@pytest.fixture
def imap_settings(settings, mailbox):
    settings.DSAR_IMAP_HOST = "127.0.0.1"
    settings.DSAR_IMAP_PORT = mailbox.port
    settings.DSAR_IMAP_SSL = False
    settings.DSAR_IMAP_USER = mailbox.user
    settings.DSAR_IMAP_PASSWORD = mailbox.password
    settings.DSAR_IMAP_FOLDER = "INBOX"
    settings.DSAR_IMAP_PROCESSED_FOLDER = f"processed-{id(settings)}"
    return settings


@pytest.fixture
def smtp(settings) -> Iterator[servers.SmtpSink]:
    sink = servers.SmtpSink(refuse_first=1)  # the first attempt meets a temporary refusal
    with servers.smtp_server(sink) as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        yield sink


def test_it_closes_the_loop_through_real_smtp_and_imap_servers(
    public, frozen, smtp, mailbox, imap_settings, django_capture_on_commit_callbacks
):
    # 1. Sent through the SMTP server: the first attempt meets a 451 and rolls back (Celery
    #    retries the task on TemporarySendError), the second goes out.
    request = public.request
    digest = services.text_digest(services.email_text(request))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        outgoing = services.outgoing_confirm(request=request, digest=digest)
    assert len(queued) == 1
    with pytest.raises(services.TemporarySendError):
        services.outgoing_send(outgoing_id=outgoing.pk)
    outgoing.refresh_from_db()
    assert smtp.refused == 1 and outgoing.sent_at is None
    assert services.TemporarySendError in tasks.send_request_email.autoretry_for
    assert tasks.send_request_email(outgoing.pk) is True
    assert tasks.send_request_email(outgoing.pk) is False  # a redelivery sends nothing
    outgoing.refresh_from_db()
    assert outgoing.sent_at is not None and outgoing.attempts == 2
    [(envelope_from, rcpt, content)] = [m for m in smtp.messages if "privacy@example.org" in m[1]]
    sent = email.message_from_bytes(content, policy=email.policy.default)
    reply_to = sent["Reply-To"]
    assert envelope_from == reply_to and rcpt == ["privacy@example.org"]
    assert request.case.reference in sent["Subject"] and sent["Message-ID"] == outgoing.message_id
    assert [p.get_content_type() for p in sent.walk()][-1] == "application/pdf"
    request.refresh_from_db()
    assert request.status == Request.Status.AWAITING and request.due_on == dt.date(2026, 4, 2)

    # 2. Answers arrive in the mailbox: an extension (delivered twice), a bounce, a stranger's mail.
    extension = mails.answer("We need to extend the time for our response by two further months. "
                             "We will respond by 2 June 2026.", to=reply_to,
                             subject=f"Re: {sent['Subject']}", in_reply_to=outgoing.message_id)
    mailbox.append(extension)
    mailbox.append(b"Received: from mx2.example.org by mx.dsar.test; Mon, 2 Mar 2026 10:01:00 +0000\r\n" + extension)
    mailbox.append(mails.bounce(original_message_id=outgoing.message_id, original_to="privacy@example.org",
                                reply_address=reply_to))
    mailbox.append(mails.answer("Hello, I would like to ask about something else.", sender="x@elsewhere.example"))

    # 3. Beat's task reads, matches, stores, classifies, and moves everything it stored.
    with django_capture_on_commit_callbacks(execute=True):
        stored = tasks.fetch_mailbox()
    assert stored == 3
    assert mailbox.count("INBOX") == 0 and mailbox.count(imap_settings.DSAR_IMAP_PROCESSED_FOLDER) == 4
    answer = InboundMessage.objects.get(request=request, kind=InboundMessage.Kind.ANSWER)
    assert answer.proposal == "extension" and answer.extension_until == dt.date(2026, 6, 2)
    assert InboundMessage.objects.filter(kind=InboundMessage.Kind.ANSWER, request=request).count() == 1

    # 4. The bounce flagged the contact; the stranger's mail waits for staff.
    organisation = Organisation.objects.get(pk=request.organisation_id)
    assert organisation.contact_failing_on == dt.date(2026, 3, 2) and "5.1.1" in organisation.contact_failing_reason
    unmatched = InboundMessage.objects.get(request__isnull=True)
    assert unmatched.review == InboundMessage.Review.NO_MATCH

    # 5. Confirming the extension moves the due date.
    request = services.message_confirm(message=answer, label="extension")
    assert request.status == Request.Status.EXTENDED and request.due_on == dt.date(2026, 6, 2)

    # 6. Fetching again finds nothing new; the same message put back is stored once.
    mailbox.append(extension)
    assert tasks.fetch_mailbox() == 0
    assert InboundMessage.objects.count() == 3 and OutgoingEmail.objects.count() == 1


def test_it_does_nothing_without_a_mailbox_configured(settings, db):
    settings.DSAR_IMAP_HOST = ""
    assert tasks.fetch_mailbox() == 0
