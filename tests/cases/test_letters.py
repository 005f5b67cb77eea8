from __future__ import annotations

import datetime as dt
from io import BytesIO

from pypdf import PdfReader

from dsar.cases import services
from dsar.cases.letters import request_letter_pdf, request_letters
from dsar.cases.models import Request
from dsar.cases.tasks import render_request_letter

D = dt.date


def _text(request: Request) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(request_letter_pdf(request))).pages)


def test_it_prints_the_due_date_the_request_would_have_if_sent_today(public, frozen):
    access, erasure = request_letters(public.request)

    assert (access.kind, erasure.kind) == ("access", "erasure")  # access + erasure: both letters
    letter = erasure
    assert letter.letter_date == D(2026, 3, 2)
    assert letter.due_date == D(2026, 4, 2)  # by email to an Irish company: same day + 1 month


def test_it_writes_the_followup_about_the_original_request(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")
    followup = services.request_create_followup(request=public.request)

    (letter,) = request_letters(followup)
    render_request_letter(followup.pk)

    assert letter.kind == "followup"
    assert letter.original is not None and letter.original.sent_on == D(2026, 1, 5)
    assert letter.original.outcome == "no_answer"
    assert letter.due_date == D(2026, 3, 16)
    assert "5 January 2026" in _text(Request.objects.get(pk=followup.pk))


def test_it_addresses_the_complaint_to_the_authority_about_the_controller(public, catalogue, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")
    complaint = services.request_create_complaint(request=public.request)

    (letter,) = request_letters(complaint)
    render_request_letter(complaint.pk)

    assert letter.recipient.name == "Berliner Beauftragte"
    assert letter.controller is not None and letter.controller.name == "Acme Vision"
    assert "Acme Vision" in _text(Request.objects.get(pk=complaint.pk))


ENGLISH_STEP_WORDS = ("received", "starts the clock", "one month", "Saturday", "Sunday", "holiday",
                      "next working day", "sent ", "delivery", "assumed", "GDPR Art.")


def test_it_writes_a_german_followup_entirely_in_german(public, frozen):
    Request.objects.filter(pk=public.request.pk).update(language="de")
    public.request.refresh_from_db()
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="post")
    followup = services.request_create_followup(request=public.request)

    (letter,) = request_letters(followup)
    render_request_letter(followup.pk)
    text = _text(Request.objects.get(pk=followup.pk))

    assert letter.language == "de" and letter.due_steps
    assert "Berechnung der ursprünglichen Frist" in text.replace("\n", " ")
    for word in ENGLISH_STEP_WORDS:
        assert all(word not in step for step in letter.due_steps), word


def test_it_carries_the_case_reference_on_every_letter(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")
    followup = services.request_create_followup(request=public.request)
    complaint = services.request_create_complaint(request=public.request)

    references = {letter.reference for r in (public.request, followup, complaint) for letter in request_letters(r)}
    assert references == {public.case.reference}
