"""Reads of the cases domain (the tracking pages, casework, the sweep's neighbours)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext

from dsar.cases.models import Case, Event, Request
from dsar.cases.services import ORIGINAL_KINDS, request_deadline

# Statuses after which the organisation has not given what was asked: a follow-up is due.
NEEDS_FOLLOWUP = (
    Request.Status.OVERDUE, Request.Status.ANSWERED_PARTIAL, Request.Status.ANSWERED_REFUSED,
    Request.Status.ANSWERED_ASKS_MORE,
)
# An answer that refuses, falls short or asks for more: the person can answer it with a rebuttal.
REBUTTABLE = (
    Request.Status.ANSWERED_REFUSED, Request.Status.ANSWERED_PARTIAL, Request.Status.ANSWERED_NO_DATA,
    Request.Status.ANSWERED_ASKS_MORE, Request.Status.IDENTITY_ASKED,
)
SENT_AND_OPEN = (
    Request.Status.AWAITING, Request.Status.IDENTITY_ASKED, Request.Status.EXTENDED,
    Request.Status.OVERDUE, Request.Status.FOLLOWUP_SENT,
)


def case_requests(case: Case) -> QuerySet[Request]:
    return (
        case.requests.select_related("organisation", "authority", "parent")
        .order_by("created_at", "id")
    )


def case_timeline(case: Case) -> QuerySet[Event]:
    return case.events.select_related("request__organisation", "request__authority").order_by("-on", "-at", "-id")


def request_of_case(case: Case, request_id: int) -> Request:
    """A request of an already access-checked case; 404 for any other id."""
    found = case_requests(case).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def event_of_case(case: Case, event_id: int) -> Event:
    found = case.events.filter(pk=event_id).first()
    if found is None:
        raise Http404
    return found


def request_deadline_steps(request: Request) -> list[str]:
    """Why the request is due when it is: the legal rule, then each step, in the UI language."""
    deadline = request_deadline(request, list(request.events.all()))
    if deadline is None:
        return []
    return [deadline.rule.render(gettext, _local_date), *(s.render(gettext, _local_date) for s in deadline.steps)]


def _local_date(day: dt.date) -> str:
    return formats.date_format(day, "D j M Y")


def request_actions(request: Request) -> list[str]:
    """What the person (or caseworker) can record next on this request, by form action name."""
    status = request.status
    if request.kind == Request.Kind.MANDATE:
        return []
    if status == Request.Status.DRAFT:
        return ["sent"]
    if status == Request.Status.CLOSED:
        return []
    actions: list[str] = []
    if request.delivered_on is None and status in SENT_AND_OPEN:
        actions.append("delivered")
    if request.kind in ORIGINAL_KINDS:
        actions += _original_actions(request)
    actions.append("answer")
    return actions


def _original_actions(request: Request) -> list[str]:
    status = request.status
    actions: list[str] = []
    if status == Request.Status.IDENTITY_ASKED:
        actions.append("identity_supplied")
    elif status in SENT_AND_OPEN:
        actions.append("identity_asked")
    if status in (Request.Status.AWAITING, Request.Status.OVERDUE, Request.Status.IDENTITY_ASKED):
        actions.append("extended")
    if status in NEEDS_FOLLOWUP:
        actions.append("followup")
    if status in REBUTTABLE:
        actions.append("rebuttal")
    if status in (Request.Status.ANSWERED_REFUSED, Request.Status.FOLLOWUP_SENT):
        actions.append("complaint")
    return actions


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    day: dt.date
    summary: str


def case_deadlines(case: Case) -> list[CalendarEntry]:
    """The dates worth a calendar entry: each open request's due date, and a week before it."""
    entries: list[CalendarEntry] = []
    for item in case_requests(case).filter(due_on__isnull=False).exclude(status=Request.Status.CLOSED):
        if item.due_on is None:  # excluded by the filter; this tells the type checker
            continue
        who = str(item.recipient or "")
        entries.append(CalendarEntry(
            f"{case.reference}-{item.pk}-due", item.due_on,
            gettext("Answer due from %(who)s (%(ref)s)") % {"who": who, "ref": case.reference},
        ))
        entries.append(CalendarEntry(
            f"{case.reference}-{item.pk}-week", item.due_on - dt.timedelta(days=7),
            gettext("One week left for %(who)s to answer (%(ref)s)") % {"who": who, "ref": case.reference},
        ))
    return sorted(entries, key=lambda e: (e.day, e.uid))
