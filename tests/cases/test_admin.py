from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse

from dsar.cases import services
from dsar.cases.models import Case, Request
from tests.cases.factories import UserFactory

D = dt.date
CHANGELIST = "admin:cases_request_changelist"


@pytest.fixture
def admin_client_(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def two_requests(public, ngo_a, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")
    answered = ngo_a.case.requests.get()
    services.request_mark_sent(request=answered, sent_on=D(2026, 1, 5), channel="email")
    services.request_log_answer(request=answered, outcome="complete", on=D(2026, 1, 20))
    return public.request, answered


def test_it_lists_open_requests_by_default(admin_client_, two_requests):
    open_request, answered = two_requests

    response = admin_client_.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [open_request]


def test_it_lists_every_request_when_asked(admin_client_, two_requests):
    response = admin_client_.get(reverse(CHANGELIST), {"state": "all"})

    assert set(response.context["cl"].result_list) == set(two_requests)


def test_it_exports_the_selected_requests_as_csv(admin_client_, two_requests):
    ids = [str(r.pk) for r in two_requests]

    response = admin_client_.post(reverse(CHANGELIST) + "?state=all",
                                  {"action": "export_csv", "_selected_action": ids})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert {row["status"] for row in rows} == {"overdue", "answered_complete"}
    assert "Zofia" not in response.content.decode()


def test_it_runs_the_overdue_sweep_from_the_admin(admin_client_, public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")
    Request.objects.filter(pk=public.request.pk).update(status=Request.Status.AWAITING)
    Case.objects.filter(pk=public.case.pk).update(email_confirmed_at="2026-01-01T00:00:00Z")
    mail.outbox.clear()

    response = admin_client_.post(reverse(CHANGELIST), {"action": "run_overdue_sweep", "index": "0"})

    assert response.status_code == 302
    stored = Request.objects.get(pk=public.request.pk)
    assert stored.status == Request.Status.OVERDUE
    assert stored.reminder_overdue_sent_at is not None
    assert len(mail.outbox) == 1


def test_it_shows_no_personal_data_in_the_data_subject_list(admin_client_, public):
    response = admin_client_.get(reverse("admin:cases_datasubject_changelist"))

    assert response.status_code == 200
    assert "Quintero" not in response.content.decode()
    assert f"DataSubject #{public.case.data_subject_id}" in response.content.decode()


def test_it_shows_a_case_with_its_timeline_read_only(admin_client_, public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")

    response = admin_client_.get(reverse("admin:cases_case_change", args=[public.case.pk]))

    assert response.status_code == 200
    assert public.case.reference in response.content.decode()


def test_it_refuses_the_sweep_to_staff_without_change_permission(client, public, frozen):
    client.force_login(UserFactory(username="viewer", is_staff=True))

    response = client.post(reverse(CHANGELIST), {"action": "run_overdue_sweep", "index": "0"})

    assert response.status_code == 403


def test_it_neutralises_formulas_in_the_staff_export(admin_client_, two_requests):
    organisation = two_requests[0].organisation
    organisation.name = "=cmd|' /C calc'!A0"
    organisation.save(update_fields=["name"])

    response = admin_client_.post(reverse(CHANGELIST) + "?state=all",
                                  {"action": "export_csv", "_selected_action": [str(two_requests[0].pk)]})

    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["recipient"] == "'=cmd|' /C calc'!A0"
