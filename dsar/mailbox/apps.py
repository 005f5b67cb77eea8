from __future__ import annotations

from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "dsar.mailbox"
    verbose_name = "Mailbox"

    def ready(self) -> None:
        from dsar.mailbox import signals  # noqa: F401  (files go with their rows)
