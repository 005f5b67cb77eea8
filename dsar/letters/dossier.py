"""The evidence dossier: one PDF that hands a supervisory authority the whole file of a request
that was ignored or refused.

What it holds, in the request's language: a cover page (who complains, about whom, to which
authority and why that one), a table of contents, the timeline of the request (sent, channel
and proof, acknowledgements, extensions, identity demands, answers, reminders), the due date
with the steps that computed it, the answers received (their text; attachments listed with
their SHA-256), the catalogue's evidence that ties the organisation to the datasets (with
sources), what the authority is asked to do, and, as appendices, every letter that was sent,
laid out exactly as the letters themselves are.

Like every letter, it is plain data in (`DossierData`, built by the caller: dsar.cases.dossier
for a tracked request, the demo command for the demo) and PDF out (`render_dossier`). The
catalogue part comes from `dataset_evidence`, the one place that reads the catalogue for it.
Everything is text: the template escapes it, the renderer's fetcher serves only our files.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_noop

from dsar.catalog.models import Dataset, DatasetUse, Organisation
from dsar.letters.data import Authority, LetterData, Ngo, Person, Recipient
from dsar.letters.law import LawRegime
from dsar.letters.phrases import format_date, phrases
from dsar.letters.presenters import one_line

DOSSIER_CSS = "letters/dossier.css"
# The dossier is laid out twice when it has appendices: the first pass counts its own pages so
# that the table of contents can give the page on which each appended letter starts.
MAX_LAYOUT_PASSES = 3


@dataclass(frozen=True)
class TimelineEntry:
    """One dated thing that happened to the request, already worded in the dossier's language."""

    on: date
    what: str
    detail: str = ""


@dataclass(frozen=True)
class AttachmentRef:
    """A file that came with an answer, identified by its SHA-256 (the file itself is not in
    the dossier: the authority can ask for it and check it against the hash)."""

    name: str
    sha256: str
    size: int
    media_type: str = ""


@dataclass(frozen=True)
class Answer:
    """An answer received from the controller."""

    received_on: date
    outcome: str  # worded in the dossier's language, e.g. "Refused"
    text: str = ""
    attachments: tuple[AttachmentRef, ...] = ()


@dataclass(frozen=True)
class SourceRef:
    url: str
    note: str = ""


@dataclass(frozen=True)
class Evidence:
    """What the catalogue knows of one dataset and this organisation's link to it."""

    dataset: str
    role: str  # worded: "publisher", "user", "host of a derived version"
    basis: str = ""
    list_based: bool = False
    sources: tuple[SourceRef, ...] = ()
    withdrawal: str = ""
    withdrawal_sources: tuple[SourceRef, ...] = ()
    circulating: tuple[str, ...] = ()


@dataclass(frozen=True)
class DossierData:
    """Everything one dossier prints. Dates are dates; texts are the caller's, in `language`."""

    language: str
    reference: str
    made_on: date
    complainant: Person
    controller: Recipient
    law: LawRegime
    request_kind: str  # "access" / "erasure" / "access_erasure"
    status: str  # what happened, worded: "No answer by the due date"
    timeline: tuple[TimelineEntry, ...]
    ngo: Ngo | None = None
    authority: Authority | None = None
    authority_reason: str = ""
    sent_on: date | None = None
    channel: str = ""
    proof: str = ""
    received_on: date | None = None
    due_on: date | None = None
    due_steps: tuple[str, ...] = ()
    answers: tuple[Answer, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    letters: tuple[LetterData, ...] = ()

    @property
    def filename(self) -> str:
        return f"dossier-{self.reference}-{self.language}.pdf"


@dataclass(frozen=True)
class AppendixView:
    label: str
    title: str
    on: str
    page: int


class DossierPresenter:
    """What the dossier template sees: the data, dates in the dossier's language, the appendices
    with the page each starts on."""

    def __init__(self, dossier: DossierData, appendix_pages: Sequence[int] = ()) -> None:
        self.d = dossier
        self.language = dossier.language
        self.reference = dossier.reference
        self._appendix_pages = tuple(appendix_pages)

    def date(self, value: date | None) -> str:
        return format_date(value, self.language) if value else ""

    @property
    def made_on(self) -> str:
        return self.date(self.d.made_on)

    @property
    def sent_on(self) -> str:
        return self.date(self.d.sent_on)

    @property
    def received_on(self) -> str:
        return self.date(self.d.received_on)

    @property
    def due_on(self) -> str:
        return self.date(self.d.due_on)

    @property
    def complainant_address(self) -> str:
        return one_line(self.d.complainant.address_lines)

    @property
    def controller_address(self) -> str:
        return one_line(self.d.controller.address_lines)

    @property
    def controller_representative(self) -> str:
        return one_line(self.d.controller.eu_representative)

    @property
    def ngo_address(self) -> str:
        return one_line(self.d.ngo.address_lines) if self.d.ngo else ""

    @property
    def authority_address(self) -> str:
        return one_line(self.d.authority.address_lines) if self.d.authority else ""

    @cached_property
    def timeline(self) -> tuple[tuple[str, TimelineEntry], ...]:
        """In date order (the order the entries happened on, ties kept as given)."""
        ordered = sorted(enumerate(self.d.timeline), key=lambda pair: (pair[1].on, pair[0]))
        return tuple((self.date(entry.on), entry) for _, entry in ordered)

    @cached_property
    def answers(self) -> tuple[tuple[str, Answer], ...]:
        return tuple((self.date(a.received_on), a) for a in sorted(self.d.answers, key=lambda a: a.received_on))

    @property
    def swiss(self) -> bool:
        return self.d.law.instrument == "ch_fadp"

    @property
    def uk(self) -> bool:
        return self.d.law.instrument == "uk_gdpr"

    @property
    def law_name(self) -> str:
        return phrases(self.language)["law_names"][self.d.law.instrument]

    @property
    def asks_access(self) -> bool:
        return self.d.request_kind in ("access", "access_erasure")

    @property
    def asks_erasure(self) -> bool:
        return self.d.request_kind in ("erasure", "access_erasure")

    @cached_property
    def appendices(self) -> tuple[AppendixView, ...]:
        pages = self._appendix_pages or (0,) * len(self.d.letters)
        return tuple(
            AppendixView(label=chr(ord("A") + index), title=_letter_title(letter),
                         on=self.date(letter.letter_date), page=page)
            for index, (letter, page) in enumerate(zip(self.d.letters, pages, strict=True))
        )


def _letter_title(letter: LetterData) -> str:
    from dsar.letters.presenters import present

    return present(letter).title


def render_dossier_html(dossier: DossierData, appendix_pages: Sequence[int] = ()) -> str:
    with translation.override(dossier.language):
        return render_to_string("letters/dossier.html", {"p": DossierPresenter(dossier, appendix_pages)})


def render_dossier(dossier: DossierData) -> bytes:
    """The dossier as one PDF: its own pages, then each letter as an appendix.

    1. lay the letters out (each as it was sent) and count their pages;
    2. lay the dossier out with the appendix page numbers it implies, again until its own page
       count is stable (one extra pass in practice: the numbers do not change its length);
    3. write all pages as one PDF."""
    from dsar.letters.render import layout_document, layout_letter, write_documents

    letters = [layout_letter(letter) for letter in dossier.letters]
    own_pages = 1
    document = None
    for _ in range(MAX_LAYOUT_PASSES):
        starts, page = [], own_pages + 1
        for laid_out in letters:
            starts.append(page)
            page += len(laid_out.pages)
        document = layout_document(render_dossier_html(dossier, starts), language=dossier.language,
                                   reference=dossier.reference, stylesheets=[DOSSIER_CSS])
        if len(document.pages) == own_pages:
            break
        own_pages = len(document.pages)
    assert document is not None
    return write_documents([document, *letters])


# --- the catalogue's part ----------------------------------------------------------------------

ROLE_WORDS = {
    "publisher": gettext_noop("published the dataset"),
    "user": gettext_noop("used the dataset"),
    "derivative_host": gettext_noop("hosts a derived version"),
}


def dataset_evidence(organisation: Organisation, datasets: Sequence[Dataset], language: str) -> tuple[Evidence, ...]:
    """The catalogue's evidence of `organisation`'s link to each of `datasets` it is linked to
    (the same rule as the letters: only its own datasets), with the sources, in `language`.
    Catalogue texts go through gettext, so they read in the dossier's language where the
    catalogue is translated."""
    from dsar.letters.assemble import datasets_for

    linked = {d.pk: role for d, role in datasets_for(organisation, datasets)}
    uses = {
        (use.dataset_id, use.role): use
        for use in DatasetUse.objects.filter(organisation=organisation, dataset__in=list(linked))
        .prefetch_related("sources")
    }
    out = []
    with translation.override(language):
        for dataset in datasets:
            if dataset.pk not in linked:
                continue
            role = linked[dataset.pk]
            use = uses.get((dataset.pk, role))
            out.append(Evidence(
                dataset=dataset.name,
                role=translation.gettext(ROLE_WORDS[role]),
                basis=translation.gettext(use.basis) if use and use.basis else "",
                list_based=bool(use and use.list_based),
                sources=_sources(use.sources.all()) if use else _sources(dataset.sources.all()),
                withdrawal=translation.gettext(dataset.withdrawal) if dataset.withdrawal else "",
                withdrawal_sources=_sources(s for s in dataset.sources.all() if s.supports in ("withdrawal", "status")),
                circulating=tuple(f"{d.name} ({d.where})" if d.where else d.name
                                  for d in dataset.derivatives.all() if d.still_circulating),
            ))
    return tuple(out)


def _sources(sources: object) -> tuple[SourceRef, ...]:
    return tuple(SourceRef(url=s.url, note=s.note) for s in sources)  # type: ignore[attr-defined]
