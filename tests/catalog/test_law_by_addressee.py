"""Law by addressee: the entity a letter goes to decides its country, subdivision, law,
authority and the holidays of the clock (dsar/catalog/models.py, selectors.letter_addressee
and authority_for_addressee), checked over the whole shipped catalogue."""
from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from dsar.cases.deadlines import due_date
from dsar.catalog.models import (
    EEA_COUNTRIES,
    REGIME_OF_ESTABLISHMENT,
    Establishment,
    Organisation,
)
from dsar.catalog.selectors import AuthorityBasis, authority_for_addressee, letter_addressee

D = dt.date.fromisoformat
# Research prose that must never reach the address block of a letter.
NOTE_MARKERS = re.compile(
    r"not verified|unconfirmed|confirmed|controller for|parent|group includes|branch\)|;|—|\d{9,}"
    r"|\(and |affiliates|registered association|register no",
    re.IGNORECASE,
)


@pytest.fixture
def catalogue(db) -> list[Organisation]:
    return list(Organisation.objects.all())


def test_every_organisation_has_a_consistent_establishment_law_and_country(catalogue):
    assert len(catalogue) == 69
    for organisation in catalogue:
        organisation.full_clean()  # the model's own rules: regime, country, subdivision
        assert organisation.establishment, organisation.slug
        assert organisation.law_regime == REGIME_OF_ESTABLISHMENT[organisation.establishment]
        country = organisation.country.code or ""
        if organisation.establishment in (Establishment.EU, Establishment.EU_ENTITY):
            assert country in EEA_COUNTRIES, organisation.slug
        if organisation.law_regime == "third_country":
            assert country not in EEA_COUNTRIES | {"GB", "CH"}, organisation.slug
        if organisation.subdivision:
            assert organisation.subdivision.startswith(f"{country}-"), organisation.slug


def test_every_addressee_has_a_clock_that_counts(catalogue):
    for organisation in catalogue:
        addressee = letter_addressee(organisation)
        if not addressee.region:
            assert organisation.establishment == Establishment.UNKNOWN, organisation.slug
            continue
        assert due_date(D("2026-03-02"), addressee.region).due is not None, organisation.slug


def test_letters_print_the_legal_name_and_address_only(catalogue):
    for organisation in catalogue:
        addressee = letter_addressee(organisation)
        for text in (addressee.name, addressee.address):
            assert not NOTE_MARKERS.search(text), (organisation.slug, text)
        first_line = addressee.address.split("\n")[0] if addressee.address else ""
        assert first_line != addressee.name, organisation.slug  # the name is printed once


def test_every_organisation_without_an_address_is_flagged(catalogue):
    missing = [o for o in catalogue if not letter_addressee(o).has_postal_address]
    assert missing  # several organisations have no known address
    for organisation in missing:
        assert any(point.startswith("postal address") for point in organisation.unconfirmed), (
            organisation.slug
        )


def test_it_addresses_microsoft_in_ireland_with_irish_holidays(db):
    microsoft = Organisation.objects.get(slug="microsoft")
    addressee = letter_addressee(microsoft)

    assert addressee.name == "Microsoft Ireland Operations Limited"
    assert addressee.country == "IE"
    assert addressee.region == "IE"
    assert addressee.law_regime == "gdpr"
    assert "Dublin 18" in addressee.address
    # 17 Mar is St Patrick's Day in Ireland, not in the US.
    assert due_date(D("2026-02-17"), addressee.region).due == D("2026-03-18")
    assert due_date(D("2026-02-17"), "US").due == D("2026-03-17")


def test_it_writes_to_mits_art_27_representative(db):
    addressee = letter_addressee(Organisation.objects.get(slug="mit"))

    assert addressee.is_representative
    assert addressee.name == "J-PAL Europe"
    assert addressee.represents == "Massachusetts Institute of Technology"
    assert addressee.country == "FR"
    assert addressee.law_regime == "third_country"
    assert "75014 Paris" in addressee.address


def test_it_counts_the_holidays_of_the_addressees_subdivision(db):
    siemens = letter_addressee(Organisation.objects.get(slug="siemens"))
    # Corpus Christi, Thu 4 Jun 2026: a holiday in Bavaria (Munich), not nationwide.
    assert siemens.region == "DE-BY"
    assert due_date(D("2026-05-04"), siemens.region).due == D("2026-06-05")


@pytest.mark.parametrize(
    ("slug", "authority", "basis"),
    [
        ("microsoft", "iedpc", AuthorityBasis.LEAD),
        ("siemens", "debaylda", AuthorityBasis.LEAD),  # the Bavarian authority for companies
        ("bosch", "debawueldb", AuthorityBasis.LEAD),
        ("university-of-oxford", "gbico", AuthorityBasis.ICO),
        ("epfl", "chedoeb", AuthorityBasis.FDPIC),
        ("megvii", "deberlbdi", AuthorityBasis.RESIDENCE),
        ("mit", "deberlbdi", AuthorityBasis.RESIDENCE),  # a representative is no establishment
    ],
)
def test_it_names_the_authority_competent_for_the_addressee(db, slug, authority, basis):
    found = authority_for_addressee(
        Organisation.objects.get(slug=slug), residence_country="DE", residence_region="DE-BE"
    )

    assert found is not None
    assert (found.authority.slug, found.basis) == (authority, basis)


def test_it_needs_the_residence_for_a_controller_outside_the_union(db):
    assert authority_for_addressee(Organisation.objects.get(slug="megvii")) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"establishment": "uk", "law_regime": "uk_gdpr", "country": "DE"}, "country"),
        ({"establishment": "eu", "law_regime": "uk_gdpr"}, "law_regime"),
        ({"subdivision": "DE-XX", "country": "DE"}, "subdivision"),
        ({"subdivision": "GB-SCT", "country": "DE"}, "subdivision"),
        ({"gdpr_also_applies": True}, "gdpr_also_applies"),
        ({"establishment": "representative", "law_regime": "third_country", "country": "US",
          "representative_name": "Rep"}, "representative_name"),
        ({"representative_name": "Someone", "representative_address": "1 Street"},
         "representative_name"),
    ],
    ids=["uk entity in DE", "eu with UK law", "unknown subdivision", "foreign subdivision",
         "GDPR also for an EU entity", "representative without address", "stray representative"],
)
def test_it_rejects_an_inconsistent_addressee(db, changes, field):
    organisation = Organisation.objects.get(slug="siemens")
    for name, value in changes.items():
        setattr(organisation, name, value)

    with pytest.raises(ValidationError) as raised:
        organisation.full_clean()

    assert field in raised.value.message_dict


def test_the_loader_names_file_record_and_field_of_a_bad_subdivision(db, catalog_dir, edit_catalog):
    def break_it(orgs):
        next(o for o in orgs if o["slug"] == "siemens")["subdivision"] = "DE-XX"

    edit_catalog("organisations.json", "organisations", break_it)

    with pytest.raises(CommandError) as raised:
        call_command("load_catalog", str(catalog_dir), stdout=StringIO())
    assert "organisations.json: record 'siemens': field 'subdivision'" in str(raised.value)
    assert Organisation.objects.get(slug="siemens").subdivision == "DE-BY"
