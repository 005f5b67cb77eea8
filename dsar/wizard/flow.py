"""The flow's logic between the session and the screens: which steps exist, which are complete,
what matched, which organisations and letters follow. Views stay thin and call this.

A step counts as done only if its stored input still validates against the step's form as it is
now (the catalogue or an earlier answer may have changed what a later step offers), so nobody
reaches the letters with stale or tampered input.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.catalog import eligibility
from dsar.catalog import selectors as catalog_selectors
from dsar.catalog.eligibility import Rule
from dsar.catalog.models import (
    Dataset,
    DatasetUse,
    Derivative,
    EligibilityQuestion,
    Organisation,
    Source,
    SupervisoryAuthority,
)
from dsar.wizard.details import DatasetInfo, DetailGroup, groups_for
from dsar.wizard.forms import (
    ANSWER_CHOICES,
    ChooseForm,
    DetailsForm,
    QuestionScreenForm,
    QuestionSpec,
    WizardForm,
)
from dsar.wizard.state import WizardState

# Questions per screen: a few at a time, in the catalogue's order.
QUESTIONS_PER_SCREEN = 3
NO = "no"
ROLE_VERBS = {"publisher": _("published %(dataset)s"), "user": _("used %(dataset)s"),
              "derivative_host": _("hosts a copy of %(dataset)s")}

def _in_screens(questions: list[EligibilityQuestion]) -> list[list[QuestionSpec]]:
    specs = [QuestionSpec(q.slug, q.text, q.help_text) for q in questions]
    return [specs[i:i + QUESTIONS_PER_SCREEN] for i in range(0, len(specs), QUESTIONS_PER_SCREEN)]


def first_screens(questions: list[EligibilityQuestion]) -> list[list[QuestionSpec]]:
    """The questions that follow nothing up, in the catalogue's order, QUESTIONS_PER_SCREEN a
    screen: what everybody answers."""
    return _in_screens([q for q in questions if not q.follows])


def follow_up_screens(questions: list[EligibilityQuestion],
                      answers: Mapping[str, object]) -> list[list[QuestionSpec]]:
    """The self-checks worth asking after those `answers`: each follow-up one of whose
    questions was not answered "no" (someone who is not a public figure is not asked to look
    for their name in the lists of public figures)."""
    return _in_screens([q for q in questions if q.follows
                        and any(answers.get(parent, NO) != NO for parent in q.follows)])


def question_screens(questions: list[EligibilityQuestion],
                     answers: Mapping[str, object] | None) -> list[list[QuestionSpec]]:
    """Every screen of questions for a person: the first screens, then, once those are
    answered (`answers` is not None), the follow-ups their answers call for."""
    screens = first_screens(questions)
    return screens if answers is None else screens + follow_up_screens(questions, answers)


def screen_step(number: int) -> str:
    return f"questions-{number}"


def rules(questions: list[EligibilityQuestion]) -> list[Rule]:
    """The catalogue's outcomes as eligibility rules, reasons in the active language (what
    selectors.eligibility_rules returns, built from the snapshot instead of a query)."""
    return [Rule(q.slug, o.answer, o.dataset.slug, o.dataset.name, o.strength, o.reason)
            for q in questions for o in q.outcomes.all()]


@dataclass
class UseRow:
    organisation: Organisation
    role: str
    basis: str
    list_based: bool
    sources: list[Source]


@dataclass
class Match:
    """One dataset that may hold the person: how sure, why, and who holds or held it."""

    dataset: Dataset
    strength: str
    reasons: list[str]
    uses: list[UseRow] = field(default_factory=list)

    @property
    def circulating(self) -> list[Derivative]:
        return [d for d in self.dataset.derivatives.all() if d.still_circulating]


@dataclass(frozen=True)
class CatalogueSnapshot:
    """The part of the catalogue the flow reads: questions with outcomes, and every dataset with
    its uses (and their sources) and derivatives. Read-only model instances."""

    questions: list[EligibilityQuestion]
    datasets: dict[str, Dataset]
    taken: float


_snapshot: CatalogueSnapshot | None = None
_snapshot_lock = threading.Lock()


def catalogue_snapshot() -> CatalogueSnapshot:
    """The catalogue as of at most DSAR_WIZARD_CATALOGUE_SECONDS ago, per process.

    Every step of the flow needs the questions and the matched datasets; reading them once per
    process (a few hundred rows) instead of once per request keeps each step well under 50 ms.
    Staff edits in the admin show up in the flow after that many seconds.
    """
    global _snapshot
    ttl = settings.DSAR_WIZARD_CATALOGUE_SECONDS
    current = _snapshot
    if current is not None and time.monotonic() - current.taken < ttl:
        return current
    with _snapshot_lock:
        sources = Prefetch("sources", queryset=Source.objects.order_by("position", "id"))
        uses = DatasetUse.objects.select_related("organisation").prefetch_related(sources)
        datasets = Dataset.objects.select_related("publisher").prefetch_related(
            sources,
            Prefetch("uses", queryset=uses.order_by("role", "organisation__name")),
            Prefetch("derivatives", queryset=Derivative.objects.order_by("name")),
        )
        _snapshot = CatalogueSnapshot(list(catalog_selectors.questions_with_outcomes()),
                                      {d.slug: d for d in datasets}, time.monotonic())
        return _snapshot


def forget_catalogue() -> None:
    """Drop the snapshot (tests that change the catalogue call this)."""
    global _snapshot
    _snapshot = None


class Journey:
    """One person's way through the flow, read from their session state."""

    def __init__(self, state: WizardState) -> None:
        self.state = state

    # --- Building forms ------------------------------------------------------------------------

    @cached_property
    def questions(self) -> list[EligibilityQuestion]:
        return catalogue_snapshot().questions

    @cached_property
    def first_screen_count(self) -> int:
        """How many screens everybody answers; later ones hold the follow-ups."""
        return len(first_screens(self.questions))

    @cached_property
    def _question_walk(self) -> tuple[list[list[QuestionSpec]], dict[str, str], int | None]:
        """The stored question screens, each validated once, in order: the screens as far as
        they are known (the follow-up screens depend on the first ones' answers and appear once
        those are stored and valid), the answers so far, and the number of the first screen
        that is missing or invalid (None when all are answered)."""
        first = first_screens(self.questions)
        answers: dict[str, Any] = {}
        screens, number = first, 1
        while number <= len(screens):
            form = self._stored_valid(screen_step(number), lambda d, n=number, q=screens[number - 1]:
                                      QuestionScreenForm(d, questions=q, step_name=screen_step(n)))
            if form is None:
                return screens, answers, number
            answers.update(form.cleaned_data)
            if number == len(first):
                screens = first + follow_up_screens(self.questions, answers)
            number += 1
        return screens, answers, None

    @property
    def screens(self) -> list[list[QuestionSpec]]:
        return self._question_walk[0]

    def answered(self) -> list[tuple[str, str]]:
        """(question, answer label) for every answered question, for the "nothing matched" page."""
        labels = dict(ANSWER_CHOICES)
        return [(q.text, str(labels.get(self.answers.get(q.slug, ""), "")))
                for q in self.questions if self.answers and q.slug in self.answers]

    def question_form(self, number: int, data: Mapping[str, object] | None = None,
                      **kwargs: Any) -> QuestionScreenForm:
        return QuestionScreenForm(data, questions=self.screens[number - 1],
                                  step_name=screen_step(number), **kwargs)

    def choose_form(self, data: Mapping[str, object] | None = None,
                    **kwargs: Any) -> ChooseForm:
        kwargs.setdefault("initial", {"organisations": self.publishers()})
        return ChooseForm(data, organisations=self.organisation_choices(), **kwargs)

    def details_form(self, data: Mapping[str, object] | None = None,
                     **kwargs: Any) -> DetailsForm:
        return DetailsForm(data, groups=self.detail_groups(), **kwargs)

    def _stored_valid(self, step: str, form_for_data: object) -> WizardForm | None:
        data = self.state.querydict(step)
        if data is None:
            return None
        form = form_for_data(data)  # type: ignore[operator]
        return form if form.is_valid() else None

    # --- Answers and matches -------------------------------------------------------------------

    @property
    def answers(self) -> dict[str, str] | None:
        """All answers, or None while a question screen is missing or invalid."""
        _screens, answers, missing = self._question_walk
        return answers if missing is None else None

    @cached_property
    def matches(self) -> list[Match]:
        if not self.answers:
            return []
        found = eligibility.evaluate(self.answers, rules(self.questions))
        datasets = catalogue_snapshot().datasets
        matches = []
        for item in found:
            dataset = datasets.get(item.dataset)
            if dataset is None:
                continue
            uses = [UseRow(u.organisation, u.role, u.basis, u.list_based, list(u.sources.all()))
                    for u in dataset.uses.all()]
            matches.append(Match(dataset, item.strength, list(item.reasons), uses))
        return matches

    def organisation_choices(self) -> list[tuple[str, str]]:
        """Every organisation that published or used a matched dataset, publishers first, each
        labelled with what it did ("Microsoft: published MS-Celeb-1M")."""
        roles: dict[str, tuple[Organisation, list[str], bool]] = {}
        for match in self.matches:
            for use in match.uses:
                org, parts, publisher = roles.get(use.organisation.slug,
                                                  (use.organisation, [], False))
                verb = ROLE_VERBS.get(use.role, ROLE_VERBS["user"])
                part = str(verb) % {"dataset": match.dataset.name}
                if part not in parts:
                    parts.append(part)
                roles[org.slug] = (org, parts, publisher or use.role == "publisher")
        ordered = sorted(roles.values(), key=lambda item: (not item[2], item[0].name.lower()))
        return [(org.slug, f"{org.name}: {', '.join(parts)}") for org, parts, _p in ordered]

    def publishers(self) -> list[str]:
        return [u.organisation.slug for m in self.matches for u in m.uses if u.role == "publisher"]

    # --- Choice and details --------------------------------------------------------------------

    @cached_property
    def choice(self) -> dict[str, Any] | None:
        if self.answers is None or not self.matches:
            return None
        form = self._stored_valid("choose", self.choose_form)
        return form.cleaned_data if form else None

    def chosen_matches(self) -> list[Match]:
        """The matched datasets concerned by at least one chosen organisation."""
        chosen = set(self.choice["organisations"]) if self.choice else set()
        return [m for m in self.matches if any(u.organisation.slug in chosen for u in m.uses)]

    def detail_groups(self) -> list[DetailGroup]:
        infos = [DatasetInfo(m.dataset.slug, m.dataset.name, tuple(m.dataset.identifying_details),
                             m.dataset.capture_place, m.dataset.capture_time)
                 for m in self.chosen_matches()]
        return groups_for(infos)

    @cached_property
    def details(self) -> dict[str, object] | None:
        if self.choice is None:
            return None
        form = self._stored_valid("details", self.details_form)
        return form.cleaned_data if form else None

    def authority(self) -> SupervisoryAuthority | None:
        """The data protection authority the person can complain to, by residence."""
        if not self.details:
            return None
        return catalog_selectors.authority_for_residence(str(self.details["country"]),
                                                         str(self.details.get("region") or ""))

    # --- Where to go ---------------------------------------------------------------------------

    def first_missing(self, before: str) -> str | None:
        """The URL of the first incomplete step before `before` ("result", "choose", "details",
        "review"), or None if the person may be there."""
        order = ["result", "choose", "details", "review"]
        need = order[: order.index(before)] if before in order else []
        missing = self._question_walk[2]
        if missing is not None:
            return reverse("wizard:questions", args=[missing])
        if "choose" in need and self.choice is None:
            return reverse("wizard:result") if not self.matches else reverse("wizard:choose")
        if "details" in need and self.details is None:
            return reverse("wizard:details")
        return None


def today() -> object:
    return timezone.localdate()
