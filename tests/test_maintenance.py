"""The nightly refresh of SQLite's query planner statistics (dsar.maintenance)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from dsar.celery import app
from dsar.maintenance import refresh_query_statistics
from tests.cases.clock_factories import RequestFactory

pytestmark = pytest.mark.django_db


def _statistics_of(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return int(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="statistics are SQLite's concern")
def test_it_gives_sqlite_statistics_for_the_request_indexes() -> None:
    for _ in range(3):
        RequestFactory()
    if _statistics_of("cases_request"):  # left by an earlier run in a reused test database
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")
    assert _statistics_of("cases_request") == 0
    assert refresh_query_statistics() is True
    assert _statistics_of("cases_request") >= 3  # the table and its indexes


def test_beat_runs_it_every_night() -> None:
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "dsar.refresh_query_statistics")
    assert "dsar.refresh_query_statistics" in app.tasks
    assert entry["schedule"].hour == {4}
