from __future__ import annotations

import logging

from django.core import mail

from dsar.cases import services
from dsar.cases.models import Case
from tests.cases.conftest import PERSON


def test_it_mails_the_secret_link_as_text_and_html(public):
    message = mail.outbox[0]

    assert message.to == ["zofia@example.net"]
    assert public.case.reference in message.subject
    assert f"/track/confirm/{public.token}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"/track/confirm/{public.token}/" in html
    assert Case.objects.get(pk=public.case.pk).email_confirmed_at is None


def test_it_mails_in_the_language_of_the_case(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, token = services.case_create_public(
            email="z@example.net", person=PERSON, datasets=[], requests=[], language="de"
        )

    assert f"/de/track/confirm/{token}/" in mail.outbox[0].body
    assert "Hallo" in mail.outbox[0].body


def test_it_sends_nothing_until_the_case_is_committed(catalogue):
    # Without the on-commit callbacks running (a rolled-back transaction), no mail leaves.
    services.case_create_public(email="z@example.net", person=PERSON, datasets=[], requests=[])

    assert mail.outbox == []


def test_it_logs_ids_but_no_personal_data(catalogue, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG, logger="dsar")
    with django_capture_on_commit_callbacks(execute=True):
        case, _token = services.case_create_public(
            email="zofia@example.net", person=PERSON, datasets=["duke-mtmc"],
            requests=[{"organisation": "acme-vision", "kind": "access"}],
        )

    logged = caplog.text
    assert f"case {case.pk}" in logged
    for secret in ("Zofia", "Quintero", "zofia@example.net", "Lindenstra", _token):
        assert secret not in logged


def test_it_says_how_long_an_unconfirmed_case_is_kept(public, settings):
    assert f"within {settings.DSAR_UNCONFIRMED_DAYS} days" in mail.outbox[0].body
