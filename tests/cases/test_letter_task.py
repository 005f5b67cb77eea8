"""The render task: a request's letter PDF by id, rendered once while its data is unchanged."""

from __future__ import annotations

import io
import os

import pytest
from pypdf import PdfReader

from dsar.cases import tasks
from dsar.cases.letters import request_letter_pdf
from dsar.cases.models import Request

pytestmark = pytest.mark.django_db


def _text(request: Request) -> str:
    reader = PdfReader(io.BytesIO(request_letter_pdf(request)))
    return " ".join(page.extract_text() for page in reader.pages)


def test_it_renders_the_letter_of_a_request_by_id(public) -> None:
    name = tasks.render_request_letter(public.request.id)
    public.request.refresh_from_db()
    assert name == public.request.letter_pdf.name
    assert public.request.letter_inputs_hash
    text = _text(public.request)
    assert public.case.reference in text
    assert "Acme Vision" in text


def test_it_returns_at_once_when_the_letter_is_unchanged(public) -> None:
    first = tasks.render_request_letter(public.request.id)
    path = public.request.letter_pdf.storage.path(first)
    written = os.stat(path).st_mtime_ns
    second = tasks.render_request_letter(public.request.id)
    assert second == first
    assert os.stat(path).st_mtime_ns == written


def test_it_renders_again_when_the_letter_data_changed(public) -> None:
    first = tasks.render_request_letter(public.request.id)
    Request.objects.filter(id=public.request.id).update(language="de")
    second = tasks.render_request_letter(public.request.id)
    public.request.refresh_from_db()
    assert second != first
    assert not public.request.letter_pdf.storage.exists(first)
    assert "Antrag auf Löschung" in _text(public.request)


def test_it_ignores_a_request_deleted_meanwhile(db) -> None:
    assert tasks.render_request_letter(987654) == ""
