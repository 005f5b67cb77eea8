"""File responses for a case that the public tracking pages and the casework pages both serve.

Callers pass a case they already obtained through `dsar.cases.access.access_case`: these
functions check nothing themselves beyond the event belonging to that case.
"""
from __future__ import annotations

import io
import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dsar.cases import selectors
from dsar.cases.fields import os_error_name
from dsar.cases.ics import case_calendar
from dsar.cases.letters import request_letter_filename, request_letter_pdf, request_render_letter
from dsar.cases.models import Case, Request

logger = logging.getLogger(__name__)

# Uploaded answers are served with their own type only when a browser cannot run them.
SAFE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def attachment_response(case: Case, event_id: int) -> FileResponse:
    """The attachment of one of the case's events, always as a download."""
    event = selectors.event_of_case(case, event_id)
    if not event.attachment:
        raise Http404
    content_type = event.attachment_type if event.attachment_type in SAFE_TYPES else "application/octet-stream"
    return FileResponse(event.attachment.open("rb"), as_attachment=True,
                        filename=event.attachment_name or "answer", content_type=content_type)


def calendar_response(case: Case) -> HttpResponse:
    """The case's deadlines as an ICS download."""
    response = HttpResponse(case_calendar(case), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.ics"'
    return response


def letter_response(request: HttpRequest, item: Request) -> HttpResponse | FileResponse:
    """The request's letter as a PDF download, rendered now when missing or out of date (a
    mandate is made by its batch and served as stored). When private storage cannot be written
    or read (disk full, read-only, gone), a 503 page says the letter could not be generated
    just now and nothing was lost; no partial file is kept (PrivateStorage)."""
    try:
        if item.kind != Request.Kind.MANDATE:
            item = request_render_letter(request=item)
        elif not item.letter_pdf:
            raise Http404
        pdf = request_letter_pdf(item)  # stored encrypted (dsar.cases.letters)
    except OSError as error:
        logger.warning("letter of request %s not generated: %s", item.pk, os_error_name(error))
        response = render(request, "cases/letter_unavailable.html", {"item": item}, status=503)
        response["Retry-After"] = "300"
        return response
    return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=request_letter_filename(item),
                        content_type="application/pdf")

def dossier_response(item: Request) -> FileResponse:
    """The evidence dossier of a request that is overdue or whose answer fell short, as a PDF
    download; 404 for any other request."""
    from dsar.cases.dossier import dossier_available, dossier_filename, request_dossier_pdf

    if not dossier_available(item):
        raise Http404
    return FileResponse(io.BytesIO(request_dossier_pdf(item)), as_attachment=True,
                        filename=dossier_filename(item), content_type="application/pdf")
