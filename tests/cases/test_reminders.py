"""The sweep and its reminders (dsar.cases.reminders, dsar.cases.tasks): each reminder at its
moment, exactly once, through the partial indexes."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import formats, translation
from django.utils.translation import gettext

from dsar.cases import reminders, services, tasks
from dsar.cases.deadlines import due_date
from dsar.cases.models import Event, Request, TeamMembership
from dsar.cases.reminders import Reminder, due_reminder_ids, reminder_send
from tests.cases.clock_factories import CaseFactory, RequestFactory, team_with

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
S = Request.Status


def _sent(kind: Reminder) -> list[Event]:
    return [
        e for e in Event.objects.filter(kind=Event.Kind.REMINDER_SENT) if e.data["reminder"] == kind
    ]


@pytest.mark.parametrize(("today", "due"), [("2026-02-22", False), ("2026-02-23", True)])
def test_it_reminds_seven_days_before_the_due_date(today: str, due: bool) -> None:
    request = RequestFactory(due_on=D("2026-03-02"))
    assert list(due_reminder_ids(Reminder.BEFORE, D(today))) == ([request.id] if due else [])


def test_it_does_not_remind_before_once_the_due_date_passed() -> None:
    RequestFactory(due_on=D("2026-03-02"))
    assert list(due_reminder_ids(Reminder.BEFORE, D("2026-03-03"))) == []


@pytest.mark.parametrize(("today", "overdue"), [("2026-03-02", False), ("2026-03-03", True)])
def test_it_marks_a_request_overdue_the_day_after_its_due_date(today: str, overdue: bool) -> None:
    request = RequestFactory(due_on=D("2026-03-02"))
    marked = reminders.requests_mark_overdue(today=D(today))
    request.refresh_from_db()
    assert marked == (1 if overdue else 0)
    assert request.status == (S.OVERDUE if overdue else S.AWAITING)


@pytest.mark.parametrize(
    "status", [S.ANSWERED_COMPLETE, S.IDENTITY_ASKED, S.DRAFT, S.CLOSED, S.ANSWERED_REFUSED]
)
def test_it_leaves_requests_without_a_running_clock_alone(status: str) -> None:
    request = RequestFactory(status=status, due_on=D("2026-03-02"))
    result = reminders.sweep(today=D("2026-03-20"))
    request.refresh_from_db()
    assert result.due == ()
    assert request.status == status


def test_it_sends_the_overdue_reminder_once() -> None:
    request = RequestFactory(status=S.OVERDUE, due_on=D("2026-03-02"))
    first = reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-03"))
    second = reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-04"))
    request.refresh_from_db()
    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1
    assert request.reminder_overdue_sent_at is not None
    assert len(_sent(Reminder.OVERDUE)) == 1


def test_it_does_not_send_a_reminder_for_a_request_answered_after_the_sweep() -> None:
    request = RequestFactory(due_on=D("2026-03-02"))
    due = reminders.sweep(today=D("2026-02-25")).due
    Request.objects.filter(id=request.id).update(status=S.ANSWERED_COMPLETE)
    assert due == ((request.id, Reminder.BEFORE),)
    assert not reminder_send(request_id=request.id, kind=Reminder.BEFORE, today=D("2026-02-25"))
    request.refresh_from_db()
    assert request.reminder_before_sent_at is None
    assert mail.outbox == []


@pytest.mark.parametrize(("today", "due"), [("2026-03-16", False), ("2026-03-17", True)])
def test_it_reminds_with_the_complaint_the_day_after_the_followup_period(
    today: str, due: bool
) -> None:
    # While a follow-up runs, the original's due_on is the end of the period it gave.
    request = RequestFactory(status=S.FOLLOWUP_SENT, due_on=D("2026-03-16"))
    assert list(due_reminder_ids(Reminder.COMPLAINT, D(today))) == ([request.id] if due else [])


def test_it_does_not_remind_of_the_complaint_once_the_request_is_answered() -> None:
    request = RequestFactory(status=S.FOLLOWUP_SENT, due_on=D("2026-03-16"))
    Request.objects.filter(id=request.id).update(status=S.ANSWERED_PARTIAL)
    assert list(due_reminder_ids(Reminder.COMPLAINT, D("2026-03-20"))) == []
    assert not reminder_send(request_id=request.id, kind=Reminder.COMPLAINT, today=D("2026-03-20"))


@pytest.mark.parametrize(
    "kind", [Request.Kind.FOLLOWUP, Request.Kind.COMPLAINT, Request.Kind.MANDATE]
)
def test_it_gives_only_access_and_erasure_requests_reminders(kind: str) -> None:
    RequestFactory(kind=kind, due_on=D("2026-03-02"))
    RequestFactory(kind=kind, status=S.FOLLOWUP_SENT, due_on=D("2026-03-02"))
    assert list(due_reminder_ids(Reminder.BEFORE, D("2026-02-25"))) == []
    assert list(due_reminder_ids(Reminder.OVERDUE, D("2026-03-03"))) == []
    assert list(due_reminder_ids(Reminder.COMPLAINT, D("2026-03-03"))) == []


def test_it_creates_the_draft_followup_with_the_overdue_reminder() -> None:
    request = RequestFactory(status=S.OVERDUE, due_on=D("2026-03-02"))
    reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-03"))
    reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-03"))
    followup = request.children.get()
    assert (followup.kind, followup.status) == (Request.Kind.FOLLOWUP, S.DRAFT)
    assert followup.organisation_id == request.organisation_id


def test_it_sends_every_reminder_through_the_case_services(
    public, catalogue, django_capture_on_commit_callbacks
) -> None:
    """The whole life of a request: sent, reminded before, overdue, followed up, complaint."""
    request = public.request  # to Acme Vision (IE), tracked by zofia@example.net
    services.case_confirm_email(case=public.case)
    mail.outbox.clear()
    with time_machine.travel("2026-01-30 10:00Z", tick=False):
        services.request_mark_sent(request=request, sent_on=D("2026-01-30"), channel="email")
    request.refresh_from_db()
    assert request.due_on == D("2026-03-02")  # 28 Feb is a Saturday

    def sweep_and_send(today: str) -> tuple[tuple[int, Reminder], ...]:
        due = reminders.sweep(today=D(today)).due
        for request_id, kind in due:
            reminder_send(request_id=request_id, kind=kind, today=D(today))
        return due

    assert sweep_and_send("2026-02-22") == ()
    assert sweep_and_send("2026-02-23") == ((request.id, Reminder.BEFORE),)
    assert sweep_and_send("2026-03-02") == ()
    assert sweep_and_send("2026-03-03") == ((request.id, Reminder.OVERDUE),)
    followup = request.children.get(kind=Request.Kind.FOLLOWUP)
    with time_machine.travel("2026-03-04 10:00Z", tick=False):
        services.request_mark_sent(request=followup, sent_on=D("2026-03-04"), channel="email")
    request.refresh_from_db()
    assert (request.status, request.due_on) == (S.FOLLOWUP_SENT, D("2026-03-18"))
    assert sweep_and_send("2026-03-18") == ()
    assert sweep_and_send("2026-03-19") == ((request.id, Reminder.COMPLAINT),)
    assert sweep_and_send("2026-03-20") == ()
    complaint = request.children.get(kind=Request.Kind.COMPLAINT)
    assert complaint.authority == catalogue["authority"]
    assert [m.to for m in mail.outbox] == [["zofia@example.net"]] * 3
    kinds = [e.data["reminder"] for e in request.events.filter(kind=Event.Kind.REMINDER_SENT)]
    assert kinds == ["before", "overdue", "complaint"]


def test_it_ignores_a_reminder_for_a_request_deleted_meanwhile() -> None:
    request = RequestFactory(status=S.OVERDUE)
    request.case.delete()
    assert not reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-03"))
    assert mail.outbox == []


def test_it_emails_a_text_and_an_html_part_naming_the_recipient() -> None:
    request = RequestFactory(status=S.OVERDUE, due_on=D("2026-03-02"))
    reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-03"))
    message = mail.outbox[0]
    assert message.to == ["erika@example.org"]
    assert request.case.reference in message.subject
    assert request.organisation.name in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert request.organisation.name in html


def test_it_gives_a_resent_reminder_the_same_message_id(settings) -> None:
    settings.DEFAULT_FROM_EMAIL = "dsar <noreply@dsar.example.org>"
    request = RequestFactory(status=S.OVERDUE, due_on=D("2026-03-02"))
    first = reminders.reminder_email(request, Reminder.OVERDUE, ["a@example.org"]).message()
    again = reminders.reminder_email(request, Reminder.OVERDUE, ["a@example.org"]).message()
    other = reminders.reminder_email(request, Reminder.BEFORE, ["a@example.org"]).message()
    assert first["Message-ID"] == again["Message-ID"] == f"<reminder.overdue.{request.id}@dsar.example.org>"
    assert other["Message-ID"] != first["Message-ID"]


def test_it_writes_the_email_in_the_case_language() -> None:
    request = RequestFactory(due_on=D("2026-03-02"), case=CaseFactory(language="de"))
    reminder_send(request_id=request.id, kind=Reminder.BEFORE, today=D("2026-02-25"))
    message = mail.outbox[0]
    assert "muss bis 2. März 2026 beantwortet werden" in message.body
    assert message.subject.endswith("Eine Antwort ist bis 2. März 2026 fällig")


def test_it_translates_the_deadline_steps_through_django() -> None:
    deadline = due_date(D("2026-01-31"), "DE")
    with translation.override("de"):
        steps = [step.render(gettext, format_date=formats.date_format) for step in deadline.steps]
    assert steps[0] == "eingegangen am 31. Januar 2026; mit diesem Tag beginnt die Frist"
    assert steps[-1] == "nächster Werktag -> 2. März 2026"


def test_it_records_but_does_not_email_an_unconfirmed_public_case() -> None:
    request = RequestFactory(status=S.OVERDUE, case=CaseFactory(email_confirmed_at=None))
    assert reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-03"))
    assert mail.outbox == []
    assert len(_sent(Reminder.OVERDUE)) == 1


def test_it_emails_the_assignee_of_a_team_case() -> None:
    team, user = team_with(TeamMembership.Role.CASEWORKER, "cw@ngo.example")
    case = CaseFactory(team=team, assignee=user, tracking_email="")
    request = RequestFactory(status=S.OVERDUE, case=case)
    reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-03"))
    assert mail.outbox[0].to == ["cw@ngo.example"]


def test_it_emails_the_coordinators_of_an_unassigned_team_case() -> None:
    team, _ = team_with(TeamMembership.Role.COORDINATOR, "lead@ngo.example")
    request = RequestFactory(status=S.OVERDUE, case=CaseFactory(team=team, tracking_email=""))
    reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-03"))
    assert mail.outbox[0].to == ["lead@ngo.example"]


def test_it_rolls_the_claim_back_when_the_mail_server_fails(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard port: refused
    request = RequestFactory(status=S.OVERDUE)
    with pytest.raises(OSError):
        reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-03"))
    request.refresh_from_db()
    assert request.reminder_overdue_sent_at is None
    assert _sent(Reminder.OVERDUE) == []


def test_it_logs_ids_and_no_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    request = RequestFactory(status=S.OVERDUE)
    with caplog.at_level(logging.DEBUG, logger="dsar"):
        reminders.sweep(today=D("2026-03-03"))
        reminder_send(request_id=request.id, kind=Reminder.OVERDUE, today=D("2026-03-03"))
    assert f"request {request.id}" in caplog.text
    for secret in ("erika@example.org", "Erika", request.organisation.name):
        assert secret not in caplog.text


@pytest.mark.parametrize("kind", list(Reminder))
def test_it_finds_due_reminders_through_their_partial_index(kind: Reminder) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("bench/sweep.py shows the PostgreSQL plan")
    # A table like a real one: most requests answered or already reminded, statistics taken.
    RequestFactory.create_batch(3)
    RequestFactory.create_batch(3, status=S.FOLLOWUP_SENT, due_on=D("2026-03-20"))
    RequestFactory.create_batch(20, status=S.ANSWERED_COMPLETE)
    sent_at = "2026-01-01T00:00Z"
    RequestFactory.create_batch(20, status=S.OVERDUE, reminder_overdue_sent_at=sent_at)
    RequestFactory.create_batch(10, status=S.FOLLOWUP_SENT, reminder_complaint_sent_at=sent_at)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plan = due_reminder_ids(kind, D("2026-03-03")).explain()
    assert f"USING INDEX cases_req_remind_{kind}" in plan


def test_it_keeps_the_partial_indexes_in_step_with_the_sweep() -> None:
    conditions = {index.name: index.condition for index in Request._meta.indexes if index.condition}
    for kind, rule in reminders.REMINDER_RULES.items():
        children = dict(conditions[f"cases_req_remind_{kind}"].children)
        statuses = children.get("status__in") or [children["status"]]
        assert (tuple(children["kind__in"]), tuple(statuses)) == (rule.kinds, rule.statuses)
        assert children[f"{reminders.CLAIM_FIELD[kind]}__isnull"] is True


@time_machine.travel(dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC), tick=False)
def test_it_fans_out_one_task_per_reminder_from_the_sweep_task() -> None:
    overdue = RequestFactory(due_on=D("2026-03-02"))
    soon = RequestFactory(due_on=D("2026-03-09"))
    RequestFactory(due_on=D("2026-03-11"))  # 8 days away: not yet
    assert tasks.sweep_deadlines() == 2  # eager in tests: the fanned-out tasks ran too
    overdue.refresh_from_db()
    soon.refresh_from_db()
    assert overdue.status == S.OVERDUE
    assert overdue.reminder_overdue_sent_at and soon.reminder_before_sent_at
    assert len(mail.outbox) == 2
    assert tasks.sweep_deadlines() == 0
    assert len(mail.outbox) == 2


def test_it_sends_a_reminder_task_by_id_and_kind() -> None:
    request = RequestFactory(status=S.OVERDUE)
    with time_machine.travel(dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC), tick=False):
        assert tasks.send_reminder(request.id, "overdue") is True
        assert tasks.send_reminder(request.id, "overdue") is False
    assert len(mail.outbox) == 1


def test_it_sends_only_the_unclaimed_reminders_of_a_chunk() -> None:
    requests = [RequestFactory(status=S.OVERDUE, due_on=D("2026-03-02")) for _ in range(5)]
    ids = [request.id for request in requests]
    # A worker died after sending two of this chunk; the chunk is redelivered whole.
    assert reminders.reminders_send(request_ids=ids[:2], kind=Reminder.OVERDUE, today=D("2026-03-03")) == 2
    mail.outbox.clear()
    sent = tasks.send_reminders("overdue", ids)
    assert sent == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        request.case.tracking_email for request in requests[2:]
    )
    assert len(_sent(Reminder.OVERDUE)) == 5
    assert Request.objects.filter(id__in=ids, reminder_overdue_sent_at=None).count() == 0


def test_it_skips_ids_of_a_chunk_deleted_meanwhile() -> None:
    request = RequestFactory(status=S.OVERDUE, due_on=D("2026-03-02"))
    gone = RequestFactory(status=S.OVERDUE, due_on=D("2026-03-02"))
    gone_id = gone.id
    gone.delete()
    assert tasks.send_reminders("overdue", [gone_id, request.id]) == 1
    assert [e.request_id for e in _sent(Reminder.OVERDUE)] == [request.id]
    assert len(mail.outbox) == 1


@time_machine.travel(dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC), tick=False)
def test_it_fans_out_chunks_of_one_reminder_kind_from_the_sweep(
    settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.REMINDER_CHUNK_SIZE = 2  # type: ignore[attr-defined]
    overdue = [RequestFactory(due_on=D("2026-03-02")) for _ in range(3)]
    soon = RequestFactory(due_on=D("2026-03-09"))
    queued: list[tuple[str, list[int]]] = []
    monkeypatch.setattr(tasks.send_reminders, "delay", lambda kind, ids: queued.append((kind, ids)))
    assert tasks.sweep_deadlines() == 4
    assert sorted(queued) == sorted(
        [("before", [soon.id]), ("overdue", sorted(r.id for r in overdue)[:2]),
         ("overdue", sorted(r.id for r in overdue)[2:])]
    )  # fmt: skip
    assert mail.outbox == []
    assert Request.objects.filter(reminder_overdue_sent_at__isnull=False).count() == 0
