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
