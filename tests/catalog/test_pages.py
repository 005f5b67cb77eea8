"""The public catalogue pages."""
from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import reverse

from dsar.catalog.models import Dataset, Organisation, Source, SupervisoryAuthority

pytestmark = pytest.mark.django_db
EXTERNAL_LINK = re.compile(r'<a href="https?://[^"]+"([^>]*)>')
LOADED_RESOURCE = re.compile(r'<(?:script|img|link|iframe|source)\b[^>]*\b(?:src|href)="([^"]+)"')


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_all_sixteen_datasets(client):
    html = page(client, "/datasets/")

    for dataset in Dataset.objects.select_related("publisher"):
        assert reverse("catalog:dataset_detail", args=[dataset.slug]) in html
    assert html.count('<th scope="row">') == Dataset.objects.count() == 16
    assert "2020-06-29" in html  # Tiny Images, withdrawn on a known day


def test_a_dataset_page_shows_its_sources_and_known_users(client):
    dataset = Dataset.objects.get(slug="duke-mtmc")
    html = page(client, reverse("catalog:dataset_detail", args=[dataset.slug]))

    for source in dataset.sources.all():
        assert (source.url or source.note) in html.replace("&amp;", "&")
    for use in dataset.uses.select_related("organisation"):
        assert reverse("catalog:organisation_detail", args=[use.organisation.slug]) in html
    assert "not that the organisation still holds it" in html
    assert dataset.capture_time in html


def test_a_dataset_page_labels_unconfirmed_points(client):
    dataset = Dataset.objects.get(slug="duke-mtmc")
    html = page(client, reverse("catalog:dataset_detail", args=[dataset.slug]))

    assert dataset.unconfirmed
    assert "Unconfirmed" in html
    for point in dataset.unconfirmed:
        assert f'<li class="unconfirmed">{point}</li>' in html


def test_external_links_carry_rel_and_nothing_is_loaded_from_elsewhere(client):
    for url in ["/", "/datasets/", "/datasets/ms-celeb-1m/", "/organisations/microsoft/",
                "/authorities/"]:
        html = page(client, url)
        for rel in EXTERNAL_LINK.findall(html):
            assert 'rel="noopener noreferrer nofollow"' in rel, url
        for resource in LOADED_RESOURCE.findall(html):
            assert resource.startswith("/"), (url, resource)


def test_dataset_pages_use_a_constant_number_of_queries(client, django_assert_num_queries):
    ContentType.objects.get_for_model(Dataset)  # the content type cache is warm in production
    small, large = Dataset.objects.get(slug="lfw"), Dataset.objects.get(slug="ms-celeb-1m")
    assert large.uses.count() > small.uses.count() + 5

    with django_assert_num_queries(6):
        client.get(reverse("catalog:dataset_detail", args=[small.slug]))
    with django_assert_num_queries(6):
        client.get(reverse("catalog:dataset_detail", args=[large.slug]))


def test_an_unknown_dataset_is_not_found(client):
    assert client.get("/datasets/no-such-dataset/").status_code == 404


def test_an_organisation_page_shows_contact_quality_and_datasets(client):
    organisation = Organisation.objects.get(slug="microsoft")
    html = page(client, reverse("catalog:organisation_detail", args=[organisation.slug]))

    assert organisation.get_contact_quality_display() in html
    assert organisation.webform in html
    assert "companies/microsoft.json" in html  # provenance of the contact
    assert reverse("catalog:dataset_detail", args=["ms-celeb-1m"]) in html
    assert "No confirmed privacy contact" not in html


def test_an_organisation_without_confirmed_contact_says_so(client):
    organisation = Organisation.objects.get(slug="sensetime")
    html = page(client, reverse("catalog:organisation_detail", args=[organisation.slug]))

    assert organisation.has_confirmed_contact is False
    assert "No confirmed privacy contact" in html
    assert organisation.get_contact_quality_display() in html


def test_the_authorities_are_grouped_by_country(client):
    html = page(client, "/authorities/")

    germany = html.split('id="country-DE"')[1].split("<section")[0]
    france = html.split('id="country-FR"')[1].split("<section")[0]
    assert "Bayerisches Landesamt für Datenschutzaufsicht" in germany
    assert "(DE-BY)" in germany
    assert "CNIL" in france and "Bayerisches" not in france
    countries = SupervisoryAuthority.objects.values("country").distinct().count()
    assert html.count('<section class="mb-4" id="country-') == countries


def test_the_landing_page_leads_to_the_catalogue(client):
    html = page(client, "/")

    assert reverse("catalog:dataset_list") in html
    assert "16 datasets" in html


@override_settings(ROOT_URLCONF="tests.catalog.urls_with_wizard")
def test_the_landing_page_links_to_the_wizard_once_it_exists(client):
    html = page(client, "/")

    assert f'href="{reverse("wizard:start")}"' in html


def test_the_pages_are_in_german_under_de(client):
    html = page(client, "/de/datasets/")

    assert 'lang="de"' in html
    assert "Zurückgezogene" in html


def test_sources_on_a_page_match_the_stored_ones(client):
    organisation = Organisation.objects.get(slug="laion")
    html = page(client, reverse("catalog:organisation_detail", args=[organisation.slug]))

    stored = Source.objects.filter(
        content_type=ContentType.objects.get_for_model(Organisation), object_id=organisation.pk
    )
    assert stored.exists()
    for source in stored.exclude(url=""):
        assert source.url in html


def test_the_organisation_list_shows_every_organisation_in_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        html = page(client, reverse("catalog:organisation_list"))

    for organisation in Organisation.objects.all():
        assert reverse("catalog:organisation_detail", args=[organisation.slug]) in html


def test_an_organisation_page_shows_the_representative_letters_go_to(client):
    html = page(client, reverse("catalog:organisation_detail", args=["mit"]))

    assert "J-PAL Europe" in html
    assert "48 Boulevard Jourdan" in html
    assert "Letters are addressed to the representative." in html
    assert "GDPR through Art. 3(2)(b)" in html
