"""Your details: only what the chosen letters need; every bad input gets a message next to its
field while everything else typed stays on the page."""
from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.wizard.forms import LAND_REQUIRED
from dsar.wizard.state import SESSION_KEY
from tests.wizard.helpers import (
    JOURNALIST_AT_DUKE,
    PERSON,
    answer_questions,
    choose,
    enter_details,
    field_errors,
    field_value,
)

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def at_details(client):
    answer_questions(client, JOURNALIST_AT_DUKE)
    choose(client, ["duke-university", "microsoft"])
    return client


def _kept(html: str, *, but: str) -> None:
    """Every other value typed is still in the re-rendered form."""
    for name in ("name", "email", "duke_mtmc_place", "profession", "address"):
        if name != but:
            assert field_value(html, name) == PERSON[name], name


def _not_stored(client) -> None:
    assert "details" not in _valid_steps(client)


def _valid_steps(client) -> list[str]:
    # Stored input is kept as typed (so it can be shown again); the review refuses it.
    response = client.get(reverse("wizard:review"))
    return [] if response.status_code == 302 else ["details"]


def test_it_asks_only_what_the_chosen_datasets_need(client):
    answer_questions(client, JOURNALIST_AT_DUKE)
    choose(client, ["duke-university"])
    fields = client.get(reverse("wizard:details")).context["form"].fields
    assert "duke_mtmc_date" in fields and "duke_mtmc_place" in fields
    assert "profession" not in fields and "flickr_account" not in fields


def test_it_asks_a_public_person_for_their_role(at_details):
    fields = at_details.get(reverse("wizard:details")).context["form"].fields
    assert fields["profession"].required
    assert "ms_celeb_1m_list_id" in fields


def test_it_proposes_the_recording_day_for_duke(at_details):
    text = at_details.get(reverse("wizard:details")).content.decode()
    assert field_value(text, "duke_mtmc_date") == "2014-03-14"


def test_it_reports_empty_required_fields_next_to_them(at_details):
    response = enter_details(at_details, name="", address="")
    text = response.content.decode()
    assert response.status_code == 200
    assert field_errors(text, "name") == ["This field is required."]
    assert field_errors(text, "address") == ["This field is required."]
    assert 'href="#id_name"' in text and 'href="#id_address"' in text
    assert field_value(text, "email") == PERSON["email"]
    assert field_value(text, "duke_mtmc_place") == PERSON["duke_mtmc_place"]
    _not_stored(at_details)


def test_it_rejects_a_phone_number_invalid_for_the_chosen_country(at_details):
    response = enter_details(at_details, phone="123")
    text = response.content.decode()
    errors = field_errors(text, "phone")
    assert errors and "valid phone number" in errors[0]
    assert 'href="#id_phone"' in text
    assert field_value(text, "phone") == "123"
    _kept(text, but="phone")
    _not_stored(at_details)


def test_it_reads_a_national_number_as_one_of_the_chosen_country(at_details):
    # 030 ... is a Berlin number: valid in Germany, and stored in international form.
    assert enter_details(at_details, phone="030 1234567").status_code == 302
    # The same digits are not a valid number in the United States.
    response = enter_details(at_details, phone="030 1234567", country="US", region="")
    assert field_errors(response.content.decode(), "phone")


def test_it_rejects_an_impossible_date(at_details):
    response = enter_details(at_details, duke_mtmc_date="2014-02-30")
    text = response.content.decode()
    assert field_errors(text, "duke_mtmc_date") == ["Enter a valid date."]
    assert 'href="#id_duke_mtmc_date"' in text
    assert field_value(text, "duke_mtmc_date") == "2014-02-30"
    _kept(text, but="duke_mtmc_date")


def test_it_rejects_a_date_in_the_future(at_details):
    response = enter_details(at_details, duke_mtmc_date="2999-01-01")
    assert "in the future" in field_errors(response.content.decode(), "duke_mtmc_date")[0]


def test_it_rejects_a_10000_character_field(at_details):
    response = enter_details(at_details, name="x" * 10_000)
    text = response.content.decode()
    assert field_errors(text, "name") == [
        "Ensure this value has at most 200 characters (it has 10000)."]
    _kept(text, but="name")


def test_it_rejects_10000_characters_in_a_long_text_field(at_details):
    response = enter_details(at_details, duke_mtmc_appearance="y" * 10_000)
    errors = field_errors(response.content.decode(), "duke_mtmc_appearance")
    assert errors == ["Ensure this value has at most 2000 characters (it has 10000)."]


def test_it_requires_a_land_for_someone_living_in_germany(at_details):
    response = enter_details(at_details, region="")
    assert field_errors(response.content.decode(), "region") == [str(LAND_REQUIRED)]


def test_it_rejects_a_web_address_that_is_not_one(at_details):
    response = enter_details(at_details, image_urls="https://example.org/a.jpg\nnot a url")
    errors = field_errors(response.content.decode(), "image_urls")
    assert errors == ["Line 2 is not a web address starting with http:// or https://."]


def test_it_keeps_the_details_in_the_session_only(at_details):
    assert enter_details(at_details).status_code == 302
    stored = at_details.session[SESSION_KEY]["steps"]["details"]
    assert stored["name"] == [PERSON["name"]]
    assert at_details.get(reverse("wizard:review")).status_code == 200
