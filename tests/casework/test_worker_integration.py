"""Bulk letters for real: redis-server, Celery workers and beat as subprocesses (the harness of
tests/cases/test_celery_integration.py), 200 letters, the first worker killed (SIGKILL) midway.

Every letter must be generated exactly once: the claims (conditional updates) keep a letter
from being done twice, and beat's resume task brings back the letters that the dead worker had
claimed or reserved (their messages stay unacknowledged in Redis for the visibility timeout).
"""
from __future__ import annotations

import time

from celery import Celery as CeleryApp
from django.test import Client
from django.urls import reverse

from dsar.casework import services
from dsar.casework.csvimport import SubjectRow
from dsar.casework.models import Batch, BatchItem
from tests.cases.factories import MembershipFactory, OrganisationFactory, TeamFactory, UserFactory
from tests.cases.test_celery_integration import (  # noqa: F401 - fixtures are used by name
    Celery,
    _wait_for,
    celery,
    redis_url,
)
from tests.cases.test_celery_integration import pytestmark as integration_marks

pytestmark = integration_marks


def planned_batch(catalogue) -> tuple[Batch, object]:  # noqa: ANN001
    team = TeamFactory(name="Campus Privacy Group")
    user = MembershipFactory(team=team, user=UserFactory(username="alice")).user
    rows = [SubjectRow(line=i + 2, name=f"Person {i}", email=f"p{i}@example.org", country="DE") for i in range(50)]
    batch = services.batch_import_subjects(team=team, user=user, label="Chapel Quad", rows=rows)
    organisations = [catalogue["organisation"], *(OrganisationFactory() for _ in range(3))]
    services.batch_plan(batch=batch, datasets=[catalogue["dataset"]], organisations=organisations,
                        kind="access", language="en", mandate=False)
    return Batch.objects.get(pk=batch.pk), user


def test_it_generates_200_letters_and_survives_a_killed_worker(
    celery: Celery, redis_url: str, catalogue, settings, tmp_path  # noqa: F811
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    celery.env.update({
        "DSAR_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "DSAR_CASEWORK_LEASE_SECONDS": "4",
        "DSAR_CASEWORK_RESUME_SECONDS": "2",
    })
    batch, user = planned_batch(catalogue)
    assert batch.total == 200
    client = Client()
    client.force_login(user)
    seen: set[int] = set()

    def progress() -> dict[str, int]:
        data = client.get(reverse("casework:batch_progress", args=[batch.pk])).json()
        seen.add(data["done"])
        return data

    celery.start_worker("w1")
    celery.start_beat()
    Batch.objects.filter(pk=batch.pk).update(state=Batch.State.GENERATING, progress_at=None)
    CeleryApp(broker=redis_url).send_task("dsar.casework.tasks.generate_batch", args=[batch.pk])
    try:
        _wait_for(lambda: progress()["done"] >= 40, 120, "the first letters", interval=0.2)
        celery.kill("w1")
        at_kill = progress()["done"]
        assert at_kill < 200, "the batch finished before the kill"
        celery.start_worker("w2")
        _wait_for(lambda: progress()["state"] == Batch.State.READY, 240, "every letter", interval=0.5)
    except AssertionError:
        print(celery.logs())
        raise
    time.sleep(1)
    batch.refresh_from_db()
    assert (batch.done, batch.failed, batch.total) == (200, 0, 200)
    assert any(0 < done < 200 for done in seen)  # progress was visible on the way
    items = BatchItem.objects.filter(batch=batch).select_related("request")
    assert {item.state for item in items} == {BatchItem.State.DONE}
    names = [item.request.letter_pdf.name for item in items]
    assert len(set(names)) == 200 and all(names)
    assert all(item.request.letter_pdf.storage.exists(name) for item, name in zip(items, names, strict=True))
