"""Public tracking pages: everything through the secret link; a wrong or expired token is a
plain 404."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from pypdf import PdfReader

from dsar.cases import services
from dsar.cases.models import Case, DataSubject, Event, Request

D = dt.date


def _url(name: str, public, **kwargs) -> str:
    return reverse(f"cases:{name}", kwargs={"token": public.token, **kwargs})


def _request_url(public) -> str:
    return _url("request", public, request_id=public.request.pk)


def test_it_confirms_the_email_from_the_link_in_the_mail(client, public):
    link = next(line for line in mail.outbox[0].body.splitlines() if "/track/confirm/" in line)

    response = client.get(link.split("127.0.0.1:8000")[1])

    assert response.status_code == 302
    assert response["Location"] == _url("case", public)
    assert Case.objects.get(pk=public.case.pk).email_confirmed_at is not None


def test_it_shows_the_case_page_with_its_letters(client, public):
    response = client.get(_url("case", public))

    assert response.status_code == 200
    assert public.case.reference in response.content.decode()
    assert "Acme Vision" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_gives_a_bare_404_for_a_wrong_token(client, public):
    response = client.get(reverse("cases:case", kwargs={"token": "x" * 43}))

    assert response.status_code == 404
    assert public.case.reference.encode() not in response.content


def test_it_gives_a_404_for_an_expired_token(client, public):
    Case.objects.filter(pk=public.case.pk).update(token_expires_at=timezone.now() - dt.timedelta(days=1))

    response = client.get(_url("case", public))

    assert response.status_code == 404
    assert public.case.reference.encode() not in response.content


def test_it_records_that_the_letter_was_sent(client, public, frozen):
    response = client.post(_request_url(public), {"action": "sent", "sent-sent_on": "2026-02-20",
                                                  "sent-channel": "post"})

    assert response.status_code == 302
    stored = Request.objects.get(pk=public.request.pk)
    assert stored.sent_on == D(2026, 2, 20)
    assert stored.channel == "post"
    assert stored.status == Request.Status.AWAITING


def test_it_keeps_the_input_and_explains_a_future_date(client, public, frozen):
    response = client.post(_request_url(public), {"action": "sent", "sent-sent_on": "2026-03-09",
                                                  "sent-channel": "webform"})

    page = response.content.decode()
    assert response.status_code == 400
    assert str(services.SENT_IN_FUTURE) in page
    assert 'value="2026-03-09"' in page
    assert '<option value="webform" selected>' in page
    assert not public.request.events.exists()


def test_it_explains_a_date_that_is_not_a_date(client, public, frozen):
    response = client.post(_request_url(public), {"action": "sent", "sent-sent_on": "31.02.2026",
                                                  "sent-channel": "post"})

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert 'value="31.02.2026"' in response.content.decode()


def test_it_logs_an_answer_and_serves_its_file_only_through_the_link(client, public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")
    scan = SimpleUploadedFile("antwort.pdf", b"%PDF-1.4 scan", content_type="application/pdf")

    client.post(_request_url(public), {"action": "answer", "answer-outcome": "refused",
                                       "answer-on": "2026-02-27", "answer-upload": scan})

    event = Event.objects.get(kind=Event.Kind.ANSWER_RECEIVED)
    assert Request.objects.get(pk=public.request.pk).status == Request.Status.ANSWERED_REFUSED
    download = client.get(_url("attachment", public, event_id=event.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 scan"
    assert "attachment" in download["Content-Disposition"]


def test_it_hides_another_cases_file_behind_a_valid_token(client, public, ngo_a, frozen):
    request = ngo_a.case.requests.get()
    services.request_mark_sent(request=request, sent_on=D(2026, 2, 2), channel="email")
    scan = SimpleUploadedFile("other.pdf", b"%PDF other", content_type="application/pdf")
    services.request_log_answer(request=request, outcome="partial", on=D(2026, 2, 20), upload=scan)
    other_event = Event.objects.get(kind=Event.Kind.ANSWER_RECEIVED)

    response = client.get(_url("attachment", public, event_id=other_event.pk))

    assert response.status_code == 404
    assert client.get(_url("request", public, request_id=request.pk)).status_code == 404


def test_it_prepares_the_followup_when_the_deadline_has_passed(client, public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")

    response = client.post(_request_url(public), {"action": "followup"})

    followup = Request.objects.get(kind=Request.Kind.FOLLOWUP)
    assert response.status_code == 302
    assert response["Location"] == _url("request", public, request_id=followup.pk)
    assert followup.parent_id == public.request.pk


def test_it_refuses_an_action_that_does_not_apply_now(client, public, frozen):
    response = client.post(_request_url(public), {"action": "followup"})

    assert response.status_code == 200  # a draft cannot be followed up: the page just shows again
    assert not Request.objects.filter(kind=Request.Kind.FOLLOWUP).exists()


def test_it_downloads_the_letter_as_a_pdf_with_the_reference(client, public, frozen):
    response = client.get(_url("letter", public, request_id=public.request.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert public.case.reference in text
    assert "Zofia Quintero-Blackwood" in text
    assert Request.objects.get(pk=public.request.pk).letter_inputs_hash


def test_it_renders_an_unchanged_letter_once(client, public, frozen):
    client.get(_url("letter", public, request_id=public.request.pk))
    first = Request.objects.get(pk=public.request.pk).letter_pdf.name

    client.get(_url("letter", public, request_id=public.request.pk))

    assert Request.objects.get(pk=public.request.pk).letter_pdf.name == first


def test_it_serves_an_ics_calendar_of_the_deadlines(client, public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")

    response = client.get(_url("calendar", public))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    days = sorted(event.decoded("dtstart") for event in events)
    assert days == [D(2026, 2, 23), D(2026, 3, 2)]
    assert all(public.case.reference in str(event["summary"]) for event in events)


def test_it_asks_before_deleting_everything(client, public):
    response = client.post(_url("delete", public), {})

    assert response.status_code == 400
    assert Case.objects.filter(pk=public.case.pk).exists()


def test_it_deletes_everything_after_confirmation(client, public, frozen, private_root):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")
    scan = SimpleUploadedFile("a.png", b"\x89PNG", content_type="image/png")
    services.request_log_answer(request=public.request, outcome="partial", on=D(2026, 2, 20), upload=scan)
    client.get(_url("letter", public, request_id=public.request.pk))
    assert len([p for p in private_root.rglob("*") if p.is_file()]) == 2

    response = client.post(_url("delete", public), {"confirm": "on"})

    assert response.status_code == 302
    assert not Case.objects.exists()
    assert not DataSubject.objects.exists()
    assert not Event.objects.exists()
    assert not [p for p in private_root.rglob("*") if p.is_file()]
    assert client.get(_url("case", public)).status_code == 404


def test_it_serves_the_case_page_in_german(client, public):
    # override: Django leaves the request's language active in the thread; restore it after.
    with translation.override("en"):
        response = client.get("/de" + _url("case", public))

    assert response.status_code == 200
    assert "Ihre Briefe" in response.content.decode()
