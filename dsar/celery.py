"""The Celery application. Configuration lives in settings (CELERY_* names)."""
from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsar.settings")

app = Celery("dsar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_shutdown.connect
def release_letter_renderer(**kwargs: object) -> None:
    """A pool child ends without running atexit handlers: let the letter renderer remove its
    temporary font folder first."""
    from dsar.letters.render import release_renderer

    release_renderer()


@app.task(name="dsar.refresh_query_statistics")
def refresh_query_statistics() -> bool:
    """Beat, daily: the query planner's statistics (SQLite only; see dsar.maintenance)."""
    from dsar.maintenance import refresh_query_statistics as refresh

    return refresh()
