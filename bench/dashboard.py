"""Benchmark: the caseworker queue and the staff dashboard over 100,000 requests in 50 teams.

    .venv/bin/python bench/dashboard.py [--requests 100000] [--teams 50] [--runs 40]

Builds a fresh SQLite database under bench/out/ (bulk inserts), then times full requests
through Django's test client (middleware, second-factor check, queries, template) and prints
p50/p95 and the number of queries of each page. Target: p95 <= 150 ms. Not a test.
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def setup_django(db: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsar.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DSAR_VAR_DIR", str(OUT / "var"))
    os.environ["DSAR_LOG_LEVEL"] = "WARNING"
    # Production mode (DEBUG off: templates without debug bookkeeping), plain HTTP for the client.
    from cryptography.fernet import Fernet

    os.environ.update({
        "DSAR_DEBUG": "false", "DSAR_SSL_REDIRECT": "false", "DSAR_ALLOWED_HOSTS": "testserver",
        "DSAR_DB_CONN_MAX_AGE": "600",  # persistent connections, as in production
        "DSAR_SECRET_KEY": Fernet.generate_key().decode(), "DSAR_FIELD_KEYS": Fernet.generate_key().decode(),
        "DSAR_BLIND_INDEX_KEY": Fernet.generate_key().decode(),
    })
    import django

    django.setup()


def build(requests: int, teams: int) -> tuple[object, object]:
    from django.core.management import call_command

    from dsar.cases.models import TeamMembership
    from tests.cases.factories import DatasetFactory, OrganisationFactory, TeamFactory, UserFactory
    from tests.casework.builders import bulk_requests

    call_command("migrate", verbosity=0)
    today = dt.date.today()
    orgs = [OrganisationFactory() for _ in range(40)]
    datasets = [DatasetFactory(publisher=orgs[0]) for _ in range(12)]
    worker = None
    for n in range(teams):
        team = TeamFactory()
        user = UserFactory(username=f"worker{n}")
        TeamMembership.objects.create(team=team, user=user)
        bulk_requests(team, requests // teams, organisations=orgs, datasets=datasets, today=today, seed=n,
                      assignee=user if n % 2 else None)
        worker = worker or user
    staff = UserFactory(username="staff", is_staff=True)
    # What PostgreSQL's autovacuum does by itself; SQLite plans well only with statistics
    # (`PRAGMA optimize` in production). Without it the queue's count takes ~150 ms, not ~4.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return worker, staff


def measure(client: object, url: str, runs: int, before: object = None) -> tuple[float, float, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times = []
    client.get(url)  # type: ignore[attr-defined]  # warm-up
    if before:
        before()  # type: ignore[operator]
    reset_queries()  # the test client resets the log at each request start
    with CaptureQueriesContext(connection) as captured:
        client.get(url)  # type: ignore[attr-defined]
    queries = len(captured)  # now: the next request clears the connection's log
    for _ in range(runs):
        if before:
            before()  # type: ignore[operator]
        start = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return statistics.median(times), times[math.ceil(len(times) * 0.95) - 1], queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "dashboard.sqlite3"
    db.unlink(missing_ok=True)
    setup_django(db)
    from django.core.cache import cache
    from django.test import Client

    from dsar.casework.selectors import HISTORY_CACHE_KEY

    started = time.perf_counter()
    worker, staff = build(args.requests, args.teams)
    print(f"built {args.requests} requests in {args.teams} teams in {time.perf_counter() - started:.1f} s (SQLite)")
    def cold() -> None:
        cache.delete(HISTORY_CACHE_KEY)

    pages = [
        ("caseworker queue (open)", worker, "/casework/?bucket=open", None),
        ("caseworker queue (overdue, page 2)", worker, "/casework/?bucket=overdue&page=2", None),
        ("caseworker queue, name search", worker, "/casework/?q=Person+1-17", None),
        ("queue as staff (all teams)", staff, "/casework/?bucket=open", None),
        ("staff dashboard", staff, "/casework/staff/", None),
        ("staff dashboard, history recomputed", staff, "/casework/staff/", cold),
    ]
    print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, user, url, before in pages:
        client = Client()
        client.force_login(user)
        p50, p95, queries = measure(client, url, args.runs, before)
        print(f"{label:40} {p50:8.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
