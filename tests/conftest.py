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


# Debian's Chromium, driven by Playwright (its own browser download cannot work here). The flags
# keep it from reaching the network: this machine has none, and a privacy tool's tests must not.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless Chromium for the end-to-end tests of one module."""
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
