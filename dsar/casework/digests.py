"""The daily reminder digest: each caseworker gets one email a day with their overdue and
due-soon requests (cases assigned to them, and unassigned cases of their teams).

Exactly once per user and day, even with two workers or a re-run: a DigestLog row per user and
day is created idempotently and then claimed with a conditional UPDATE (claimed_at IS NULL).
Emails name references and organisations, never the people concerned.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from dsar.cases.models import Request, TeamMembership
from dsar.casework.models import CaseworkerLanguage, DigestLog
from dsar.casework.selectors import bucket_q, requests_for_user

log = logging.getLogger(__name__)


def digest_items(user: Any, today: dt.date) -> list[Request]:
    mine = Q(case__assignee_id=user.pk) | Q(case__assignee__isnull=True)
    due = bucket_q("overdue", today) | bucket_q("due_soon", today)
    return list(
        requests_for_user(user).filter(mine, due).select_related("case", "organisation", "authority")
        .order_by("due_on", "pk")[:200]
    )


def send_daily_digests(today: dt.date | None = None) -> int:
    """Send today's digests that are not sent yet; returns how many emails went out."""
    today = today or timezone.localdate()
    users = get_user_model().objects.filter(
        is_active=True, pk__in=TeamMembership.objects.values("user_id")
    ).exclude(email="")
    DigestLog.objects.bulk_create([DigestLog(user=u, day=today) for u in users], ignore_conflicts=True)
    sent = 0
    entries = DigestLog.objects.filter(day=today, claimed_at__isnull=True)
    for entry in entries.select_related("user__casework_language"):
        if DigestLog.objects.filter(pk=entry.pk, claimed_at__isnull=True).update(claimed_at=timezone.now()):
            sent += _send_claimed(entry, today)
    return sent


def _send_claimed(entry: DigestLog, today: dt.date) -> int:
    try:
        items = digest_items(entry.user, today)
        if items:
            _email(entry.user, items, today).send()
    except Exception:
        # Give the day back so the next run can try again; the claim made this attempt unique.
        DigestLog.objects.filter(pk=entry.pk).update(claimed_at=None)
        log.exception("digest for user %s failed", entry.user_id)
        return 0
    DigestLog.objects.filter(pk=entry.pk).update(sent_at=timezone.now(), items=len(items))
    log.info("digest for user %s: %s items", entry.user_id, len(items))
    return 1 if items else 0


def digest_language(user: Any) -> str:
    """The language the caseworker last used the casework pages in, else the site's (read with
    the digest's user row: send_daily_digests selects it along)."""
    try:
        return user.casework_language.language
    except CaseworkerLanguage.DoesNotExist:
        return settings.LANGUAGE_CODE


def _email(user: Any, items: list[Request], today: dt.date) -> EmailMultiAlternatives:
    context = {
        "user": user, "today": today, "site_url": settings.SITE_URL,
        "overdue": [r for r in items if r.due_on and r.due_on < today or r.status == Request.Status.OVERDUE],
        "due_soon": [r for r in items if r.due_on and r.due_on >= today and r.status != Request.Status.OVERDUE],
    }
    with translation.override(digest_language(user)):
        # Links in the same language (/de/casework/...), like the text around them.
        context["queue_url"] = settings.SITE_URL + reverse("casework:queue")
        subject = render_to_string("casework/email/digest_subject.txt", context).strip()
        text = render_to_string("casework/email/digest.txt", context)
        html = render_to_string("casework/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message
