"""Mail to a person who tracks a case: the confirmation link, and (for the sweep) reminders.

Text and HTML parts from templates/cases/email/<name>.txt / .html, rendered in the case's
language. Logs name the case id and the template, never the address or the content.
"""
from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from dsar.cases.models import Case

logger = logging.getLogger(__name__)


def case_url(case: Case, raw_token: str, name: str = "cases:case") -> str:
    """An absolute link into the public tracking pages, in the case's language."""
    with translation.override(case.language):
        return settings.SITE_URL + reverse(name, kwargs={"token": raw_token})


def send_case_mail(*, case: Case, template: str, context: dict[str, Any]) -> bool:
    """Send templates/cases/email/<template>.{subject.txt,txt,html} to the case's confirmed
    (or, for the confirmation itself, given) tracking address. False when there is none."""
    to = case.tracking_email
    if not to:
        return False
    with translation.override(case.language):
        full = {"case": case, "reference": case.reference, **context}
        subject = render_to_string(f"cases/email/{template}.subject.txt", full).strip()
        text = render_to_string(f"cases/email/{template}.txt", full)
        html = render_to_string(f"cases/email/{template}.html", full)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()
    logger.info("mail %s sent for case %s", template, case.pk)
    return True


def send_tracking_confirmation(*, case_id: int, raw_token: str) -> bool:
    """The mail with the secret link; opening it confirms the address (cases:confirm)."""
    case = Case.objects.get(pk=case_id)
    link = case_url(case, raw_token, "cases:confirm")
    context = {"link": link, "days": settings.DSAR_TRACKING_TOKEN_DAYS,
               "unconfirmed_days": settings.DSAR_UNCONFIRMED_DAYS}
    return send_case_mail(case=case, template="confirm", context=context)


def send_new_link(*, case_id: int, raw_token: str) -> bool:
    """The mail with a new secret link, asked for on the "lost your link?" page. Opening it also
    confirms the address, like the first one."""
    case = Case.objects.get(pk=case_id)
    link = case_url(case, raw_token, "cases:confirm")
    return send_case_mail(case=case, template="new_link",
                          context={"link": link, "days": settings.DSAR_TRACKING_TOKEN_DAYS})
