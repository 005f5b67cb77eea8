"""The caseworker queue: buckets, filters, search, sorting, paging, constant query count."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dsar.cases.models import Request
from dsar.casework import selectors, services
from dsar.casework.csvimport import SubjectRow
from tests.cases.factories import OrganisationFactory
from tests.casework.builders import bulk_requests

TODAY = dt.date(2026, 3, 2)


def make(cast, status, due, organisation=None):
    return Request.objects.create(case=cast.case_a, organisation=organisation or cast.request_a.organisation,
                                  kind="access", status=status, due_on=due)


@pytest.fixture
def worker(client, cast):
    client.force_login(cast.worker_a)
    return client


def refs(response):
    return [r.pk for r in response.context["page"]]


def test_it_puts_requests_in_the_right_buckets(worker, cast):
    overdue = make(cast, Request.Status.AWAITING, TODAY - dt.timedelta(days=1))
    marked = make(cast, Request.Status.OVERDUE, TODAY - dt.timedelta(days=9))
    soon = make(cast, Request.Status.EXTENDED, TODAY + dt.timedelta(days=7))
    later = make(cast, Request.Status.AWAITING, TODAY + dt.timedelta(days=8))
    assert refs(worker.get(reverse("casework:queue"), {"bucket": "overdue"})) == [marked.pk, overdue.pk]
    assert refs(worker.get(reverse("casework:queue"), {"bucket": "due_soon"})) == [soon.pk]
    awaiting = refs(worker.get(reverse("casework:queue"), {"bucket": "awaiting"}))
    assert set(awaiting) == {overdue.pk, soon.pk, later.pk}
    assert refs(worker.get(reverse("casework:queue"), {"bucket": "needs_action"})) == [cast.request_a.pk]


def test_it_counts_each_bucket(worker, cast):
    make(cast, Request.Status.AWAITING, TODAY - dt.timedelta(days=1))
    make(cast, Request.Status.AWAITING, TODAY + dt.timedelta(days=2))
    tabs = {key: n for key, _label, n in worker.get(reverse("casework:queue")).context["tabs"]}
    assert tabs == {"open": 3, "overdue": 1, "due_soon": 1, "awaiting": 2, "needs_action": 1}


def test_it_drops_a_request_from_needs_action_once_it_is_handled(worker, cast):
    from dsar.cases import services as case_services

    case_services.request_close(request=cast.request_a, on=TODAY)
    assert refs(worker.get(reverse("casework:queue"), {"bucket": "needs_action"})) == []


def test_it_filters_by_organisation_status_dataset_and_assignee(worker, cast, catalogue):
    other_org = OrganisationFactory()
    elsewhere = make(cast, Request.Status.AWAITING, TODAY, organisation=other_org)
    url = reverse("casework:queue")
    assert refs(worker.get(url, {"organisation": other_org.pk})) == [elsewhere.pk]
    assert refs(worker.get(url, {"status": "answered_partial"})) == [cast.request_a.pk]
    assert set(refs(worker.get(url, {"dataset": catalogue["dataset"].pk}))) == {cast.request_a.pk, elsewhere.pk}
    assert refs(worker.get(url, {"assignee": cast.worker_a.pk})) == []
    assert len(refs(worker.get(url, {"assignee": 0}))) == 2


def test_it_finds_a_case_by_part_of_its_reference(worker, cast):
    response = worker.get(reverse("casework:queue"), {"q": cast.case_a.reference[-4:].lower()})
    assert refs(response) == [cast.request_a.pk]


def test_it_finds_an_imported_person_by_their_exact_name_only(worker, cast, catalogue):
    batch = services.batch_import_subjects(team=cast.team_a, user=cast.worker_a, label="L",
                                           rows=[SubjectRow(line=2, name="Jana Nováková", email="j@example.cz")])
    services.batch_plan(batch=batch, datasets=[], organisations=[catalogue["organisation"]], kind="access",
                        language="en", mandate=False)
    url = reverse("casework:queue")
    found = refs(worker.get(url, {"q": "  jana   NOVÁKOVÁ "}))
    assert found == list(Request.objects.filter(batch_item__batch=batch).values_list("pk", flat=True))
    assert refs(worker.get(url, {"q": "Jana"})) == []


def test_it_does_not_find_another_teams_person_by_name(client, cast, catalogue):
    services.batch_import_subjects(team=cast.team_a, user=cast.worker_a, label="L",
                                   rows=[SubjectRow(line=2, name="Jana Nováková")])
    client.force_login(cast.worker_b)
    assert refs(client.get(reverse("casework:queue"), {"q": "Jana Nováková", "bucket": "open"})) == []


def test_it_sorts_by_due_date_both_ways(worker, cast):
    a = make(cast, Request.Status.AWAITING, TODAY + dt.timedelta(days=3))
    b = make(cast, Request.Status.AWAITING, TODAY + dt.timedelta(days=1))
    assert refs(worker.get(reverse("casework:queue"), {"bucket": "awaiting"})) == [b.pk, a.pk]
    assert refs(worker.get(reverse("casework:queue"), {"bucket": "awaiting", "sort": "-due"})) == [a.pk, b.pk]


def test_it_pages_the_queue_and_keeps_the_filters_in_the_links(worker, cast, catalogue):
    bulk_requests(cast.team_a, 150, organisations=[catalogue["organisation"]], datasets=[catalogue["dataset"]],
                  today=TODAY)
    response = worker.get(reverse("casework:queue"), {"bucket": "open", "page": 2})
    assert response.context["page"].number == 2 and len(response.context["page"]) == 25
    assert "bucket=open&amp;page=3" in response.content.decode()


def queue_queries(client, user) -> int:
    client.get(reverse("casework:queue"))  # the first visit records the caseworker's language
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("casework:queue"), {"bucket": "open"}).status_code == 200
    return len(queries)


def test_it_runs_the_same_number_of_queries_for_10_and_400_requests(client, cast, catalogue):
    client.force_login(cast.worker_a)
    kwargs = {"organisations": [catalogue["organisation"]], "datasets": [catalogue["dataset"]], "today": TODAY}
    bulk_requests(cast.team_a, 10, seed=1, **kwargs)
    small = queue_queries(client, cast.worker_a)
    bulk_requests(cast.team_a, 390, seed=2, **kwargs)
    assert queue_queries(client, cast.worker_a) == small


def test_it_answers_the_queue_in_a_fixed_number_of_queries(client, cast, catalogue, django_assert_num_queries):
    bulk_requests(cast.team_a, 200, organisations=[catalogue["organisation"]], datasets=[catalogue["dataset"]],
                  today=TODAY)
    client.force_login(cast.worker_a)
    client.get(reverse("casework:queue"))  # the first visit records the caseworker's language
    # session + user, the second-factor policy (devices, team), the form's choices (organisations,
    # datasets, assignees), the bucket counts, the page count and the page.
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get(reverse("casework:queue"), {"bucket": "open"})


QUEUE_QUERIES = 10


def test_it_counts_buckets_in_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.queue_counts(cast.worker_a, TODAY)


def test_it_speaks_german_at_the_german_address(worker, cast):
    response = worker.get("/de/casework/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Warteschlange" in body and "Antwort erfordert Handeln" in body


def test_it_assigns_a_case_to_a_team_member_from_the_case_page(worker, cast):
    page = worker.get(reverse("casework:case", args=[cast.case_a.pk])).content.decode()
    assert f'action="{reverse("casework:case_assign", args=[cast.case_a.pk])}"' in page
    response = worker.post(reverse("casework:case_assign", args=[cast.case_a.pk]), {"assignee": cast.coordinator_a.pk})
    assert response.status_code == 302
    cast.case_a.refresh_from_db()
    assert cast.case_a.assignee == cast.coordinator_a


def test_it_refuses_to_assign_a_case_to_someone_outside_the_team(worker, cast):
    response = worker.post(reverse("casework:case_assign", args=[cast.case_a.pk]), {"assignee": cast.worker_b.pk})
    assert response.status_code == 400 and "assignee" in response.context["assign_form"].errors
    cast.case_a.refresh_from_db()
    assert cast.case_a.assignee is None


def test_it_speaks_french_at_the_french_address(worker, cast):
    body = worker.get("/fr/casework/").content.decode()
    assert "File de travail" in body and "Réponse à traiter" in body


@pytest.mark.django_db
def test_it_reads_the_staff_queue_in_due_date_order_from_the_index():
    from tests.cases.factories import DatasetFactory, TeamFactory, UserFactory

    organisations = [OrganisationFactory() for _ in range(3)]
    datasets = [DatasetFactory(publisher=organisations[0])]
    bulk_requests(TeamFactory(), 400, organisations=organisations, datasets=datasets, today=TODAY)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    staff = UserFactory(is_staff=True)
    page = selectors.queue(staff, selectors.QueueFilters(), TODAY)[:25]
    plan = page.explain()
    assert "cases_request_due_id" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan  # read in order, not sorted
    rows = list(page)
    assert [(r.due_on, r.pk) for r in rows] == sorted((r.due_on, r.pk) for r in rows)
    assert all(r.status in Request.OPEN_STATUSES for r in rows)
