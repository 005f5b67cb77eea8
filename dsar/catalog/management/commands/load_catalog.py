"""`manage.py load_catalog [PATH] [--if-empty]`: validate the catalogue JSON, then upsert it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.catalog.services import CatalogError, catalog_load, default_catalog_path


class Command(BaseCommand):
    help = "Load the catalogue (datasets, organisations, uses, authorities, questions) from JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, default=None,
            help=f"directory with the catalogue JSON files (default: {default_catalog_path()})",
        )
        parser.add_argument(
            "--if-empty", action="store_true",
            help="load only when no dataset is in the database yet (used by `make run`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = catalog_load(path=options["path"], if_empty=options["if_empty"])
        except CatalogError as error:
            raise CommandError("Catalogue not loaded; nothing was written.\n" + str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
