"""Render every letter kind in every language (or one) for a fictitious person: the preview for
anyone editing a letter template. Needs the catalogue (`manage.py load_catalog`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from dsar.letters.data import LANGUAGES
from dsar.letters.demo import demo_dossier, demo_letters, demo_rebuttals, regional_letters
from dsar.letters.dossier import render_dossier
from dsar.letters.render import render_pdf

# The demo dossier (an overdue request with two reminders and one answer) in these languages.
DOSSIER_LANGUAGES = ("en", "de")


class Command(BaseCommand):
    help = ("Render <kind>-<lang>.pdf for every letter kind into --out, for a fictitious person, and the "
            "letters to a UK, a Swiss and a US controller (<kind>-<lang>-<uk|ch|us>.pdf), a rebuttal per refusal "
            "ground (rebuttal-<ground>-<lang>.pdf) and the evidence dossier (dossier-en.pdf, dossier-de.pdf).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="Directory for the PDFs (created if missing).")
        parser.add_argument("--lang", choices=LANGUAGES, help="Only this language (default: all).")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        today = timezone.localdate()
        for language in [options["lang"]] if options["lang"] else LANGUAGES:
            try:
                letters = [(letter.filename, letter) for letter in demo_letters(language, today=today)]
                letters += regional_letters(today=today, language=language)
                letters += demo_rebuttals(language, today=today)
                dossier = demo_dossier(language, today=today) if language in DOSSIER_LANGUAGES else None
            except (LookupError, ObjectDoesNotExist) as error:  # the catalogue is not (fully) loaded
                raise CommandError(f"{error}. Load the catalogue first: manage.py load_catalog") from error
            except DatabaseError as error:  # no tables yet: a fresh checkout before `make run`
                raise CommandError(
                    f"The database is not set up ({error}). Create it and load the catalogue "
                    "first: manage.py migrate (make run does both)"
                ) from error
            for filename, letter in letters:
                path = out / filename
                path.write_bytes(render_pdf(letter))
                self.stdout.write(str(path))
            if dossier is not None:
                path = out / f"dossier-{language}.pdf"
                path.write_bytes(render_dossier(dossier))
                self.stdout.write(str(path))
