"""Celery tasks of the mailbox: thin interfaces over services, taking ids only; idempotent and
acknowledged late like every task (settings: CELERY_TASK_ACKS_LATE)."""
from __future__ import annotations

from celery import shared_task
from django.conf import settings

from dsar.mailbox import services


@shared_task(
    name="dsar.mailbox.tasks.send_request_email",
    acks_late=True,
    autoretry_for=(services.TemporarySendError,),  # the claim was rolled back: nothing went out
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=12,
)
def send_request_email(outgoing_id: int) -> bool:
    """Send one confirmed request email; a second run (redelivery, double click) sends nothing."""
    return services.outgoing_send(outgoing_id=outgoing_id)


@shared_task(name="dsar.mailbox.tasks.fetch_mailbox", acks_late=True)
def fetch_mailbox() -> int:
    """Beat's "mailbox-fetch": read the IMAP folder, store each message once, move it to the
    processed folder. Does nothing without DSAR_IMAP_HOST (the embedded default)."""
    if not settings.DSAR_IMAP_HOST:
        return 0
    from dsar.mailbox.imap import mailbox_fetch

    return mailbox_fetch().stored


@shared_task(name="dsar.mailbox.tasks.notify_arrival", acks_late=True, autoretry_for=(OSError,),
             retry_backoff=60, max_retries=10)
def notify_arrival(message_id: int) -> bool:
    """Tell the case's people that a message arrived (never what it says)."""
    from dsar.mailbox.notify import notify_arrival as notify

    return notify(message_id=message_id)
