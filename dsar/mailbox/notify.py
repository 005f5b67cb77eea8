"""Telling people that mail arrived for a request: the person (if they track the case by email)
or the case's caseworker. Never what it says: the notification names the organisation and the
case reference and points to the page where the message is read after logging in or through
the secret link. Logs carry ids only."""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from dsar.cases.reminders import reminder_recipients
from dsar.mailbox.models import InboundMessage

logger = logging.getLogger(__name__)


def notify_arrival(*, message_id: int) -> bool:
    """One email to the people of the message's case; False when there is nobody to tell."""
    message = (InboundMessage.objects.select_related("request__case__assignee", "request__organisation")
               .filter(pk=message_id, request__isnull=False).first())
    if message is None or message.request is None:
        return False
    request = message.request
    case = request.case
    recipients = reminder_recipients(case)
    if not recipients:
        return False
    with translation.override(case.language or settings.LANGUAGE_CODE):
        context = {
            "reference": case.reference,
            "organisation": request.organisation.name if request.organisation else "",
            "bounce": message.kind == InboundMessage.Kind.BOUNCE,
            "public": case.is_public,
            "link": settings.SITE_URL + (reverse("cases:new_link") if case.is_public
                                         else reverse("casework:request_action", args=[case.pk, request.pk])),
        }
        subject = " ".join(render_to_string("mailbox/email/arrived.subject.txt", context).split())
        body = render_to_string("mailbox/email/arrived.txt", context)
    with transaction.atomic():
        # Claimed in the transaction that hands the email over: a redelivered task sends nothing.
        if not InboundMessage.objects.filter(pk=message.pk, notified_at__isnull=True).update(
                notified_at=timezone.now()):
            return False
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients).send()
    logger.info("arrival of message %s told to %d for case %s", message.pk, len(recipients), case.pk)
    return True
