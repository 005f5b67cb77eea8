"""Fixtures for the whole suite."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _start_in_english() -> Iterator[None]:
    """Every test starts in English: LocaleMiddleware leaves the language of the last request
    active in the thread, so a /de/ request in one test would otherwise leak into the next."""
    translation.activate("en")
    yield
    translation.activate("en")
