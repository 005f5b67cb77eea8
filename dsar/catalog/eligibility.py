"""Which datasets may hold a person, from their answers. Pure Python: no Django, no database.

The rules are catalogue data (EligibilityOutcome rows, turned into `Rule`s by
`selectors.eligibility_rules`); this module only combines them:
1. a rule fires when the person gave its answer to its question;
2. several rules for one dataset: the strongest strength wins, every reason is kept (in the
   order of the questions), and the questions that led there are listed;
3. results come strongest first, then by dataset name.
Nothing matched is an empty list, a real answer the result page explains.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

LIKELY = "likely"
POSSIBLE = "possible"
RANK = {LIKELY: 2, POSSIBLE: 1}
YES = "yes"


@dataclass(frozen=True)
class Rule:
    question: str
    answer: str
    dataset: str
    dataset_name: str
    strength: str
    reason: str


@dataclass
class Match:
    dataset: str
    dataset_name: str
    strength: str
    reasons: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


def normalise_answer(value: object) -> str:
    """Accept the wizard's booleans as well as "yes"/"no" strings."""
    if value is True:
        return YES
    if value is False or value is None:
        return "no"
    return str(value).strip().lower()


def evaluate(answers: Mapping[str, object], rules: Iterable[Rule]) -> list[Match]:
    given = {question: normalise_answer(value) for question, value in answers.items()}
    matches: dict[str, Match] = {}
    for rule in rules:
        if given.get(rule.question) != rule.answer:
            continue
        match = matches.setdefault(
            rule.dataset, Match(rule.dataset, rule.dataset_name, rule.strength)
        )
        if RANK[rule.strength] > RANK[match.strength]:
            match.strength = rule.strength
        if rule.reason not in match.reasons:
            match.reasons.append(rule.reason)
        if rule.question not in match.questions:
            match.questions.append(rule.question)
    return sorted(matches.values(), key=lambda m: (-RANK[m.strength], m.dataset_name.lower()))
