"""Review and download: every letter previewed as a PDF, all in one zip, the due dates, the rate
limit, and the rule that nothing personal reaches the database without tracking."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.apps import apps
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from dsar.wizard.state import SESSION_KEY
from tests.wizard.helpers import (
    JOURNALIST_AT_DUKE,
    PERSON,
    answer_questions,
    choose,
    complete_flow,
    enter_details,
)

pytestmark = pytest.mark.usefixtures("catalogue")


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@time_machine.travel("2026-03-02 10:00 +0000", tick=False)
def test_it_lists_each_letter_with_its_due_date(client):
    complete_flow(client)
    response = client.get(reverse("wizard:review"))
    text = response.content.decode()
    rows = response.context["organisations"]
    assert response.status_code == 200
    assert [row.organisation.slug for row in rows] == ["duke-university", "microsoft"]
    assert reverse("wizard:letter_pdf", args=["microsoft", "erasure"]) in text
    # Duke takes requests by email: received the day it is sent (Mon 2 March), due one month
    # later on Thu 2 April, a working day in the US.
    duke = rows[0]
    assert duke.channel == "email"
    assert duke.due == dt.date(2026, 4, 2)
    assert "one month -> Thu 2 Apr 2026" in duke.due_steps
    assert "April 2, 2026" in text
    # Alex lives in Berlin: the Berlin commissioner takes complaints.
    assert response.context["authority"].region == "DE-BE"
    assert response.context["authority"].name in text


def test_it_streams_a_letter_naming_the_organisation_and_the_person(client):
    complete_flow(client)
    response = client.get(reverse("wizard:letter_pdf", args=["duke-university", "erasure"]))
    text = pdf_text(response.content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Duke" in text and PERSON["name"] in text
    assert "DukeMTMC" in text
    assert client.session[SESSION_KEY]["ref"] in text


def test_it_writes_the_letters_in_french_when_asked(client):
    answer_questions(client, JOURNALIST_AT_DUKE)
    choose(client, ["microsoft"], letter_language="fr")
    assert enter_details(client).status_code == 302
    response = client.get(reverse("wizard:letter_pdf", args=["microsoft", "erasure"]))
    text = pdf_text(response.content)
    assert "Madame, Monsieur" in text
    assert PERSON["name"] in text and "Allemagne" in text  # the country in the letter's language


def test_it_answers_404_for_a_letter_not_in_the_session(client):
    complete_flow(client)
    response = client.get(reverse("wizard:letter_pdf", args=["ibm", "erasure"]))
    assert response.status_code == 404


def test_it_puts_all_letters_in_one_zip(client):
    complete_flow(client, kind="access_erasure")
    response = client.get(reverse("wizard:letters_zip"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    pdfs = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
    texts = [pdf_text(archive.read(name)) for name in pdfs]
    assert response.status_code == 200
    assert len(pdfs) == 4  # access and erasure, to Duke and to Microsoft
    assert sum("Microsoft" in text for text in texts) == 2
    assert all(PERSON["name"] in text for text in texts)


@override_settings(DSAR_LETTER_RATE="2/m")
def test_it_limits_how_often_letters_are_downloaded(client):
    complete_flow(client)
    url = reverse("wizard:letter_pdf", args=["microsoft", "erasure"])
    statuses = [client.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@override_settings(DSAR_WIZARD_RATE="3/m")
def test_it_limits_how_often_steps_are_sent(client):
    url = reverse("wizard:questions", args=[1])
    statuses = [client.post(url, {"step": "questions-1"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_it_stores_nothing_in_the_database_without_tracking(client):
    before = _row_counts()
    complete_flow(client)
    client.get(reverse("wizard:review"))
    client.get(reverse("wizard:letters_zip"))
    assert _row_counts() == before


def test_it_deletes_the_answers_on_request(client):
    complete_flow(client)
    response = client.post(reverse("wizard:restart"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
def test_it_creates_a_tracked_case_only_when_asked(client, mailoutbox, django_capture_on_commit_callbacks):
    from dsar.cases.models import Case

    complete_flow(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wizard:track"),
                               {"email": "alex@example.org", "consent": "on"})
    case = Case.objects.get()
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert sorted(r.organisation.slug for r in case.requests.all()) == ["duke-university", "microsoft"]
    assert len(mailoutbox) == 1


def test_it_asks_for_consent_before_tracking(client):
    from dsar.cases.models import Case

    complete_flow(client)
    response = client.post(reverse("wizard:track"), {"email": "alex@example.org"})
    assert response.status_code == 200
    assert 'href="#id_consent"' in response.content.decode()
    assert Case.objects.count() == 0


@time_machine.travel("2026-03-02 10:00 +0000", tick=False)
def test_it_gives_the_tracked_letter_the_text_of_the_previewed_one(
    client, mailoutbox, django_capture_on_commit_callbacks, settings, tmp_path
):
    """One letter, one path: the wizard's PDF and the tracked request's PDF, read back, are the
    same text (same person, addressee, datasets, details, reference, dates)."""
    from dsar.cases.letters import request_letter_pdf, request_render_letter
    from dsar.cases.models import Case

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    complete_flow(client, kind="access_erasure")
    previews = {kind: pdf_text(client.get(reverse("wizard:letter_pdf", args=["microsoft", kind])).content)
                for kind in ("access", "erasure")}
    reference = client.session[SESSION_KEY]["ref"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wizard:track"), {"email": "alex@example.org", "consent": "on"})
    case = Case.objects.get()
    tracked = {r.kind: pdf_text(request_letter_pdf(request_render_letter(request=r)))
               for r in case.requests.filter(organisation__slug="microsoft")}

    assert case.reference == reference  # one reference: the letters, the case, its emails
    assert reference in mailoutbox[0].body or reference in mailoutbox[0].subject
    assert tracked == previews
    assert reference in tracked["access"] and "Alex Example" in tracked["erasure"]
