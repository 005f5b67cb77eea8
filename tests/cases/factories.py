"""Factories for the cases domain and the few catalogue rows it needs (shared with casework)."""
from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from dsar.cases.models import Team, TeamMembership
from dsar.catalog.models import Dataset, DatasetUse, Organisation, SupervisoryAuthority


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    postal_address = "Oranienstraße 25\n10999 Berlin\nGermany"
    contact_email = factory.Sequence(lambda n: f"cases@team-{n}.example")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamMembership.Role.CASEWORKER


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} Ltd")
    kind = "company"
    country = "IE"
    postal_address = "1 Example Street\nDublin 2"
    email = "privacy@example.org"
    preferred_channel = "email"
    letter_language = "en"
    contact_quality = "verified"
    origin = "own_research"


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"dataset-{n}")
    name = factory.Sequence(lambda n: f"Dataset {n}")
    publisher = factory.SubFactory(OrganisationFactory)
    publisher_credit = "A research group"
    status = "withdrawn"
    withdrawn_year = 2019


class DatasetUseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DatasetUse

    dataset = factory.SubFactory(DatasetFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "user"
    basis = "citation analysis"


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisoryAuthority
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"authority-{n}")
    name = factory.Sequence(lambda n: f"Data Protection Authority {n}")
    country = "DE"
    region = ""
    scope = "national"
    private_sector = True
    postal_address = "Authority Street 1\n10115 Berlin"
    email = "complaints@authority.example"
