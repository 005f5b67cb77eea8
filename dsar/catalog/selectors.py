"""Reads of the catalogue. Views, the wizard and the letters builders call these."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from dsar.catalog.models import (
    AuthorityScope,
    Dataset,
    DatasetUse,
    Derivative,
    EligibilityOutcome,
    EligibilityQuestion,
    Organisation,
    Source,
    SupervisoryAuthority,
)


def _sources() -> Prefetch:
    return Prefetch("sources", queryset=Source.objects.order_by("position", "id"))


def dataset_list() -> QuerySet[Dataset]:
    return Dataset.objects.select_related("publisher").order_by("name")


def dataset_detail(slug: str) -> QuerySet[Dataset]:
    """The dataset with everything its page shows, in a constant number of queries."""
    uses = DatasetUse.objects.select_related("organisation").prefetch_related(_sources())
    derivatives = Derivative.objects.prefetch_related(_sources())
    return Dataset.objects.filter(slug=slug).select_related("publisher").prefetch_related(
        _sources(),
        Prefetch("uses", queryset=uses.order_by("role", "organisation__name")),
        Prefetch("derivatives", queryset=derivatives.order_by("name")),
    )


def organisation_detail(slug: str) -> QuerySet[Organisation]:
    uses = DatasetUse.objects.select_related("dataset").prefetch_related(_sources())
    return Organisation.objects.filter(slug=slug).prefetch_related(
        _sources(), Prefetch("dataset_uses", queryset=uses.order_by("dataset__name", "role"))
    )


def authority_list() -> QuerySet[SupervisoryAuthority]:
    return SupervisoryAuthority.objects.prefetch_related(_sources()).order_by(
        "country", "scope", "region", "name"
    )


def authority_for_residence(country: str, region: str = "") -> SupervisoryAuthority | None:
    """The authority a resident of `country` (and German Land `region`, e.g. "DE-BY") complains to.

    In Germany the Land authority that supervises companies is competent for a resident's
    complaint about a company; without a Land the federal commissioner (BfDI) is returned.
    """
    country = country.upper()
    candidates = SupervisoryAuthority.objects.filter(country=country, private_sector=True)
    if region:
        regional = candidates.filter(region=region.upper(), scope=AuthorityScope.REGIONAL).first()
        if regional:
            return regional
    for scope in (AuthorityScope.NATIONAL, AuthorityScope.FEDERAL):
        found = candidates.filter(scope=scope).order_by("name").first()
        if found:
            return found
    return None


def uses_for_datasets(slugs: Iterable[str]) -> QuerySet[DatasetUse]:
    """Publishers and users of the given datasets, with the organisation and the sources."""
    return (
        DatasetUse.objects.filter(dataset__slug__in=list(slugs))
        .select_related("dataset", "organisation")
        .prefetch_related(_sources())
        .order_by("dataset__name", "role", "organisation__name")
    )


def questions_with_outcomes() -> QuerySet[EligibilityQuestion]:
    outcomes = EligibilityOutcome.objects.select_related("dataset")
    return EligibilityQuestion.objects.prefetch_related(
        Prefetch("outcomes", queryset=outcomes)
    ).order_by("position", "slug")


def catalogue_is_empty() -> bool:
    return not Dataset.objects.exists()
