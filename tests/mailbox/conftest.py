"""The mailbox tests' cast: the cases tests' public person and NGO teams, with a request sent
by dsar by email (so a reply address and a Message-ID exist), and builders of answer emails."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from dsar.cases.models import Request
from dsar.mailbox import services
from dsar.mailbox.models import OutgoingEmail
from tests.cases.conftest import (  # noqa: F401 - the same cast
    PERSON,
    Ngo,
    Public,
    catalogue,
    frozen,
    ngo_a,
    ngo_b,
    private_root,
    public,
    staff,
)


@pytest.fixture(autouse=True)
def reply_domain(settings):
    settings.DSAR_MAIL_REPLY_DOMAIN = "mail.dsar.test"
    settings.DEFAULT_FROM_EMAIL = "dsar <noreply@dsar.test>"
    return settings.DSAR_MAIL_REPLY_DOMAIN


@dataclass
class Sent:
    request: Request
    outgoing: OutgoingEmail
    token: str
    message_id: str


def send_by_email(request: Request, user: object = None) -> Sent:
    """Confirm and send `request` by email the way the pages and the task do."""
    digest = services.text_digest(services.email_text(request))
    outgoing = services.outgoing_confirm(request=request, digest=digest, user=user)
    services.outgoing_send(outgoing_id=outgoing.pk)
    outgoing.refresh_from_db()
    request.refresh_from_db()
    return Sent(request, outgoing, services.reply_token(outgoing.pk), outgoing.message_id)


@pytest.fixture
def sent(public: Public, frozen) -> Sent:  # noqa: F811
    return send_by_email(public.request)
