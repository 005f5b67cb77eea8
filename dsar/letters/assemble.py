"""The one letter assembler: (addressee, kind, language, datasets, person or team, dates,
reference) -> the letters' plain data (`LetterData`, one per letter).

Every letter dsar produces is made here: the wizard's preview and downloads
(dsar.wizard.documents), tracked and casework requests, follow-ups and complaints
(dsar.cases.letters), bulk batches and their mandates (dsar.casework), the demo command.
Callers are thin adapters: they map their own models or session data to `LetterSpec` and call
`assemble`; nothing else in the code base decides what a letter says. So the letter a person
sends is the letter they previewed.

Public API (stable; other apps build on it):

- `Sender(name, address, country, email, phone, other_names)`: the data subject as typed or
  stored (address as multi-line text, country as ISO code, phone in any parseable form);
  the assembler formats it for the letter's language.
- `team_ngo(name, address, email, ...) -> Ngo`; `NgoIncomplete`, `NGO_INCOMPLETE`: a team
  acting under Art. 80(1) needs its postal address and a contact before a letter names it.
- `LetterSpec(kind, organisation, datasets, details, sender, reference, letter_date,
  due_date, ...)`: one request. `kind` is a request kind: "access", "erasure",
  "access_erasure" (two letters), "followup", "complaint", "mandate".
- `assemble(spec) -> tuple[LetterData, ...]`: the letters of that request, in order.
- `letter_kinds(kind) -> tuple[str, ...]`: which letters a request kind produces.
- `letter_language(organisation, chosen) -> str`: the chosen language, else the addressee's.
- `datasets_for(organisation, datasets) -> list[(Dataset, role)]`: the datasets this
  addressee published, used or hosts a derivative of (catalogue `DatasetUse`); a letter
  names those only (never another dataset of the same person).
- `organisation_regime(organisation) -> LawRegime`: the law of the entity written to.
- `authority_party(authority) -> Authority`; `recipient_for_organisation(organisation)`.
- `render_steps(steps, language) -> tuple[str, ...]`: deadline steps (cases.deadlines
  `Phrase`s or anything with the same `render(gettext, format_date)`) in the letter's
  language, dates in its format.

Due dates are the caller's (dsar.cases.deadlines): this app sits below cases and never
imports it.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import phonenumbers
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from dsar.catalog.models import (
    Dataset,
    DatasetUse,
    Organisation,
    SupervisoryAuthority,
    country_code,
)
from dsar.catalog.selectors import letter_addressee
from dsar.letters.data import (
    LANGUAGES,
    Authority,
    DatasetRef,
    LetterData,
    Ngo,
    OriginalRequest,
    Person,
    Recipient,
    Role,
)
from dsar.letters.law import LawRegime, regime, regime_for_country
from dsar.letters.phrases import format_date, phrases

# Which letters one request kind produces: access + erasure is two letters, each complete.
LETTER_KINDS: dict[str, tuple[str, ...]] = {
    "access": ("access",),
    "erasure": ("erasure",),
    "access_erasure": ("access", "erasure"),
    "followup": ("followup",),
    "complaint": ("complaint",),
    "mandate": ("mandate",),
    "rebuttal": ("rebuttal",),
}
UNKNOWN_KIND = "unknown request kind {kind!r}"
NGO_INCOMPLETE = _(
    "The team's postal address and a contact (email or phone) are needed before a letter can name "
    "the team as representative. A coordinator can fill them in the team settings."
)
NO_ORGANISATION = "a {kind} letter needs the organisation it is addressed to (or complains about)"
NO_AUTHORITY = "a complaint needs the authority it is addressed to"

# Special categories a dataset reveals beyond the face itself (Art. 9 GDPR): said carefully in
# the letter (presenters.SENSITIVE_WORDS). Sources: the datasets' records in
# ../shared/catalog (HRT Transgender: videos of people documenting their gender transition;
# IBM DiF: "diversity" annotations including skin colour and craniofacial measurements).
SENSITIVE_DATASETS: dict[str, tuple[str, ...]] = {
    "hrt-transgender": ("gender_identity", "health"),
    "ibm-dif": ("ethnicity",),
}

ROLE_ORDER: tuple[Role, ...] = ("publisher", "derivative_host", "user")


class NgoIncomplete(ValueError):
    """A team without a postal address or contact cannot be named as representative."""


class Step(Protocol):
    """A deadline step (cases.deadlines.Phrase): rendered in the letter's language."""

    def render(self, gettext: Callable[[str], str] = ..., format_date: Callable[[date], str] = ...) -> str: ...


@dataclass(frozen=True)
class Sender:
    """The data subject as typed (wizard) or stored (cases): the assembler formats it."""

    name: str
    address: str = ""  # multi-line, as typed, without the country
    country: str = ""  # ISO 3166-1 alpha-2; printed as the country's name in the letter's language
    email: str = ""
    phone: str = ""  # any form phonenumbers parses (E.164 as stored, international as typed)
    other_names: str = ""  # one per line, or separated by commas or semicolons


@dataclass(frozen=True)
class LetterSpec:
    """One request, in the plain terms every adapter can give.

    `organisation` is the addressee (for a complaint: the controller complained about; for a
    mandate: unused). `datasets` are all of the person's datasets in the case: each letter keeps
    only those of its addressee. `details` maps dataset slug -> IdentifyingDetail key -> value.
    """

    kind: str
    organisation: Organisation | None
    datasets: Sequence[Dataset]
    sender: Sender
    reference: str
    letter_date: date
    due_date: date
    details: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    language: str = ""  # "" or "auto": the organisation's letter language
    ngo: Ngo | None = None
    authority: SupervisoryAuthority | None = None
    original: OriginalRequest | None = None
    due_steps: Sequence[Step] = ()
    extended: bool = False
    place: str = ""
    scope_organisations: tuple[str, ...] = ()
    mandate_until: date | None = None
    enclosures: tuple[str, ...] = ()
    # Rebuttal: the refusal it answers (letters.data.GROUNDS); `original` is the refused request.
    ground: str = ""


def letter_kinds(kind: str) -> tuple[str, ...]:
    if kind not in LETTER_KINDS:
        raise ValueError(UNKNOWN_KIND.format(kind=kind))
    return LETTER_KINDS[kind]


def assemble(spec: LetterSpec) -> tuple[LetterData, ...]:
    """The letters of one request (two for access + erasure), ready for render_pdf/email_for.

    1. language and law from the addressee; 2. the addressee's datasets only, with only the
    details each needs; 3. parties; 4. one LetterData per letter kind."""
    kinds = letter_kinds(spec.kind)
    organisation = spec.organisation
    if organisation is None and spec.kind != "mandate":
        raise ValueError(NO_ORGANISATION.format(kind=spec.kind))
    language = letter_language(organisation, spec.language)
    law = organisation_regime(organisation) if organisation is not None else regime("gdpr")
    if spec.kind == "mandate":
        refs = tuple(dataset_ref(d, language=language, details=spec.details.get(d.slug, {}))
                     for d in spec.datasets)
    else:
        assert organisation is not None
        refs = tuple(dataset_ref(d, language=language, details=spec.details.get(d.slug, {}), role=role)
                     for d, role in datasets_for(organisation, spec.datasets))
    if spec.ngo is not None:
        check_ngo(spec.ngo)
    recipient, controller = _parties(spec, organisation, law)
    return tuple(
        LetterData(
            kind=kind,  # type: ignore[arg-type]
            language=language,
            reference=spec.reference,
            letter_date=spec.letter_date,
            due_date=spec.due_date,
            person=person(spec.sender, language),
            recipient=recipient,
            datasets=refs,
            law=law.code,
            gdpr_also_applies=law.gdpr_also_applies,
            original=spec.original,
            controller=controller,
            authority=authority_party(spec.authority) if spec.authority is not None else None,
            ngo=spec.ngo,
            scope_organisations=spec.scope_organisations,
            mandate_until=spec.mandate_until,
            enclosures=spec.enclosures,
            due_steps=render_steps(spec.due_steps, language),
            extended=spec.extended,
            place=spec.place,
            ground=spec.ground,
        )
        for kind in kinds
    )


def _parties(spec: LetterSpec, organisation: Organisation | None,
             law: LawRegime) -> tuple[Recipient, Recipient | None]:
    if spec.kind == "complaint":
        if spec.authority is None:
            raise ValueError(NO_AUTHORITY)
        assert organisation is not None
        return recipient_for_authority(spec.authority), recipient_for_organisation(organisation)
    if spec.kind == "mandate":
        ngo = spec.ngo
        if ngo is None:
            raise ValueError("a mandate needs the NGO that is authorised")
        return Recipient(name=ngo.name, address_lines=ngo.address_lines, email=ngo.email), None
    assert organisation is not None
    return recipient_for_organisation(organisation, law=law), None



# --- language and law ------------------------------------------------------------------------


def letter_language(organisation: Organisation | None, chosen: str) -> str:
    """The chosen language; with none ("", "auto") the organisation's letter language; else en."""
    if chosen in LANGUAGES:
        return chosen
    preferred = organisation.letter_language if organisation is not None else ""
    return preferred if preferred in LANGUAGES else "en"


def organisation_regime(organisation: Organisation) -> LawRegime:
    """The law of the entity written to: the catalogue's regime for it, else its country's."""
    code = organisation.law_regime or regime_for_country(country_code(organisation.country))
    return regime(code, gdpr_also_applies=organisation.gdpr_also_applies)


# --- datasets --------------------------------------------------------------------------------


def datasets_for(organisation: Organisation, datasets: Sequence[Dataset]) -> list[tuple[Dataset, Role]]:
    """The datasets among `datasets` that `organisation` published, used or hosts a derivative
    of, each with its strongest role (publisher > derivative host > user), in the given order.
    One query. A dataset the addressee has nothing to do with is never named to it: telling
    Microsoft that someone is in a set of trans people's videos would disclose exactly what the
    person wants erased."""
    roles: dict[int, set[str]] = {}
    for dataset_id, role in DatasetUse.objects.filter(
        organisation=organisation, dataset__in=[d.pk for d in datasets]
    ).values_list("dataset_id", "role"):
        roles.setdefault(dataset_id, set()).add(role)
    for dataset in datasets:
        if dataset.publisher_id == organisation.pk:
            roles.setdefault(dataset.pk, set()).add("publisher")
    return [(d, next(r for r in ROLE_ORDER if r in roles[d.pk])) for d in datasets if d.pk in roles]


def dataset_ref(
    dataset: Dataset,
    *,
    language: str,
    details: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    role: Role = "user",
) -> DatasetRef:
    """A dataset for a letter with the details it needs (its catalogue `identifying_details`),
    labelled in the letter's language; other and blank details are left out."""
    pairs = details.items() if isinstance(details, Mapping) else details
    needed = set(dataset.identifying_details or ())
    labelled = tuple(
        (phrases(language)["detail_labels"].get(key, key), _detail_value(value, language))
        for key, value in pairs
        if (not needed or key in needed) and _detail_value(value, language)
    )
    return DatasetRef(
        name=dataset.name,
        aliases=tuple(dataset.aliases),
        derivatives=tuple(d.name for d in dataset.derivatives.all()),
        identifying_details=labelled,
        role=role,
        # The year reads the same in every language; the exact day is on the dataset's page.
        withdrawn=str(dataset.withdrawn_on.year if dataset.withdrawn_on else dataset.withdrawn_year or ""),
        publisher=dataset.publisher.name if dataset.publisher else dataset.publisher_credit,
        sensitive=SENSITIVE_DATASETS.get(dataset.slug, ()),
        circulating=tuple(
            f"{d.name} ({d.where})" if d.where else d.name
            for d in dataset.derivatives.all() if d.still_circulating
        ),
    )


def _detail_value(value: object, language: str) -> str:
    if value is True or value in ("on", "True"):
        return phrases(language)["yes"]  # a checked box (the reference-photo offer), as a word
    if value is False or value is None:
        return ""
    return str(value).strip()


# --- parties ---------------------------------------------------------------------------------


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def person(sender: Sender, language: str) -> Person:
    """The person as the letter prints them: the country named in the letter's language, the
    phone in international format, other names split one by one."""
    address = list(_lines(sender.address))
    if sender.country:
        with translation.override(language):
            address.append(str(countries.name(sender.country) or sender.country))
    return Person(
        name=sender.name.strip(),
        address_lines=tuple(address),
        email=sender.email.strip(),
        phone=_phone(sender.phone),
        other_names=tuple(n.strip() for n in re.split(r"[\n,;]", sender.other_names or "") if n.strip()),
    )


def _phone(raw: str) -> str:
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        return raw.strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def check_ngo(ngo: Ngo) -> None:
    """A representative is named with its postal address and a contact (letter-requirements)."""
    if not ngo.address_lines or not (ngo.email or ngo.phone):
        raise NgoIncomplete(str(NGO_INCOMPLETE))


def team_ngo(*, name: str, address: str, email: str = "", phone: str = "", website: str = "",
             description: str = "", caseworker: str = "") -> Ngo:
    """A team's settings as the NGO of Art. 80(1); `check_ngo` (in `assemble`) refuses it
    while the address or contact is missing."""
    return Ngo(name=name, address_lines=_lines(address), email=email.strip(), phone=_phone(phone),
               website=website.strip(), description=description.strip(), caseworker=caseworker.strip())


def recipient_for_organisation(organisation: Organisation, *, law: LawRegime | None = None) -> Recipient:
    """The addressee: the entity the catalogue says a letter goes to (`letter_addressee`). A
    third-country controller whose Art. 27 representative the catalogue knows is written to
    through that representative (Art. 27(4)); the controller is named."""
    addressee = letter_addressee(organisation)
    return Recipient(
        name=organisation.name,
        legal_name=addressee.name,
        address_lines=_lines(addressee.address),
        email=organisation.email,
        webform=organisation.webform,
        country=addressee.country,
        language=organisation.letter_language,
        preferred_channel=organisation.preferred_channel,
        eu_representative=(),
        represented=addressee.represents,
    )


def authority_party(authority: SupervisoryAuthority) -> Authority:
    return Authority(
        name=authority.name,
        address_lines=_lines(authority.postal_address),
        email=authority.email,
        webform=authority.webform,
        country=country_code(authority.country),
        region=authority.region,
    )


def recipient_for_authority(authority: SupervisoryAuthority) -> Recipient:
    """An authority as the addressee of a complaint."""
    channel = "post" if authority.postal_address else ("webform" if authority.webform else "email")
    return Recipient(
        name=authority.name,
        address_lines=_lines(authority.postal_address),
        email=authority.email,
        webform=authority.webform,
        country=country_code(authority.country),
        preferred_channel=channel,
    )


# --- dates -----------------------------------------------------------------------------------


def render_steps(steps: Sequence[Step], language: str) -> tuple[str, ...]:
    """Deadline steps in the letter's language (not the page's), with its date format; the
    two parameters the clock words itself (a missing day such as "31 Feb", a holiday's name)
    are worded in the letter's language too."""
    if not steps:
        return ()
    with translation.override(language):
        return tuple(_localised(step, language).render(translation.gettext, lambda d: format_date(d, language))
                     for step in steps)


_MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _localised(step: Step, language: str) -> Step:
    code = getattr(step, "code", "")
    params = dict(getattr(step, "params", ()))
    if code == "month_clamped" and isinstance(params.get("missing"), str):
        day, _, month = str(params["missing"]).partition(" ")
        if month in _MONTH_ABBREVIATIONS and day.isdigit():
            params["missing"] = _day_and_month(int(day), _MONTH_ABBREVIATIONS.index(month) + 1, language)
    elif code == "holiday" and isinstance(params.get("day"), date):
        params["name"] = _holiday_name(params["day"], str(params.get("country", "")), language) or params["name"]
    else:
        return step
    return dataclasses.replace(step, params=tuple(params.items()))  # type: ignore[type-var]


def _day_and_month(day: int, month: int, language: str) -> str:
    """"31 February" / "31. Februar" / "31 février": a day that does not exist, so no year."""
    labels = phrases(language)
    return labels["day_month_format"].format(day=day, month=labels["months"][month - 1])


def _holiday_name(day: date, country: str, language: str) -> str:
    import holidays

    try:
        calendar = holidays.country_holidays(country.split("-")[0], years=day.year)
        wanted = next((code for code in calendar.supported_languages if code.split("_")[0] == language), None)
        if wanted is None:
            return ""
        return str(holidays.country_holidays(country.split("-")[0], years=day.year, language=wanted).get(day) or "")
    except (NotImplementedError, KeyError):
        return ""
