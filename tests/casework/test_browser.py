"""Bulk work in a real headless Chromium (Debian's /usr/bin/chromium) against a live server:
log in, import a CSV file (a bad row reported by line), plan and generate the letters, watch
the progress bar move as letters finish (static/casework/progress.js under the CSP), mark the
batch as sent."""
from __future__ import annotations

import os

import pytest
from django.utils import timezone

from dsar.cases.models import Request
from dsar.casework.models import Batch
from tests.cases.factories import (
    DatasetFactory,
    MembershipFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)
from tests.casework.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM must still run beside it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


CSV = "name,email,country\nAda Quintero,ada@example.net,DE\nBruno Okafor,bruno@,DE\nChen Wei,chen@example.net,FR\n"




@pytest.fixture
def page(browser, live_server, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    team = TeamFactory(name="Campus Privacy Group")
    MembershipFactory(team=team, user=UserFactory(username="alice"))
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/casework/")
    page.team = team  # type: ignore[attr-defined]
    yield page
    context.close()


def test_it_imports_plans_generates_and_sends_a_batch_in_a_browser(page, live_server, tmp_path):
    dataset = DatasetFactory(name="DukeMTMC")
    organisation = OrganisationFactory(name="Acme Vision")
    page.goto(f"{live_server.url}/casework/batches/new/")
    page.fill("#id_label", "Chapel Quad")
    page.set_input_files("#id_file", files=[{"name": "people.csv", "mimeType": "text/csv",
                                             "buffer": CSV.encode()}])
    page.click("main input[type=submit]")
    preview = page.inner_text("main")
    assert "2 new people will be stored." in preview
    assert "“bruno@” is not a valid email address" in page.inner_text("#import-errors")
    page.click("main button[type=submit]")  # Import
    page.check(f"input[name=datasets][value='{dataset.pk}']")
    page.check(f"input[name=organisations][value='{organisation.pk}']")
    page.click("text=Generate the letters")
    page.wait_for_selector("text=Mark the whole batch as sent")
    assert page.inner_text("[data-done]") == "4" and page.inner_text("[data-total]") == "4"
    page.fill("#id_sent_on", timezone.localdate().isoformat())
    page.select_option("#id_channel", "post")
    page.click("main form button.btn-success")
    page.wait_for_selector("text=2 letters marked as sent.")
    batch = Batch.objects.get()
    assert batch.state == Batch.State.SENT
    sent = Request.objects.filter(batch_item__batch=batch).exclude(kind="mandate")
    assert sorted(sent.values_list("kind", "status")) == [("access_erasure", "awaiting")] * 2


def test_it_moves_the_progress_bar_while_letters_are_generated(page, live_server):
    from playwright.sync_api import expect

    batch = Batch.objects.create(team=page.team, label="Running", state=Batch.State.GENERATING, total=4)
    page.goto(f"{live_server.url}/casework/batches/{batch.pk}/")
    assert page.inner_text("[data-done]") == "0"
    Batch.objects.filter(pk=batch.pk).update(done=3)
    expect(page.locator("[data-done]")).to_have_text("3")
    expect(page.locator("[data-bar]")).to_have_attribute("value", "3")
    Batch.objects.filter(pk=batch.pk).update(done=4, state=Batch.State.READY)
    page.wait_for_selector("text=Mark the whole batch as sent")  # the page reloaded for the next step
