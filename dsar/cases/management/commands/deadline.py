"""`manage.py deadline --received YYYY-MM-DD --country CC [--extended]`: one due date, explained.

The steps first, then the due date alone on the last line so scripts can take `tail -n 1`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.cases.deadlines import due_date

BAD_DATE = "--received must be a date written YYYY-MM-DD, got {value!r}"


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(BAD_DATE.format(value=value)) from None


class Command(BaseCommand):
    help = "Print when the answer to a request received on a date is due, and why."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--received", required=True, help="day of receipt, YYYY-MM-DD")
        parser.add_argument("--country", required=True, help="recipient's country, e.g. DE")
        parser.add_argument(
            "--extended", action="store_true", help="the controller extended the period"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        received = _iso_date(options["received"])
        try:
            deadline = due_date(received, options["country"], extended=options["extended"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        for line in deadline.explain():
            self.stdout.write(line)
        assert deadline.due is not None  # only an open identity question leaves it empty
        self.stdout.write(deadline.due.isoformat())
