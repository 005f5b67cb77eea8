"""Celery tasks of casework: bulk letter generation and the daily digests.

Tasks take ids and call one service each; every one may run twice (acks late, a worker killed
mid-task) because the services claim rows with conditional updates.
"""
from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from dsar.cases.tasks import RETRY_POLICY
from dsar.casework import services
from dsar.casework.models import BatchItem


@shared_task(**RETRY_POLICY)
def generate_batch(batch_id: int) -> int:
    """Queue one task per unfinished letter; safe to call again to resume an interrupted batch."""
    ids = list(
        BatchItem.objects.filter(batch_id=batch_id)
        .exclude(state__in=[BatchItem.State.DONE, BatchItem.State.FAILED])
        .values_list("pk", flat=True)
    )
    for item_id in ids:
        render_batch_item.delay(item_id)
    return len(ids)


# Database errors (a PostgreSQL restart) outside the letter itself are retried with backoff too.
@shared_task(bind=True, **{**RETRY_POLICY, "max_retries": 20, "default_retry_delay": 10})
def render_batch_item(self: Task[Any, Any], item_id: int) -> str:
    outcome = services.batch_item_render(item_id=item_id)
    if outcome == services.BUSY:
        # Another worker holds a live claim; if it died, its lease runs out and we take over.
        raise self.retry(countdown=services.lease_seconds())
    if outcome == services.RETRY:
        raise self.retry()
    return outcome


@shared_task(**RETRY_POLICY)
def resume_stalled_batches() -> int:
    """Beat: re-queue the letters of batches that stopped moving (a worker died mid-letter, or a
    message was lost); the claims make sure a letter already done is not done again."""
    ids = services.batch_items_to_resume()
    for item_id in ids:
        render_batch_item.delay(item_id)
    return len(ids)


@shared_task(**RETRY_POLICY)
def refresh_dashboard_history() -> None:
    """Beat: recompute the staff dashboard's history so no page view waits for its full scans."""
    from dsar.casework.selectors import dashboard_history

    dashboard_history(refresh=True)


@shared_task(**RETRY_POLICY)
def send_daily_digests() -> int:
    from dsar.casework import digests

    return digests.send_daily_digests()
