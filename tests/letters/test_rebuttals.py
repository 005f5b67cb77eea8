"""Rebuttal letters, read back from the PDF: each refusal ground in each language cites its
articles, names the dataset, carries its own deadline, and follows the addressee's law."""
from __future__ import annotations

import dataclasses

import pytest

from dsar.letters.data import GROUNDS, LANGUAGES, LetterData
from dsar.letters.demo import demo_rebuttals
from dsar.letters.render import render_pdf
from tests.letters.conftest import TODAY, contains, pdf_text
from tests.letters.parties import PARTIES

# What each ground must cite, as each language writes it (letter-requirements + issue 15).
CITES = {
    "dataset_deleted": {"en": ["Art. 15(1)(c)", "C-154/21", "Art. 17(2)", "Art. 19", "Opinion 28/2024"],
                        "de": ["Art. 15 Abs. 1 lit. c", "C-154/21", "Art. 17 Abs. 2", "Art. 19", "28/2024"],
                        "fr": ["art. 15, paragraphe 1, point c)", "C-154/21", "art. 17, paragraphe 2", "art. 19", "28/2024"]},
    "cannot_identify": {"en": ["Art. 11(2)", "Art. 12(2)", "Recital 57", "Art. 12(4)"],
                        "de": ["Art. 11 Abs. 2", "Art. 12 Abs. 2", "Erwägungsgrund 57", "Art. 12 Abs. 4"],
                        "fr": ["art. 11, paragraphe 2", "art. 12, paragraphe 2", "considérant 57", "art. 12, paragraphe 4"]},
    "research_exemption": {"en": ["Art. 89", "Art. 89(2)", "Art. 17(3)(d)", "Art. 89(1)", "Art. 21(6)", "Art. 9(2)(j)"],
                           "de": ["Art. 89", "Art. 89 Abs. 2", "Art. 17 Abs. 3 lit. d", "Art. 89 Abs. 1", "Art. 21 Abs. 6",
                                  "Art. 9 Abs. 2 lit. j"],
                           "fr": ["art. 89", "art. 89, paragraphe 2", "art. 17, paragraphe 3, point d)",
                                  "art. 89, paragraphe 1", "art. 21, paragraphe 6", "art. 9, paragraphe 2, point j)"]},
    "id_document": {"en": ["Art. 12(6)", "Recital 64", "Guidelines 01/2022"],
                    "de": ["Art. 12 Abs. 6", "Erwägungsgrund 64", "Leitlinien 01/2022"],
                    "fr": ["art. 12, paragraphe 6", "considérant 64", "lignes directrices 01/2022"]},
    "not_established": {"en": ["Art. 3(2)(b)", "Art. 27", "35/2022", "16 May 2024"],
                        "de": ["Art. 3 Abs. 2 lit. b", "Art. 27", "35/2022", "16. Mai 2024"],
                        "fr": ["art. 3, paragraphe 2, point b)", "art. 27", "35/2022", "16 mai 2024"]},
    "manifestly_unfounded": {"en": ["Art. 12(5)", "C-307/22", "Art. 12(4)", "Guidelines 01/2022"],
                             "de": ["Art. 12 Abs. 5", "C-307/22", "Art. 12 Abs. 4", "Leitlinien 01/2022"],
                             "fr": ["art. 12, paragraphe 5", "C-307/22", "art. 12, paragraphe 4", "lignes directrices 01/2022"]},
}
DUE = {"en": "16 March 2026", "de": "16. März 2026", "fr": "16 mars 2026"}


@pytest.fixture(scope="module")
def rebuttals() -> dict[tuple[str, str], LetterData]:
    return {(letter.ground, lang): letter
            for lang in LANGUAGES for _, letter in demo_rebuttals(lang, today=TODAY, parties=PARTIES)}


@pytest.mark.parametrize("ground", GROUNDS)
@pytest.mark.parametrize("lang", ["en", "de", "fr"])
def test_it_cites_the_articles_of_each_ground_and_names_the_dataset(rebuttals, ground, lang) -> None:
    text = pdf_text(render_pdf(rebuttals[(ground, lang)]))
    missing = [cite for cite in CITES[ground][lang] if not contains(text, cite)]
    assert not missing, f"{ground}/{lang} lacks {missing}"
    assert "MS-Celeb-1M" in text
    assert contains(text, DUE[lang]), "the rebuttal carries its own deadline"
    assert contains(text, "DEMO-ZLO-0001")


def test_it_answers_the_deleted_dataset_with_the_copies_still_circulating(rebuttals) -> None:
    letter = dataclasses.replace(rebuttals[("dataset_deleted", "en")], datasets=(dataclasses.replace(
        rebuttals[("dataset_deleted", "en")].datasets[0], circulating=("MS1MV2 (InsightFace Dataset Zoo)",)),))
    text = pdf_text(render_pdf(letter))
    assert contains(text, "MS1MV2 (InsightFace Dataset Zoo)") and contains(text, "still circulating")


def test_it_cites_the_uk_gdpr_and_the_ico_decision_for_a_uk_controller(rebuttals) -> None:
    letter = dataclasses.replace(rebuttals[("not_established", "en")], law="uk_gdpr")
    text = pdf_text(render_pdf(letter))
    assert contains(text, "Art. 3(2)(b) UK GDPR") and contains(text, "Upper Tribunal")
    assert "in the United Kingdom" in text and "Hellenic" not in text


def test_it_cites_the_fadp_for_a_swiss_controller(rebuttals) -> None:
    for ground, needle in (("not_established", "Art. 3(1) FADP"), ("research_exemption", "Art. 26 FADP")):
        text = pdf_text(render_pdf(dataclasses.replace(rebuttals[(ground, "en")], law="ch_fadp")))
        assert contains(text, needle), ground
        assert "Art. 77 FADP" not in text and "Art. 12(5) FADP" not in text


def test_it_refuses_a_rebuttal_without_a_ground(rebuttals) -> None:
    from dsar.letters.presenters import present

    with pytest.raises(ValueError, match="rebuttal"):
        present(dataclasses.replace(rebuttals[("id_document", "en")], ground="because"))
