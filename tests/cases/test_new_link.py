""""Lost your link?": a new secret link for a public case, to the address it is tracked at, with
a page that answers alike whether the reference and address matched."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from dsar.cases.models import Case

SENT = "If this reference belongs to a case tracked at this address, a new link is on its way there."


def _ask(client, reference: str, email: str, capture):
    with capture(execute=True):
        return client.post(reverse("cases:new_link"), {"reference": reference, "email": email}, follow=True)


def test_it_mails_a_new_link_and_the_old_one_stops_working(client, public, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    response = _ask(client, public.case.reference.lower(), " Zofia@Example.NET ", django_capture_on_commit_callbacks)

    assert response.status_code == 200 and SENT in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["zofia@example.net"] and public.case.reference in message.subject
    link = next(line for line in message.body.splitlines() if "/track/confirm/" in line)
    old = client.get(reverse("cases:case", kwargs={"token": public.token}))
    assert old.status_code == 404
    opened = client.get(link.split("127.0.0.1:8000")[1], follow=True)
    assert opened.status_code == 200 and public.case.reference in opened.content.decode()
    assert Case.objects.get(pk=public.case.pk).email_confirmed_at is not None


@pytest.mark.parametrize("which", ["wrong address", "unknown reference", "team case"])
def test_it_sends_nothing_and_says_the_same_when_they_do_not_match(
    client, public, ngo_a, django_capture_on_commit_callbacks, which
):
    reference, email = {
        "wrong address": (public.case.reference, "someone@example.net"),
        "unknown reference": ("DSAR-0000-0000", "zofia@example.net"),
        "team case": (ngo_a.case.reference, "zofia@example.net"),
    }[which]
    ngo_a.case.tracking_email = "zofia@example.net"  # even then: team cases have no public link
    ngo_a.case.save(update_fields=["tracking_email"])
    mail.outbox.clear()
    response = _ask(client, reference, email, django_capture_on_commit_callbacks)

    assert response.status_code == 200 and SENT in response.content.decode()
    assert mail.outbox == []
    assert not Case.objects.get(pk=ngo_a.case.pk).access_token_hash
    assert client.get(reverse("cases:case", kwargs={"token": public.token})).status_code == 200


def test_it_keeps_what_was_typed_and_names_the_bad_field(client, public):
    response = client.post(reverse("cases:new_link"), {"reference": public.case.reference, "email": "not-an-address"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid email address." in page and public.case.reference in page


def test_it_allows_only_a_few_requests_an_hour_per_address(client, public, settings, django_capture_on_commit_callbacks):
    settings.DSAR_NEW_LINK_RATE = "2/h"
    settings.RATELIMIT_ENABLE = True
    for _ in range(2):
        _ask(client, public.case.reference, "x@example.net", django_capture_on_commit_callbacks)
    response = client.post(reverse("cases:new_link"), {"reference": public.case.reference, "email": "x@example.net"})

    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()


def test_a_public_reminder_says_where_to_get_a_new_link(public) -> None:
    from dsar.cases.reminders import Reminder, reminder_email

    body = reminder_email(public.request, Reminder.OVERDUE, ["zofia@example.net"]).body
    assert "/track/new-link/" in body


def test_every_page_links_to_it(client, db) -> None:
    assert reverse("cases:new_link") in client.get("/").content.decode()
    page = client.get(reverse("cases:new_link"))
    assert page.status_code == 200 and "Lost your link?" in page.content.decode()
