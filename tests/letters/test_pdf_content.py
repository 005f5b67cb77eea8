"""The rendered letters, read back as text: each kind in each language carries what
letter-requirements.md says it must."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from dsar.letters.data import KINDS, LANGUAGES
from dsar.letters.presenters import present
from tests.letters.conftest import contains

CASES = [(kind, lang) for kind in KINDS for lang in LANGUAGES]

# Article references that must appear, written as each language cites them.
ARTICLES = {
    ("access", "en"): ["Art. 15", "Art. 15(1)(g)", "Art. 15(2)", "Art. 9(2)", "Art. 14", "Art. 14(5)(b)",
                       "C-154/21", "C-307/22", "C-487/21", "Art. 12(3)", "Art. 12(5)", "Art. 12(6)"],
    ("access", "de"): ["Art. 15", "Art. 15 Abs. 1 lit. g", "Art. 15 Abs. 2", "Art. 9 Abs. 2", "Art. 14 Abs. 5 lit. b",
                       "C-154/21", "C-307/22", "C-487/21", "Art. 12 Abs. 3", "Art. 12 Abs. 5", "Art. 12 Abs. 6"],
    ("access", "fr"): ["article 15", "paragraphe 1, point g)", "art. 15, paragraphe 2", "article 9, paragraphe 2",
                       "article 14, paragraphe 5, point b)", "C-154/21", "C-307/22", "C-487/21",
                       "article 12, paragraphe 3", "art. 12, paragraphe 5"],
    ("erasure", "en"): ["Art. 17", "Art. 17(1)(a)", "Art. 17(1)(c)", "Art. 17(1)(d)", "Art. 21(1)", "Art. 21(6)",
                        "Art. 18(1)(d)", "Art. 17(2)", "Art. 19", "Art. 17(3)(d)", "Art. 89(1)", "Art. 12(3)"],
    ("erasure", "de"): ["Art. 17", "Art. 17 Abs. 1 lit. a", "Art. 17 Abs. 1 lit. c", "Art. 17 Abs. 1 lit. d",
                        "Art. 21 Abs. 1", "Art. 21 Abs. 6", "Art. 18 Abs. 1 lit. d", "Art. 17 Abs. 2", "Art. 19",
                        "Art. 17 Abs. 3 lit. d", "Art. 89 Abs. 1", "Art. 12 Abs. 3"],
    ("erasure", "fr"): ["article 17", "art. 17, paragraphe 1, point a)", "article 21, paragraphe 1",
                        "article 21, paragraphe 6", "art. 18, paragraphe 1, point d)", "article 17, paragraphe 2",
                        "article 19", "article 17, paragraphe 3, point d)", "article 89, paragraphe 1",
                        "article 12, paragraphe 3"],
    ("followup", "en"): ["Art. 12(3)", "Art. 12(4)", "Art. 77"],
    ("followup", "de"): ["Art. 12 Abs. 3", "Art. 12 Abs. 4", "Art. 77"],
    ("followup", "fr"): ["article 12, paragraphe 3", "article 12, paragraphe 4", "article 77"],
    ("complaint", "en"): ["Art. 77", "Art. 58(2)(c)", "Art. 58(2)(f)", "Art. 58(2)(g)", "Art. 12(3)", "Art. 15"],
    ("complaint", "de"): ["Art. 77", "Art. 58 Abs. 2 lit. c", "Art. 58 Abs. 2 lit. f", "Art. 58 Abs. 2 lit. g",
                          "Art. 12 Abs. 3", "Art. 15"],
    ("complaint", "fr"): ["article 77", "art. 58, paragraphe 2, point c)", "art. 58, paragraphe 2, point f)",
                          "art. 58, paragraphe 2, point g)", "article 12, paragraphe 3", "article 15"],
    ("mandate", "en"): ["Art. 80(1)", "Art. 15", "Art. 17", "Art. 18", "Art. 21", "Art. 77"],
    ("mandate", "de"): ["Art. 80 Abs. 1", "Art. 15", "Art. 17", "Art. 18", "Art. 21", "Art. 77"],
    ("mandate", "fr"): ["article 80, paragraphe 1", "art. 15", "art. 17", "art. 18", "art. 21", "art. 77"],
    # The sample rebuttal answers "we deleted the dataset" (tests/letters/test_rebuttals.py has every ground).
    ("rebuttal", "en"): ["Art. 15(1)(c)", "C-154/21", "Art. 17(2)", "Art. 19", "Art. 77"],
    ("rebuttal", "de"): ["Art. 15 Abs. 1 lit. c", "C-154/21", "Art. 17 Abs. 2", "Art. 19", "Art. 77"],
    ("rebuttal", "fr"): ["art. 15, paragraphe 1, point c)", "C-154/21", "art. 17, paragraphe 2", "art. 19", "art. 77"],
}
LAW = {"en": "GDPR", "de": "DSGVO", "fr": "RGPD"}
DATES = {"en": "{d} {m} 2026", "de": "{d}. {m} 2026", "fr": "{d} {m} 2026"}
MONTHS = {"en": {3: "March", 4: "April", 6: "June"}, "de": {3: "März", 4: "April", 6: "Juni"},
          "fr": {3: "mars", 4: "avril", 6: "juin"}}
# Due dates of the sample letters (letter of 2 March 2026, received 5 March; follow-up +14 days).
DUE = {"access": (5, 4), "erasure": (5, 4), "followup": (16, 3), "complaint": (2, 6), "rebuttal": (16, 3)}


def due_text(kind: str, lang: str) -> str:
    day, month = DUE[kind]
    return DATES[lang].format(d=day, m=MONTHS[lang][month])


@pytest.mark.parametrize("kind,lang", CASES)
def test_it_cites_the_articles_for_each_kind_and_language(rendered, kind, lang) -> None:
    _, text = rendered[(kind, lang)]
    missing = [article for article in ARTICLES[(kind, lang)] if not contains(text, article)]
    assert missing == []
    assert LAW[lang] in text


@pytest.mark.parametrize("kind,lang", CASES)
def test_it_names_the_dataset_and_the_reference(rendered, letters, kind, lang) -> None:
    _, text = rendered[(kind, lang)]
    letter = letters[(kind, lang)]
    for dataset in letter.datasets:
        assert dataset.name in text
    assert text.count(letter.reference) >= 2  # info block and subject line (and the footer)


@pytest.mark.parametrize("kind,lang", CASES)
def test_it_prints_the_recipient_name_and_address(rendered, letters, kind, lang) -> None:
    _, text = rendered[(kind, lang)]
    recipient = letters[(kind, lang)].recipient
    assert contains(text, recipient.addressee)
    for line in recipient.address_lines:
        assert contains(text, line)


@pytest.mark.parametrize("kind,lang", [c for c in CASES if c[0] != "mandate"])
def test_it_prints_the_due_date(rendered, kind, lang) -> None:
    _, text = rendered[(kind, lang)]
    assert contains(text, due_text(kind, lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_lists_derivatives_and_identifying_details_in_access_letters(rendered, letters, lang) -> None:
    _, text = rendered[("access", lang)]
    dataset = letters[("access", lang)].datasets[0]
    for name in dataset.derivatives:
        assert name in text
    for label, value in dataset.identifying_details:
        assert contains(text, label) and contains(text, value)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_names_the_controller_and_the_original_request_in_a_complaint(rendered, letters, lang) -> None:
    _, text = rendered[("complaint", lang)]
    letter = letters[("complaint", lang)]
    assert contains(text, letter.controller.addressee)
    assert letter.original.reference in text
    assert "Clearview" in text
    sent = {"en": "13 January 2026", "de": "13. Januar 2026", "fr": "13 janvier 2026"}[lang]
    assert contains(text, sent)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_names_the_authority_in_a_followup(rendered, letters, lang) -> None:
    _, text = rendered[("followup", lang)]
    assert contains(text, letters[("followup", lang)].authority.name)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_gives_the_mandate_signature_lines_and_the_ngo(rendered, letters, lang) -> None:
    _, text = rendered[("mandate", lang)]
    letter = letters[("mandate", lang)]
    assert contains(text, letter.ngo.name)
    assert text.count(letter.person.name) >= 2  # letterhead and signature line
    assert {"en": "revoke", "de": "widerrufen", "fr": "révoquer"}[lang] in text


@pytest.mark.parametrize("kind,lang", CASES)
def test_it_numbers_pages_and_sets_title_and_language(rendered, letters, kind, lang) -> None:
    pdf, text = rendered[(kind, lang)]
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    word, of = {"en": ("Page", "of"), "de": ("Seite", "von"), "fr": ("Page", "sur")}[lang]
    assert f"{word} 1 {of} {pages}" in text
    letter = letters[(kind, lang)]
    assert reader.metadata.title == f"{present(letter).title} – {letter.reference}"
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert reader.pdf_header.startswith("%PDF-1.7")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged (PDF/UA-1)
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_renders_latin_and_cyrillic_names_with_bundled_fonts(rendered, lang) -> None:
    pdf, text = rendered[("access", lang)]
    assert "Zoë Łukasiewicz-Ørsted" in text
    assert "Зоя Орстед" in text
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # Only the @font-face family (our bundled DejaVu files), never a system fallback font.
    assert fonts and all("Letter-Sans" in font for font in fonts)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_cites_the_fadp_and_its_30_days_for_a_swiss_access_request(letters, lang) -> None:
    from dataclasses import replace

    from dsar.letters.render import render_pdf
    from tests.letters.conftest import pdf_text

    text = pdf_text(render_pdf(replace(letters[("access", lang)], law="ch_fadp")))
    article = {"en": "Art. 25 of the Swiss Federal Act", "de": "Art. 25 des Bundesgesetzes", "fr": "l'article 25 de la loi fédérale"}[lang]
    assert contains(text, article)
    assert contains(text, {"en": "30 days", "de": "30 Tagen", "fr": "30 jours"}[lang])


def test_it_deflates_every_stream_at_the_renderers_level(rendered) -> None:
    """pydyf would deflate at level 9; the renderer sets PDF_ZLIB_LEVEL (bench/RESULTS.md).
    Deflating a stream's decoded bytes again at that level must give exactly the stored bytes,
    for the page contents and the embedded fonts alike."""
    import zlib

    from dsar.letters.render import PDF_ZLIB_LEVEL

    pdf, _ = rendered[("erasure", "de")]
    reader = PdfReader(io.BytesIO(pdf))
    streams = [page["/Contents"].get_object() for page in reader.pages]
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        streams.append(descriptor["/FontFile2"].get_object())
    assert len(streams) >= len(reader.pages) + 2  # pages, and the regular and bold fonts
    differs_from_level_9 = []
    for stream in streams:
        assert stream["/Filter"] == "/FlateDecode"
        stored = stream._data  # the deflated bytes as written into the file
        assert zlib.compress(zlib.decompress(stored), PDF_ZLIB_LEVEL) == stored
        differs_from_level_9.append(zlib.compress(zlib.decompress(stored), 9) != stored)
    assert any(differs_from_level_9)  # the check above can tell the levels apart
