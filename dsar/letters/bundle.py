"""All letters of one case together: a zip (one PDF per letter plus its email text) and one
combined PDF for printing."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from pypdf import PdfWriter

from dsar.letters.data import LetterData
from dsar.letters.email import email_for
from dsar.letters.render import render_many


def _base_name(index: int, letter: LetterData) -> str:
    # Numbered so that two letters of the same kind and language (two organisations) never clash.
    return f"{index:02d}-{letter.kind}-{letter.language}"


def email_file_text(letter: LetterData) -> str:
    email = email_for(letter)
    head = [f"To: {email.to}" if email.to else "To: (no email address known: send by post)"]
    if email.uses_webform:
        head.append("")
        head.extend(f"{n}. {step}" for n, step in enumerate(email.webform_steps, 1))
    head.extend(["", f"Subject: {email.subject}", "", email.body])
    return "\n".join(head)


def zip_bundle(letters: Sequence[LetterData], pdfs: Sequence[bytes] | None = None) -> bytes:
    """A zip with `NN-kind-lang.pdf` and `NN-kind-lang.txt` (the email or web-form text) for
    each letter. Pass `pdfs` when they are already rendered (same order)."""
    rendered = list(pdfs) if pdfs is not None else render_many(letters)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, (letter, pdf) in enumerate(zip(letters, rendered, strict=True), 1):
            name = _base_name(index, letter)
            archive.writestr(f"{name}.pdf", pdf)
            archive.writestr(f"{name}.txt", email_file_text(letter))
    return buffer.getvalue()


def combined_pdf(letters: Sequence[LetterData], pdfs: Sequence[bytes] | None = None) -> bytes:
    """Every letter in one PDF, in order, each starting on its own page, with an outline entry
    per letter."""
    rendered = list(pdfs) if pdfs is not None else render_many(letters)
    writer = PdfWriter()
    for index, (letter, pdf) in enumerate(zip(letters, rendered, strict=True), 1):
        writer.append(io.BytesIO(pdf), outline_item=f"{index}. {letter.recipient.addressee} ({letter.kind})")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def concatenate_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """Several PDFs one after the other in one file (a complaint with its evidence dossier)."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
