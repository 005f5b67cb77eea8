from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from dsar.cases import services
from dsar.cases.fields import blind_index
from dsar.cases.models import Case, DataSubject, Event
from tests.cases.conftest import PERSON


def _raw_row(subject_id: int) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, postal_address, email, identifying_details FROM cases_datasubject WHERE id = %s",
            [subject_id],
        )
        return cursor.fetchone()


def test_it_stores_personal_fields_as_ciphertext(db):
    subject = services.data_subject_create(person=PERSON)

    raw = _raw_row(subject.pk)
    assert all(value.startswith("gAAAAA") for value in raw)  # Fernet tokens
    assert "Quintero" not in " ".join(raw)
    reloaded = DataSubject.objects.get(pk=subject.pk)
    assert reloaded.name == PERSON["name"]
    assert reloaded.identifying_details == PERSON["identifying_details"]


def test_it_keeps_name_and_address_out_of_the_database_file(transactional_db):
    # transactional_db: the row is committed, so it is really in the file (or its WAL).
    subject = services.data_subject_create(person=PERSON)
    path = Path(connection.settings_dict["NAME"])
    assert path.is_file(), "the test database must be a file for this test"

    data = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())

    assert _raw_row(subject.pk)[0].encode("ascii") in data  # the stored token is in the file
    for secret in ("Quintero-Blackwood", "Lindenstra", "zofia@example.net", "red umbrella"):
        assert secret.encode("utf-8") not in data


def test_it_reads_old_rows_after_a_new_key_is_prepended(db, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    subject = services.data_subject_create(person=PERSON)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    assert DataSubject.objects.get(pk=subject.pk).name == PERSON["name"]


def test_it_rotates_every_row_to_the_newest_key(db, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    subject = services.data_subject_create(person=PERSON)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_field_keys")

    raw_name = _raw_row(subject.pk)[0]
    assert Fernet(new_key.encode()).decrypt(raw_name.encode()).decode() == PERSON["name"]
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can now be dropped
    assert DataSubject.objects.get(pk=subject.pk).postal_address == PERSON["postal_address"]


def test_it_matches_the_blind_index_across_case_and_spacing(db):
    subject = services.data_subject_create(person=PERSON)

    assert subject.blind_index == blind_index("  zofia  QUINTERO-blackwood ", "Zofia@Example.net")
    assert subject.blind_index != blind_index("Zofia Quintero", "zofia@example.net")
    assert "zofia" not in subject.blind_index


def test_it_rotates_case_emails_and_notes_too(public, settings):
    services.case_add_note(case=public.case, text="private note")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, settings.FIELD_ENCRYPTION_KEYS[0]]

    counts = services.field_keys_rotate()

    assert counts == {"cases.DataSubject": 1, "cases.Case": 1, "cases.Event": 1, "letter files": 0}
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert Case.objects.get(pk=public.case.pk).tracking_email == "zofia@example.net"
    assert Event.objects.get().note == "private note"


def _stored_letter(public) -> tuple[Path, bytes]:
    from dsar.cases.letters import request_render_letter

    request = request_render_letter(request=public.request)
    path = Path(request.letter_pdf.path)
    return path, path.read_bytes()


def test_it_keeps_rendered_letters_encrypted_on_disk(public, client, frozen):
    import io

    import pytest
    from django.urls import reverse
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    path, on_disk = _stored_letter(public)

    assert not on_disk.startswith(b"%PDF") and b"%PDF" not in on_disk
    assert b"Quintero" not in on_disk
    with pytest.raises(PdfReadError):
        PdfReader(io.BytesIO(on_disk))
    response = client.get(reverse("cases:letter", args=[public.token, public.request.pk]))
    downloaded = b"".join(response.streaming_content)
    assert response.status_code == 200 and downloaded.startswith(b"%PDF")
    assert "Quintero" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(downloaded)).pages)


def test_it_rotates_rendered_letters_to_the_newest_key(public, settings, frozen):
    from dsar.cases.letters import request_letter_pdf

    path, before = _stored_letter(public)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, settings.FIELD_ENCRYPTION_KEYS[0]]

    counts = services.field_keys_rotate()

    assert counts["letter files"] == 1
    assert Fernet(new_key.encode()).decrypt(path.read_bytes()).startswith(b"%PDF")
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can be dropped
    public.request.refresh_from_db()
    assert request_letter_pdf(public.request).startswith(b"%PDF")
