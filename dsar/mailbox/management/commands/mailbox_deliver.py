"""Feed an email file in as if it had arrived in the mailbox (development and support):

    python manage.py mailbox_deliver answer.eml [more.eml ...]

Each file is stored, matched and classified exactly like a message read over IMAP; the same
file delivered twice is stored once.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.mailbox import services


class Command(BaseCommand):
    help = "Store .eml files as if they had arrived in the mailbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="RFC 5322 message files (.eml)")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in options["files"]:
            try:
                raw = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None
            received = services.message_receive(raw=raw)
            message = received.message
            where = f"request {message.request_id}" if message.request_id else f"staff review ({message.review})"
            state = "stored" if received.created else "already stored"
            proposal = f", proposed: {message.proposal}" if message.proposal else ""
            self.stdout.write(f"{path.name}: {state} as message {message.pk}, {where}{proposal}")
