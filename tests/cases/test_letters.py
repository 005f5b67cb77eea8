from __future__ import annotations

import datetime as dt
from io import BytesIO

from pypdf import PdfReader

from dsar.cases import services
from dsar.cases.letters import request_letter_data
from dsar.cases.models import Request
from dsar.cases.tasks import render_request_letter

D = dt.date


def _text(request: Request) -> str:
    with request.letter_pdf.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(BytesIO(handle.read())).pages)


def test_it_renders_a_requests_letter_by_id(public, frozen):
    assert render_request_letter(public.request.pk) is True

    stored = Request.objects.get(pk=public.request.pk)
    text = _text(stored)
    assert public.case.reference in text
    assert "DukeMTMC" in text
    assert "red umbrella" in text  # the person's identifying detail for the dataset


def test_it_returns_at_once_when_the_letter_is_unchanged(public, frozen):
    render_request_letter(public.request.pk)
    first = Request.objects.get(pk=public.request.pk)
    modified = first.letter_pdf.storage.get_modified_time(first.letter_pdf.name)

    render_request_letter(public.request.pk)

    second = Request.objects.get(pk=public.request.pk)
    assert second.letter_pdf.name == first.letter_pdf.name
    assert second.letter_pdf.storage.get_modified_time(second.letter_pdf.name) == modified


def test_it_skips_a_request_deleted_meanwhile(public):
    request_id = public.request.pk
    services.case_delete_everything(case=public.case)

    assert render_request_letter(request_id) is False


def test_it_prints_the_due_date_the_request_would_have_if_sent_today(public, frozen):
    letter = request_letter_data(public.request)

    assert letter.kind == "erasure"
    assert letter.letter_date == D(2026, 3, 2)
    assert letter.due_date == D(2026, 4, 2)  # by email to an Irish company: same day + 1 month


def test_it_writes_the_followup_about_the_original_request(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")
    followup = services.request_create_followup(request=public.request)

    letter = request_letter_data(followup)
    render_request_letter(followup.pk)

    assert letter.kind == "followup"
    assert letter.original is not None and letter.original.sent_on == D(2026, 1, 5)
    assert letter.original.outcome == "no_answer"
    assert letter.due_date == D(2026, 3, 16)
    assert "5 January 2026" in _text(Request.objects.get(pk=followup.pk))


def test_it_addresses_the_complaint_to_the_authority_about_the_controller(public, catalogue, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")
    complaint = services.request_create_complaint(request=public.request)

    letter = request_letter_data(complaint)
    render_request_letter(complaint.pk)

    assert letter.recipient.name == "Berliner Beauftragte"
    assert letter.controller is not None and letter.controller.name == "Acme Vision"
    assert "Acme Vision" in _text(Request.objects.get(pk=complaint.pk))
