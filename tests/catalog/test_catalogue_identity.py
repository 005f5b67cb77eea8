"""The catalogue the loader makes from the files is the catalogue the files hold.

1. Pinned: the snapshot in fixtures/catalogue-2026-12-04/ is dsar/catalog/data/ as it was when
   scripts/build_catalog.py still generated it (main at 89bfeed). Loading it must give exactly the
   counts and row digests computed then, so moving the data out of the script changed nothing
   and a later change to the loader cannot change what it makes of the same files. Change the
   pin only for a deliberate change in what the loader stores, and say so in the commit.
2. Live: loading today's files gives as many rows per model as the files have records (the files
   change with the research; this part needs no update when they do)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

from dsar.catalog.services import catalog_load
from tests.catalog.digest import catalogue_digest

SNAPSHOT = Path(__file__).parent / "fixtures" / "catalogue-2026-12-04"
PINNED = {
    "Organisation": (69, "f80d835d72d2d66ce643de1f4053b7dccdffc46b37bd15b31d6136b7eddbad9f"),
    "Dataset": (16, "a11243fc6067c70b6c2b0fcb9f4dd7f9c0a851d3006b61c44f63d70bad61c7a4"),
    "Derivative": (38, "a3be67cf476a6ca006db6fc42e64952cbe4535a518755365e52b4f45550f4b2f"),
    "DatasetUse": (86, "e7bf2c450af1db49339246a0a6875fc97c92d4e74145504b741709b887263a6a"),
    "SupervisoryAuthority": (57, "9f20e0c6eeb23a1ffb9da208867ea237c404877ae92a1cdcc1542c8c42c0d49b"),
    "EligibilityQuestion": (19, "9c81e312bf59d989442dc1d8f14f4d28f22bba5ff4d75486c017d2ff91e10f0b"),
    "EligibilityOutcome": (26, "90b3fdea3c5f455b901c3a39bace5a9b9cb19c3884a54013e7a4a5177c2c2032"),
    "Source": (841, "d0b693c298779d7cb97ba35334f943266bc20ed615b57de331aa881808505263"),
}


def file_counts(root: Path) -> dict[str, int]:
    def records(name: str, key: str) -> list[dict[str, Any]]:
        return json.loads((root / name).read_text(encoding="utf-8"))[key]

    orgs, datasets = records("organisations.json", "organisations"), records("datasets.json", "datasets")
    uses, authorities = records("uses.json", "uses"), records("authorities.json", "authorities")
    questions = records("eligibility.json", "questions")
    derivatives = [d for dataset in datasets for d in dataset.get("derivatives") or []]
    with_sources = orgs + datasets + derivatives + uses + authorities + questions
    return {
        "Organisation": len(orgs), "Dataset": len(datasets), "Derivative": len(derivatives),
        "DatasetUse": len(uses), "SupervisoryAuthority": len(authorities),
        "EligibilityQuestion": len(questions),
        "EligibilityOutcome": sum(len(q.get("outcomes") or []) for q in questions),
        "Source": sum(len(item["sources"]) for item in with_sources),
    }


def test_it_loads_the_pre_refactor_snapshot_into_the_pinned_catalogue(empty_catalog):
    catalog_load(path=SNAPSHOT)

    assert catalogue_digest() == PINNED


def test_the_snapshot_counts_are_the_pinned_counts():
    assert file_counts(SNAPSHOT) == {name: count for name, (count, _) in PINNED.items()}


def test_it_loads_one_row_per_record_of_the_shipped_files(empty_catalog):
    catalog_load(path=settings.DSAR_CATALOG_PATH)

    loaded = {name: count for name, (count, _) in catalogue_digest().items()}
    assert loaded == file_counts(Path(settings.DSAR_CATALOG_PATH))


def test_the_data_migration_and_a_load_make_the_same_catalogue(db):
    migrated = catalogue_digest()

    catalog_load()

    assert catalogue_digest() == migrated
