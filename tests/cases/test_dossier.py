"""The evidence dossier of a tracked request, read back from the PDF, and where it is served."""
from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from dsar.cases import services
from dsar.cases.dossier import dossier_available, request_dossier, request_dossier_pdf
from dsar.cases.letters import request_letter_pdf, request_render_letter
from dsar.cases.models import Request
from dsar.catalog.models import Source
from dsar.letters.presenters import format_date
from tests.letters.conftest import contains, pdf_text

pytestmark = pytest.mark.django_db
SCAN = b"%PDF-1.4 their answer, scanned\n"


def _overdue_with_answer(public, catalogue):
    """Sent 2 March, delivered 5 March, overdue, two follow-ups, then a refusal with a scan."""
    use = catalogue["dataset"].uses.get(organisation=catalogue["organisation"])
    Source.objects.create(record=use, url="https://example.org/citations/duke-mtmc", supports="use")
    item = public.request
    services.request_mark_sent(request=item, sent_on=dt.date(2026, 3, 2), channel="post")
    item = services.request_confirm_delivery(request=item, delivered_on=dt.date(2026, 3, 5))
    for day in (dt.date(2026, 4, 8), dt.date(2026, 4, 22)):
        followup = services.request_create_followup(request=item)
        services.request_mark_sent(request=followup, sent_on=day, channel="post")
    services.request_log_answer(request=item, outcome="refused", on=dt.date(2026, 4, 27),
                                note="We no longer distribute DukeMTMC.",
                                upload=SimpleUploadedFile("answer.pdf", SCAN, content_type="application/pdf"))
    item.refresh_from_db()
    return item


@time_machine.travel("2026-04-28 10:00 +0000", tick=False)
def test_it_holds_every_event_in_date_order_the_steps_letters_hashes_and_sources(public, catalogue) -> None:
    item = _overdue_with_answer(public, catalogue)
    assert dossier_available(item)
    data = request_dossier(item)
    pdf = request_dossier_pdf(item)
    text = pdf_text(pdf)
    # every recorded event, in date order
    due = format_date(item.due_on, "en")
    dates = ["2 March 2026", "5 March 2026", due, "8 April 2026", "22 April 2026", "27 April 2026"]
    positions = [text.find(day) for day in dates]
    assert all(p >= 0 for p in positions), list(zip(dates, positions, strict=True))
    timeline = text[text.find("Timeline of the request", text.find("Contents") + 40):]
    assert [timeline.find(day) for day in dates] == sorted(timeline.find(day) for day in dates)
    assert len(data.timeline) >= 6
    # the due-date steps, each letter (the original two and both follow-ups), the hash, the sources
    assert data.due_steps and all(contains(text, step[:40]) for step in data.due_steps)
    assert contains(text, "Request for access to personal data") and contains(text, "Request for erasure")
    assert text.count("Reminder: unanswered data protection request") >= 2
    assert hashlib.sha256(SCAN).hexdigest() in text.replace(" ", "")
    assert contains(text, "https://example.org/citations/duke-mtmc")
    assert contains(text, "We no longer distribute DukeMTMC.")
    assert contains(text, public.case.reference) and "Zofia Quintero-Blackwood" in text
    # page numbers and a table of contents that points at the appendices
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 4 and "Appendix A" in text and f"of {len(reader.pages)}" not in text[:200]


@time_machine.travel("2026-04-28 10:00 +0000", tick=False)
def test_it_offers_the_dossier_on_the_tracking_page_only_when_due(client, public, catalogue) -> None:
    url = reverse("cases:dossier", kwargs={"token": public.token, "request_id": public.request.pk})
    assert client.get(url).status_code == 404  # a draft: nothing to escalate yet
    item = _overdue_with_answer(public, catalogue)
    page = client.get(reverse("cases:request", kwargs={"token": public.token, "request_id": item.pk}))
    assert url.encode() in page.content
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Evidence dossier" in pdf_text(b"".join(response.streaming_content))
    wrong = reverse("cases:dossier", kwargs={"token": "x" * 43, "request_id": item.pk})
    assert client.get(wrong).status_code == 404


@time_machine.travel("2026-04-28 10:00 +0000", tick=False)
def test_it_serves_the_dossier_in_casework_only_to_the_team(client, ngo_a, ngo_b) -> None:
    item = ngo_a.case.requests.get()
    services.request_mark_sent(request=item, sent_on=dt.date(2026, 1, 5), channel="post")
    item = services.request_refresh(request=item)
    assert item.status == Request.Status.OVERDUE
    url = reverse("casework:request_dossier", args=[ngo_a.case.pk, item.pk])
    client.force_login(ngo_b.caseworker)
    assert client.get(url).status_code == 404
    client.force_login(ngo_a.caseworker)
    response = client.get(url)
    assert response.status_code == 200
    assert "Evidence dossier" in pdf_text(b"".join(response.streaming_content))


@time_machine.travel("2026-04-28 10:00 +0000", tick=False)
def test_it_encloses_the_dossier_with_the_complaint(public, catalogue) -> None:
    item = _overdue_with_answer(public, catalogue)
    complaint = services.request_create_complaint(request=item, authority=catalogue["authority"])
    text = pdf_text(request_letter_pdf(request_render_letter(request=complaint)))
    assert contains(text, "Complaint under Article 77") and contains(text, "Evidence dossier: the timeline")
    assert "Timeline of the request" in text and hashlib.sha256(SCAN).hexdigest() in text.replace(" ", "")


@time_machine.travel("2026-04-28 10:00 +0000", tick=False)
def test_it_prepares_a_rebuttal_with_its_own_deadline(client, public, catalogue) -> None:
    item = _overdue_with_answer(public, catalogue)
    url = reverse("cases:request", kwargs={"token": public.token, "request_id": item.pk})
    response = client.post(url, {"action": "rebuttal", "rebuttal-ground": "dataset_deleted"})
    assert response.status_code == 302
    rebuttal = item.children.get(kind=Request.Kind.REBUTTAL)
    assert rebuttal.ground == "dataset_deleted" and rebuttal.organisation == item.organisation
    client.post(url, {"action": "rebuttal", "rebuttal-ground": "dataset_deleted"})
    assert item.children.filter(kind=Request.Kind.REBUTTAL).count() == 1  # a double click: one letter
    text = pdf_text(request_letter_pdf(request_render_letter(request=rebuttal)))
    assert contains(text, "Deleting the dataset does not answer my request") and "DukeMTMC" in text
    assert contains(text, "27 April 2026") and contains(text, "12 May 2026")  # answered on; 14 days from today


@time_machine.travel("2026-04-28 10:00 +0000", tick=False)
def test_it_asks_which_refusal_and_keeps_the_page(client, public, catalogue) -> None:
    item = _overdue_with_answer(public, catalogue)
    url = reverse("cases:request", kwargs={"token": public.token, "request_id": item.pk})
    response = client.post(url, {"action": "rebuttal", "rebuttal-ground": "because"})
    assert response.status_code == 400 and not item.children.filter(kind=Request.Kind.REBUTTAL).exists()


RECEIPT = b"registered post receipt RR 1234 5678 9DE"


@time_machine.travel("2026-04-28 10:00 +0000", tick=False)
def test_it_lists_the_proof_of_posting_with_its_hash(client, public, catalogue) -> None:
    url = reverse("cases:request", kwargs={"token": public.token, "request_id": public.request.pk})
    response = client.post(url, {"action": "sent", "sent-sent_on": "2026-03-02", "sent-channel": "post",
                                 "sent-proof": "RR 1234 5678 9DE",
                                 "sent-proof_file": SimpleUploadedFile("receipt.pdf", RECEIPT, "application/pdf")})
    assert response.status_code == 302
    item = services.request_refresh(request=Request.objects.get(pk=public.request.pk))
    assert item.status == Request.Status.OVERDUE
    text = pdf_text(request_dossier_pdf(item))
    assert contains(text, "RR 1234 5678 9DE") and hashlib.sha256(RECEIPT).hexdigest() in text.replace(" ", "")
