"""Which clauses apply is decided in the presenter: tested here without rendering."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
import segno
from PIL import Image

from dsar.letters.data import DatasetRef, Recipient
from dsar.letters.presenters import format_date, present
from dsar.letters.render import MAX_DATA_URL, decode_data_url
from tests.letters.conftest import sample_letters


def test_it_writes_dates_in_each_language() -> None:
    assert format_date(date(2026, 3, 1), "en") == "1 March 2026"
    assert format_date(date(2026, 3, 1), "de") == "1. März 2026"
    assert format_date(date(2026, 3, 1), "fr") == "1er mars 2026"
    assert format_date(date(2026, 8, 15), "fr") == "15 août 2026"


def test_it_asks_for_onward_notice_only_from_publishers_and_hosts() -> None:
    letter = sample_letters("en")["erasure"]
    as_user = replace(letter, datasets=(replace(letter.datasets[0], role="user"),))
    as_host = replace(letter, datasets=(replace(letter.datasets[0], role="derivative_host"),))
    assert present(letter).onward_notice is True
    assert present(as_user).onward_notice is False
    assert present(as_host).onward_notice is True


def test_it_argues_the_withdrawal_only_for_withdrawn_datasets() -> None:
    letter = sample_letters("en")["erasure"]
    live = replace(letter, datasets=(DatasetRef("LAION-5B"),))
    assert present(letter).any_withdrawn is True
    assert present(live).any_withdrawn is False


def test_it_names_the_law_in_the_letters_language() -> None:
    letter = sample_letters("de")["access"]
    assert present(letter).law == "DSGVO"
    assert present(replace(letter, language="fr")).law == "RGPD"
    assert present(replace(letter, law="uk_gdpr")).law == "UK GDPR"
    assert present(replace(letter, language="fr", law="ch_fadp")).law_of == "de la LPD"


def test_it_writes_as_the_ngo_when_one_acts_for_the_person() -> None:
    letters = sample_letters("en")
    ngo = letters["mandate"].ngo
    on_behalf = present(replace(letters["access"], ngo=ngo))
    assert on_behalf.on_behalf is True
    assert on_behalf.sender.name == ngo.name
    assert present(letters["access"]).sender.name == letters["access"].person.name


def test_it_has_the_person_sign_the_mandate_not_the_ngo() -> None:
    mandate = present(sample_letters("en")["mandate"])
    assert mandate.on_behalf is False
    assert mandate.sender.name == mandate.person.name
    assert mandate.shows_due is False


def test_it_refuses_a_mandate_without_an_ngo() -> None:
    with pytest.raises(ValueError, match="NGO"):
        present(replace(sample_letters("en")["mandate"], ngo=None))


def test_it_refuses_a_followup_without_the_original_request() -> None:
    presenter = present(replace(sample_letters("en")["followup"], original=None))
    with pytest.raises(ValueError, match="original request"):
        _ = presenter.original_due


def test_it_copies_the_art27_representative_but_not_into_a_complaint() -> None:
    letters = sample_letters("en")
    rep = ("EU Rep Ltd", "1 Rue X", "Paris")
    access = replace(letters["access"], recipient=replace(letters["access"].recipient, eu_representative=rep))
    complaint = replace(letters["complaint"], recipient=replace(letters["complaint"].recipient, eu_representative=rep))
    assert present(access).representative_lines == rep
    assert present(complaint).representative_lines == ()


def test_it_reads_what_the_original_request_asked_for() -> None:
    followup = sample_letters("en")["followup"]
    access_only = replace(followup, original=replace(followup.original, kind="access"))
    assert present(followup).asks_access and present(followup).asks_erasure
    assert present(access_only).asks_access and not present(access_only).asks_erasure


def test_it_cites_the_clearview_decisions_only_in_complaints() -> None:
    letters = sample_letters("en")
    assert present(letters["complaint"]).cite_precedents is True
    assert present(letters["followup"]).cite_precedents is False


def test_it_prints_the_trading_name_only_when_it_differs_from_the_legal_entity() -> None:
    letter = sample_letters("en")["access"]
    same = replace(letter, recipient=Recipient(name="ACME", legal_name="ACME"))
    assert present(letter).recipient_trading_name == "Microsoft"
    assert present(same).recipient_trading_name == ""


def test_it_makes_a_qr_code_of_the_reference_the_fetcher_accepts() -> None:
    letter = sample_letters("en")["access"]
    qr = present(letter).qr
    media_type, body = decode_data_url(qr)  # what the renderer's fetcher does with it
    assert media_type == "image/png" and len(qr) < MAX_DATA_URL
    # One pixel per module, no border: the image is exactly the QR matrix of the reference.
    expected = segno.make(letter.reference, error="m", micro=False, mask=0).matrix
    image = Image.open(io.BytesIO(body)).convert("1")
    assert image.size == (len(expected[0]), len(expected))
    dark = [[image.getpixel((x, y)) == 0 for x in range(image.width)] for y in range(image.height)]
    assert dark == [[bool(module) for module in row] for row in expected]


def test_it_refuses_unknown_kinds_and_languages() -> None:
    letter = sample_letters("en")["access"]
    with pytest.raises(ValueError):
        present(replace(letter, kind="threat"))
    with pytest.raises(ValueError):
        present(replace(letter, language="it"))


def test_it_rests_swiss_requests_on_the_fadp_articles() -> None:
    letters = sample_letters("en")
    assert present(letters["access"]).basis_article == "15"
    assert present(replace(letters["access"], law="ch_fadp")).basis_article == "25"
    assert present(replace(letters["erasure"], law="ch_fadp")).basis_article == "32(2)(c)"
    german = sample_letters("de")["erasure"]
    assert present(replace(german, law="ch_fadp")).basis_article == "32 Abs. 2 lit. c"
