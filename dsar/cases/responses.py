"""File responses for a case that the public tracking pages and the casework pages both serve.

Callers pass a case they already obtained through `dsar.cases.access.access_case`: these
functions check nothing themselves beyond the event belonging to that case.
"""
from __future__ import annotations

import io

from django.http import FileResponse, Http404, HttpResponse

from dsar.cases import selectors
from dsar.cases.ics import case_calendar
from dsar.cases.models import Case, Request

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


def dossier_response(item: Request) -> FileResponse:
    """The evidence dossier of a request that is overdue or whose answer fell short, as a PDF
    download; 404 for any other request."""
    from dsar.cases.dossier import dossier_available, dossier_filename, request_dossier_pdf

    if not dossier_available(item):
        raise Http404
    return FileResponse(io.BytesIO(request_dossier_pdf(item)), as_attachment=True,
                        filename=dossier_filename(item), content_type="application/pdf")
