"""Fixtures of the fault tests: the stack (tests/faults/stack.py) on the test database, and
overdue requests for the sweep to remind."""
from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from dsar.cases.models import Request
from tests.cases.clock_factories import CaseFactory, OrganisationFactory, RequestFactory

REDIS_MISSING = "redis-server is not installed (scripts/ensure-system-packages installs it)"
needs_redis = pytest.mark.skipif(shutil.which("redis-server") is None, reason=REDIS_MISSING)
# The shipped Redis configuration (append-only file); tests add port, address and folder.
REDIS_CONF = Path(__file__).resolve().parents[2] / "deploy" / "redis" / "redis.conf"
PERSISTENT_REDIS = ("--include", str(REDIS_CONF))


@pytest.fixture
def make_stack(tmp_path: Path) -> Iterator[object]:
    """make_stack(broker=..., redis_url=..., **env) -> a Stack on the test database."""
    from tests.faults.stack import Stack
    from tests.servers import database_url

    stacks: list[Stack] = []

    def make(*, broker: str, redis_url: str = "", **env: str) -> Stack:
        workdir = tmp_path / f"stack-{len(stacks)}"
        workdir.mkdir()
        stack = Stack(workdir, database_url=database_url(connection.settings_dict), broker=broker,
                      redis_url=redis_url, **env)  # fmt: skip
        stacks.append(stack)
        return stack

    try:
        yield make
    finally:
        for stack in stacks:
            stack.stop_all()


def overdue_requests(count: int) -> list[Request]:
    """Requests whose due date was yesterday: the sweep turns them overdue and reminds each."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    organisation = OrganisationFactory()
    return [RequestFactory(case=CaseFactory(), organisation=organisation, due_on=yesterday) for _ in range(count)]


def unsent_reminders() -> int:
    return Request.objects.filter(kind=Request.Kind.ACCESS, reminder_overdue_sent_at=None).count()
