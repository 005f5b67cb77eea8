"""The daily digest: each caseworker once a day, their overdue and due-soon requests."""
from __future__ import annotations

import datetime as dt

from django.core import mail

from dsar.cases.models import Request
from dsar.casework import tasks
from dsar.casework.models import DigestLog

TODAY = dt.date(2026, 3, 2)


def due(cast, case, days, status=Request.Status.AWAITING):
    return Request.objects.create(case=case, organisation=cast.request_a.organisation, kind="access",
                                  status=status, due_on=TODAY + dt.timedelta(days=days))


def test_it_mails_each_caseworker_their_teams_overdue_and_due_soon_requests(cast):
    due(cast, cast.case_a, -2)
    due(cast, cast.case_a, 5)
    due(cast, cast.case_a, 30)
    due(cast, cast.case_b, 1)
    assert tasks.send_daily_digests() == 3  # alice and carol (team A), bob (team B)
    alice = next(m for m in mail.outbox if m.to == [cast.worker_a.email])
    assert alice.subject == "dsar: 1 overdue request, 1 due soon"
    assert alice.body.count(cast.case_a.reference) == 2 and cast.case_b.reference not in alice.body
    assert "Ada Quintero" not in alice.body  # references only, no names in email
    assert alice.alternatives[0][1] == "text/html"


def test_it_sends_the_digest_only_once_a_day(cast):
    due(cast, cast.case_a, 1)
    assert tasks.send_daily_digests() == 2
    assert tasks.send_daily_digests() == 0
    assert len(mail.outbox) == 2
    assert set(DigestLog.objects.values_list("day", "items")) == {(TODAY, 1), (TODAY, 0)}


def test_it_sends_again_the_next_day(cast, frozen):
    due(cast, cast.case_a, 1)
    tasks.send_daily_digests()
    frozen.shift(dt.timedelta(days=1))
    assert tasks.send_daily_digests() == 2
    assert len(mail.outbox) == 4


def test_it_leaves_out_cases_assigned_to_a_colleague(cast):
    cast.case_a.assignee = cast.coordinator_a
    cast.case_a.save(update_fields=["assignee"])
    due(cast, cast.case_a, 1)
    tasks.send_daily_digests()
    assert [m.to for m in mail.outbox] == [[cast.coordinator_a.email]]


def test_it_gives_the_day_back_when_sending_fails(cast, monkeypatch):
    due(cast, cast.case_a, 1)

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert tasks.send_daily_digests() == 0
    assert not DigestLog.objects.filter(day=TODAY, claimed_at__isnull=False).exclude(items=0).exists()
    monkeypatch.undo()
    assert tasks.send_daily_digests() == 2


def test_it_writes_the_digest_in_the_language_the_caseworker_uses(cast, client):
    from django.urls import reverse
    from django.utils import translation

    from dsar.casework.models import CaseworkerLanguage

    due(cast, cast.case_a, -2)
    client.force_login(cast.worker_a)
    with translation.override("de"):
        queue = reverse("casework:queue")
    assert queue.startswith("/de/")
    assert client.get(queue).status_code == 200
    assert CaseworkerLanguage.objects.get(user=cast.worker_a).language == "de"
    client.get(queue)  # the same language again: nothing more is written
    assert CaseworkerLanguage.objects.filter(user=cast.worker_a).count() == 1

    tasks.send_daily_digests()
    alice = next(m for m in mail.outbox if m.to == [cast.worker_a.email])
    carol = next(m for m in mail.outbox if m.to == [cast.coordinator_a.email])
    assert "Ihre Anfragen, die heute Aufmerksamkeit brauchen" in alice.body
    assert "/de/casework/" in alice.body  # links in the same language
    assert "Your requests that need attention today" in carol.body  # never visited: the default


def test_it_follows_the_caseworker_to_another_language(cast, client):
    from dsar.casework.models import CaseworkerLanguage

    client.force_login(cast.worker_a)
    client.get("/fr/casework/")
    assert CaseworkerLanguage.objects.get(user=cast.worker_a).language == "fr"
    client.get("/casework/")
    assert CaseworkerLanguage.objects.get(user=cast.worker_a).language == "en"
