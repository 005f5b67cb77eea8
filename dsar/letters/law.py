"""The law a letter invokes, per addressee, as data.

Which law applies is decided by the entity written to (its country, whether it has an
establishment in the EU, whether it monitors people in the Union), never by the person. The
catalogue records that per organisation (owned by the catalogue); this module holds what each
regime *means* for a letter, and the templates and the assembler only read it: no
`if country == "GB"` branches spread across templates.

Regimes (`REGIMES`, keyed by `RegimeCode`):

- `gdpr`: an EU/EEA controller, or a non-EU controller with an EU establishment (Art. 3(1)).
- `uk_gdpr`: a UK controller: UK GDPR and the Data Protection Act 2018, the ICO, the
  "applicable time period" of Art. 12A UK GDPR; CJEU rulings after 2020 are persuasive only.
- `ch_fadp`: a Swiss controller: the revised Federal Act on Data Protection (in force
  1 September 2023), Art. 25 access, Art. 32 claims, 30 days (Art. 25(7) FADP, Art. 18 DSV),
  the FDPIC. Where the GDPR also applies through Art. 3(2), `regime("ch_fadp",
  gdpr_also_applies=True)` says both.
- `third_country`: a controller outside the EU/EEA, the UK and Switzerland with no EU
  establishment (US, China...): the GDPR applies through Art. 3(2)(b) (monitoring, as the
  authorities held for Clearview AI), the controller must have an Art. 27 representative,
  and the letter asks for it and goes to it where the catalogue knows one.

Public API:

- `LawRegime` (frozen): everything a template needs about a regime.
- `regime(code, *, gdpr_also_applies=False) -> LawRegime`; `REGIMES`.
- `regime_for_country(country) -> RegimeCode`: the default by the addressee's own country
  (GB, CH, EU/EEA, anything else); the catalogue may override it per organisation.
- `CLOCK_LAW[code]`: the law name `dsar.cases.deadlines` counts with ("gdpr", "uk_gdpr",
  "fadp"); a third-country controller answers under the GDPR's clock.

Sources: ../shared/legal/legal-facts.md sections 1(d), 1(g), 4(a)-(e).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

RegimeCode = Literal["gdpr", "uk_gdpr", "ch_fadp", "third_country"]
# The instrument the letter cites (its names per language are in templates/letters/<lang>/phrases.json).
Instrument = Literal["gdpr", "uk_gdpr", "ch_fadp"]
AuthorityKind = Literal["eu_dpa", "ico", "fdpic"]
# How the answer period is worded: GDPR one month (Art. 12(3)); UK "applicable time period"
# (Art. 12A: from the latest of request, ID, fee; clarification pauses it); FADP 30 days.
Period = Literal["one_month", "uk_applicable_period", "thirty_days"]
# CJEU case law: binding on EU law; persuasive for UK courts after 2020 and for Swiss law.
CaseLaw = Literal["binding", "persuasive"]
ClockLaw = Literal["gdpr", "uk_gdpr", "fadp"]

REGIME_CODES: tuple[str, ...] = ("gdpr", "uk_gdpr", "ch_fadp", "third_country")

# EU member states plus the EEA states (Iceland, Liechtenstein, Norway): the GDPR applies there.
EEA_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split()
)


@dataclass(frozen=True)
class Articles:
    """Article numbers as cited after "Art." in the instrument (without the instrument's name)."""

    access: str
    erasure: str
    objection: str
    restriction: str
    complaint: str  # the complaint (report) to the authority
    period: str  # the answer period
    special_data: str  # biometric and other sensitive data
    notice: str  # information when data were not obtained from the person
    representative: str  # the local representative of a foreign controller
    transfers: str  # data sent abroad


GDPR_ARTICLES = Articles(
    access="15", erasure="17", objection="21", restriction="18", complaint="77", period="12(3)",
    special_data="9", notice="14", representative="27", transfers="44-46",
)
UK_ARTICLES = replace(GDPR_ARTICLES, period="12(3) and 12A")
FADP_ARTICLES = Articles(
    access="25", erasure="32(2)(c)", objection="30(2)(b)", restriction="32(2)(a)", complaint="49",
    period="25(7)", special_data="5(c)", notice="19", representative="14", transfers="16",
)


@dataclass(frozen=True)
class LawRegime:
    """What one regime means for a letter. Templates read these fields; nothing else branches."""

    code: RegimeCode
    instrument: Instrument
    articles: Articles
    authority_kind: AuthorityKind
    period: Period
    period_days: int  # 0 for month-based periods
    case_law: CaseLaw
    # The GDPR applies in addition (a Swiss or UK controller monitoring people in the Union).
    gdpr_also_applies: bool = False
    # Why the GDPR reaches a controller outside the Union: "" (established there) or "3(2)(b)".
    territorial_basis: str = ""
    # The letter asks for the local representative (Art. 27 GDPR / Art. 27 UK GDPR / Art. 14 FADP).
    asks_representative: bool = False
    # Where "abroad" begins for the transfer question: "eu_eea", "uk", "ch".
    home_area: Literal["eu_eea", "uk", "ch"] = "eu_eea"
    # The UK's national act alongside the UK GDPR.
    national_act: str = ""

    @property
    def is_gdpr(self) -> bool:
        return self.instrument == "gdpr"

    @property
    def cites_gdpr(self) -> bool:
        """The letter's GDPR paragraphs apply: its own law, or alongside it through Art. 3(2)."""
        return self.instrument == "gdpr" or self.gdpr_also_applies

    @property
    def clock_law(self) -> ClockLaw:
        return CLOCK_LAW[self.code]


REGIMES: dict[str, LawRegime] = {
    "gdpr": LawRegime(
        code="gdpr", instrument="gdpr", articles=GDPR_ARTICLES, authority_kind="eu_dpa",
        period="one_month", period_days=0, case_law="binding",
    ),
    "uk_gdpr": LawRegime(
        code="uk_gdpr", instrument="uk_gdpr", articles=UK_ARTICLES, authority_kind="ico",
        period="uk_applicable_period", period_days=0, case_law="persuasive", home_area="uk",
        national_act="Data Protection Act 2018",
    ),
    "ch_fadp": LawRegime(
        code="ch_fadp", instrument="ch_fadp", articles=FADP_ARTICLES, authority_kind="fdpic",
        period="thirty_days", period_days=30, case_law="persuasive", home_area="ch",
    ),
    "third_country": LawRegime(
        code="third_country", instrument="gdpr", articles=GDPR_ARTICLES, authority_kind="eu_dpa",
        period="one_month", period_days=0, case_law="binding", gdpr_also_applies=False,
        territorial_basis="3(2)(b)", asks_representative=True,
    ),
}

CLOCK_LAW: dict[str, ClockLaw] = {
    "gdpr": "gdpr", "uk_gdpr": "uk_gdpr", "ch_fadp": "fadp", "third_country": "gdpr",
}

UNKNOWN_REGIME = "unknown law regime {code!r} (expected one of gdpr, uk_gdpr, ch_fadp, third_country)"


def regime(code: str, *, gdpr_also_applies: bool = False) -> LawRegime:
    """The regime `code`; `gdpr_also_applies` marks a UK or Swiss controller that the GDPR
    reaches as well (Art. 3(2)): the letter then cites both laws."""
    found = REGIMES.get(code)
    if found is None:
        raise ValueError(UNKNOWN_REGIME.format(code=code))
    if gdpr_also_applies and found.instrument != "gdpr":
        return replace(found, gdpr_also_applies=True, territorial_basis="3(2)(b)")
    return found


def regime_for_country(country: str) -> RegimeCode:
    """The default regime of an addressee established only in `country` (ISO 3166-1 alpha-2,
    or a subdivision such as "GB-SCT"): GB -> UK GDPR, CH -> FADP, EU/EEA -> GDPR, any other
    country -> third country (the GDPR through Art. 3(2)(b)). No country at all -> GDPR: a
    letter needs a law, and the catalogue's addressees without one are EU contacts."""
    code = (country or "").strip().upper().split("-")[0]
    if not code:
        return "gdpr"
    if code == "GB":
        return "uk_gdpr"
    if code == "CH":
        return "ch_fadp"
    if code in EEA_COUNTRIES:
        return "gdpr"
    return "third_country"
