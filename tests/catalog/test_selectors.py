from __future__ import annotations

import pytest

from dsar.catalog.selectors import authority_for_residence, uses_for_datasets

pytestmark = pytest.mark.django_db


def test_it_picks_the_land_authority_for_companies_in_bavaria():
    authority = authority_for_residence("DE", "DE-BY")

    assert authority.slug == "debaylda"
    assert authority.private_sector is True


def test_it_falls_back_to_the_federal_commissioner_without_a_land():
    assert authority_for_residence("de").slug == "debfdi"


def test_it_picks_the_national_authority_elsewhere():
    assert authority_for_residence("FR").slug == "frcnil"
    assert authority_for_residence("GB").slug == "gbico"
    assert authority_for_residence("US") is None


def test_it_lists_publishers_and_users_of_datasets():
    uses = list(uses_for_datasets(["brainwash"]))

    assert {u.role for u in uses} == {"publisher", "user"}
    assert all(u.sources.all() for u in uses)
