"""The fixed cast of the cases tests: a public person with a tracked case, two NGO teams with a
caseworker each (and a case each), and a staff user."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import time_machine

from dsar.cases import services
from dsar.cases.models import Case, Request, Team
from tests.cases.factories import (
    AuthorityFactory,
    DatasetFactory,
    DatasetUseFactory,
    MembershipFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)

PERSON: services.PersonData = {
    "name": "Zofia Quintero-Blackwood",
    "other_names": "Zosia Q.",
    "postal_address": "Lindenstraße 17\n10969 Berlin",
    "email": "zofia@example.net",
    "phone": "+49 30 1234567",
    "country": "DE",
    "region": "DE-BE",
    "identifying_details": {"duke-mtmc": {"presence": "west steps, 14 March 2014, 12:34, red umbrella"}},
}


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def frozen():
    """Monday 2 March 2026, noon in Berlin."""
    with time_machine.travel("2026-03-02 11:00:00+00:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def catalogue(db):
    duke = DatasetFactory(slug="duke-mtmc", name="DukeMTMC")
    org = OrganisationFactory(slug="acme-vision", name="Acme Vision", country="IE")
    DatasetUseFactory(dataset=duke, organisation=org)
    authority = AuthorityFactory(slug="berlin-dpa", name="Berliner Beauftragte", country="DE",
                                 region="DE-BE", scope="regional")
    return {"dataset": duke, "organisation": org, "authority": authority}


@dataclass
class Public:
    case: Case
    token: str
    request: Request


@pytest.fixture
def public(catalogue, django_capture_on_commit_callbacks) -> Public:
    with django_capture_on_commit_callbacks(execute=True):
        case, token = services.case_create_public(
            email="zofia@example.net", person=PERSON, datasets=["duke-mtmc"],
            requests=[{"organisation": "acme-vision", "kind": "access_erasure", "language": "en",
                       "channel": "email"}],
        )
    return Public(case=case, token=token, request=case.requests.get())


@dataclass
class Ngo:
    team: Team
    caseworker: object
    case: Case


def _ngo(slug: str, name: str) -> Ngo:
    team = TeamFactory(slug=slug)
    member = MembershipFactory(team=team, user=UserFactory(username=f"{slug}-worker"))
    case = services.case_create(subject_data={**PERSON, "name": name}, datasets=["duke-mtmc"],
                                requests=[{"organisation": "acme-vision", "kind": "access"}], team=team)
    return Ngo(team=team, caseworker=member.user, case=case)


@pytest.fixture
def ngo_a(catalogue) -> Ngo:
    return _ngo("campus-group", "Member of Team A")


@pytest.fixture
def ngo_b(catalogue) -> Ngo:
    return _ngo("journalists-union", "Member of Team B")


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True)
