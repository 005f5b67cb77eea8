"""The one access function, walked for every role (DESIGN.md, Safety)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from dsar.cases.access import access_case, cases_visible_to
from dsar.cases.models import Case


def test_it_opens_a_public_case_with_its_token(public):
    assert access_case(token=public.token) == public.case


def test_it_stores_only_the_hash_of_the_token(public):
    stored = Case.objects.get(pk=public.case.pk)

    assert public.token not in stored.access_token_hash
    assert len(stored.access_token_hash) == 64


def test_it_refuses_a_wrong_token(public):
    with pytest.raises(Http404):
        access_case(token=public.token[:-1] + ("A" if public.token[-1] != "A" else "B"))


def test_it_refuses_an_expired_token(public):
    Case.objects.filter(pk=public.case.pk).update(token_expires_at=timezone.now() - dt.timedelta(seconds=1))

    with pytest.raises(Http404):
        access_case(token=public.token)


def test_it_shows_a_team_case_to_its_caseworker(ngo_a):
    assert access_case(ngo_a.caseworker, case_id=ngo_a.case.pk) == ngo_a.case


def test_it_finds_a_team_case_by_reference(ngo_a):
    assert access_case(ngo_a.caseworker, reference=ngo_a.case.reference) == ngo_a.case


def test_it_hides_a_team_case_from_another_teams_caseworker(ngo_a, ngo_b):
    with pytest.raises(Http404):
        access_case(ngo_b.caseworker, case_id=ngo_a.case.pk)


def test_it_hides_a_public_case_from_caseworkers(public, ngo_a):
    with pytest.raises(Http404):
        access_case(ngo_a.caseworker, case_id=public.case.pk)


def test_it_hides_every_case_from_anonymous_users(ngo_a):
    with pytest.raises(Http404):
        access_case(AnonymousUser(), case_id=ngo_a.case.pk)


def test_it_hides_every_case_from_inactive_members(ngo_a):
    ngo_a.caseworker.is_active = False
    ngo_a.caseworker.save(update_fields=["is_active"])

    with pytest.raises(Http404):
        access_case(ngo_a.caseworker, case_id=ngo_a.case.pk)


def test_it_shows_every_case_to_staff(public, ngo_a, ngo_b, staff):
    assert access_case(staff, case_id=public.case.pk) == public.case
    assert access_case(staff, case_id=ngo_b.case.pk) == ngo_b.case


def test_it_requires_a_second_factor_when_the_team_does(ngo_a):
    ngo_a.team.require_otp = True
    ngo_a.team.save(update_fields=["require_otp"])

    with pytest.raises(Http404):
        access_case(ngo_a.caseworker, case_id=ngo_a.case.pk)
    ngo_a.caseworker.is_verified = lambda: True  # what django-otp's middleware sets after a code
    assert access_case(ngo_a.caseworker, case_id=ngo_a.case.pk) == ngo_a.case


def test_it_gives_404_for_a_case_that_does_not_exist(staff):
    with pytest.raises(Http404):
        access_case(staff, case_id=999_999)


def test_it_lists_only_the_teams_own_cases(public, ngo_a, ngo_b, staff):
    assert list(cases_visible_to(ngo_a.caseworker)) == [ngo_a.case]
    assert list(cases_visible_to(AnonymousUser())) == []
    assert set(cases_visible_to(staff)) == {public.case, ngo_a.case, ngo_b.case}
