"""Drive complete public flows over real HTTP and print server time per step.

    .venv/bin/python bench/wizard.py [--flows 200] [--clients 2] [--workers 2] [--redis]

Starts its own server: gunicorn (`dsar.wsgi`, `-w 2`, production settings with DEBUG off but
no TLS redirect) on a free loopback port, with a throwaway DSAR_VAR_DIR, a migrated SQLite database (the catalogue comes with the data
migration; `load_catalog --if-empty` makes sure), the embedded file-based cache for sessions (or
Redis with --redis), DSAR_SERVER_TIMING on and the rate limits off (one address drives all
flows). Each flow is what a person does: intro, every question screen (GET + POST), result,
choose (GET + POST), details (GET + POST), review, one letter PDF, the zip of all letters.

Server time is the `Server-Timing: app;dur=` header of dsar.wizard.middleware, i.e. Django's own
time from the first middleware to the response (no network, no gunicorn queueing). Client time
(loopback wall clock) is printed next to it. Target: p95 <= 50 ms for every step except the PDF
downloads.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
ANSWERS = {"public-figure": "yes", "duke-chapel-2014": "yes"}
DETAILS = {
    "name": "Alex Example", "other_names": "", "address": "Musterstraße 1\n10115 Berlin",
    "country": "DE", "region": "DE-BE", "email": "alex@example.org", "phone": "030 1234567",
    "profession": "journalist", "duke_mtmc_date": "2014-03-14", "duke_mtmc_when": "around noon",
    "duke_mtmc_place": "In front of the Chapel", "reference_photo": "on",
}
PDF_STEPS = {"letter PDF", "zip of letters"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One person's browser: keeps cookies, sends the CSRF token, records timings."""

    def __init__(self, port: int, timings: dict[str, list[tuple[float, float, float]]]) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.timings = timings

    def request(self, step: str, method: str, path: str, form: dict | None = None,
                expect: tuple[int, ...] = (200,)) -> bytes:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1/"
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        wall = (time.perf_counter() - start) * 1000
        if response.status not in expect:
            raise RuntimeError(f"{step}: {method} {path} -> {response.status}\n{data[:3000]!r}")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        header = response.getheader("Server-Timing") or ""
        app, cpu = re.search(r"app;dur=([\d.]+)", header), re.search(r"cpu;dur=([\d.]+)", header)
        if app is None or cpu is None:
            raise RuntimeError("no Server-Timing header: is DSAR_SERVER_TIMING set?")
        self.timings[step].append((float(app.group(1)), wall, float(cpu.group(1))))
        return data


KIND = "erasure"


def flow(client: Client, screens: list[list[str]]) -> None:
    client.request("intro", "GET", "/start/")
    for number, slugs in enumerate(screens, start=1):
        path = f"/start/questions/{number}/"
        client.request("question screen GET", "GET", path)
        answers = {slug: ANSWERS.get(slug, "no") for slug in slugs}
        client.request("question screen POST", "POST", path,
                       {**answers, "step": f"questions-{number}", "_next": "1"}, expect=(302,))
    page = client.request("result", "GET", "/start/result/")
    assert b"DukeMTMC" in page and b"MS-Celeb-1M" in page
    client.request("choose GET", "GET", "/start/choose/")
    client.request("choose POST", "POST", "/start/choose/", {
        "organisations": ["duke-university", "microsoft"], "kind": KIND,
        "letter_language": "auto", "step": "choose", "_next": "1"}, expect=(302,))
    client.request("details GET", "GET", "/start/details/")
    client.request("details POST", "POST", "/start/details/",
                   {**DETAILS, "step": "details", "_next": "1"}, expect=(302,))
    client.request("review", "GET", "/start/review/")
    pdf = client.request("letter PDF", "GET", f"/start/letters/microsoft/{KIND}.pdf")
    assert pdf.startswith(b"%PDF")
    archive = client.request("zip of letters", "GET", "/start/letters.zip")
    assert archive.startswith(b"PK")


def question_screens(env: dict[str, str]) -> list[list[str]]:
    """The slugs on each question screen for someone giving ANSWERS ("no" to the rest): the
    first screens and the self-checks those answers call for."""
    code = ("import json, sys, django; django.setup();"
            "from dsar.catalog.models import EligibilityQuestion;"
            "from dsar.wizard.flow import question_screens;"
            "answers = json.loads(sys.argv[1]);"
            "qs = list(EligibilityQuestion.objects.order_by('position', 'slug'));"
            "given = {q.slug: answers.get(q.slug, 'no') for q in qs};"
            "print(json.dumps([[s.slug for s in screen] for screen in question_screens(qs, given)]))")
    out = subprocess.run([PYTHON, "-c", code, json.dumps(ANSWERS)], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return json.loads(out)


def start_server(args: argparse.Namespace, var_dir: str) -> tuple[subprocess.Popen, int, dict]:
    from cryptography.fernet import Fernet

    # Production settings (DEBUG off) minus TLS: plain HTTP on loopback, so no redirect; this
    # client sends the Secure cookies anyway.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dsar.settings", "DSAR_VAR_DIR": var_dir,
           "DSAR_SERVER_TIMING": "1", "DSAR_RATELIMIT": "0", "DSAR_LOG_LEVEL": "WARNING",
           "DSAR_DEBUG": "0", "DSAR_SSL_REDIRECT": "0", "DSAR_ALLOWED_HOSTS": "127.0.0.1",
           "DSAR_SECRET_KEY": "bench-" + os.urandom(24).hex(),
           "DSAR_FIELD_KEYS": Fernet.generate_key().decode(),
           "DSAR_BLIND_INDEX_KEY": os.urandom(24).hex()}
    redis = None
    if args.redis:
        redis_port = free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind",
                                  "127.0.0.1", "--save", "", "--appendonly", "no"],
                                 stdout=subprocess.DEVNULL)
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        time.sleep(0.5)
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "load_catalog", "--if-empty", "-v", "0"], env=env, cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([GUNICORN, "dsar.wsgi", "-w", str(args.workers), "-b",
                               f"127.0.0.1:{port}", "--log-level", "warning"], env=env, cwd=ROOT)
    env["_redis_pid"] = str(redis.pid) if redis else ""
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, port, {"env": env, "redis": redis}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _exit_on_term(signum: int, frame: object) -> None:
    # A `timeout` or Ctrl-C still stops gunicorn and Redis (the finally below).
    raise SystemExit(f"stopped by signal {signum}")


def main() -> int:
    signal.signal(signal.SIGTERM, _exit_on_term)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flows", type=int, default=200)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", action="store_true", help="sessions in Redis, not files")
    parser.add_argument("--kind", default="erasure", choices=["erasure", "access"])
    args = parser.parse_args()
    global KIND
    KIND = args.kind
    load_before = f"{os.getloadavg()[0]:.2f}"
    with tempfile.TemporaryDirectory(prefix="dsar-bench-") as var_dir:
        server, port, extra = start_server(args, var_dir)
        try:
            screens = question_screens(extra["env"])
            timings: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
            # Warm-up flow (imports, WeasyPrint fonts) is not counted.
            flow(Client(port, defaultdict(list)), screens)
            flow(Client(port, defaultdict(list)), screens)
            started = time.perf_counter()
            errors: list[BaseException] = []

            done = [0]

            def run(count: int) -> None:
                try:
                    for _ in range(count):
                        flow(Client(port, timings), screens)
                        done[0] += 1
                        if done[0] % 20 == 0:
                            print(f"{done[0]} flows", file=sys.stderr, flush=True)
                except BaseException as error:  # reported below
                    errors.append(error)

            share = [args.flows // args.clients + (i < args.flows % args.clients)
                     for i in range(args.clients)]
            threads = [threading.Thread(target=run, args=(n,)) for n in share]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            if errors:
                raise errors[0]
        finally:
            server.terminate()
            server.wait(timeout=30)
            if extra["redis"]:
                extra["redis"].terminate()
    cache = "Redis" if args.redis else "file-based cache"
    print(f"dsar wizard bench: {args.flows} complete flows, {args.clients} concurrent clients, "
          f"gunicorn -w {args.workers}, sessions in {cache}, SQLite; {elapsed:.1f} s; "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print("server = Server-Timing app;dur (Django's wall time, first middleware to response); "
          "cpu = its cpu;dur (CPU time of the worker thread); client = loopback wall time")
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f}")
    print()
    header = f"| {'step':<22} | {'n':>5} | {'server p50':>10} | {'server p95':>10} | " \
             f"{'cpu p50':>8} | {'cpu p95':>8} | {'client p50':>10} | {'client p95':>10} | target |"
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    failed = False
    for step, rows in timings.items():
        server_ms = [r[0] for r in rows]
        client_ms = [r[1] for r in rows]
        cpu_ms = [r[2] for r in rows]
        p95 = percentile(server_ms, 0.95)
        if step in PDF_STEPS:
            verdict = "n/a"
        else:
            verdict = "ok" if p95 <= 50 else "MISSED"
            failed |= p95 > 50
        print(f"| {step:<22} | {len(rows):>5} | {statistics.median(server_ms):>8.1f}ms | "
              f"{p95:>8.1f}ms | {statistics.median(cpu_ms):>6.1f}ms | "
              f"{percentile(cpu_ms, 0.95):>6.1f}ms | {statistics.median(client_ms):>8.1f}ms | "
              f"{percentile(client_ms, 0.95):>8.1f}ms | {verdict:<6} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
