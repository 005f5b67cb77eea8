"""The fixed cast of the casework tests: two NGO teams (A with a caseworker and a coordinator,
B with a caseworker), a staff user, and one case per team with a letter and an answer scan."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dsar.cases import services as case_services
from dsar.cases.models import Case, Event, Request, Team, TeamMembership
from tests.cases.conftest import catalogue, frozen, private_root  # noqa: F401 - the same cast's basics
from tests.cases.factories import MembershipFactory, TeamFactory, UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def english():
    """A request to a /de/ page leaves German active in the thread (Django does not reset it):
    every casework test starts in English whatever ran before it."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """The staff dashboard caches its history; every test starts without it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class Cast:
    team_a: Team
    team_b: Team
    worker_a: Any
    coordinator_a: Any
    worker_b: Any
    staff: Any
    case_a: Case
    case_b: Case
    request_a: Request
    request_b: Request
    event_a: Event
    event_b: Event


def ngo_case(team: Team, name: str) -> tuple[Case, Request, Event]:
    case = case_services.case_create(
        subject_data={"name": name, "email": f"{name.split()[0].lower()}@example.net",
                      "postal_address": "Lindenstraße 17\n10969 Berlin", "country": "DE"},
        datasets=["duke-mtmc"], team=team,
        requests=[{"organisation": "acme-vision", "kind": "access", "language": "en", "channel": "email"}],
    )
    request = case.requests.get()
    case_services.request_mark_sent(request=request, sent_on=dt.date(2026, 2, 2), channel="email")
    case_services.request_log_answer(
        request=request, outcome="partial", on=dt.date(2026, 2, 20),
        upload=SimpleUploadedFile("answer.pdf", b"%PDF-1.4 answer", content_type="application/pdf"),
    )
    request.refresh_from_db()
    return case, request, case.events.exclude(attachment="").get()


@pytest.fixture
def cast(db, catalogue, frozen) -> Cast:  # noqa: F811 - fixtures are requested by name
    team_a = TeamFactory(name="Campus Privacy Group", slug="campus")
    team_b = TeamFactory(name="Journalists' Union", slug="union")
    worker_a = MembershipFactory(team=team_a, user=UserFactory(username="alice")).user
    coordinator_a = MembershipFactory(team=team_a, user=UserFactory(username="carol"),
                                      role=TeamMembership.Role.COORDINATOR).user
    worker_b = MembershipFactory(team=team_b, user=UserFactory(username="bob")).user
    staff = UserFactory(username="stella", is_staff=True)
    case_a, request_a, event_a = ngo_case(team_a, "Ada Quintero")
    case_b, request_b, event_b = ngo_case(team_b, "Bruno Okafor")
    return Cast(team_a, team_b, worker_a, coordinator_a, worker_b, staff, case_a, case_b, request_a, request_b,
                event_a, event_b)
