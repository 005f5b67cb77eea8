"""Fixtures of the wizard tests: the real catalogue, a clean cache (sessions and rate-limit
counters live there), and a walker that answers the flow like a person would."""
from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from dsar.wizard.flow import forget_catalogue


@pytest.fixture(autouse=True)
def _english():
    # reverse() follows the active language; a test elsewhere may have left German active.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    forget_catalogue()
    yield
    cache.clear()
    forget_catalogue()


@pytest.fixture
def catalogue(db):
    """The shipped catalogue (a data migration loads it; loaded here if a test emptied it)."""
    from dsar.catalog.selectors import catalogue_is_empty

    if catalogue_is_empty():
        call_command("load_catalog", verbosity=0)
