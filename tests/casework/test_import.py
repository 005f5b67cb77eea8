"""Bulk import of data subjects from CSV: preview, bad rows by line, no duplicates."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dsar.cases.models import Case, DataSubject
from dsar.casework.models import Batch, BatchMember, SubjectNameKey

# Line number (header = line 1) -> the broken row written there, and the reason reported.
BAD = {
    17: ("", "nobody@example.org", "DE", "the name is missing"),
    140: ("Bad Email", "not-an-email", "DE", "“not-an-email” is not a valid email address"),
    333: ("Bad Country", "c@example.org", "ZZ", "“ZZ” is not a two-letter country code (e.g. DE)"),
    500: ("Too Long " + "x" * 500, "l@example.org", "DE", "“name” is longer than 500 characters"),
    678: ("Bad Phone", "p@example.org", "DE", "“12” is not a valid phone number (use +CC… or give a country)"),
    801: ("Short Row", "", "", "expected 5 fields, found 2"),
    999: ("Bad Email Two", "x@", "FR", "“x@” is not a valid email address"),
}


def thousand_rows() -> bytes:
    lines = ["name,email,postal_address,phone,country"]
    for line in range(2, 1002):
        if line in BAD:
            name, email, country, _reason = BAD[line]
            if name == "Short Row":
                lines.append("Short Row,x")
                continue
            phone = "12" if name == "Bad Phone" else ""
            lines.append(f"{name},{email},,{phone},{country}")
        else:
            lines.append(f"Person Number {line},person{line}@example.org,\"Street {line}\",,DE")
    return ("\n".join(lines) + "\n").encode()


def upload(client, data: bytes, team, label="Chapel Quad"):
    return client.post(reverse("casework:batch_new"), {
        "label": label, "team": team.pk, "file": SimpleUploadedFile("people.csv", data, content_type="text/csv"),
    })


@pytest.fixture
def worker(client, cast):
    client.force_login(cast.worker_a)
    return client


def test_it_previews_before_storing_anything(worker, cast):
    subjects_before = DataSubject.objects.count()
    response = upload(worker, thousand_rows(), cast.team_a)
    assert response.status_code == 302 and response["Location"] == reverse("casework:batch_preview")
    preview = worker.get(reverse("casework:batch_preview"))
    assert preview.status_code == 200
    assert "993 new people will be stored." in preview.content.decode()
    assert DataSubject.objects.count() == subjects_before
    assert not Batch.objects.exists()


def test_it_imports_993_of_1000_rows_and_reports_the_7_bad_ones_by_line(worker, cast):
    subjects_before, cases_before = DataSubject.objects.count(), Case.objects.count()
    upload(worker, thousand_rows(), cast.team_a)
    preview = worker.get(reverse("casework:batch_preview"))
    reported = [(e.line, e.reason) for e in preview.context["errors"]]
    assert reported == [(line, bad[3]) for line, bad in sorted(BAD.items())]
    response = worker.post(reverse("casework:batch_preview"))
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("casework:batch", args=[batch.pk])
    assert DataSubject.objects.count() == subjects_before + 993
    assert Case.objects.count() == cases_before + 993
    assert batch.members.count() == 993
    assert not batch.members.filter(line__in=BAD).exists()
    assert set(DataSubject.objects.filter(team=cast.team_b).values_list("pk", flat=True)) == {
        cast.case_b.data_subject_id}


def test_it_creates_no_duplicates_when_the_same_file_is_imported_again(worker, cast):
    for label in ("first", "second"):
        upload(worker, thousand_rows(), cast.team_a, label=label)
        worker.post(reverse("casework:batch_preview"))
    first, second = Batch.objects.get(label="first"), Batch.objects.get(label="second")
    assert DataSubject.objects.filter(team=cast.team_a).count() == 993 + 1  # + the cast's own case
    assert Case.objects.filter(team=cast.team_a).count() == 993 + 1
    assert set(second.members.values_list("case_id", flat=True)) == set(first.members.values_list("case_id", flat=True))
    assert not second.members.filter(created_subject=True).exists()


def test_it_says_who_is_already_stored_in_the_preview(worker, cast):
    upload(worker, thousand_rows(), cast.team_a)
    worker.post(reverse("casework:batch_preview"))
    upload(worker, thousand_rows(), cast.team_a)
    body = worker.get(reverse("casework:batch_preview")).content.decode()
    assert "993 people are already stored" in body and "0 new people" in body


def test_it_keeps_the_same_person_apart_in_two_teams(client, cast):
    """The duplicate check is per team: another NGO filing for the same person gets its own case."""
    data = b"name,email\nAda Quintero,ada@example.net\n"
    client.force_login(cast.worker_b)
    upload(client, data, cast.team_b)
    client.post(reverse("casework:batch_preview"))
    assert DataSubject.objects.filter(team=cast.team_b).count() == 2
    assert DataSubject.objects.filter(team=cast.team_a).count() == 1


def test_it_writes_a_name_key_for_every_imported_person(worker, cast):
    upload(worker, b"name,email\nJana Nov\xc3\xa1kov\xc3\xa1,jana@example.cz\n", cast.team_a)
    worker.post(reverse("casework:batch_preview"))
    member = BatchMember.objects.get()
    assert SubjectNameKey.objects.filter(data_subject_id=member.case.data_subject_id).exists()


def test_it_shows_a_whole_file_problem_next_to_the_file_field(worker, cast):
    response = upload(worker, b"name,passport\nA,1\n", cast.team_a)
    assert response.status_code == 200
    assert "passport" in response.context["form"].errors["file"][0]
    assert response.context["form"]["label"].value() == "Chapel Quad"
    assert not Batch.objects.exists()


def test_it_refuses_to_import_into_another_teams_batch(client, cast):
    client.force_login(cast.worker_b)
    response = upload(client, b"name\nA\n", cast.team_a)
    assert response.status_code == 200 and "team" in response.context["form"].errors
    assert not Batch.objects.exists()
