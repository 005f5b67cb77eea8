#!/usr/bin/env python
"""Benchmark the deadline sweep: 1,000,000 requests, 1% of them due for a reminder today.

Prints a table with:
1. the time to build the table (bulk inserts) and take planner statistics;
2. the time to find today's due reminders (target < 1 s), per reminder kind, with the plan
   (EXPLAIN) showing the partial index cases_req_remind_* the sweep reads;
3. the time to mark overdue requests (one UPDATE);
4. the time for a real Celery worker with 2 processes (redis-server broker, started here) to
   run the sweep task and send the 10,000 reminders (target < 60 s), emails to files.

Usage (from the repository root):
    .venv/bin/python bench/sweep.py                                   # SQLite in a temp dir
    .venv/bin/python bench/sweep.py --database-url postgres://u@127.0.0.1:5432/dsar_bench
The database is emptied first: give it a throwaway database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="default: SQLite file in a temp dir")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--due-per-mille", type=int, default=10, help="due rows per 1000")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--skip-worker", action="store_true", help="only build and find")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="the worker's DSAR_DB_CONN_MAX_AGE (0: a new connection per task)",
    )
    return parser.parse_args()


def setup_django(args: argparse.Namespace, workdir: Path) -> dict[str, str]:
    """Environment for this process and the worker: same database, keys and mail folder."""
    from cryptography.fernet import Fernet

    env = {
        "DJANGO_SETTINGS_MODULE": "dsar.settings",
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'sweep.sqlite3'}",
        "DSAR_VAR_DIR": str(workdir),
        "DSAR_FIELD_KEYS": Fernet.generate_key().decode(),
        "DSAR_BLIND_INDEX_KEY": "bench",
        "DSAR_SECRET_KEY": "bench",
        "DSAR_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DSAR_AXES_ENABLED": "false",
    }
    os.environ.update(env)
    import django

    django.setup()
    return env


def empty_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from dsar.cases.models import Case, DataSubject, Event, Request

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = ", ".join(m._meta.db_table for m in (Event, Request, Case, DataSubject))
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    else:
        Event.objects.all()._raw_delete(Event.objects.db)
        Request.objects.all().delete()
        Case.objects.all().delete()


def build(rows: int, due_per_mille: int, today: dt.date) -> tuple[int, float]:
    """Bulk-insert `rows` requests over rows/100 cases; returns (due reminders, seconds).

    Of every 1000 rows, `due_per_mille` need a reminder today (half "before", 40% "overdue",
    10% "complaint": followed up, the follow-up's period over); the rest look like a working
    system: mostly answered or closed, some awaiting with a later due date, some overdue or
    followed up and already reminded.
    """
    from django.utils import timezone

    from dsar.cases.models import Case, DataSubject, Request
    from dsar.catalog.models import Organisation

    started = time.perf_counter()
    S = Request.Status
    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-org",
        defaults={
            "name": "Bench Org",
            "kind": "company",
            "country": "DE",
            "origin": "own_research",
        },
    )
    subject = DataSubject.objects.create(name="Bench Person")
    now = timezone.now()
    cases = Case.objects.bulk_create(
        [
            Case(data_subject=subject, tracking_email=f"p{i}@example.org", email_confirmed_at=now)
            for i in range(max(1, rows // 100))
        ],
        batch_size=2000,
    )
    case_ids = [case.id for case in cases]
    day = dt.timedelta(days=1)
    due = 0
    batch: list[Request] = []
    for i in range(rows):
        fields: dict[str, object] = {}
        if i % 1000 < due_per_mille:
            due += 1
            slot = due % 10
            if slot < 5:
                fields = {"status": S.AWAITING, "due_on": today + day * (1 + i % 7)}
            elif slot < 9:
                fields = {"status": S.AWAITING, "due_on": today - day * (1 + i % 5)}
            else:
                fields = {"status": S.FOLLOWUP_SENT, "due_on": today - day * (1 + i % 3)}
        else:
            slot = i % 20
            if slot < 12:
                fields = {"status": S.ANSWERED_COMPLETE, "due_on": today - day * (i % 400)}
            elif slot < 15:
                fields = {"status": S.CLOSED, "due_on": today - day * (i % 400)}
            elif slot < 17:
                fields = {"status": S.AWAITING, "due_on": today + day * (8 + i % 25)}
            elif slot < 19:
                fields = {
                    "status": S.OVERDUE,
                    "due_on": today - day * (1 + i % 300),
                    "reminder_before_sent_at": now,
                    "reminder_overdue_sent_at": now,
                }
            else:
                fields = {
                    "status": S.FOLLOWUP_SENT,
                    "due_on": today - day * (1 + i % 300),
                    "reminder_complaint_sent_at": now,
                }
        batch.append(
            Request(
                case_id=case_ids[i % len(case_ids)],
                organisation_id=organisation.id,
                kind=Request.Kind.ACCESS,
                channel=Request.Channel.EMAIL,
                sent_on=today - day * 40,
                **fields,
            )
        )
        if len(batch) == 20_000:
            Request.objects.bulk_create(batch)
            batch = []
    Request.objects.bulk_create(batch)
    analyze()
    return due, time.perf_counter() - started


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def find(today: dt.date) -> list[tuple[str, int, float, str]]:
    """Each reminder kind: (kind, rows found, seconds, plan)."""
    from dsar.cases.reminders import Reminder, due_reminder_ids

    results = []
    for kind in Reminder:
        query = due_reminder_ids(kind, today)
        plan = " / ".join(line.strip() for line in query.explain().splitlines() if line.strip())
        started = time.perf_counter()
        found = len(list(query))
        results.append((str(kind), found, time.perf_counter() - started, plan))
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_worker(
    env: dict[str, str], workdir: Path, workers: int, expected: int, conn_max_age: int
) -> tuple[float, float]:
    """Start redis-server and a worker, send the sweep task, wait for `expected` reminders.

    Returns (seconds, the 1-minute load average at the end: other work on the machine).
    """
    from dsar.cases.models import Event

    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is needed for the worker part (or pass --skip-worker)")
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    redis = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
    )
    worker_env = {
        **os.environ,
        **env,
        "CELERY_BROKER_URL": broker,
        "DSAR_DB_CONN_MAX_AGE": str(conn_max_age),
    }
    log_path = workdir / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "dsar", "worker", f"--concurrency={workers}"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT,
        env=worker_env,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        from celery import Celery

        app = Celery(broker=broker)
        time.sleep(3)  # the worker's start-up is not what we measure
        started = time.perf_counter()
        app.send_task("dsar.cases.tasks.sweep_deadlines")
        sent = 0
        while sent < expected:
            time.sleep(0.5)
            sent = Event.objects.filter(kind=Event.Kind.REMINDER_SENT).count()
            if time.perf_counter() - started > 600:
                raise SystemExit(f"only {sent} of {expected} reminders after 600 s")
            if worker.poll() is not None:
                raise SystemExit(log_path.read_text()[-2000:])
        return time.perf_counter() - started, os.getloadavg()[0]
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
        redis.terminate()
        redis.wait(10)


def main() -> None:
    args = parse()
    with tempfile.TemporaryDirectory(prefix="dsar-bench-") as tmp:
        workdir = Path(tmp)
        env = setup_django(args, workdir)
        from django.db import connection
        from django.utils import timezone

        from dsar.cases.models import Request
        from dsar.cases.reminders import requests_mark_overdue

        today = timezone.localdate()
        empty_database()
        due, build_seconds = build(args.rows, args.due_per_mille, today)
        found = find(today)
        find_seconds = sum(seconds for _, _, seconds, _ in found)
        started = time.perf_counter()
        marked = requests_mark_overdue(today=today)
        mark_seconds = time.perf_counter() - started

        vendor = f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info)) if connection.vendor == 'sqlite' else connection.pg_version}"
        total = Request.objects.count()
        print(f"\n## {vendor}: {total:,} requests, {due:,} reminders due\n")
        print("| step | rows | seconds |")
        print("|---|---:|---:|")
        print(f"| build (bulk insert + ANALYZE) | {total:,} | {build_seconds:.1f} |")
        for kind, count, seconds, _ in found:
            print(f"| find due `{kind}` reminders | {count:,} | {seconds:.3f} |")
        print(
            f"| **find all due reminders** (target < 1 s) | {sum(c for _, c, _, _ in found):,} | **{find_seconds:.3f}** |"
        )
        print(f"| mark overdue (one UPDATE) | {marked:,} | {mark_seconds:.3f} |")
        if not args.skip_worker:
            # Undo the marking: the worker's sweep does it again, as in production.
            Request.objects.filter(
                status=Request.Status.OVERDUE, reminder_overdue_sent_at=None
            ).update(status=Request.Status.AWAITING)
            load_before = os.getloadavg()[0]
            seconds, load_after = run_worker(env, workdir, args.workers, due, args.conn_max_age)
            print(
                f"| **sweep + send {due:,} reminders, {args.workers} worker processes** "
                f"(target < 60 s) | {due:,} | **{seconds:.1f}** |"
            )
            print(f"| reminders per second | | {due / seconds:.0f} |")
            print(
                f"| machine load average (1 min) before / after the worker run | | "
                f"{load_before:.1f} / {load_after:.1f} |"
            )
            mails = sum(
                path.read_text(errors="replace").count("\nMessage-ID: ")
                for path in (workdir / "mail").glob("*.log")
            )
            print(f"| emails written | {mails:,} | |")
        print("\nPlans:\n")
        for kind, _, _, plan in found:
            print(f"- `{kind}`: `{plan}`")


if __name__ == "__main__":
    main()
