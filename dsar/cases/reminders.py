"""Reminders: which requests need one today, and sending each one exactly once.

Three reminders per request, each claimed through its own `Request.reminder_*_sent_at` column:

1. ``before``: 7 days before the due date of an access or erasure request while its clock
   runs (awaiting / extended).
2. ``overdue``: the day after that due date (the sweep has marked the request overdue); the
   draft follow-up letter is created with it, ready on the case page.
3. ``complaint``: the day after the period a follow-up gave ran out while the request is still
   unanswered (status ``followup_sent``; `services.request_refresh` then sets its ``due_on``
   to the end of that period, `deadlines.followup_due`); the draft complaint is created with it.

Exactly once: a reminder is claimed by a conditional UPDATE (``... WHERE id = %s AND
reminder_x_sent_at IS NULL AND <still due>``) inside the transaction that writes its event and
hands the email to the mail server, and only a claim that changed one row sends. Two workers
cannot both claim; a worker killed before the commit leaves the row unclaimed, and Celery
redelivers the task (acks late). The only window left is a crash between the mail server
accepting the message and the commit, which no database can close: the redelivered task then
sends that one reminder a second time. Both copies carry the same Message-ID
(`reminder_message_id`), so mail clients that drop duplicates show it once.

Celery is just an interface: dsar.cases.tasks calls `sweep` and `reminders_send` with ids, a
chunk of requests per task; each request in a chunk is still claimed on its own as above.
Logs carry ids and reminder kinds only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from dsar.cases import services
from dsar.cases.models import Case, Request, TeamMembership

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


logger = logging.getLogger(__name__)

BEFORE_DAYS = 7


class Reminder(StrEnum):
    BEFORE = "before"
    OVERDUE = "overdue"
    COMPLAINT = "complaint"


CLAIM_FIELD: dict[Reminder, str] = {
    Reminder.BEFORE: "reminder_before_sent_at",
    Reminder.OVERDUE: "reminder_overdue_sent_at",
    Reminder.COMPLAINT: "reminder_complaint_sent_at",
}

S = Request.Status
K = Request.Kind


@dataclass(frozen=True)
class Rule:
    """Which requests a reminder is for: request kinds and statuses."""

    kinds: tuple[str, ...]
    statuses: tuple[str, ...]


# The letters with a legal deadline of their own (follow-ups, complaints and mandates have not).
ORIGINAL_KINDS = (K.ACCESS, K.ERASURE, K.ACCESS_ERASURE)
# These tuples, in this order, are also the conditions of the partial indexes cases_req_remind_*
# on Request (models.py): keep both the same, or the sweep's query stops using them
# (tests/cases/test_reminders.py checks).
REMINDER_RULES: dict[Reminder, Rule] = {
    Reminder.BEFORE: Rule(ORIGINAL_KINDS, (S.AWAITING, S.EXTENDED)),
    Reminder.OVERDUE: Rule(ORIGINAL_KINDS, (S.AWAITING, S.EXTENDED, S.OVERDUE)),
    Reminder.COMPLAINT: Rule(ORIGINAL_KINDS, (S.FOLLOWUP_SENT,)),
}


def _literal_in(column: str, values: tuple[str, ...]) -> RawSQL:
    """`column IN ('a', 'b')` with the values written into the SQL, not bound.

    SQLite uses a partial index only when the query repeats the index's condition term for
    term, and a bound parameter never matches the literal in the index definition. The values
    are our own TextChoices constants (checked below), never user input.
    """
    texts = [str(value) for value in values]
    if not all(text.replace("_", "").isalpha() and text.islower() for text in texts):
        raise ValueError("choice constants only")
    quoted = [f"'{text}'" for text in texts]
    # One value: written as `=`, as Django writes Q(x=...) in an index condition.
    test = f"= {quoted[0]}" if len(quoted) == 1 else f"IN ({', '.join(quoted)})"
    return RawSQL(f'"{Request._meta.db_table}"."{column}" {test}', (), output_field=BooleanField())


def _due_condition(kind: Reminder, today: dt.date) -> Q:
    """Rows for which the reminder is due today (the sweep) and still due (the claim)."""
    rule = REMINDER_RULES[kind]
    condition = Q(_literal_in("kind", rule.kinds)) & Q(_literal_in("status", rule.statuses))
    condition &= Q(**{f"{CLAIM_FIELD[kind]}__isnull": True})
    if kind == Reminder.BEFORE:
        return condition & Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=BEFORE_DAYS))
    return condition & Q(due_on__lt=today)


def due_reminder_ids(kind: Reminder, today: dt.date) -> QuerySet[Request, int]:
    """Ids of the requests that need `kind` today, read through its partial index."""
    return (
        Request.objects.filter(_due_condition(kind, today)).order_by().values_list("id", flat=True)
    )


@dataclass(frozen=True)
class SweepResult:
    marked_overdue: int
    due: tuple[tuple[int, Reminder], ...]


def requests_mark_overdue(*, today: dt.date) -> int:
    """Requests whose clock ran out yesterday or earlier become overdue (one UPDATE).

    The same rule as services.derive_status (a running clock past due_on is overdue), applied
    to all such rows at once rather than by replaying each request's events.
    """
    return Request.objects.filter(status__in=Request.CLOCK_RUNNING, due_on__lt=today).update(
        status=Request.Status.OVERDUE, updated_at=timezone.now()
    )


def sweep(*, today: dt.date) -> SweepResult:
    """Mark overdue requests, then list every reminder due today (the caller fans out)."""
    marked = requests_mark_overdue(today=today)
    due = tuple(iter_due(today))
    logger.info("sweep %s: %d marked overdue, %d reminders due", today, marked, len(due))
    return SweepResult(marked, due)


def reminder_recipients(case: Case) -> list[str]:
    """Who is reminded: the public person's confirmed tracking email; for an NGO case its
    assignee, or the team's coordinators when nobody is assigned."""
    if case.team_id is None:
        return [case.tracking_email] if case.tracking_email and case.email_confirmed_at else []
    if case.assignee is not None and case.assignee.email:
        return [case.assignee.email]
    return list(
        TeamMembership.objects.filter(team_id=case.team_id, role=TeamMembership.Role.COORDINATOR)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )


# What a reminder reads (a narrow SELECT: the sweep may send thousands in a row).
REMINDER_FIELDS = (
    "id", "kind", "status", "due_on", "sent_on", "language", "channel", "parent_id",
    "case_id", "organisation_id", "authority_id",
    "case__reference", "case__language", "case__team_id", "case__assignee_id",
    "case__tracking_email", "case__email_confirmed_at", "case__assignee__email",
    "organisation__name", "authority__name",
)  # fmt: skip


def _claim(request_id: int, kind: Reminder, today: dt.date) -> bool:
    claimed = Request.objects.filter(_due_condition(kind, today), id=request_id).update(
        **{CLAIM_FIELD[kind]: timezone.now()}
    )
    return claimed == 1


# Subject and paragraphs per reminder; %(...)s are filled in the case's language.
SUBJECTS: dict[Reminder, StrOrPromise] = {
    Reminder.BEFORE: _("[%(reference)s] An answer is due on %(due_on)s"),
    Reminder.OVERDUE: _("[%(reference)s] No answer by the deadline: your follow-up letter"),
    Reminder.COMPLAINT: _("[%(reference)s] Still no answer: your complaint to the authority"),
}
PARAGRAPHS: dict[Reminder, tuple[StrOrPromise, ...]] = {
    Reminder.BEFORE: (
        _("Your request to %(recipient)s (case %(reference)s) must be answered by %(due_on)s."),
        _(
            "If they have already answered, record the answer on your case page, so that dsar"
            " stops reminding you and prepares the next step if the answer is incomplete."
        ),
    ),
    Reminder.OVERDUE: (
        _(
            "The answer from %(recipient)s to your request (case %(reference)s) was due on"
            " %(due_on)s, and no answer has been recorded."
        ),
        _(
            "Your follow-up letter is ready on your case page. It reminds them of the missed"
            " deadline and gives them a short last period before you complain to the data"
            " protection authority."
        ),
    ),
    Reminder.COMPLAINT: (
        _(
            "%(recipient)s has not answered your follow-up (case %(reference)s) within the"
            " period it gave."
        ),
        _(
            "Your complaint to the data protection authority is ready on your case page, with"
            " the correspondence to enclose."
        ),
    ),
}
FOOTER = (
    _(
        "Open your case page with the link from your confirmation email. Lost it? Ask for a new"
        " one: %(new_link_url)s"
    ),
    _(
        "You receive this email because you asked dsar to track this request. You can delete"
        " the case and everything stored about it from the case page at any time."
    ),
)
# A team case's reminder goes to its caseworker or the team's coordinators.
TEAM_FOOTER = (
    _("You receive this email as the caseworker or a coordinator of this case; it is in your queue."),
)


def reminder_message_id(request: Request, kind: Reminder) -> str:
    """The same Message-ID each time one request's reminder of one kind is sent (a resend after
    a crash is a duplicate, not a new message). Ids only: no personal data in headers."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "dsar.invalid"
    return f"<reminder.{kind}.{request.id}@{domain}>"


def reminder_email(
    request: Request, kind: Reminder, recipients: list[str]
) -> EmailMultiAlternatives:
    """The reminder as an email with a text and an HTML part, in the case's language."""
    language = request.case.language or settings.LANGUAGE_CODE
    with translation.override(language):
        values = {
            "reference": request.case.reference,
            "recipient": _recipient_name(request),
            "due_on": formats.date_format(request.due_on) if request.due_on else "",
        }
        subject = str(SUBJECTS[kind]) % values
        if request.case.team_id is None:
            values["new_link_url"] = settings.SITE_URL + reverse("cases:new_link")
        footer = FOOTER if request.case.team_id is None else TEAM_FOOTER
        paragraphs = [str(text) % values for text in (*PARAGRAPHS[kind], *footer)]
        context = {
            "subject": subject,
            "paragraphs": paragraphs,
            "language": language,
            "site_url": settings.SITE_URL,
        }
        text = render_to_string("cases/email/reminder.txt", context)
        html = render_to_string("cases/email/reminder.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
        headers={"Message-ID": reminder_message_id(request, kind)},
    )
    message.attach_alternative(html, "text/html")
    return message


def _recipient_name(request: Request) -> str:
    recipient = request.recipient
    return str(getattr(recipient, "name", "")) if recipient is not None else ""


def _prepare_next_letter(request: Request, kind: Reminder) -> None:
    """The draft the reminder announces: the follow-up, or the complaint to the authority.

    Only the draft row: its PDF is rendered when first opened or downloaded (or by the
    render_request_letter task), so thousands of reminders do not wait on WeasyPrint.
    """
    try:
        if kind == Reminder.OVERDUE:
            services.request_create_followup(request=request)
        elif kind == Reminder.COMPLAINT:
            services.request_create_complaint(request=request)
    except services.CaseError:
        # No authority known for the person's residence (or nothing sent): the reminder still
        # goes out; the case page lets the person choose.
        logger.info("reminder %s for request %s: no draft letter", kind, request.id)


def _load(request_ids: Sequence[int]) -> list[Request]:
    """The requests a chunk reminds, in one narrow SELECT (ids gone meanwhile are skipped)."""
    return list(
        Request.objects.select_related("case", "case__assignee", "organisation", "authority")
        .only(*REMINDER_FIELDS)
        .filter(id__in=request_ids)
        .order_by("id")
    )


def _send_one(
    request: Request, kind: Reminder, today: dt.date, connection: BaseEmailBackend | None
) -> bool:
    """Claim, record and hand over one reminder, in its own transaction."""
    # 1. Render first, outside the write transaction: SQLite has one writer at a time, so the
    #    transaction below is kept to the claim, the timeline and the hand-over.
    recipients = reminder_recipients(request.case)
    message = reminder_email(request, kind, recipients) if recipients else None
    # 2. Claim (re-checking that it is still due), record, hand the email over, commit.
    with transaction.atomic():
        if not _claim(request.id, kind, today):
            logger.info("reminder %s for request %s: not due or already sent", kind, request.id)
            return False
        services.request_record_reminder(request=request, reminder=str(kind), on=today)
        _prepare_next_letter(request, kind)
        if message is not None:
            # Inside the transaction: if the mail server refuses, this claim is rolled back
            # (earlier reminders of the chunk stay sent) and the task's retry sends the rest.
            message.connection = connection
            message.send()
    logger.info("reminder %s for request %s sent to %d", kind, request.id, len(recipients))
    return True


def reminders_send(*, request_ids: Sequence[int], kind: Reminder, today: dt.date) -> int:
    """Send reminder `kind` for each of a chunk of requests that is due and not yet sent.

    Returns how many this call sent. Each request is claimed in its own transaction (as
    `reminder_send`), so a chunk that is redelivered after a worker died half-way, or that
    overlaps another, sends only what nobody sent yet. One mail connection serves the chunk.
    """
    requests = _load(request_ids)
    if not requests:
        return 0
    with get_connection() as connection:
        return sum(_send_one(request, kind, today, connection) for request in requests)


def reminder_send(*, request_id: int, kind: Reminder, today: dt.date) -> bool:
    """Send reminder `kind` for one request if it is due and nobody sent it yet.

    Returns True when this call sent it. Safe to call any number of times, from any number
    of workers: see the module docstring.
    """
    return reminders_send(request_ids=[request_id], kind=kind, today=today) == 1


def chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    """`ids` cut into lists of at most `size` (the sweep's fan-out)."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def iter_due(today: dt.date) -> Iterator[tuple[int, Reminder]]:
    """Every (request id, reminder) due today, without marking anything."""
    for kind in Reminder:
        for request_id in due_reminder_ids(kind, today):
            yield request_id, kind
