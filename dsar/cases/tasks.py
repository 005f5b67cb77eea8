"""Celery tasks of the cases app: a thin interface over services, taking ids only.

Every task is idempotent and acknowledged late (settings: CELERY_TASK_ACKS_LATE): a worker that
dies mid-task leaves its message to be redelivered, and running a task twice changes nothing
the second time.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from dsar.cases import reminders

logger = logging.getLogger(__name__)


# What a task retries (each was rolled back, so a retry claims afresh): the mail server or the
# private-media disk failed (OSError), or the database went away (a PostgreSQL restart: the
# connection is dropped with OperationalError / InterfaceError; SQLite's "database is locked").
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, OperationalError, InterfaceError)
# Backoff 5 s, 10 s, 20 s ... at most TASK_RETRY_BACKOFF_MAX (shorter than the broker's
# visibility timeout: settings), with jitter so that workers do not come back all at once.
RETRY_POLICY: dict[str, Any] = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": settings.TASK_RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "max_retries": 12,
}


# --- Deadlines and reminders (dsar.cases.reminders) --------------------------------------------


@shared_task(name="dsar.cases.tasks.sweep_deadlines", **RETRY_POLICY)
def sweep_deadlines() -> int:
    """Beat's "sweep-deadlines": mark overdue requests, fan out chunks of due reminders.

    One send_reminders task per REMINDER_CHUNK_SIZE requests of one kind: Celery's cost per
    task (ack late, prefetch 1) is paid per chunk, not per reminder. Killed half-way, the sweep
    is redelivered and fans out again; reminders already queued or sent are claimed by nobody
    twice (reminders.reminders_send).
    """
    result = reminders.sweep(today=timezone.localdate())
    by_kind: dict[reminders.Reminder, list[int]] = defaultdict(list)
    for request_id, kind in result.due:
        by_kind[kind].append(request_id)
    for kind, request_ids in by_kind.items():
        request_ids.sort()  # neighbours share pages: a chunk reads fewer of them
        for chunk in reminders.chunks(request_ids, settings.REMINDER_CHUNK_SIZE):
            send_reminders.delay(str(kind), chunk)
    return len(result.due)




@shared_task(name="dsar.cases.tasks.send_reminders", **RETRY_POLICY)
def send_reminders(kind: str, request_ids: list[int]) -> int:
    """Send one kind of reminder for a chunk of requests; returns how many this run sent.

    Each request is claimed on its own, so a redelivered or retried chunk sends only the
    reminders nobody sent yet.
    """
    return reminders.reminders_send(
        request_ids=request_ids, kind=reminders.Reminder(kind), today=timezone.localdate()
    )


@shared_task(name="dsar.cases.tasks.send_reminder", **RETRY_POLICY)
def send_reminder(request_id: int, kind: str) -> bool:
    """Send one reminder for one request, unless it was sent or is no longer due.

    Kept for messages queued by an older sweep (one task per reminder) before an upgrade.
    """
    return reminders.reminder_send(
        request_id=request_id, kind=reminders.Reminder(kind), today=timezone.localdate()
    )


# --- Letters (dsar.cases.letters builds the data, dsar.letters renders it) ---------------------


@shared_task(name="dsar.cases.tasks.render_request_letter", bind=True, **RETRY_POLICY)
def render_request_letter(self: Task[Any, Any], request_id: int) -> str:
    """Render the request's letter PDF into private storage; returns its storage name.

    A letter already rendered from the same data returns at once (letters.request_render_letter
    compares a hash of the inputs), so the task may run any number of times. A request deleted
    meanwhile (delete everything) is no error: "". Private storage full or read-only: a warning
    with the request id and the reason, and a retry with backoff (RETRY_POLICY); no partial
    file is kept, and the download pages say the letter could not be generated just now.
    """
    from dsar.cases.fields import os_error_name
    from dsar.cases.letters import request_render_letter
    from dsar.cases.models import Request

    request = (
        Request.objects.select_related("case__data_subject", "case__team", "organisation")
        .select_related("authority", "parent")
        .filter(id=request_id)
        .first()
    )
    if request is None:
        logger.info("render letter: request %s is gone", request_id)
        return ""
    try:
        return request_render_letter(request=request).letter_pdf.name or ""
    except OSError as error:
        logger.warning("render letter: request %s not stored (%s), attempt %d", request_id,
                       os_error_name(error), self.request.retries + 1)
        raise


# --- Privacy -------------------------------------------------------------------------------------


@shared_task(name="dsar.cases.tasks.purge_abandoned_cases", **RETRY_POLICY)
def purge_abandoned_cases() -> int:
    """Beat's daily "purge-abandoned-cases" (services.cases_purge_abandoned); idempotent."""
    from dsar.cases.services import cases_purge_abandoned

    return cases_purge_abandoned()
