"""The sweep for real: redis-server, a Celery worker and beat as subprocesses, one SQLite file.

1. An overdue request produces exactly one reminder email within a bounded time.
2. A worker killed (SIGKILL) in the middle of a sweep with many reminders, then a new worker:
   every reminder sent and recorded once; an email goes out twice only when the kill lands
   between the mail server accepting it and the commit (dsar.cases.reminders), which can hit
   only the reminders in flight at that moment, and the copy has the same Message-ID.

The worker and beat run the real settings (dsar.settings) against the test database file,
with the file email backend writing into a temporary directory.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from dsar.cases.models import Event, Request
from tests.cases.clock_factories import CaseFactory, OrganisationFactory, RequestFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="redis-server is not installed (CI installs it: scripts/ensure-system-packages)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"^Subject: \[(DSAR-[0-9A-Z]{4}-[0-9A-Z]{4})\]", re.MULTILINE)
MESSAGE_ID = re.compile(r"^Message-ID: (<[^>]+>)", re.MULTILINE)
# The file email backend ends every message with a line of 79 dashes.
MESSAGE_END = "\n" + "-" * 79 + "\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(check, timeout: float, what: str, interval: float = 0.05) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: _accepts(port), 10, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


class Celery:
    """Worker and beat subprocesses sharing the test database, a broker and a mail folder."""

    def __init__(self, broker: str, workdir: Path) -> None:
        self.workdir = workdir
        self.mail_dir = workdir / "mail"
        self.mail_dir.mkdir()
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "dsar.settings",
            "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
            "CELERY_BROKER_URL": broker,
            "DSAR_VAR_DIR": str(workdir),
            "DSAR_FIELD_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
            "DSAR_BLIND_INDEX_KEY": settings.FIELD_BLIND_INDEX_KEY,
            "DSAR_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "DSAR_SWEEP_SECONDS": "5",
            # Small chunks: the kill lands in the middle of chunks, whose redelivery must send
            # only their unclaimed reminders.
            "DSAR_REMINDER_CHUNK_SIZE": "10",
            "DSAR_TIME_ZONE": settings.TIME_ZONE,
            # Temporary files (WeasyPrint's font folders) of workers killed with SIGKILL, which
            # cannot clean up, stay in the test's own folder.
            "TMPDIR": str(workdir),
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "dsar", *args, "--loglevel=INFO"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the pool too
        )

    def start_worker(self, name: str) -> None:
        self.start(
            name, "worker", "--concurrency=2", f"--hostname={name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        )  # fmt: skip

    def start_beat(self) -> None:
        self.start("beat", "beat", f"--schedule={self.workdir / 'beat-schedule'}")

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)

    def emailed_references(self) -> Counter[str]:
        """How many reminder emails each case reference received (one file per connection)."""
        found: Counter[str] = Counter()
        for path in self.mail_dir.glob("*.log"):
            found.update(REFERENCE.findall(path.read_text(encoding="utf-8", errors="replace")))
        return found

    def emailed_message_ids(self) -> dict[str, set[str]]:
        """The Message-IDs each case reference's reminder emails carried."""
        found: dict[str, set[str]] = {}
        for path in self.mail_dir.glob("*.log"):
            for message in path.read_text(encoding="utf-8", errors="replace").split(MESSAGE_END):
                reference, message_id = REFERENCE.search(message), MESSAGE_ID.search(message)
                if reference and message_id:
                    found.setdefault(reference.group(1), set()).add(message_id.group(1))
        return found

    def logs(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")[-3000:] for path in self.workdir.glob("*.log")
        )


@pytest.fixture
def celery(redis_url: str, tmp_path: Path) -> Iterator[Celery]:
    runner = Celery(redis_url, tmp_path)
    try:
        yield runner
    finally:
        runner.stop_all()


def _overdue_requests(count: int) -> list[Request]:
    """Requests whose due date was yesterday: the sweep turns them overdue and reminds."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    organisation = OrganisationFactory()
    return [
        RequestFactory(case=CaseFactory(), organisation=organisation, due_on=yesterday)
        for _ in range(count)
    ]


def test_it_sends_exactly_one_reminder_for_an_overdue_request(celery: Celery) -> None:
    [request] = _overdue_requests(1)
    celery.start_worker("w1")
    celery.start_beat()
    try:
        _wait_for(lambda: sum(celery.emailed_references().values()) >= 1, 45, "the reminder")
    except AssertionError:
        print(celery.logs())
        raise
    time.sleep(6)  # at least one more beat sweep: it must not send again
    request.refresh_from_db()
    assert celery.emailed_references() == Counter({request.case.reference: 1})
    assert request.status == Request.Status.OVERDUE
    assert request.reminder_overdue_sent_at is not None
    assert Event.objects.filter(request=request, kind=Event.Kind.REMINDER_SENT).count() == 1
    assert request.children.get().kind == Request.Kind.FOLLOWUP


def test_it_loses_and_duplicates_nothing_when_a_worker_is_killed_mid_sweep(
    celery: Celery,
) -> None:
    requests = _overdue_requests(300)
    references = {request.case.reference for request in requests}
    celery.start_worker("w1")
    celery.start_beat()
    _wait_for(lambda: sum(celery.emailed_references().values()) >= 20, 45, "the first reminders")
    celery.kill("w1")
    emailed_at_kill = celery.emailed_references()
    assert sum(emailed_at_kill.values()) < len(requests), "the sweep finished before the kill"

    celery.start_worker("w2")
    _wait_for(
        lambda: (
            not Request.objects.filter(
                kind=Request.Kind.ACCESS, reminder_overdue_sent_at=None
            ).exists()
        ),
        60,
        "every reminder",
        interval=0.2,
    )
    time.sleep(1)  # let the last transaction's email land
    emailed = celery.emailed_references()
    assert set(emailed) == references  # none lost
    # Twice only for what was in flight at the kill: at most one reminder per pool process
    # (concurrency 2), each already emailed when the kill landed, and both copies alike.
    twice = {reference for reference, count in emailed.items() if count > 1}
    assert max(emailed.values()) <= 2 and len(twice) <= 2, emailed.most_common(5)
    assert twice <= set(emailed_at_kill)
    message_ids = celery.emailed_message_ids()
    assert all(len(message_ids[reference]) == 1 for reference in references)
    assert Event.objects.filter(kind=Event.Kind.REMINDER_SENT).count() == len(requests)
    # The draft follow-up each overdue reminder prepares exists once per request, too.
    followups = Request.objects.filter(kind=Request.Kind.FOLLOWUP)
    assert sorted(followups.values_list("parent_id", flat=True)) == sorted(r.id for r in requests)
