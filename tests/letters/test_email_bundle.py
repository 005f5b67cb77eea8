from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from urllib.parse import parse_qs, unquote, urlsplit

from pypdf import PdfReader

from dsar.letters.bundle import combined_pdf, zip_bundle
from dsar.letters.email import MAILTO_MAX, email_for, mailto_link
from dsar.letters.render import render_many
from tests.letters.conftest import contains, pdf_text, sample_letters


def test_it_writes_the_email_subject_and_plain_body() -> None:
    letter = sample_letters("de")["access"]
    email = email_for(letter)
    assert email.to == letter.recipient.email
    assert email.subject == "Auskunftsersuchen – DEMO-ZLO-0001"
    assert "MS-Celeb-1M" in email.body and "5. April 2026" in email.body
    assert "Name as listed: Zoe Orsted" in email.body
    assert "<" not in email.body and "&amp;" not in email.body
    assert email.body.startswith("Sehr geehrte Damen und Herren,")


def test_it_encodes_the_mailto_link_so_it_parses_back() -> None:
    link = mailto_link("privacy@example.com", "Demande – réf. 1 & 2?", "Ligne 1\nZoë & <b>x</b> = 100%")
    parts = urlsplit(link)
    fields = parse_qs(parts.query)
    assert parts.scheme == "mailto" and unquote(parts.path) == "privacy@example.com"
    assert fields["subject"] == ["Demande – réf. 1 & 2?"]
    assert fields["body"] == ["Ligne 1\r\nZoë & <b>x</b> = 100%"]


def test_it_drops_a_body_too_long_for_a_mailto_link() -> None:
    email = email_for(sample_letters("en")["access"])
    assert len(email.mailto) <= MAILTO_MAX
    assert "body=" not in email.mailto and "subject=" in email.mailto


def test_it_gives_webform_steps_when_the_organisation_has_only_a_form() -> None:
    letter = sample_letters("fr")["access"]
    form_only = replace(letter, recipient=replace(letter.recipient, email="", webform="https://privacy.example/form"))
    email = email_for(form_only)
    assert email.uses_webform and email.mailto == ""
    assert "https://privacy.example/form" in email.webform_steps[0]
    assert email.body.startswith("Madame, Monsieur,")
    assert not email_for(letter).uses_webform


def test_it_renders_many_letters_in_order_on_two_processes() -> None:
    letters = [replace(sample_letters("en")["access"], reference=f"BATCH-{n:03d}") for n in range(5)]
    pdfs = render_many(letters, processes=2)
    assert [f"BATCH-{n:03d}" in pdf_text(pdf) for n, pdf in enumerate(pdfs)] == [True] * 5


def test_it_bundles_every_letter_with_its_email_text_in_a_zip() -> None:
    letters = list(sample_letters("en").values())[:3]
    archive = zipfile.ZipFile(io.BytesIO(zip_bundle(letters)))
    names = archive.namelist()
    assert names == ["01-access-en.pdf", "01-access-en.txt", "02-erasure-en.pdf", "02-erasure-en.txt",
                     "03-followup-en.pdf", "03-followup-en.txt"]
    assert "DukeMTMC" in pdf_text(archive.read("02-erasure-en.pdf"))
    email_text = archive.read("01-access-en.txt").decode()
    assert "To: privacy@example.com" in email_text and "Subject: Request for access" in email_text
    assert "To: (no email address known" in archive.read("02-erasure-en.txt").decode()


def test_it_combines_all_letters_into_one_pdf() -> None:
    letters = list(sample_letters("en").values())
    pdfs = render_many(letters, processes=1)
    combined = PdfReader(io.BytesIO(combined_pdf(letters, pdfs)))
    assert len(combined.pages) == sum(len(PdfReader(io.BytesIO(p)).pages) for p in pdfs)
    text = pdf_text(combined_pdf(letters, pdfs))
    for letter in letters:
        assert contains(text, letter.recipient.addressee)
    titles = [item.title for item in combined.outline if not isinstance(item, list)]
    assert titles[0].startswith("1. Microsoft Ireland") and len(titles) == len(letters)


def test_it_renders_in_the_calling_process_inside_a_daemon(monkeypatch) -> None:
    import multiprocessing

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "daemon", property(lambda self: True))
    monkeypatch.setattr(multiprocessing.context.ForkContext, "Pool", lambda *a, **k: 1 / 0)
    letters = [replace(sample_letters("en")["mandate"], reference=f"D-{n}") for n in range(2)]
    pdfs = render_many(letters, processes=2)
    assert ["D-0" in pdf_text(pdfs[0]), "D-1" in pdf_text(pdfs[1])] == [True, True]


def test_it_keeps_list_items_on_consecutive_lines_in_the_email() -> None:
    body = email_for(sample_letters("en")["complaint"]).body
    assert "(Art. 58(2)(c) GDPR);\nb) impose" in body


def _worker_gc_state() -> tuple[tuple[int, int, int], int]:
    import gc

    return gc.get_threshold(), gc.get_freeze_count()


def test_it_freezes_the_warm_caches_and_relaxes_gc_in_batch_workers() -> None:
    import gc
    import multiprocessing

    from dsar.letters.render import WORKER_GC_THRESHOLD, _init_worker

    parent_threshold = gc.get_threshold()
    with multiprocessing.get_context("fork").Pool(1, initializer=_init_worker) as pool:
        threshold, frozen = pool.apply(_worker_gc_state)
    assert threshold == WORKER_GC_THRESHOLD and frozen > 0
    assert gc.get_threshold() == parent_threshold  # the calling process keeps its settings
