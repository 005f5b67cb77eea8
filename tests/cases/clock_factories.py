"""Factories for the reminder and sweep tests (requests at chosen points of their clock)."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from dsar.cases.models import Case, DataSubject, Request, Team, TeamMembership
from tests.cases import factories


class OrganisationFactory(factories.OrganisationFactory):
    """The shared organisation factory, seated in Germany (the sweep tests count German days)."""

    name = factory.Sequence(lambda n: f"Example Labs {n}")
    country = "DE"


class DataSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSubject

    name = "Erika Mustermann"
    postal_address = "Heidestrasse 17\n51147 Koeln"
    country = "DE"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    data_subject = factory.SubFactory(DataSubjectFactory)
    tracking_email = "erika@example.org"
    email_confirmed_at = factory.LazyFunction(timezone.now)


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = Request.Kind.ACCESS
    channel = Request.Channel.EMAIL
    status = Request.Status.AWAITING
    sent_on = dt.date(2026, 2, 2)
    received_on = dt.date(2026, 2, 2)
    due_on = dt.date(2026, 3, 2)


def team_with(role: str, email: str) -> tuple[Team, object]:
    team = Team.objects.create(name=f"Team {email}", slug=email.split("@")[0])
    user = get_user_model().objects.create_user(username=email, email=email)
    TeamMembership.objects.create(team=team, user=user, role=role)
    return team, user
