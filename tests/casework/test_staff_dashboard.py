"""The staff deadline dashboard: figures computed in the database, constant query count."""
from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dsar.cases.models import Request
from dsar.casework import selectors, tasks
from tests.cases.factories import OrganisationFactory
from tests.casework.builders import bulk_requests

TODAY = dt.date(2026, 3, 2)


def answered(cast, org, received, took, due_in, outcome="complete"):
    return Request.objects.create(
        case=cast.case_a, organisation=org, kind="access", status=f"answered_{outcome}", outcome=outcome,
        received_on=received, answered_on=received + dt.timedelta(days=took),
        due_on=received + dt.timedelta(days=due_in),
    )


def test_it_computes_on_time_share_and_median_days_per_organisation(cast):
    org = OrganisationFactory(name="Median Corp")
    start = dt.date(2026, 1, 5)
    for took in (10, 20, 30, 45):  # due after 31 days: three on time, one late; median 25
        answered(cast, org, start, took, 31)
    Request.objects.create(case=cast.case_a, organisation=org, kind="access", status="awaiting",
                           due_on=TODAY + dt.timedelta(days=5))
    row = next(r for r in selectors.staff_dashboard(TODAY).organisations if r.name == "Median Corp")
    assert (row.requests, row.answered, row.on_time, row.on_time_percent, row.median_days) == (5, 4, 3, 75, 25.0)
    assert row.outcomes == {"complete": 4}


def test_it_takes_the_middle_value_for_an_odd_number_of_answers(cast):
    org = OrganisationFactory(name="Odd Corp")
    for took in (3, 50, 7):
        answered(cast, org, dt.date(2026, 1, 5), took, 31, outcome="refused")
    row = next(r for r in selectors.staff_dashboard(TODAY).organisations if r.name == "Odd Corp")
    assert row.median_days == 7 and row.outcome_items == [("Refused", 3)]


def test_it_counts_requests_by_status_and_deadlines_per_day(cast):
    Request.objects.create(case=cast.case_a, organisation=cast.request_a.organisation, kind="access",
                           status="awaiting", due_on=TODAY + dt.timedelta(days=3))
    Request.objects.create(case=cast.case_b, organisation=cast.request_a.organisation, kind="access",
                           status="extended", due_on=TODAY + dt.timedelta(days=3))
    Request.objects.create(case=cast.case_b, organisation=cast.request_a.organisation, kind="access",
                           status="awaiting", due_on=TODAY + dt.timedelta(days=31))
    board = selectors.staff_dashboard(TODAY)
    assert board.by_status == {"answered_partial": 2, "awaiting": 2, "extended": 1}
    assert len(board.next_days) == 31 and dict(board.next_days)[TODAY + dt.timedelta(days=3)] == 2
    assert sum(n for _d, n in board.next_days) == 2
    assert [r.due_on for r in board.upcoming] == [TODAY + dt.timedelta(days=3)] * 2


def test_it_counts_requests_and_outcomes_per_dataset(cast, catalogue):
    board = selectors.staff_dashboard(TODAY)
    assert [(d.name, d.requests, d.outcomes) for d in board.datasets] == [("DukeMTMC", 2, {"partial": 2})]


def test_it_draws_the_charts_as_inline_svg(client, cast):
    client.force_login(cast.staff)
    body = client.get(reverse("casework:staff_dashboard")).content.decode()
    assert body.count("<svg") == 3 and "Acme Vision" in body and "http://" not in body.split("<svg", 1)[1][:0]


def dashboard_queries(client) -> int:
    client.get(reverse("casework:staff_dashboard"))  # the first visit records the language
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("casework:staff_dashboard")).status_code == 200
    return len(queries)


def test_it_runs_the_same_number_of_queries_for_few_and_many_requests(client, cast, catalogue):
    client.force_login(cast.staff)
    orgs = [catalogue["organisation"], *(OrganisationFactory() for _ in range(5))]
    kwargs = {"organisations": orgs, "datasets": [catalogue["dataset"]], "today": TODAY}
    bulk_requests(cast.team_a, 10, seed=1, **kwargs)
    few = dashboard_queries(client)
    cache.delete(selectors.HISTORY_CACHE_KEY)  # not clear(): sessions live in the cache
    bulk_requests(cast.team_b, 500, seed=2, **kwargs)
    assert dashboard_queries(client) == few


def test_it_builds_the_figures_in_seven_queries_then_three_from_the_cache(cast, django_assert_num_queries):
    with django_assert_num_queries(7):
        selectors.staff_dashboard(TODAY)
    with django_assert_num_queries(3):
        board = selectors.staff_dashboard(TODAY)
    assert [r.name for r in board.organisations] == ["Acme Vision"]


def test_it_recomputes_the_history_after_its_time(cast, frozen, settings):
    selectors.staff_dashboard(TODAY)
    Request.objects.create(case=cast.case_a, organisation=OrganisationFactory(name="New Corp"), kind="access")
    assert "New Corp" not in [r.name for r in selectors.staff_dashboard(TODAY).organisations]
    frozen.shift(dt.timedelta(seconds=2 * settings.CASEWORK_DASHBOARD_HISTORY_SECONDS + 1))
    assert "New Corp" in [r.name for r in selectors.staff_dashboard(TODAY).organisations]


def test_it_refreshes_the_history_from_beat(cast, django_assert_num_queries):
    selectors.staff_dashboard(TODAY)
    Request.objects.create(case=cast.case_a, organisation=OrganisationFactory(name="New Corp"), kind="access")
    tasks.refresh_dashboard_history()
    with django_assert_num_queries(3):
        board = selectors.staff_dashboard(TODAY)
    assert "New Corp" in [r.name for r in board.organisations]
