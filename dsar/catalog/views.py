"""Public catalogue pages: what dsar does, the datasets, the organisations, the authorities."""
from __future__ import annotations

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from dsar.catalog import selectors
from dsar.catalog.models import AuthorityScope, Source

SCOPE_ORDER: list[str] = [AuthorityScope.NATIONAL, AuthorityScope.FEDERAL, AuthorityScope.REGIONAL,
               AuthorityScope.CHURCH, AuthorityScope.BROADCASTING]


def _sources_by_fact(sources: list[Source]) -> dict[str, list[Source]]:
    grouped: dict[str, list[Source]] = {}
    for source in sources:
        grouped.setdefault(source.supports or "general", []).append(source)
    return grouped


def _start_url() -> str | None:
    # The wizard app adds `wizard:start`; until it exists the landing page shows no button.
    try:
        return reverse("wizard:start")
    except NoReverseMatch:
        return None


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {"start_url": _start_url(), "dataset_count": selectors.dataset_list().count()}
    return render(request, "catalog/home.html", context)


@require_safe
def dataset_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/dataset_list.html", {"datasets": selectors.dataset_list()})


@require_safe
def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = selectors.dataset_detail(slug).first()
    if dataset is None:
        raise Http404("No such dataset")
    uses = list(dataset.uses.all())
    context = {
        "dataset": dataset,
        "sources": _sources_by_fact(list(dataset.sources.all())),
        "publishers": [u for u in uses if u.role == "publisher"],
        "users": [u for u in uses if u.role != "publisher"],
        "start_url": _start_url(),
    }
    return render(request, "catalog/dataset_detail.html", context)


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    context = {"organisations": selectors.organisation_list()}
    return render(request, "catalog/organisation_list.html", context)


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_detail(slug).first()
    if organisation is None:
        raise Http404("No such organisation")
    context = {
        "organisation": organisation,
        "sources": _sources_by_fact(list(organisation.sources.all())),
        "uses": list(organisation.dataset_uses.all()),
    }
    return render(request, "catalog/organisation_detail.html", context)


@require_safe
def authority_list(request: HttpRequest) -> HttpResponse:
    countries = [
        (country, sorted(authorities, key=lambda a: (SCOPE_ORDER.index(a.scope), a.region, a.name)))
        for country, authorities in groupby(selectors.authority_list(), key=lambda a: a.country)
    ]
    countries.sort(key=lambda pair: pair[0].name)
    return render(request, "catalog/authority_list.html", {"countries": countries})
