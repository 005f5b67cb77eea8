"""A person walking the flow with Django's test client, and readers for what they are shown."""
from __future__ import annotations

import re
from html import unescape

from django.test import Client
from django.urls import reverse

from dsar.catalog.models import EligibilityQuestion
from dsar.wizard.flow import question_screens

JOURNALIST_AT_DUKE = {"public-figure": "yes", "duke-chapel-2014": "yes"}

PERSON = {
    "name": "Alex Example",
    "other_names": "A. Example",
    "address": "Musterstraße 1\n10115 Berlin",
    "country": "DE",
    "region": "DE-BE",
    "email": "alex@example.org",
    "phone": "030 1234567",
    "profession": "journalist",
    "duke_mtmc_date": "2014-03-14",
    "duke_mtmc_when": "around noon",
    "duke_mtmc_place": "In front of the Chapel, walking towards the bike rack",
    "duke_mtmc_appearance": "red jacket",
    "reference_photo": "on",
}


def screens(answers: dict[str, str] | None = None) -> list[list[str]]:
    """The slugs on each question screen for someone giving `answers` ("no" to the rest); with
    no answers, only the first screens, which everybody sees."""
    questions = list(EligibilityQuestion.objects.order_by("position", "slug"))
    given = None if answers is None else {q.slug: answers.get(q.slug, "no") for q in questions}
    return [[spec.slug for spec in screen] for screen in question_screens(questions, given)]


def answer_questions(client: Client, answers: dict[str, str], prefix: str = "") -> None:
    """Answer every screen: the given answers, "no" to the rest."""
    for number, slugs in enumerate(screens(answers), start=1):
        data = {slug: answers.get(slug, "no") for slug in slugs}
        response = client.post(prefix + reverse("wizard:questions", args=[number]),
                               {**data, "step": f"questions-{number}", "_next": "1"})
        assert response.status_code == 302, response.content.decode()[:2000]


def choose(client: Client, organisations: list[str], kind: str = "erasure",
           letter_language: str = "auto", prefix: str = "") -> None:
    response = client.post(prefix + reverse("wizard:choose"), {
        "organisations": organisations, "kind": kind, "letter_language": letter_language,
        "step": "choose", "_next": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]


def enter_details(client: Client, **overrides: str):
    data = {**PERSON, **overrides, "step": "details", "_next": "1"}
    return client.post(reverse("wizard:details"), {k: v for k, v in data.items() if v is not None})


def complete_flow(client: Client, organisations=("duke-university", "microsoft"),
                  kind: str = "erasure") -> None:
    answer_questions(client, JOURNALIST_AT_DUKE)
    choose(client, list(organisations), kind=kind)
    response = enter_details(client)
    assert response.status_code == 302, response.content.decode()[:5000]


def field_errors(html: str, field: str) -> list[str]:
    """The error messages crispy-forms prints under one field (its invalid-feedback block)."""
    found = re.findall(rf'<(?:p|span|div) id="error_\d+_id_{re.escape(field)}"[^>]*>(.*?)</(?:p|span|div)>',
                       html, flags=re.S)
    return [unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found]


def field_value(html: str, field: str) -> str | None:
    """The value an input or textarea shows, as the person would see it."""
    match = re.search(rf'<input[^>]*name="{re.escape(field)}"[^>]*>', html)
    if match:
        value = re.search(r'value="([^"]*)"', match.group(0))
        return unescape(value.group(1)) if value else ""
    match = re.search(rf'<textarea[^>]*name="{re.escape(field)}"[^>]*>(.*?)</textarea>', html, re.S)
    if match:
        return unescape(match.group(1)).strip("\n")
    match = re.search(rf'<select[^>]*name="{re.escape(field)}"[^>]*>(.*?)</select>', html, re.S)
    if match:
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(1))
        return unescape(selected.group(1)) if selected else ""
    return None
