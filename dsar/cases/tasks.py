"""Celery tasks of the cases app: a thin interface over services, taking ids only.

Every task is idempotent and acknowledged late (settings: CELERY_TASK_ACKS_LATE): a worker that
dies mid-task leaves its message to be redelivered, and running a task twice changes nothing
the second time.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from dsar.cases import reminders

logger = logging.getLogger(__name__)


# --- Deadlines and reminders (dsar.cases.reminders) --------------------------------------------


@shared_task(name="dsar.cases.tasks.sweep_deadlines", acks_late=True)
def sweep_deadlines() -> int:
    """Beat's "sweep-deadlines": mark overdue requests, fan out one task per due reminder.

    Killed half-way, it is redelivered and fans out again; reminders already queued or sent
    are claimed by nobody twice (reminders.reminder_send).
    """
    result = reminders.sweep(today=timezone.localdate())
    for request_id, kind in result.due:
        send_reminder.delay(request_id, str(kind))
    return len(result.due)


@shared_task(
    name="dsar.cases.tasks.send_reminder",
    acks_late=True,
    autoretry_for=(OSError,),  # the mail server was unreachable: the claim was rolled back
    retry_backoff=60,
    max_retries=10,
)
def send_reminder(request_id: int, kind: str) -> bool:
    """Send one reminder for one request, unless it was sent or is no longer due."""
    return reminders.reminder_send(
        request_id=request_id, kind=reminders.Reminder(kind), today=timezone.localdate()
    )


# --- Letters (dsar.cases.letters builds the data, dsar.letters renders it) ---------------------


@shared_task(name="dsar.cases.tasks.render_request_letter", acks_late=True)
def render_request_letter(request_id: int) -> str:
    """Render the request's letter PDF into private storage; returns its storage name.

    A letter already rendered from the same data returns at once (letters.request_render_letter
    compares a hash of the inputs), so the task may run any number of times. A request deleted
    meanwhile (delete everything) is no error: "".
    """
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
    return request_render_letter(request=request).letter_pdf.name


# --- Privacy -------------------------------------------------------------------------------------


@shared_task(name="dsar.cases.tasks.purge_abandoned_cases", acks_late=True)
def purge_abandoned_cases() -> int:
    """Beat's daily "purge-abandoned-cases" (services.cases_purge_abandoned); idempotent."""
    from dsar.cases.services import cases_purge_abandoned

    return cases_purge_abandoned()
