"""The plain data a letter is made from. Callers (cases, wizard, casework, the demo command)
build these; the letters app never sees a model instance or a request.

All classes are frozen and hold only str, date, bool and tuples, so a LetterData can be pickled
to a worker process (render_many) and compared in tests. Text fields are untrusted user or
catalogue text: the renderer escapes them, nothing here is HTML.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from dsar.languages import CODES

Kind = Literal["access", "erasure", "followup", "complaint", "mandate", "rebuttal"]
# One of dsar.languages.CODES (checked by the presenter; a Literal would be a second list).
Language = str
# Which data-protection law the letter invokes: the addressee's regime (dsar.letters.law).
Law = Literal["gdpr", "uk_gdpr", "ch_fadp", "third_country"]
# The recipient's relation to a dataset (catalogue DatasetUse.role): decides the Art. 17(2) clause.
Role = Literal["publisher", "user", "derivative_host"]
# What happened to the original request (follow-up and complaint letters).
Outcome = Literal["no_answer", "incomplete", "refused", "id_demand", "no_valid_extension"]

KINDS: tuple[str, ...] = ("access", "erasure", "followup", "complaint", "mandate", "rebuttal")
LANGUAGES: tuple[str, ...] = CODES
LAWS: tuple[str, ...] = ("gdpr", "uk_gdpr", "ch_fadp", "third_country")
OUTCOMES: tuple[str, ...] = ("no_answer", "incomplete", "refused", "id_demand", "no_valid_extension")
# The usual refusals a rebuttal letter answers (dsar/letters/templates: letters/<lang>/rebuttal.html).
Ground = Literal[
    "dataset_deleted", "cannot_identify", "research_exemption", "id_document", "not_established",
    "manifestly_unfounded",
]
GROUNDS: tuple[str, ...] = (
    "dataset_deleted", "cannot_identify", "research_exemption", "id_document", "not_established",
    "manifestly_unfounded",
)


@dataclass(frozen=True)
class Person:
    """The data subject (the sender, unless an NGO writes on their behalf)."""

    name: str
    address_lines: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    """Who a letter is addressed to: the legal entity that answers privacy requests (or, for a
    complaint, the supervisory authority; built by assemble.recipient_for_authority)."""

    name: str
    legal_name: str = ""
    address_lines: tuple[str, ...] = ()
    email: str = ""
    webform: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    language: str = ""  # preferred letter language, "" if the organisation has none
    preferred_channel: str = "post"  # "post" / "email" / "webform"
    # The Art. 27 representative, copied in when known (one line per address line).
    eu_representative: tuple[str, ...] = ()
    # Set when the letter is addressed to the Art. 27 representative: the controller it acts for.
    represented: str = ""

    @property
    def addressee(self) -> str:
        """The name printed in the address block: the legal entity where known."""
        return self.legal_name or self.name


@dataclass(frozen=True)
class DatasetRef:
    """One dataset the letter is about, with what identifies the person in it."""

    name: str
    aliases: tuple[str, ...] = ()
    derivatives: tuple[str, ...] = ()
    # (label, value) pairs, e.g. ("Flickr account", "https://flickr.com/people/x"),
    # ("Present at", "Duke University, Chapel Quad, 14 March 2014, around noon").
    identifying_details: tuple[tuple[str, str], ...] = ()
    role: Role = "user"
    withdrawn: str = ""  # e.g. "2019"; "" when not withdrawn or unknown
    publisher: str = ""
    # Special categories the dataset reveals beyond the face ("gender_identity", "health",
    # "ethnicity"): the letter names them with care (Art. 9).
    sensitive: tuple[str, ...] = ()
    # Derived or redistributed copies that public sources say are still circulating, each as
    # "name (where)": a rebuttal of "we deleted the dataset" names them.
    circulating: tuple[str, ...] = ()


@dataclass(frozen=True)
class Authority:
    """A supervisory authority (Art. 51 GDPR), named in follow-ups and addressed by complaints."""

    name: str
    address_lines: tuple[str, ...] = ()
    email: str = ""
    webform: str = ""
    country: str = ""
    region: str = ""  # e.g. "DE-BY" for a German Land authority


@dataclass(frozen=True)
class Ngo:
    """A not-for-profit body acting for the data subject under Art. 80(1) GDPR."""

    name: str
    address_lines: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    website: str = ""
    description: str = ""  # e.g. "a not-for-profit association registered in Berlin (VR 12345)"
    caseworker: str = ""


@dataclass(frozen=True)
class OriginalRequest:
    """The earlier request a follow-up or complaint refers to."""

    kind: str  # "access", "erasure" or "access_erasure"
    sent_on: date
    reference: str
    received_on: date | None = None
    due_on: date | None = None
    channel: str = "post"  # "post" / "email" / "webform"
    proof: str = ""  # e.g. "registered post RR123456789DE, delivered 5 March 2026"
    outcome: Outcome = "no_answer"
    reminders: tuple[date, ...] = ()
    extended: bool = False  # an extension was notified in time (the period was three months)
    # Rebuttal: the day the controller's answer (the refusal being answered) was received.
    answered_on: date | None = None


@dataclass(frozen=True)
class LetterData:
    """Everything one letter needs. `due_date` is computed by the caller (cases.deadlines) for
    this letter: the date by which the answer is due (for a follow-up: the new short period)."""

    kind: Kind
    language: Language
    reference: str
    letter_date: date
    due_date: date
    person: Person
    recipient: Recipient
    datasets: tuple[DatasetRef, ...] = ()
    law: Law = "gdpr"
    # A UK or Swiss controller that the GDPR reaches as well (Art. 3(2)): both laws are cited.
    gdpr_also_applies: bool = False
    # Follow-up and complaint: the request that went unanswered.
    original: OriginalRequest | None = None
    # Complaint: the controller complained about (the recipient is then the authority).
    controller: Recipient | None = None
    # Follow-up: the authority the person will complain to; complaint: the addressed authority.
    authority: Authority | None = None
    # Set when an NGO writes on the person's behalf (and for the mandate itself).
    ngo: Ngo | None = None
    # Mandate: organisations in scope and how long it lasts (None = until revoked).
    scope_organisations: tuple[str, ...] = ()
    mandate_until: date | None = None
    # Complaint: enclosed correspondence, one line each ("Access request of 2 March 2026").
    enclosures: tuple[str, ...] = ()
    # The deadline steps from cases.deadlines (shown in follow-ups and complaints), if given.
    due_steps: tuple[str, ...] = ()
    extended: bool = False
    place: str = ""  # where the letter is signed, e.g. "Berlin"
    # Rebuttal: which refusal it answers (GROUNDS); `original` is the request refused.
    ground: str = ""

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.language}.pdf"
