"""The answer classifier on answers shaped like real ones, in English, German and French.
Pure: no database."""
from __future__ import annotations

import datetime as dt

import pytest

from dsar.mailbox.classify import Label, classify, dates_in, own_words

QUOTED_LETTER = """

On Mon, 2 Mar 2026 at 10:00, dsar <noreply@dsar.test> wrote:
> I ask you to erase all personal data about me (Art. 17 GDPR) and to confirm the erasure.
> If you need to extend the period (Art. 12(3)), tell me. Do not ask for my ID card.
"""

ANSWERS = [
    # (language, text, attachments, label)
    ("en", "Dear Ms Quintero,\n\nThank you for your email. We confirm receipt of your subject access "
           "request. Your ticket number is CRM-483920. We will respond within one month, which may be "
           "extended by two further months where necessary.\n\nKind regards\nPrivacy Team" + QUOTED_LETTER,
     (), Label.ACKNOWLEDGED),
    ("en", "Due to the complexity and number of requests we have received, we need to extend the time "
           "for our response by two further months under Article 12(3) UK GDPR. We will respond by "
           "2 June 2026.", (), Label.EXTENSION),
    ("en", "Before we can process your request we need to verify your identity. Please send a copy of "
           "a valid passport or national ID card to this address.", (), Label.IDENTITY),
    ("en", "We are unable to comply with your request. The images were processed solely for scientific "
           "research purposes and Article 89 GDPR together with section 27 BDSG exempts this processing.",
     (), Label.REFUSED),
    ("en", "We deleted our copy of the MS-Celeb-1M dataset in 2019 and no longer hold it. We therefore "
           "hold no personal data about you.", (), Label.NO_LONGER_HELD),
    ("en", "In response to your subject access request, please find attached a copy of the personal data "
           "we hold about you.", ("SAR-export.zip",), Label.ANSWERED),
    ("en", "We confirm that all personal data relating to you, including images and face templates, has "
           "been permanently deleted from our systems.", (), Label.ERASED),
    ("de", "Sehr geehrte Frau Quintero,\n\nhiermit bestätigen wir den Eingang Ihrer Anfrage vom 2. März "
           "2026. Ihre Vorgangsnummer: DS-2026-0042.\n\nMit freundlichen Grüßen\nDatenschutzteam\n\n"
           "Am 02.03.2026 um 10:00 schrieb dsar <noreply@dsar.test>:\n> bitte löschen Sie alle Daten",
     (), Label.ACKNOWLEDGED),
    ("de", "aufgrund der Vielzahl der Anträge verlängern wir die Frist zur Beantwortung gemäß Art. 12 "
           "Abs. 3 DSGVO um weitere zwei Monate, also bis zum 2. Juni 2026.", (), Label.EXTENSION),
    ("de", "Um Ihre Identität zu überprüfen, senden Sie uns bitte eine Kopie Ihres Personalausweises "
           "(Vorder- und Rückseite).", (), Label.IDENTITY),
    ("de", "Leider können wir Ihrem Antrag nicht nachkommen. Die Daten werden ausschließlich zu "
           "wissenschaftlichen Forschungszwecken verarbeitet; nach Art. 89 Abs. 2 DSGVO i.V.m. § 27 BDSG "
           "ist das Auskunftsrecht insoweit ausgeschlossen.", (), Label.REFUSED),
    ("de", "Der Datensatz DukeMTMC ist bei uns nicht mehr vorhanden; wir haben ihn 2019 vollständig "
           "gelöscht.", (), Label.NO_LONGER_HELD),
    ("de", "anbei erhalten Sie die Auskunft nach Art. 15 DSGVO als PDF im Anhang.", ("Auskunft.pdf",),
     Label.ANSWERED),
    ("fr", "Madame, nous accusons bonne réception de votre demande d'accès. Votre demande a été "
           "enregistrée sous le numéro de dossier RGPD-7781.", (), Label.ACKNOWLEDGED),
    ("fr", "Compte tenu de la complexité de votre demande, nous devons prolonger le délai de réponse de "
           "deux mois supplémentaires, soit jusqu'au 1er juin 2026.", (), Label.EXTENSION),
    ("fr", "Afin de vérifier votre identité, merci de nous transmettre une copie de votre carte "
           "d'identité.", (), Label.IDENTITY),
    ("fr", "Nous ne sommes pas en mesure de donner suite à votre demande : ces données sont traitées à "
           "des fins de recherche scientifique (article 89 du RGPD).", (), Label.REFUSED),
    ("fr", "Nous ne détenons plus ce jeu de données, qui a été supprimé en 2019.", (), Label.NO_LONGER_HELD),
    ("fr", "Veuillez trouver ci-joint la copie de vos données à caractère personnel.", ("export.csv",),
     Label.ANSWERED),
    ("fr", "Nous confirmons la suppression de l'ensemble de vos données.", (), Label.ERASED),
]


@pytest.mark.parametrize(("language", "text", "attachments", "label"), ANSWERS,
                         ids=[f"{a[0]}-{a[3]}-{i}" for i, a in enumerate(ANSWERS)])
def test_it_proposes_what_a_real_answer_says(language, text, attachments, label):
    result = classify(text, attachments=attachments)
    assert result.label == label
    assert result.phrases_for(label), "the phrases that led to the proposal are returned"


@pytest.mark.parametrize(("text", "until"), [
    (ANSWERS[1][1], dt.date(2026, 6, 2)),
    (ANSWERS[8][1], dt.date(2026, 6, 2)),
    (ANSWERS[14][1], dt.date(2026, 6, 1)),
    ("We have extended the deadline to June 30, 2026 (your request of 2 March 2026).", dt.date(2026, 6, 30)),
    ("Die Frist wird bis 30.06.2026 verlängert.", dt.date(2026, 6, 30)),
])
def test_it_reads_until_when_an_extension_runs(text, until):
    result = classify(text)
    assert result.label == Label.EXTENSION and result.extension_until == until


@pytest.mark.parametrize(("text", "ground"), [
    (ANSWERS[3][1], "Article 89 GDPR"),
    (ANSWERS[10][1], "Art. 89 Abs. 2 DSGVO"),
    (ANSWERS[16][1], "article 89 du RGPD"),
    ("We must decline under Article 17(3)(d) GDPR.", "Article 17(3)(d) GDPR"),
    ("We must decline: the data is used for research purposes only.", "research purposes"),
])
def test_it_names_the_ground_a_refusal_cites(text, ground):
    result = classify(text)
    assert result.label == Label.REFUSED and result.ground == ground


def test_it_reads_only_the_organisations_words_not_the_quoted_letter():
    text = "Thanks, noted." + QUOTED_LETTER
    assert "erase" not in own_words(text)
    assert classify(text).label == Label.UNKNOWN


def test_it_does_not_take_a_possible_extension_for_one():
    assert classify("We will respond within one month; this may be extended by two further months.").label == (
        Label.ACKNOWLEDGED)


def test_it_takes_files_without_words_as_data_enclosed():
    result = classify("", attachments=("data.json",))
    assert result.label == Label.ANSWERED and ("answered", "[data.json]") in result.phrases


def test_it_skips_impossible_dates():
    assert dates_in("31.02.2026, 2026-13-01, 30 février 2026") == []
