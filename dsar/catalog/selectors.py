"""Reads of the catalogue. Views, the wizard and the letters builders call these."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from dsar.catalog.eligibility import Match, Rule, evaluate
from dsar.catalog.models import (
    AuthorityScope,
    Dataset,
    DatasetUse,
    Derivative,
    EligibilityOutcome,
    EligibilityQuestion,
    Establishment,
    LawRegime,
    Organisation,
    Source,
    SupervisoryAuthority,
    UseRole,
    country_code,
    localized,
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


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.annotate(dataset_total=Count("dataset_uses__dataset", distinct=True)).order_by("name")


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


@dataclass(frozen=True)
class Addressee:
    """The entity a letter to `organisation` goes to, as letters and the clock read it.

    `name` and `address` are what a letter prints (never research notes); `address` is "" when
    no postal address is known (`has_postal_address`: the flow offers another channel).
    `country`/`subdivision` decide the holidays of the clock; `law_regime` (a
    dsar.letters.law RegimeCode) and `gdpr_also_applies` decide the law. When the catalogue
    knows an Art. 27 representative of a controller outside the Union, the letter goes to it:
    `is_representative` is True and `represents` names the controller."""

    name: str
    address: str
    country: str
    subdivision: str
    law_regime: str
    gdpr_also_applies: bool
    establishment: str
    is_representative: bool = False
    represents: str = ""
    email: str = ""

    @property
    def region(self) -> str:
        """The clock's region: "DE-BY", "GB-SCT", or the country alone ("IE"); "" if unknown."""
        return self.subdivision or self.country

    @property
    def has_postal_address(self) -> bool:
        return bool(self.address.strip())


def letter_addressee(organisation: Organisation) -> Addressee:
    """Who a letter to `organisation` is addressed to, with the country, law and holidays that
    follow from that entity (not from the group's head office, not from the person)."""
    regime = organisation.law_regime or LawRegime.THIRD_COUNTRY
    legal_name = organisation.legal_name or organisation.name
    if organisation.writes_to_representative:
        return Addressee(
            name=organisation.representative_name,
            address=organisation.representative_address,
            country=country_code(organisation.representative_country),
            subdivision="",
            law_regime=regime,
            gdpr_also_applies=False,
            establishment=organisation.establishment,
            is_representative=True,
            represents=legal_name,
            email=organisation.representative_email,
        )
    return Addressee(
        name=legal_name,
        address=organisation.postal_address,
        country=country_code(organisation.country),
        subdivision=organisation.subdivision,
        law_regime=regime,
        gdpr_also_applies=organisation.gdpr_also_applies,
        establishment=organisation.establishment,
        email=organisation.email,
    )


class AuthorityBasis:
    """Why an authority is the competent one for an addressee (codes letters can word)."""

    LEAD = "lead"  # Art. 56(1): the authority of the (main) establishment in the EU/EEA
    ICO = "ico"  # UK GDPR: the Information Commissioner
    FDPIC = "fdpic"  # revised FADP: the Federal Data Protection and Information Commissioner
    RESIDENCE = "residence"  # no EU establishment, no one-stop shop: the person's own authority


@dataclass(frozen=True)
class CompetentAuthority:
    authority: SupervisoryAuthority
    basis: str  # an AuthorityBasis code


_OWN_AUTHORITY = {
    Establishment.EU: AuthorityBasis.LEAD,
    Establishment.EU_ENTITY: AuthorityBasis.LEAD,
    Establishment.UK: AuthorityBasis.ICO,
    Establishment.CH: AuthorityBasis.FDPIC,
}


def authority_for_addressee(
    organisation: Organisation, *, residence_country: str = "", residence_region: str = ""
) -> CompetentAuthority | None:
    """The supervisory authority competent for `organisation`'s addressee.

    An EU/EEA entity: its own country's authority (Art. 56(1); in Germany the Land authority of
    its subdivision that supervises companies). A UK entity: the ICO; a Swiss one: the FDPIC.
    A controller outside the Union (with or without an Art. 27 representative, which is not an
    establishment): no one-stop shop, so the authority of the person's residence. Art. 77(1)
    lets a person complain to the authority of their residence in every case; this names the
    authority that supervises the addressee. None when the catalogue has no such authority.
    """
    basis = _OWN_AUTHORITY.get(Establishment(organisation.establishment)) if organisation.establishment else None
    if basis is not None:
        found = authority_for_residence(country_code(organisation.country), organisation.subdivision)
        return CompetentAuthority(found, basis) if found else None
    if not residence_country:
        return None
    found = authority_for_residence(residence_country, residence_region)
    return CompetentAuthority(found, AuthorityBasis.RESIDENCE) if found else None


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


def eligibility_rules(language: str | None = None) -> list[Rule]:
    """The eligibility outcomes as plain rules, reasons in `language` (default: the active one)."""
    outcomes = EligibilityOutcome.objects.select_related("question", "dataset").order_by(
        "question__position", "question__slug", "dataset__name"
    )
    return [
        Rule(
            question=o.question.slug, answer=o.answer, dataset=o.dataset.slug,
            dataset_name=o.dataset.name, strength=o.strength,
            reason=localized(o.reasons, language),
        )
        for o in outcomes
    ]


@dataclass
class DatasetResult:
    """One matched dataset for the result page: why, how sure, and who published or used it."""

    dataset: Dataset
    strength: str
    reasons: list[str]
    questions: list[str]
    publishers: list[DatasetUse]
    users: list[DatasetUse]


def eligibility_result(
    answers: Mapping[str, object], *, language: str | None = None
) -> list[DatasetResult]:
    """Evaluate `answers` ({question slug: "yes"/"no" or bool}) against the catalogue.

    Each result carries the dataset (with publisher, derivatives and sources prefetched) and its
    organisations with the evidence (`basis`, `list_based`, sources) and contact quality.
    """
    matches: list[Match] = evaluate(answers, eligibility_rules(language))
    if not matches:
        return []
    slugs = [m.dataset for m in matches]
    uses = Prefetch(
        "uses",
        queryset=DatasetUse.objects.select_related("organisation")
        .prefetch_related(_sources())
        .order_by("role", "organisation__name"),
    )
    datasets = {
        d.slug: d
        for d in Dataset.objects.filter(slug__in=slugs)
        .select_related("publisher")
        .prefetch_related(_sources(), uses, "derivatives")
    }
    results = []
    for match in matches:
        dataset = datasets[match.dataset]
        all_uses = list(dataset.uses.all())
        results.append(DatasetResult(
            dataset=dataset, strength=match.strength, reasons=match.reasons,
            questions=match.questions,
            publishers=[u for u in all_uses if u.role == UseRole.PUBLISHER],
            users=[u for u in all_uses if u.role != UseRole.PUBLISHER],
        ))
    return results
