"""Private storage that cannot be written (disk full, read-only, not a folder): a clear message
to the person, nothing half-written kept, the render task retries (dsar.cases.fields,
dsar.cases.responses, services.request_log_answer, tasks.render_request_letter).

tests/faults/test_media_faults.py does the same with a real full and a real read-only disk."""
from __future__ import annotations

import datetime as dt
import errno
import logging
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dsar.cases import services, tasks
from dsar.cases.fields import private_storage
from dsar.cases.models import Event, Request


class _DiskFills(ContentFile):
    """Content whose second chunk meets a full disk."""

    def chunks(self, chunk_size: int | None = None):  # type: ignore[no-untyped-def]
        yield b"%PDF-1.7 first part"
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def unwritable_root(settings, tmp_path: Path) -> Path:
    # A file where the folder should be: every write fails with NotADirectoryError.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.PRIVATE_MEDIA_ROOT = blocker
    return blocker


def test_it_keeps_no_half_written_file_when_the_disk_fills(private_root: Path) -> None:
    with pytest.raises(OSError):
        private_storage.save("letters/1/access-1.pdf", _DiskFills(b""))
    assert [path for path in Path(private_root).rglob("*") if path.is_file()] == []


def test_it_never_replaces_a_stored_file(private_root: Path) -> None:
    first = private_storage.save("letters/1/a.pdf", ContentFile(b"one"))
    second = private_storage.save("letters/1/a.pdf", ContentFile(b"two"))
    assert first != second
    assert private_storage.open(first).read() == b"one" and private_storage.open(second).read() == b"two"


def test_it_says_a_letter_could_not_be_generated_and_keeps_nothing(client, public, unwritable_root) -> None:
    url = reverse("cases:letter", kwargs={"token": public.token, "request_id": public.request.pk})
    response = client.get(url)
    assert response.status_code == 503
    assert "The letter could not be generated just now" in response.content.decode()
    request = Request.objects.get(pk=public.request.pk)
    assert not request.letter_pdf and not request.letter_inputs_hash


def test_it_says_an_answer_scan_could_not_be_stored_and_records_nothing(client, public, unwritable_root) -> None:
    services.request_mark_sent(request=public.request, sent_on=dt.date(2026, 2, 2), channel="email")
    status = Request.objects.get(pk=public.request.pk).status
    scan = SimpleUploadedFile("antwort.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    url = reverse("cases:request", kwargs={"token": public.token, "request_id": public.request.pk})
    response = client.post(url, {"action": "answer", "answer-outcome": "refused", "answer-on": "2026-02-27",
                                 "answer-upload": scan})
    assert response.status_code == 400
    assert "The file could not be stored just now" in response.content.decode()
    assert not Event.objects.filter(kind=Event.Kind.ANSWER_RECEIVED).exists()
    assert Request.objects.get(pk=public.request.pk).status == status


def test_the_render_task_logs_ids_only_and_retries(public, unwritable_root, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="dsar.cases.tasks"), pytest.raises(NotADirectoryError):
        tasks.render_request_letter(public.request.pk)  # called directly, a retry re-raises
    assert f"request {public.request.pk} not stored (ENOTDIR), attempt 1" in caplog.text
    assert public.case.data_subject.name not in caplog.text
    assert issubclass(NotADirectoryError, tasks.render_request_letter.autoretry_for)
