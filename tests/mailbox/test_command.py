"""The embedded default: with no mailbox configured, a message file is fed in by command."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dsar.mailbox import services
from dsar.mailbox.models import InboundMessage
from tests.mailbox import mails

pytestmark = pytest.mark.django_db


def test_it_feeds_an_eml_file_in_as_if_it_arrived(sent, tmp_path):
    path = tmp_path / "answer.eml"
    path.write_bytes(mails.answer("Um Ihre Identität zu überprüfen, senden Sie uns eine Kopie Ihres Ausweises.",
                                  to=services.reply_address(sent.token)))
    out = StringIO()
    call_command("mailbox_deliver", str(path), str(path), stdout=out)
    message = InboundMessage.objects.get()
    assert message.request_id == sent.request.pk and message.proposal == "identity"
    lines = out.getvalue().splitlines()
    assert lines[0] == f"answer.eml: stored as message {message.pk}, request {sent.request.pk}, proposed: identity"
    assert lines[1].startswith("answer.eml: already stored")


def test_it_names_a_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="missing.eml"):
        call_command("mailbox_deliver", str(tmp_path / "missing.eml"))


def test_it_shows_the_failing_contact_in_the_catalogue_admin(client, staff, catalogue):
    from dsar.catalog.services import organisation_mark_contact_failing

    organisation = catalogue["organisation"]
    organisation_mark_contact_failing(organisation_id=organisation.pk, on="2026-03-02", reason="5.1.1 User unknown")
    staff.is_superuser = True  # the catalogue admin's permissions
    staff.save(update_fields=["is_superuser"])
    client.force_login(staff)
    failing = client.get("/admin/catalog/organisation/?failing=yes").content.decode()
    assert organisation.name in failing and "contact failing" in failing
    assert organisation.name not in client.get("/admin/catalog/organisation/?failing=no").content.decode()
    page = client.get(f"/admin/catalog/organisation/{organisation.pk}/change/").content.decode()
    assert "5.1.1 User unknown" in page
