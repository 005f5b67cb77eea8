"""The mailbox pages: sending after reading, reading an answer as text, one-click confirm,
staff review; each behind the same access rules as the request pages."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dsar.cases import services as case_services
from dsar.cases.fields import private_storage
from dsar.cases.models import Request
from dsar.mailbox import services
from dsar.mailbox.models import InboundMessage, OutgoingEmail
from tests.mailbox import mails

pytestmark = pytest.mark.django_db


def test_it_sends_only_after_the_person_read_and_confirmed_the_text(client, public, frozen, django_capture_on_commit_callbacks):
    page = reverse("mailbox:public_send", kwargs={"token": public.token, "request_id": public.request.pk})
    shown = client.get(page)
    assert shown.status_code == 200 and "privacy@example.org" in shown.content.decode()
    digest = shown.context["form"].initial["digest"]
    unticked = client.post(page, {"action": "send", "send-digest": digest})
    assert unticked.status_code == 400 and not OutgoingEmail.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(page, {"action": "send", "send-digest": digest, "send-confirm": "on"})
    assert done.status_code == 302
    public.request.refresh_from_db()
    assert public.request.status == Request.Status.AWAITING and public.request.channel == "email"
    assert OutgoingEmail.objects.get().sent_at is not None


def test_it_offers_sending_by_email_on_the_request_page(client, public):
    page = client.get(reverse("cases:request", kwargs={"token": public.token, "request_id": public.request.pk}))
    assert reverse("mailbox:public_send", kwargs={"token": public.token, "request_id": public.request.pk}) in page.content.decode()


def test_it_shows_an_answer_on_the_request_page_and_confirms_it_in_one_click(client, public, sent):
    raw = mails.answer("We are extending the deadline by two months, until 2 June 2026.",
                       to=services.reply_address(sent.token))
    message = services.message_receive(raw=raw).message
    request_page = client.get(reverse("cases:request", kwargs={"token": public.token, "request_id": public.request.pk}))
    url = reverse("mailbox:public_message", kwargs={"token": public.token, "message_id": message.pk})
    assert url in request_page.content.decode() and "to confirm" in request_page.content.decode()
    shown = client.get(url)
    assert "They extend the deadline" in shown.content.decode()
    assert client.post(url, {"action": "confirm", "confirm-label": "extension"}).status_code == 302
    public.request.refresh_from_db()
    assert public.request.status == Request.Status.EXTENDED and public.request.due_on == dt.date(2026, 6, 2)


def test_it_hides_a_message_behind_another_cases_link(client, public, sent, ngo_a):
    message = services.message_receive(raw=mails.answer("Received.", to=services.reply_address(sent.token))).message
    other = case_services.case_issue_token(case=ngo_a.case)
    assert client.get(reverse("mailbox:public_message", kwargs={"token": other, "message_id": message.pk})).status_code == 404
    client.force_login(ngo_a.caseworker)
    url = reverse("mailbox:casework_message", args=[public.case.pk, message.pk])
    assert client.get(url).status_code == 404


def test_it_lets_a_caseworker_send_and_confirm_for_a_team_case(client, ngo_a, frozen, django_capture_on_commit_callbacks):
    client.force_login(ngo_a.caseworker)
    item = ngo_a.case.requests.get()
    page = reverse("mailbox:casework_send", args=[ngo_a.case.pk, item.pk])
    digest = client.get(page).context["form"].initial["digest"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"action": "send", "send-digest": digest, "send-confirm": "on"})
    outgoing = OutgoingEmail.objects.get(request=item)
    assert outgoing.sent_at is not None and outgoing.confirmed_by == ngo_a.caseworker
    token = services.reply_token(outgoing.pk)
    message = services.message_receive(raw=mails.answer(
        "Please find attached a copy of the personal data we hold about you.", to=services.reply_address(token),
        attachments=(("export.pdf", "application/pdf", b"%PDF-1.4 data"),))).message
    url = reverse("mailbox:casework_message", args=[ngo_a.case.pk, message.pk])
    client.post(url, {"action": "confirm", "confirm-label": "answered"})
    item.refresh_from_db()
    assert item.status == Request.Status.ANSWERED_COMPLETE
    download = client.get(reverse("mailbox:casework_file", args=[ngo_a.case.pk, message.attachments.get().pk]))
    assert download.content == b"%PDF-1.4 data" and download["Content-Disposition"].startswith("attachment")


def test_it_lists_unmatched_mail_for_staff_only_and_lets_staff_assign_it(client, sent, staff, ngo_a):
    message = services.message_receive(raw=mails.answer("Hello, about my colleague's letter.")).message
    client.force_login(ngo_a.caseworker)
    assert client.get(reverse("mailbox:review")).status_code == 404
    client.force_login(staff)
    assert reverse("mailbox:review_message", args=[message.pk]) in client.get(reverse("mailbox:review")).content.decode()
    url = reverse("mailbox:review_message", args=[message.pk])
    client.post(url, {"action": "assign", "assign-reference": sent.request.case.reference.lower()})
    message.refresh_from_db()
    assert message.request_id == sent.request.pk and message.matched_by == InboundMessage.Match.STAFF


def test_it_lets_staff_delete_an_unmatched_message(client, staff, db):
    message = services.message_receive(raw=mails.answer("Buy cheap watches", attachments=(
        ("x.zip", "application/zip", b"PK..."),))).message
    stored = message.attachments.get().file.name
    client.force_login(staff)
    client.post(reverse("mailbox:review_message", args=[message.pk]), {"action": "delete"})
    assert not InboundMessage.objects.exists()
    assert not private_storage.exists(stored)


def test_it_needs_a_login_for_casework_pages(client, ngo_a):
    url = reverse("mailbox:casework_send", args=[ngo_a.case.pk, ngo_a.case.requests.get().pk])
    assert client.get(url).status_code == 302
