"""The production-like stack of the fault tests as real processes: gunicorn, Celery worker and
beat (tests/servers.py has redis-server and PostgreSQL), an HTTP client, and readers of the
reminder emails they send.

Every process gets the real settings (dsar.settings, DEBUG off) against the test's database
(a DATABASE_URL), its own folder for the broker, mail and private media, free ports, and its
own process group, so SIGKILL reaches a worker's pool too. `Stack.stop_all` ends everything.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tests.servers import accepts, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"^Subject: \[(DSAR-[0-9A-Z]{4}-[0-9A-Z]{4})\]", re.MULTILINE)
MESSAGE_ID = re.compile(r"^Message-ID: (<[^>]+>)", re.MULTILINE)
# The file email backend ends every message with a line of 79 dashes.
MESSAGE_END = "\n" + "-" * 79 + "\n"


class Stack:
    """Web, worker and beat subprocesses sharing one database, broker, mail folder and media."""

    def __init__(self, workdir: Path, *, database_url: str, broker: str, redis_url: str = "",
                 **extra_env: str) -> None:
        self.workdir = workdir
        self.mail_dir = workdir / "mail"
        self.mail_dir.mkdir(exist_ok=True)
        self.media_dir = Path(extra_env.pop("DSAR_PRIVATE_MEDIA_ROOT", str(workdir / "private")))
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "dsar.settings",
            "DSAR_DEBUG": "false",
            "DSAR_SSL_REDIRECT": "false",
            "DSAR_SECRET_KEY": secrets.token_urlsafe(50),
            "DSAR_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": "filesystem://" if broker == "filesystem" else broker,
            "REDIS_URL": redis_url,
            "DSAR_VAR_DIR": str(workdir),
            "DSAR_PRIVATE_MEDIA_ROOT": str(self.media_dir),
            "DSAR_FIELD_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
            "DSAR_BLIND_INDEX_KEY": settings.FIELD_BLIND_INDEX_KEY,
            "DSAR_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "DSAR_TIME_ZONE": settings.TIME_ZONE,
            "DSAR_SWEEP_SECONDS": "5",
            # Small chunks: a kill lands in the middle of chunks, whose redelivery must send only
            # their unclaimed reminders.
            "DSAR_REMINDER_CHUNK_SIZE": "10",
            # A killed worker's messages come back after seconds, not minutes (settings: the
            # timeout must stay above the task time limit and the bulk-letter lease).
            "DSAR_TASK_TIME_LIMIT": "5",
            "DSAR_CASEWORK_LEASE_SECONDS": "5",
            "DSAR_BROKER_VISIBILITY_SECONDS": "10",
            # WeasyPrint's font folders of workers killed with SIGKILL stay in the test's folder.
            "TMPDIR": str(workdir),
            **extra_env,
        }
        if not redis_url:
            del self.env["REDIS_URL"]
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.web_port = 0

    # --- processes ---------------------------------------------------------------------------

    def _start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{name}.log").open("ab")
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
        self.processes[name] = process
        return process

    def start_worker(self, name: str = "worker") -> subprocess.Popen[bytes]:
        return self._start(name, [
            sys.executable, "-m", "celery", "-A", "dsar", "worker", "--loglevel=INFO", "--concurrency=2",
            f"--hostname={name}-{secrets.token_hex(3)}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat",
        ])  # fmt: skip

    def start_beat(self) -> subprocess.Popen[bytes]:
        return self._start("beat", [sys.executable, "-m", "celery", "-A", "dsar", "beat", "--loglevel=INFO",
                                    f"--schedule={self.workdir / 'beat-schedule'}"])  # fmt: skip

    def start_web(self, workers: int = 2) -> subprocess.Popen[bytes]:
        self.web_port = free_port()
        process = self._start("web", [
            sys.executable, "-m", "gunicorn", "dsar.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{self.web_port}",
            "--timeout", "30", "--log-level", "warning",
        ])  # fmt: skip
        wait_for(lambda: accepts(self.web_port), 60, "gunicorn")
        return process

    def alive(self, name: str) -> bool:
        return name in self.processes and self.processes[name].poll() is None

    def kill(self, name: str) -> None:
        """SIGKILL the process and its whole group (a worker's pool processes too)."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(15)
            except ProcessLookupError:
                continue
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)

    def logs(self) -> str:
        return "\n".join(f"--- {path.name}\n" + path.read_text(errors="replace")[-4000:]
                         for path in sorted(self.workdir.glob("*.log")))

    # --- reminder emails (file backend: one file per connection) -------------------------------

    def emailed_references(self) -> Counter[str]:
        """How many reminder emails each case reference received."""
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

    def client(self) -> Browser:
        return Browser(f"http://127.0.0.1:{self.web_port}")


@dataclass
class Page:
    status: int
    body: str
    headers: dict[str, str]


class Browser:
    """A visitor over real HTTP: cookies kept, no redirects followed, CSRF token sent back."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def _csrf(self) -> str:
        return next((cookie.value or "" for cookie in self.cookies if cookie.name == "csrftoken"), "")

    def get(self, path: str) -> Page:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str | list[str]]) -> Page:
        data = {"csrfmiddlewaretoken": self._csrf(), **fields}
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST",
                                         headers={"Referer": self.base + path})  # fmt: skip
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Page(response.status, response.read().decode(errors="replace"), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Page(error.code, error.read().decode(errors="replace"), dict(error.headers))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def until(check, timeout: float, what: str, stack: Stack, interval: float = 0.2) -> float:  # type: ignore[no-untyped-def]
    """wait_for with the processes' logs on failure; returns the seconds it took."""
    started = time.monotonic()
    try:
        wait_for(check, timeout, what, interval)
    except AssertionError:
        print(stack.logs())
        raise
    return time.monotonic() - started
