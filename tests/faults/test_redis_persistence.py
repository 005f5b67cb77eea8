"""A Redis crash (kill -9) loses no queued work with the shipped deploy/redis/redis.conf.

Five reminder chunks are queued with no worker running, Redis is killed with SIGKILL and
started again on the same folder; the messages are still there and a worker then sends every
reminder. Without the append-only file (Redis' defaults as a test server runs them) the same
crash loses all five: the figure issue 19 reported.
"""
from __future__ import annotations

import signal
from pathlib import Path

import pytest

# The throw-away servers of tests/servers.py (issue 18); until it is there these tests skip.
pytest.importorskip("tests.servers")
import redis as redis_client
from celery import Celery

from dsar.cases.models import Event
from tests.faults.conftest import PERSISTENT_REDIS, needs_redis, overdue_requests, unsent_reminders
from tests.faults.stack import until
from tests.servers import RedisServer, running_redis

pytestmark = [pytest.mark.integration, needs_redis]

QUEUE = "celery"


def _queue_chunks(url: str, request_ids: list[int]) -> None:
    app = Celery(broker=url)
    for request_id in request_ids:
        app.send_task("dsar.cases.tasks.send_reminders", args=["overdue", [request_id]])
    app.close()


def _crash_and_restart(server: RedisServer) -> int:
    """kill -9, start again on the same port and folder; how many messages are queued."""
    server.stop(signal.SIGKILL)
    server.start()
    return int(redis_client.Redis.from_url(server.url).llen(QUEUE))


def test_it_loses_queued_work_without_the_append_only_file(tmp_path: Path) -> None:
    with running_redis(tmp_path, "--save", "", "--appendonly", "no") as server:
        _queue_chunks(server.url, [1, 2, 3, 4, 5])
        assert redis_client.Redis.from_url(server.url).llen(QUEUE) == 5
        assert _crash_and_restart(server) == 0


@pytest.mark.django_db(transaction=True)
def test_it_keeps_queued_work_through_a_crash_with_the_shipped_config(tmp_path: Path, make_stack) -> None:
    requests = overdue_requests(5)
    (tmp_path / "redis").mkdir()
    with running_redis(tmp_path / "redis", *PERSISTENT_REDIS) as server:
        config = redis_client.Redis.from_url(server.url).config_get("append*")
        assert config["appendonly"] == "yes" and config["appendfsync"] == "everysec"
        # The sweep marks them overdue first; here the requests are overdue already.
        for request in requests:
            request.status = request.Status.OVERDUE
            request.save(update_fields=["status"])
        _queue_chunks(server.url, [request.id for request in requests])
        assert _crash_and_restart(server) == 5
        stack = make_stack(broker=server.url)
        stack.start_worker()
        until(lambda: unsent_reminders() == 0, 90, "the five reminders", stack)
    assert Event.objects.filter(kind=Event.Kind.REMINDER_SENT).count() == 5
    assert set(stack.emailed_references()) == {request.case.reference for request in requests}
