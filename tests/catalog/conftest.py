from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from dsar.catalog.models import (
    Dataset,
    EligibilityQuestion,
    Organisation,
    Source,
    SupervisoryAuthority,
)


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped catalogue that a test may break."""
    target = tmp_path / "catalog"
    shutil.copytree(settings.DSAR_CATALOG_PATH, target)
    return target


@pytest.fixture
def edit_catalog(catalog_dir: Path) -> Callable[[str, str, Callable[[Any], None]], None]:
    """edit_catalog("uses.json", "uses", change) applies `change` to that file's record list."""

    def edit(filename: str, key: str, change: Callable[[Any], None]) -> None:
        path = catalog_dir / filename
        payload = json.loads(path.read_text())
        change(payload[key])
        path.write_text(json.dumps(payload))

    return edit


@pytest.fixture
def empty_catalog(db: None) -> None:
    """The test database holds the catalogue (the data migration loads it); start from nothing."""
    EligibilityQuestion.objects.all().delete()
    Dataset.objects.all().delete()
    Organisation.objects.all().delete()
    SupervisoryAuthority.objects.all().delete()
    Source.objects.all().delete()


def record(records: list[dict[str, Any]], slug: str) -> dict[str, Any]:
    return next(item for item in records if item.get("slug") == slug)
