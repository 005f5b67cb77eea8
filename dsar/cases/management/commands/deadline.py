"""`manage.py deadline --received YYYY-MM-DD --country CC[-SUB] [...]`: one due date, explained.

The steps first, then the due date alone on the last line so scripts can take `tail -n 1`
(`paused` instead of a date while an identity question is unanswered). `--country` takes an
ISO 3166 code or an ISO 3166-2 subdivision (`DE`, `DE-BY`, `GB-SCT`): the holidays of the
addressee's country and subdivision count. Late events are judged: an extension notified after
the first period ended does not extend, an identity question asked after the due date does not
pause, and the steps say why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.cases.deadlines import due_date

BAD_DATE = "{option} must be a date written YYYY-MM-DD, got {value!r}"
PAUSED = "paused"
DATE_OPTIONS = ("received", "extension_notified", "id_asked", "id_received")


def _iso_date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        flag = "--" + option.replace("_", "-")
        raise CommandError(BAD_DATE.format(option=flag, value=value)) from None


class Command(BaseCommand):
    help = "Print when the answer to a request received on a date is due, and why."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--received", required=True, help="day of receipt, YYYY-MM-DD")
        parser.add_argument(
            "--country", required=True,
            help="addressee's country, optionally with its subdivision: DE, DE-BY, GB-SCT",
        )
        parser.add_argument(
            "--extended", action="store_true",
            help="the controller extended the period in time (date not known)",
        )
        parser.add_argument(
            "--extension-notified", metavar="DATE",
            help="the day the controller notified an extension (judged against the first period)",
        )
        parser.add_argument("--id-asked", metavar="DATE", help="the day identity was asked for")
        parser.add_argument("--id-received", metavar="DATE", help="the day the identity arrived")
        parser.add_argument(
            "--clarification", action="store_true",
            help="--id-asked/--id-received are a clarification question, not identity",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dates = {name: _iso_date(name, options[name]) for name in DATE_OPTIONS}
        received = dates["received"]
        assert received is not None  # a required option
        try:
            deadline = due_date(
                received, options["country"], extended=options["extended"],
                extension_notified=dates["extension_notified"],
                identity_asked=dates["id_asked"], identity_received=dates["id_received"],
                asked_for="clarification" if options["clarification"] else "identity",
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        for line in deadline.explain():
            self.stdout.write(line)
        self.stdout.write(deadline.due.isoformat() if deadline.due else PAUSED)
