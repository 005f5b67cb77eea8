"""Sending a request by email, storing answers, matching, bounces, confirming: stored state."""
from __future__ import annotations

import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.core import mail

from dsar.cases import services as case_services
from dsar.cases.models import Event, Request
from dsar.catalog.models import Organisation
from dsar.mailbox import services
from dsar.mailbox.models import InboundMessage, OutgoingEmail
from tests.mailbox import mails

pytestmark = pytest.mark.django_db


def reply_to(sent) -> str:
    return services.reply_address(sent.token)


def test_it_sends_the_letter_with_a_reply_address_and_records_the_sending(sent):
    [message] = [m for m in mail.outbox if m.to == ["privacy@example.org"]]
    assert message.extra_headers["Reply-To"] == reply_to(sent)
    assert message.from_email == reply_to(sent)  # the envelope: bounces come back matched
    assert message.extra_headers["Message-ID"] == sent.message_id
    assert sent.request.case.reference in message.subject
    assert message.attachments[0][2] == "application/pdf"
    assert message.body == sent.outgoing.body
    request = sent.request
    assert request.status == Request.Status.AWAITING
    assert request.sent_on == dt.date(2026, 3, 2) and request.channel == "email"
    assert request.received_on == dt.date(2026, 3, 2)  # email: received the day it is sent
    assert request.due_on == dt.date(2026, 4, 2)
    assert sent.outgoing.reply_token_hash and sent.token not in sent.outgoing.reply_token_hash


def test_it_sends_once_however_often_the_task_runs(sent):
    assert services.outgoing_send(outgoing_id=sent.outgoing.pk) is False
    again = services.outgoing_confirm(request=sent.request, digest="whatever")
    assert again.pk == sent.outgoing.pk
    assert len([m for m in mail.outbox if m.to == ["privacy@example.org"]]) == 1
    assert sent.request.events.filter(kind=Event.Kind.SENT).count() == 1


def test_it_refuses_a_text_that_changed_since_it_was_read(public, frozen):
    with pytest.raises(services.MailboxError) as error:
        services.outgoing_confirm(request=public.request, digest="not-what-was-shown")
    assert error.value.messages == [str(services.TEXT_CHANGED)]
    assert not OutgoingEmail.objects.exists()


def test_it_rolls_the_claim_back_on_a_temporary_smtp_error(public, frozen):
    digest = services.text_digest(services.email_text(public.request))
    outgoing = services.outgoing_confirm(request=public.request, digest=digest)
    busy = smtplib.SMTPRecipientsRefused({"privacy@example.org": (451, b"4.7.1 try again later")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=busy):
        with pytest.raises(services.TemporarySendError):
            services.outgoing_send(outgoing_id=outgoing.pk)
    outgoing.refresh_from_db()
    public.request.refresh_from_db()
    assert outgoing.sent_at is None and outgoing.failed_at is None and outgoing.attempts == 1
    assert public.request.status == Request.Status.DRAFT
    assert services.outgoing_send(outgoing_id=outgoing.pk) is True  # the retry sends it


def test_it_records_a_permanent_refusal_and_flags_the_contact(public, frozen):
    digest = services.text_digest(services.email_text(public.request))
    outgoing = services.outgoing_confirm(request=public.request, digest=digest)
    unknown = smtplib.SMTPRecipientsRefused({"privacy@example.org": (550, b"5.1.1 User unknown")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=unknown):
        assert services.outgoing_send(outgoing_id=outgoing.pk) is False
    outgoing.refresh_from_db()
    assert outgoing.failed_at is not None and outgoing.failure.startswith("550")
    organisation = Organisation.objects.get(slug="acme-vision")
    assert organisation.contact_failing_on == dt.date(2026, 3, 2)
    assert "5.1.1" in organisation.contact_failing_reason


def test_it_matches_a_reply_by_its_reply_address_and_proposes_an_extension(sent):
    raw = mails.answer(
        "We need to extend the time for our response by two further months. We will respond by 2 June 2026.",
        to=reply_to(sent))
    received = services.message_receive(raw=raw)
    message = received.message
    assert received.created and message.request_id == sent.request.pk
    assert message.matched_by == InboundMessage.Match.REPLY_ADDRESS
    assert message.proposal == "extension" and message.extension_until == dt.date(2026, 6, 2)
    assert ["extension", "We need to extend"] in message.phrases
    assert sent.request.events.filter(kind=Event.Kind.EMAIL_RECEIVED).count() == 1
    sent.request.refresh_from_db()
    assert sent.request.due_on == dt.date(2026, 4, 2)  # nothing changes before confirming


def test_it_moves_the_due_date_once_an_extension_is_confirmed(sent):
    raw = mails.answer("We are extending the deadline by two months.", in_reply_to=sent.message_id)
    message = services.message_receive(raw=raw).message
    assert message.matched_by == InboundMessage.Match.THREAD
    request = services.message_confirm(message=message, label="extension")
    assert request.status == Request.Status.EXTENDED
    assert request.due_on == dt.date(2026, 6, 2)
    assert services.message_confirm(message=message, label="refused").status == Request.Status.EXTENDED
    message.refresh_from_db()
    assert message.confirmed_label == "extension" and message.confirmed_at is not None


def test_it_stores_the_same_message_once(sent):
    raw = mails.answer("We confirm receipt of your request.", to=reply_to(sent), message_id="<a1@example.org>")
    first = services.message_receive(raw=raw)
    # The same message delivered again gains a Received line: still one message.
    second = services.message_receive(raw=b"Received: from mx2 by mx3; Mon, 2 Mar 2026 10:00:00 +0000\r\n" + raw)
    assert first.created and not second.created
    assert InboundMessage.objects.count() == 1
    assert sent.request.events.filter(kind=Event.Kind.EMAIL_RECEIVED).count() == 1


def test_it_keeps_a_message_that_matches_nothing_for_staff(sent):
    message = services.message_receive(raw=mails.answer("Hello, is this the right address?")).message
    assert message.request_id is None and message.review == InboundMessage.Review.NO_MATCH


def test_it_matches_a_reference_only_from_the_addressees_domain(sent):
    subject = f"AW: {sent.request.case.reference}"
    ours = services.message_receive(raw=mails.answer("Eingang bestätigt.", subject=subject,
                                                     sender="dpo@mail.example.org")).message
    assert ours.request_id == sent.request.pk and ours.matched_by == InboundMessage.Match.REFERENCE
    forged = services.message_receive(raw=mails.answer("We have erased your data.", subject=subject,
                                                       sender="someone@attacker.example")).message
    assert forged.request_id is None and forged.review == InboundMessage.Review.SENDER_MISMATCH


def test_it_attaches_nothing_when_the_reply_address_and_the_reference_disagree(sent, catalogue):
    other = services.message_receive(raw=mails.answer(
        "We have erased your data.", to=reply_to(sent), subject="Re: DSAR-0000-0000")).message
    assert other.request_id is None and other.review == InboundMessage.Review.CONFLICT


def test_it_flags_the_contact_when_a_bounce_comes_back(sent):
    raw = mails.bounce(original_message_id=sent.message_id, original_to="privacy@example.org",
                       reply_address=reply_to(sent))
    message = services.message_receive(raw=raw).message
    assert message.kind == InboundMessage.Kind.BOUNCE and message.request_id == sent.request.pk
    organisation = Organisation.objects.get(slug="acme-vision")
    assert organisation.contact_failing_on == dt.date(2026, 3, 2)
    assert "5.1.1" in organisation.contact_failing_reason


def test_it_tells_the_person_that_an_answer_arrived_without_its_content(sent, django_capture_on_commit_callbacks):
    secret = "Your data: face template 0x5f3a, 312 images"
    case_services.case_confirm_email(case=sent.request.case)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_receive(raw=mails.answer(secret, to=reply_to(sent)))
    [note] = [m for m in mail.outbox if m.to == ["zofia@example.net"] and "answered" in m.subject]
    assert sent.request.case.reference in note.subject
    assert "face template" not in note.body and "312" not in note.body
