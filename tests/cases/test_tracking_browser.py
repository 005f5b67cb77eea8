"""The public tracking pages in a real headless Chromium against a live server: open the link
from the mail, record the sending, then delete everything."""
from __future__ import annotations

import os

import pytest
from django.core import mail

from dsar.cases import services
from dsar.cases.models import Case, Request
from tests.cases.conftest import PERSON

# Playwright's sync API runs an event loop in this thread; the ORM calls of this test share it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# The live server runs in another thread, so the data must be committed. No serialized
# rollback: after other transactional tests it would clash with the content types they
# recreated; the rows this test needs come from the `catalogue` fixture.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.set_default_timeout(20_000)
    yield page
    page.close()


def test_it_tracks_and_deletes_a_case_in_a_browser(page, live_server, catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, token = services.case_create_public(
            email="zofia@example.net", person=PERSON, datasets=["duke-mtmc"],
            requests=[{"organisation": "acme-vision", "kind": "access", "channel": "post"}],
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/track/confirm/" in line)
    page.goto(live_server.url + link.split("127.0.0.1:8000")[1])
    assert case.reference in page.locator("h1").inner_text()

    page.get_by_role("link", name="Details").click()
    page.fill("#id_sent-sent_on", "2026-01-05")
    page.select_option("#id_sent-channel", "post")
    page.get_by_role("button", name="I sent it").click()
    page.wait_for_selector("text=Answer due")
    assert Request.objects.get(case=case).sent_on.isoformat() == "2026-01-05"

    page.goto(f"{live_server.url}/track/{token}/delete/")
    page.check("#id_confirm")
    page.get_by_role("button", name="Delete everything").click()
    page.wait_for_selector("text=Everything is deleted")
    assert not Case.objects.exists()
