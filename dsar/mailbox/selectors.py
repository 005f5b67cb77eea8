"""Reads of the mailbox for pages. Callers pass a case they obtained through cases' access
function; these add no access rule of their own beyond "belongs to that case"."""
from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dsar.cases.models import Case, Request
from dsar.mailbox.models import InboundAttachment, InboundMessage, OutgoingEmail


def request_messages(request: Request) -> QuerySet[InboundMessage]:
    return request.inbound_messages.prefetch_related("attachments").order_by("received_at", "id")


def request_outgoing(request: Request) -> OutgoingEmail | None:
    return OutgoingEmail.objects.filter(request=request).first()


def message_of_case(case: Case, message_id: int) -> InboundMessage:
    message = (InboundMessage.objects.select_related("request__organisation")
               .filter(pk=message_id, request__case=case).first())
    if message is None:
        raise Http404
    return message


def attachment_of_case(case: Case, attachment_id: int) -> InboundAttachment:
    attachment = InboundAttachment.objects.filter(pk=attachment_id, message__request__case=case).first()
    if attachment is None or not attachment.file:
        raise Http404
    return attachment


def messages_for_review() -> QuerySet[InboundMessage]:
    """Messages that belong to no request yet (staff only), newest first."""
    return InboundMessage.objects.filter(request__isnull=True).order_by("-received_at", "-id")


def message_for_review(message_id: int) -> InboundMessage:
    message = InboundMessage.objects.filter(pk=message_id, request__isnull=True).first()
    if message is None:
        raise Http404
    return message
