"""The preview command against the real catalogue, and the catalogue builders it uses."""
from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from dsar.catalog.models import Dataset, Organisation, SupervisoryAuthority
from dsar.letters.assemble import dataset_ref, letter_language, recipient_for_organisation
from dsar.letters.data import GROUNDS, KINDS
from tests.letters.conftest import contains, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    call_command("load_catalog", stdout=StringIO())


@time_machine.travel("2026-03-02 10:00 +0000", tick=False)
def test_it_renders_every_kind_for_one_language_from_the_catalogue(catalogue, tmp_path: Path) -> None:
    out = StringIO()
    call_command("demo_letters", "--out", str(tmp_path), "--lang", "de", stdout=out)
    regional = ["access-de-ch.pdf", "erasure-de-ch.pdf"]
    rebuttals = [f"rebuttal-{ground}-de.pdf" for ground in GROUNDS]
    kinds = [f"{kind}-de.pdf" for kind in KINDS if kind != "rebuttal"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kinds + regional + rebuttals + ["dossier-de.pdf"])
    microsoft = Organisation.objects.get(slug="microsoft")
    access = pdf_text((tmp_path / "access-de.pdf").read_bytes())
    assert contains(access, microsoft.legal_name or microsoft.name)
    assert "MS-Celeb-1M" in access and "5. April 2026" in access
    assert "DukeMTMC" in pdf_text((tmp_path / "erasure-de.pdf").read_bytes())
    complaint = pdf_text((tmp_path / "complaint-de.pdf").read_bytes())
    assert contains(complaint, "Data Protection Commission") and "Fitzwilliam" in complaint
    assert out.getvalue().count(".pdf") == len(kinds) + len(regional) + len(rebuttals) + 1


def test_it_says_to_load_the_catalogue_when_a_record_is_missing(catalogue, tmp_path: Path) -> None:
    SupervisoryAuthority.objects.filter(country="IE").delete()
    with pytest.raises(CommandError, match="load_catalog"):
        call_command("demo_letters", "--out", str(tmp_path), "--lang", "en", stdout=StringIO())
    assert list(tmp_path.iterdir()) == []


def test_it_builds_recipient_and_dataset_from_catalogue_records(catalogue) -> None:
    microsoft = Organisation.objects.get(slug="microsoft")
    recipient = recipient_for_organisation(microsoft)
    assert recipient.name == microsoft.name and recipient.country == microsoft.country.code
    assert recipient.address_lines == tuple(line.strip() for line in microsoft.postal_address.splitlines() if line.strip())
    ref = dataset_ref(Dataset.objects.get(slug="ms-celeb-1m"), language="fr",
                      details={"name_as_listed": "Zoe Orsted", "flickr_account": " "}, role="publisher")
    assert ref.identifying_details == (("Nom figurant dans le jeu", "Zoe Orsted"),)
    assert "MS1M" in ref.aliases and ref.derivatives and ref.withdrawn == "2019"


def test_it_takes_the_chosen_language_else_the_organisations() -> None:
    assert letter_language(Organisation(letter_language="de"), "fr") == "fr"
    assert letter_language(Organisation(letter_language="de"), "auto") == "de"
    assert letter_language(Organisation(letter_language=""), "") == "en"
    assert letter_language(None, "xx") == "en"


def test_it_says_to_migrate_when_the_database_has_no_tables(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dsar.settings", "DSAR_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)  # the default: a new, empty SQLite file in DSAR_VAR_DIR
    result = subprocess.run(
        [sys.executable, "manage.py", "demo_letters", "--out", str(tmp_path / "out")],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "manage.py migrate" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
