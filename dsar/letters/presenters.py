"""Presenters: the one object a letter template sees.

Everything a letter prints is prepared here, already formatted for the letter's language, and
every choice of which clause applies is made here (and unit-tested without rendering). The
templates hold the prose and only ask `{% if p.some_clause %}`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import segno

from dsar.letters.data import (
    GROUNDS,
    KINDS,
    LANGUAGES,
    Authority,
    DatasetRef,
    LetterData,
    Ngo,
    OriginalRequest,
    Recipient,
)
from dsar.letters.law import LawRegime, regime
from dsar.letters.phrases import format_date, phrases

# Days a follow-up gives before the complaint (letter-requirements: a new, short period).
FOLLOWUP_DAYS = 14


def qr_data_uri(reference: str) -> str:
    """The reference as a QR code: a PNG data: URI, one pixel per module (the stylesheet scales
    it up without smoothing), small enough for the renderer's fetcher."""
    # A fixed mask skips segno's scoring of all eight masks (about 2 ms a letter); any mask
    # reads the same, it only balances dark and light modules.
    return segno.make(reference, error="m", micro=False, mask=0).png_data_uri(scale=1, border=0)


def cite_article(number: str, language: str, *, swiss: bool = False) -> str:
    """"32(2)(c)" as each language cites it: 32(2)(c) / 32 Abs. 2 lit. c / 32, paragraphe 2,
    point c) (the patterns are the language's phrases: `citation`, and `citation_swiss` where
    Swiss usage differs, e.g. French "al." and "let.")."""
    import re

    match = re.fullmatch(r"(\d+[A-Z]?)(?:\((\d+)\))?(?:\(([a-z])\))?", number)
    if match is None or not match.group(2):
        return number
    article, paragraph, letter = match.groups()
    patterns = phrases(language)["citation_swiss" if swiss else "citation"]
    return patterns["letter" if letter else "paragraph"].format(
        article=article, paragraph=paragraph, letter=letter)


def one_line(lines: tuple[str, ...]) -> str:
    return ", ".join(line for line in lines if line)


@dataclass(frozen=True)
class DatasetView:
    """One dataset as printed: its names and the person's identifying details for it."""

    ref: DatasetRef

    @property
    def name(self) -> str:
        return self.ref.name

    @property
    def aliases(self) -> str:
        return ", ".join(self.ref.aliases)

    @property
    def derivatives(self) -> tuple[str, ...]:
        return self.ref.derivatives

    @property
    def details(self) -> tuple[tuple[str, str], ...]:
        return self.ref.identifying_details

    @property
    def withdrawn(self) -> str:
        return self.ref.withdrawn

    @property
    def sensitive(self) -> tuple[str, ...]:
        """Special categories it reveals ("gender_identity", "health", "ethnicity")."""
        return self.ref.sensitive

    @property
    def circulating(self) -> tuple[str, ...]:
        return self.ref.circulating

    @property
    def published_by_recipient(self) -> bool:
        """The recipient made the data public (publisher or host of a copy): Art. 17(2) applies."""
        return self.ref.role in ("publisher", "derivative_host")


@dataclass(frozen=True)
class PartyView:
    """A name with its postal lines and contacts, as printed in a block."""

    name: str
    lines: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    webform: str = ""

    @property
    def address(self) -> str:
        return one_line(self.lines)


class LetterPresenter:
    """Everything one letter's template prints, formatted for its language."""

    def __init__(self, letter: LetterData) -> None:
        if letter.kind not in KINDS:
            raise ValueError(f"unknown letter kind {letter.kind!r}")
        if letter.language not in LANGUAGES:
            raise ValueError(f"unsupported letter language {letter.language!r}")
        if letter.kind == "mandate" and letter.ngo is None:
            raise ValueError("a mandate needs the NGO that is authorised")
        if letter.kind == "rebuttal" and (letter.ground not in GROUNDS or letter.original is None):
            raise ValueError(f"a rebuttal needs one of {GROUNDS} and the refused request")
        self.letter = letter
        self.kind = letter.kind
        self.language = letter.language
        self.reference = letter.reference
        # The addressee's law as data (dsar.letters.law): templates read its fields.
        self.regime: LawRegime = regime(letter.law, gdpr_also_applies=letter.gdpr_also_applies)
        self.art = self.regime.articles

    # --- document ---------------------------------------------------------------------------
    @property
    def template_name(self) -> str:
        return f"letters/{self.language}/{self.kind}.html"

    @property
    def title(self) -> str:
        if self.kind == "rebuttal":
            return phrases(self.language)["ground_titles"][self.letter.ground]
        return phrases(self.language)["titles"][self.kind]

    @property
    def ground(self) -> str:
        """The refusal a rebuttal answers (data.GROUNDS); "" for every other kind."""
        return self.letter.ground

    @property
    def answered_on(self) -> str:
        """The day the refusal being answered arrived (rebuttals)."""
        return self.date(self._require_original().answered_on)

    @property
    def circulating(self) -> tuple[str, ...]:
        """Copies still circulating of the letter's datasets (a rebuttal of "we deleted it")."""
        return tuple(item for d in self.datasets for item in d.circulating)

    @cached_property
    def qr(self) -> str:
        return qr_data_uri(self.reference)

    def date(self, value: date | None) -> str:
        return format_date(value, self.language) if value else ""

    @property
    def letter_date(self) -> str:
        return self.date(self.letter.letter_date)

    @property
    def due_date(self) -> str:
        return self.date(self.letter.due_date)

    @property
    def shows_due(self) -> bool:
        """A mandate asks nobody for an answer; every other letter carries its due date."""
        return self.kind != "mandate"

    @property
    def place(self) -> str:
        return self.letter.place

    @property
    def law(self) -> str:
        """Short name of the addressee's law in the letter's language: GDPR / DSGVO / RGPD,
        UK GDPR, or FADP / DSG / LPD."""
        return phrases(self.language)["law_names"][self.regime.instrument]

    @property
    def gdpr(self) -> str:
        """The name cited after a GDPR-numbered article: the GDPR (or the UK GDPR, which keeps
        its numbers). A Swiss letter cites the GDPR by its own name, never "Art. 15 FADP"."""
        instrument = "gdpr" if self.regime.instrument == "ch_fadp" else self.regime.instrument
        return phrases(self.language)["law_names"][instrument]

    @property
    def law_of(self) -> str:
        """The law's short name as it follows an article number in running text."""
        return phrases(self.language)["law_of"][self.regime.instrument]

    @property
    def gdpr_of(self) -> str:
        """`gdpr` as it follows an article number in running text ("du RGPD" in French)."""
        instrument = "gdpr" if self.regime.instrument == "ch_fadp" else self.regime.instrument
        return phrases(self.language)["law_of"][instrument]

    @property
    def period(self) -> str:
        """The answer period of this letter's law ("one month of receipt", "30 days ...")."""
        return phrases(self.language)["period_lengths"][self.regime.period]

    @property
    def law_full(self) -> str:
        return phrases(self.language)["law_full_names"][self.regime.instrument]

    @property
    def gdpr_full(self) -> str:
        return phrases(self.language)["law_full_names"]["gdpr"]

    @property
    def is_uk(self) -> bool:
        return self.regime.instrument == "uk_gdpr"

    @property
    def is_swiss(self) -> bool:
        return self.regime.instrument == "ch_fadp"

    @property
    def is_third_country(self) -> bool:
        """A controller outside the EU/EEA, UK and Switzerland reached by Art. 3(2)(b)."""
        return self.regime.code == "third_country"

    @property
    def gdpr_also_applies(self) -> bool:
        return self.regime.gdpr_also_applies

    @property
    def cjeu_binding(self) -> bool:
        """CJEU rulings bind under the GDPR; for UK (after 2020) and Swiss law they persuade."""
        return self.regime.case_law == "binding"

    @property
    def basis_article(self) -> str:
        """The article the request rests on: GDPR Art. 15/17, or under Swiss law Art. 25 FADP
        (access) and Art. 32(2)(c) FADP (claim to erasure)."""
        return cite_article({"access": self.art.access, "erasure": self.art.erasure}.get(self.kind, ""),
                            self.language, swiss=self.is_swiss)

    @property
    def period_citation(self) -> str:
        """The provision that sets the answer period: "Art. 12(3) GDPR", "Arts. 12(3) and 12A UK
        GDPR", "Art. 25(7) FADP and Art. 18 ..." (French with its article)."""
        return phrases(self.language)["period_citations"][self.regime.period].format(law=self.law, law_of=self.law_of)

    @property
    def original_period(self) -> str:
        """How long the controller had for the original request (complaints, follow-ups)."""
        original = self.letter.original
        extended = original is not None and original.extended and self.regime.period != "thirty_days"
        return phrases(self.language)["period_lengths"]["extended" if extended else self.regime.period]

    @property
    def transfer_area(self) -> str:
        return phrases(self.language)["transfer_areas"][self.regime.home_area]

    @property
    def authority_kind(self) -> str:
        """The addressee's regulator by kind, for a follow-up when the catalogue names none."""
        return phrases(self.language)["authority_kinds"][self.regime.authority_kind]

    @property
    def sensitive_words(self) -> str:
        """The special categories the datasets reveal, joined for running text."""
        words = [phrases(self.language)["sensitive_words"][c] for c in self.sensitive]
        joiner = phrases(self.language)["and_word"]
        return joiner.join(words)

    @property
    def represented(self) -> str:
        """The controller, when the letter is addressed to its Art. 27 representative."""
        return self.letter.recipient.represented

    @property
    def extended(self) -> bool:
        return self.letter.extended

    @property
    def due_steps(self) -> tuple[str, ...]:
        return self.letter.due_steps

    # --- parties ----------------------------------------------------------------------------
    @cached_property
    def person(self) -> PartyView:
        p = self.letter.person
        return PartyView(p.name, p.address_lines, p.email, p.phone)

    @property
    def other_names(self) -> tuple[str, ...]:
        return self.letter.person.other_names

    @property
    def ngo(self) -> Ngo | None:
        return self.letter.ngo

    @property
    def on_behalf(self) -> bool:
        """An NGO writes for the person (Art. 80(1)); the mandate itself is signed by the person."""
        return self.letter.ngo is not None and self.kind != "mandate"

    @cached_property
    def sender(self) -> PartyView:
        """The letterhead and return line: the NGO when it acts for the person, else the person."""
        ngo = self.letter.ngo
        if self.on_behalf and ngo is not None:
            return PartyView(ngo.name, ngo.address_lines, ngo.email, ngo.phone)
        return self.person

    @property
    def return_line(self) -> str:
        return " · ".join(part for part in (self.sender.name, *self.sender.lines) if part)

    @cached_property
    def recipient(self) -> PartyView:
        r = self.letter.recipient
        return PartyView(r.addressee, r.address_lines, r.email, webform=r.webform)

    @property
    def recipient_trading_name(self) -> str:
        """The organisation's everyday name when the legal entity is addressed (e.g. Microsoft)."""
        r = self.letter.recipient
        return r.name if r.legal_name and r.legal_name != r.name else ""

    @property
    def representative_lines(self) -> tuple[str, ...]:
        """The Art. 27 representative, copied in (never for a complaint to an authority)."""
        if self.kind in ("complaint", "mandate"):
            return ()
        return self.letter.recipient.eu_representative

    @cached_property
    def controller(self) -> PartyView | None:
        c: Recipient | None = self.letter.controller
        if c is None:
            return None
        return PartyView(c.addressee, c.address_lines, c.email, webform=c.webform)

    @property
    def controller_representative(self) -> str:
        c = self.letter.controller
        return one_line(c.eu_representative) if c else ""

    @cached_property
    def authority(self) -> Authority | None:
        return self.letter.authority

    @property
    def authority_address(self) -> str:
        return one_line(self.authority.address_lines) if self.authority else ""

    # --- datasets ---------------------------------------------------------------------------
    @cached_property
    def datasets(self) -> tuple[DatasetView, ...]:
        return tuple(DatasetView(ref) for ref in self.letter.datasets)

    @property
    def dataset_names(self) -> str:
        return ", ".join(d.name for d in self.datasets)

    @property
    def has_derivatives(self) -> bool:
        return any(d.derivatives for d in self.datasets)

    @property
    def any_withdrawn(self) -> bool:
        """Art. 17(1)(a) is argued from the withdrawal: the purpose of collection has ended."""
        return any(d.withdrawn for d in self.datasets)

    @property
    def onward_notice(self) -> bool:
        """Art. 17(2): the recipient published the data (publisher or host of a derivative)."""
        return any(d.published_by_recipient for d in self.datasets)

    @property
    def sensitive(self) -> tuple[str, ...]:
        """Every special category the letter's datasets reveal, each once, in a fixed order."""
        found = {c for d in self.datasets for c in d.sensitive}
        return tuple(c for c in ("gender_identity", "health", "ethnicity") if c in found)

    @property
    def offers_reference_photo(self) -> bool:
        """Offer a reference photo (Art. 11(2)) where the details alone may not single the person
        out: names and places identify a record, a face still has to be matched."""
        return bool(self.datasets)

    # --- follow-up and complaint ------------------------------------------------------------
    @property
    def original(self) -> OriginalRequest | None:
        return self.letter.original

    def _require_original(self) -> OriginalRequest:
        if self.letter.original is None:
            raise ValueError(f"a {self.kind} letter needs the original request")
        return self.letter.original

    @property
    def original_kind(self) -> str:
        """"request for access (Art. 15)", with the addressee's article numbers (a Swiss
        request for access rests on Art. 25 FADP)."""
        swiss = self.is_swiss
        return phrases(self.language)["request_kinds"][self._require_original().kind].format(
            access=cite_article(self.art.access, self.language, swiss=swiss),
            erasure=cite_article(self.art.erasure, self.language, swiss=swiss),
            law=f" {self.law}" if swiss else "",
        )

    @property
    def original_sent(self) -> str:
        return self.date(self._require_original().sent_on)

    @property
    def original_received(self) -> str:
        return self.date(self._require_original().received_on)

    @property
    def original_due(self) -> str:
        return self.date(self._require_original().due_on)

    @property
    def original_channel(self) -> str:
        return phrases(self.language)["channels"][self._require_original().channel]

    @property
    def original_reference(self) -> str:
        return self._require_original().reference

    @property
    def original_proof(self) -> str:
        return self._require_original().proof

    @property
    def outcome(self) -> str:
        return self._require_original().outcome

    @property
    def reminders(self) -> tuple[str, ...]:
        return tuple(self.date(d) for d in self._require_original().reminders)

    @property
    def asks_access(self) -> bool:
        return self._require_original().kind in ("access", "access_erasure")

    @property
    def asks_erasure(self) -> bool:
        return self._require_original().kind in ("erasure", "access_erasure")

    @property
    def enclosures(self) -> tuple[str, ...]:
        return self.letter.enclosures

    @property
    def cite_precedents(self) -> bool:
        """The Clearview decisions fit where scraped face images were held without a basis: any
        dataset letter; they are cited in complaints only."""
        return self.kind == "complaint" and bool(self.datasets)

    # --- mandate ----------------------------------------------------------------------------
    @property
    def scope_organisations(self) -> tuple[str, ...]:
        return self.letter.scope_organisations

    @property
    def mandate_until(self) -> str:
        return self.date(self.letter.mandate_until)


def present(letter: LetterData) -> LetterPresenter:
    return LetterPresenter(letter)
