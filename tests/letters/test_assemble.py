"""The one letter assembler against the real catalogue: per addressee only its datasets and the
details they need, both letters for access + erasure, the team as representative, deadline
steps in the letter's language."""
from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from dsar.cases import deadlines
from dsar.catalog.models import Dataset, Organisation
from dsar.letters.assemble import (
    NGO_INCOMPLETE,
    LetterSpec,
    NgoIncomplete,
    Sender,
    assemble,
    team_ngo,
)
from dsar.letters.render import render_pdf
from tests.letters.conftest import contains, pdf_text

pytestmark = pytest.mark.django_db

D = dt.date
SENDER = Sender(name="Robin Vale", address="Kastanienallee 3\n10435 Berlin", country="DE",
                email="robin@example.org", phone="+4930123456", other_names="R. Vale; Robin V.")
DETAILS = {
    "hrt-transgender": {"youtube_videos": "youtube.com/@robinvale, 2011-2012"},
    "ms-celeb-1m": {"name_as_listed": "Robin Vale", "profession": "musician",
                    "youtube_videos": "never to Microsoft"},
}


@pytest.fixture
def catalogue() -> None:
    call_command("load_catalog", stdout=StringIO())


def _spec(organisation: str, kind: str = "access", **overrides: object) -> LetterSpec:
    values: dict[str, object] = dict(
        kind=kind, organisation=Organisation.objects.get(slug=organisation),
        datasets=list(Dataset.objects.filter(slug__in=["hrt-transgender", "ms-celeb-1m"]).order_by("slug")),
        details=DETAILS, sender=SENDER, reference="DSAR-TEST-0001", letter_date=D(2026, 3, 2),
        due_date=D(2026, 4, 2), language="en",
    )
    values.update(overrides)
    return LetterSpec(**values)  # type: ignore[arg-type]


def test_it_names_to_each_addressee_only_the_datasets_it_published_or_used(catalogue) -> None:
    (microsoft,) = assemble(_spec("microsoft"))
    (uncw,) = assemble(_spec("uncw"))

    assert [d.name for d in microsoft.datasets] == ["MS-Celeb-1M"]
    assert [d.name for d in uncw.datasets] == ["HRT Transgender Dataset"]
    text = pdf_text(render_pdf(microsoft))
    assert "HRT" not in text and "youtube" not in text.lower() and "transgender" not in text.lower()
    assert "MS-Celeb-1M" in text and "Robin Vale" in text


def test_it_gives_each_dataset_only_the_details_it_needs(catalogue) -> None:
    (microsoft,) = assemble(_spec("microsoft"))
    (ms_celeb,) = microsoft.datasets
    labels = [label for label, _value in ms_celeb.identifying_details]
    assert labels == ["Name as listed", "Profession or public role"]  # no YouTube channel


def test_it_marks_a_dataset_that_reveals_gender_identity(catalogue) -> None:
    (uncw,) = assemble(_spec("uncw"))
    assert uncw.datasets[0].sensitive == ("gender_identity", "health")


def test_it_makes_both_letters_for_access_and_erasure(catalogue) -> None:
    letters = assemble(_spec("microsoft", kind="access_erasure"))
    assert [letter.kind for letter in letters] == ["access", "erasure"]
    assert {letter.reference for letter in letters} == {"DSAR-TEST-0001"}


def test_it_prints_the_person_in_the_letters_language(catalogue) -> None:
    (letter,) = assemble(_spec("microsoft", language="de"))
    assert letter.person.address_lines == ("Kastanienallee 3", "10435 Berlin", "Deutschland")
    assert letter.person.phone == "+49 30 123456"
    assert letter.person.other_names == ("R. Vale", "Robin V.")


def test_it_renders_deadline_steps_in_the_letters_language(catalogue) -> None:
    clamped = deadlines.due_date(D(2026, 1, 31), "DE")  # 31 Feb does not exist; Sat, Sun
    easter = deadlines.due_date(D(2026, 3, 3), "DE")  # 3 April 2026 is Good Friday
    steps = (clamped.rule, *clamped.steps, *easter.steps)
    (letter,) = assemble(_spec("microsoft", kind="followup", language="de", due_steps=steps))
    joined = " ".join(letter.due_steps)
    assert "28. Februar 2026 (kein 31. Februar)" in joined and "(Karfreitag)" in joined
    for english in ("received", "one month", "Saturday", "Sunday", "holiday", "Good Friday", "Feb ",
                    "next working day", "starts the clock", "GDPR"):
        assert english not in joined


def test_it_refuses_a_team_without_address_or_contact(catalogue) -> None:
    incomplete = team_ngo(name="Gesichter e.V.", address="", email="")
    with pytest.raises(NgoIncomplete, match="postal address"):
        assemble(_spec("microsoft", ngo=incomplete))
    assert "team settings" in NGO_INCOMPLETE


def test_it_names_the_team_with_its_address_and_contact(catalogue) -> None:
    ngo = team_ngo(name="Gesichter e.V.", address="Lindenstraße 12\n10969 Berlin", email="faelle@example.org")
    (letter,) = assemble(_spec("microsoft", ngo=ngo))
    text = pdf_text(render_pdf(letter))
    assert contains(text, "Gesichter e.V.") and contains(text, "Lindenstraße 12") and "faelle@example.org" in text


def _regional(name: str) -> str:
    from dsar.letters.demo import regional_letters

    letters = dict(regional_letters(today=D(2026, 3, 2)))
    return pdf_text(render_pdf(letters[name]))


def test_it_writes_to_a_swiss_controller_under_the_fadp(catalogue) -> None:
    access, erasure = _regional("access-de-ch.pdf"), _regional("erasure-de-ch.pdf")
    assert contains(access, "nach Art. 25 des Bundesgesetzes über den Datenschutz")
    assert contains(access, "Art. 25 Abs. 7 DSG") and contains(access, "EDÖB")
    assert contains(access, "4. April 2026")  # 30 days after receipt on 5 March
    assert contains(erasure, "nach Art. 32 Abs. 2 lit. c des Bundesgesetzes") and contains(erasure, "Art. 30 Abs. 2 lit. b DSG")
    for text in (access, erasure):
        assert "Art. 77 DSG" not in text and "Art. 15 DSG" not in text and "Art. 17 DSG" not in text


def test_it_writes_to_a_uk_controller_under_the_uk_gdpr(catalogue) -> None:
    text = _regional("access-en-uk.pdf")
    assert contains(text, "Data Protection Act 2018") and contains(text, "Information Commissioner's Office")
    assert contains(text, "Arts. 12(3) and 12A UK GDPR") and contains(text, "not bound by them")
    assert "EU/EEA" not in text and contains(text, "outside the United Kingdom")


def test_it_tells_a_us_controller_why_the_gdpr_applies(catalogue) -> None:
    text = _regional("access-en-us.pdf")
    assert contains(text, "Art. 3(2)(b) GDPR") and contains(text, "representative in the Union (Art. 27 GDPR)")


def test_it_addresses_a_third_country_controller_through_its_representative(catalogue) -> None:
    megvii = Organisation.objects.get(slug="megvii")
    megvii.establishment = "representative"
    megvii.representative_name = "Example Rep GmbH"
    megvii.representative_address = "Repstraße 1\n10115 Berlin\nGermany"
    megvii.representative_country = "DE"
    megvii.full_clean()
    megvii.save()
    (letter,) = assemble(_spec("megvii"))
    assert letter.recipient.addressee == "Example Rep GmbH"
    assert letter.recipient.address_lines == ("Repstraße 1", "10115 Berlin", "Germany")
    assert letter.recipient.represented == megvii.legal_name
    assert letter.recipient.country == "DE"  # the clock counts where the letter goes
    assert contains(pdf_text(render_pdf(letter)), "Art. 27(4) GDPR")


def test_it_writes_to_mits_representative_from_the_catalogue(catalogue) -> None:
    (letter,) = assemble(_spec("mit"))
    assert letter.recipient.addressee == "J-PAL Europe"
    assert letter.recipient.represented == "Massachusetts Institute of Technology"
    assert letter.recipient.country == "FR"


def test_it_writes_to_microsoft_ireland(catalogue) -> None:
    (letter,) = assemble(_spec("microsoft"))
    assert letter.recipient.addressee == "Microsoft Ireland Operations Limited"
    assert letter.recipient.country == "IE"
    assert "Dublin 18" in " ".join(letter.recipient.address_lines)


@pytest.mark.parametrize("language,words", [
    ("en", "gender identity and health"), ("de", "Geschlechtsidentität und Gesundheit"),
    ("fr", "l'identité de genre et la santé"),
])
def test_it_says_carefully_what_the_hrt_dataset_reveals(catalogue, language, words) -> None:
    (letter,) = assemble(_spec("uncw", language=language))
    text = pdf_text(render_pdf(letter))
    assert contains(text, words) and contains(text, {"en": "Art. 9(1)", "de": "Art. 9 Abs. 1",
                                                     "fr": "art. 9, paragraphe 1"}[language])
    (microsoft,) = assemble(_spec("microsoft", language=language))
    assert not contains(pdf_text(render_pdf(microsoft)), words)


FEDERAL = "Die Bundesbeauftragte für den Datenschutz und die Informationsfreiheit"


def test_it_names_the_authority_so_that_the_grammar_holds() -> None:
    from dataclasses import replace

    from dsar.letters.data import Authority
    from tests.letters.conftest import sample_letters

    for language, phrase in (("de", f"bei der zuständigen Aufsichtsbehörde ({FEDERAL})"),
                             ("en", f"with the competent supervisory authority ({FEDERAL})"),
                             ("fr", f"auprès de l'autorité de contrôle compétente ({FEDERAL})")):
        followup = replace(sample_letters(language)["followup"], authority=Authority(name=FEDERAL))
        text = pdf_text(render_pdf(followup))
        assert contains(text, phrase) and not contains(text, f"bei {FEDERAL}")


def test_it_states_the_extended_period_in_the_complaint() -> None:
    from dataclasses import replace

    from tests.letters.conftest import sample_letters

    complaint = sample_letters("en")["complaint"]
    extended = replace(complaint, original=replace(complaint.original, extended=True))
    assert contains(pdf_text(render_pdf(complaint)), "Under Art. 12(3) GDPR the controller had to answer within one month of receipt")
    assert contains(pdf_text(render_pdf(extended)), "within three months of receipt, after an extension notified")
    swiss = pdf_text(render_pdf(replace(complaint, law="ch_fadp")))
    assert contains(swiss, "Art. 25(7) FADP") and contains(swiss, "within 30 days of receipt")
    assert "Art. 77 of the Swiss" not in swiss


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_it_writes_a_general_request_to_an_addressee_of_none_of_the_datasets(catalogue, language) -> None:
    # Duke used neither HRT Transgender nor MS-Celeb-1M: its letter names no dataset at all.
    (letter,) = assemble(_spec("duke-university", language=language))
    text = pdf_text(render_pdf(letter))
    assert letter.datasets == ()
    assert "HRT" not in text and "MS-Celeb" not in text
    assert contains(text, {"en": "face images of me in face-recognition datasets",
                           "de": "Gesichtsbilder von mir in Datensätzen zur Gesichtserkennung",
                           "fr": "images de mon visage figurant dans des jeux de données"}[language])
