"""Staff keep the catalogue in the Django admin: lists, filters, search and inline sources."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from dsar.catalog.models import Dataset, Organisation, SupervisoryAuthority

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("staff", "staff@example.org", "pw-unused")
    client.force_login(user)
    return client


def test_it_filters_organisations_by_contact_quality(staff_client):
    response = staff_client.get("/admin/catalog/organisation/", {"contact_quality__exact": "none"})

    assert response.status_code == 200
    shown = {o.pk for o in response.context["cl"].result_list}
    assert shown == set(Organisation.objects.filter(contact_quality="none").values_list("pk", flat=True))
    assert shown


def test_it_filters_organisations_without_confirmed_contact(staff_client):
    response = staff_client.get("/admin/catalog/organisation/", {"confirmed": "no"})

    shown = list(response.context["cl"].result_list)
    assert shown
    assert not any(o.has_confirmed_contact for o in shown)


def test_it_searches_datasets_and_filters_by_status(staff_client):
    response = staff_client.get("/admin/catalog/dataset/", {"status__exact": "withdrawn", "q": "duke"})

    assert [d.slug for d in response.context["cl"].result_list] == ["duke-mtmc"]


def test_it_filters_authorities_by_country(staff_client):
    response = staff_client.get("/admin/catalog/supervisoryauthority/", {"country__exact": "DE"})

    shown = list(response.context["cl"].result_list)
    assert len(shown) == SupervisoryAuthority.objects.filter(country="DE").count() > 16


def test_it_shows_sources_inline_on_a_dataset(staff_client):
    dataset = Dataset.objects.get(slug="brainwash")
    response = staff_client.get(f"/admin/catalog/dataset/{dataset.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "catalog-source-content_type-object_id-0-url" in html
    assert dataset.sources.first().url in html
