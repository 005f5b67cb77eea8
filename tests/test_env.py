"""The typed settings helpers: good values parse, bad ones fail loudly, naming the variable."""
from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from dsar.env import envbool, envchoice, envint, envlist, envstr


def test_it_reads_a_boolean_in_the_usual_spellings():
    assert envbool("X", False, {"X": "Yes"}) is True
    assert envbool("X", True, {"X": "off"}) is False


def test_it_falls_back_to_the_default_when_unset():
    assert envbool("X", True, {}) is True
    assert envint("X", 7, {}) == 7
    assert envstr("X", "d", {}) == "d"
    assert envlist("X", ["a"], {}) == ["a"]


def test_it_rejects_a_bad_boolean_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match=r"DSAR_DEBUG='maybe' is not a boolean"):
        envbool("DSAR_DEBUG", False, {"DSAR_DEBUG": "maybe"})


def test_it_rejects_a_non_number():
    with pytest.raises(ImproperlyConfigured, match=r"DSAR_EMAIL_PORT='twenty-five' is not a whole number"):
        envint("DSAR_EMAIL_PORT", 25, {"DSAR_EMAIL_PORT": "twenty-five"})


def test_it_rejects_a_number_out_of_range():
    with pytest.raises(ImproperlyConfigured, match=r"DSAR_SESSION_HOURS=48 is above the maximum of 24"):
        envint("DSAR_SESSION_HOURS", 24, {"DSAR_SESSION_HOURS": "48"}, maximum=24)
    with pytest.raises(ImproperlyConfigured, match=r"below the minimum of 1"):
        envint("DSAR_SESSION_HOURS", 24, {"DSAR_SESSION_HOURS": "0"}, minimum=1)


def test_it_splits_a_list_and_drops_blanks():
    assert envlist("H", [], {"H": "a.example, ,b.example,"}) == ["a.example", "b.example"]


def test_it_rejects_a_value_outside_the_choices():
    with pytest.raises(ImproperlyConfigured, match=r"X='purple' must be one of: red, blue"):
        envchoice("X", "red", ("red", "blue"), {"X": "purple"})
