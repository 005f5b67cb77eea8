from __future__ import annotations

from datetime import date
from io import BytesIO

from pypdf import PdfReader

from dsar.letters.data import DatasetRef, LetterData, Person, Recipient
from dsar.letters.render import render_pdf


def test_it_renders_an_english_access_letter_with_its_reference_and_dataset() -> None:
    letter = LetterData(
        kind="access",
        language="en",
        reference="DSAR-TEST-0001",
        letter_date=date(2026, 3, 2),
        due_date=date(2026, 4, 7),
        person=Person("Дмитрий Ильин", ("Hauptstraße 5", "10115 Berlin")),
        recipient=Recipient("Microsoft", "Microsoft Ireland Operations Limited", ("One Microsoft Place", "Dublin 18")),
        datasets=(DatasetRef("MS-Celeb-1M"),),
    )
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(render_pdf(letter))).pages)
    assert "DSAR-TEST-0001" in text
    assert "MS-Celeb-1M" in text
    assert "Дмитрий Ильин" in text
    assert "7 April 2026" in text
