"""The public flow in a real headless Chromium (Debian's /usr/bin/chromium) against a live
server: a journalist who walked past Duke Chapel on 14 March 2014 gets DukeMTMC and MS-Celeb-1M,
writes to Duke University and Microsoft, and downloads the zip; once in English, once in German.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

# Playwright's sync API runs an event loop in this thread; Django's ORM (used by the live
# server's fixtures in this thread) would otherwise refuse to run next to it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread: it needs committed data. serialized_rollback puts
    # the catalogue (loaded by a data migration) back for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # If an earlier transactional test flushed the catalogue, load it again.
    pytest.mark.usefixtures("catalogue"),
]

SCREENSHOT_DIR = Path(os.environ.get("DSAR_SCREENSHOT_DIR", "/tmp/dsar-screens"))
NAME = "Alex Example"




@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _answer(page, yes: tuple[str, ...]) -> None:
    """Answer every question screen: yes to `yes`, no to the rest."""
    while "/questions/" in page.url:
        for radio in page.locator('input[type="radio"][value="no"]').all():
            radio.check()
        for slug in yes:
            box = page.locator(f'input[name="{slug}"][value="yes"]')
            if box.count():
                box.check()
        page.click('input[name="_next"]')


def _walk(page, base: str, prefix: str, tmp_path: Path, screenshot: str | None = None) -> list[str]:
    """The whole flow, by keyboard-reachable controls only; returns the PDFs' texts."""
    page.goto(f"{base}{prefix}/")
    page.click("main a.btn-primary.btn-lg")
    page.click("#begin")
    assert "/questions/1/" in page.url, page.url + page.inner_text("main")[:500]
    _answer(page, ("public-figure", "duke-chapel-2014"))
    assert "/result/" in page.url
    result = page.inner_text("main")
    assert "DukeMTMC" in result and "MS-Celeb-1M" in result
    if screenshot:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / screenshot), full_page=True)
    page.click("#continue")
    for slug in ("duke-university", "microsoft"):
        page.check(f'input[name="organisations"][value="{slug}"]')
    page.check('input[name="kind"][value="erasure"]')
    page.click('input[name="_next"]')
    assert "/details/" in page.url
    page.fill("#id_name", NAME)
    page.fill("#id_address", "Musterstraße 1\n10115 Berlin")
    page.select_option("#id_country", "DE")
    page.select_option("#id_region", "DE-BE")
    page.fill("#id_email", "alex@example.org")
    page.fill("#id_phone", "030 1234567")
    page.fill("#id_profession", "journalist")
    page.fill("#id_duke_mtmc_when", "around noon")
    page.click('input[name="_next"]')
    assert "/review/" in page.url, page.inner_text("main")[:2000]
    with page.expect_download() as download:
        page.click("#download-zip")
    path = tmp_path / "letters.zip"
    download.value.save_as(path)
    archive = zipfile.ZipFile(path)
    pdfs = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
    assert len(pdfs) == 2
    return [" ".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(n))).pages)
            for n in pdfs]


def test_it_takes_the_journalist_from_duke_to_two_letters(page, live_server, tmp_path):
    duke, microsoft = _walk(page, live_server.url, "", tmp_path, screenshot="result-en.png")
    assert "Duke University" in duke and NAME in duke
    assert "Microsoft" in microsoft and NAME in microsoft


def test_it_takes_the_journalist_through_in_german(page, live_server, tmp_path):
    duke, microsoft = _walk(page, live_server.url, "/de", tmp_path, screenshot="result-de.png")
    assert page.locator("html").get_attribute("lang") == "de"
    assert "Duke University" in duke and NAME in duke
    assert "Microsoft" in microsoft and NAME in microsoft


def test_it_leads_keyboard_users_from_the_error_summary_to_the_field(page, live_server):
    base = live_server.url
    page.goto(f"{base}/start/questions/1/")
    _answer(page, ("duke-chapel-2014",))
    page.goto(f"{base}/start/choose/")
    page.check('input[name="organisations"][value="duke-university"]')
    page.click('input[name="_next"]')
    page.fill("#id_name", NAME)
    page.fill("#id_address", "Musterstraße 1")
    page.select_option("#id_country", "DE")
    page.select_option("#id_region", "DE-BE")
    page.fill("#id_phone", "123")
    page.focus("#id_phone")
    page.keyboard.press("Enter")  # submits the form from the keyboard
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.url.endswith("#id_phone")
    assert "valid phone number for Germany" in page.inner_text("#div_id_phone")
    assert page.input_value("#id_name") == NAME
