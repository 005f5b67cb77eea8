"""Downloads of a message's files: decrypted on the way out, always as an attachment, and with
their own type only when a browser cannot run them (as cases.responses does for uploads)."""
from __future__ import annotations

from django.http import HttpResponse

from dsar.cases.responses import SAFE_TYPES
from dsar.mailbox.models import InboundAttachment
from dsar.mailbox.services import attachment_content


def attachment_download(attachment: InboundAttachment) -> HttpResponse:
    content_type = attachment.content_type if attachment.content_type in SAFE_TYPES else "application/octet-stream"
    response = HttpResponse(attachment_content(attachment), content_type=content_type)
    name = (attachment.name or "attachment").replace('"', "").replace("\r", "").replace("\n", "")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
