"""Reads for the casework pages: team-scoped lists, the queue, the staff dashboard figures.

Lists use the same rule as cases' one access function (dsar.cases.access): a case is visible
to members of its team and to staff, to nobody else. Single cases are always loaded through
that access function itself; these selectors only ever narrow a list down to that rule.
Every selector here runs a fixed number of queries, whatever the number of rows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from dsar.cases.access import cases_visible_to
from dsar.cases.fields import blind_index
from dsar.cases.models import Case, Event, Request, Team, TeamMembership
from dsar.casework.csvimport import normalise_name
from dsar.casework.models import Batch, BatchItem, SubjectNameKey
from dsar.catalog.models import Organisation

RUNNING = [str(s) for s in Request.CLOCK_RUNNING]
NEEDS_ACTION = [
    Request.Status.IDENTITY_ASKED, Request.Status.ANSWERED_PARTIAL,
    Request.Status.ANSWERED_REFUSED, Request.Status.ANSWERED_ASKS_MORE,
]
ANSWERED = [
    Request.Status.ANSWERED_COMPLETE, Request.Status.ANSWERED_PARTIAL,
    Request.Status.ANSWERED_REFUSED, Request.Status.ANSWERED_NO_DATA,
    Request.Status.ANSWERED_ASKS_MORE,
]
DUE_SOON_DAYS = 7
OUTCOME_CHOICES = Event.Outcome.choices
# What lists of requests show: loading whole catalogue rows (long texts, sources as JSON) for
# every row would cost more than the query itself.
LIST_FIELDS = (
    "id", "kind", "status", "channel", "due_on", "sent_on", "received_on", "extended_due_on", "case_id",
    "organisation_id", "authority_id", "case__id", "case__reference", "case__data_subject_id", "case__assignee_id",
    "organisation__id", "organisation__name", "organisation__slug",
)
BUCKETS = ("overdue", "due_soon", "awaiting", "needs_action", "open")


# --- teams -------------------------------------------------------------------------------------

def user_team_ids(user: Any) -> QuerySet[TeamMembership, Any]:
    """The user's teams, as a subquery (no query of its own)."""
    return TeamMembership.objects.filter(user_id=user.pk).values("team_id")


def teams_for_user(user: Any) -> QuerySet[Team]:
    return Team.objects.filter(pk__in=user_team_ids(user)).order_by("name")


def memberships_for_user(user: Any) -> list[TeamMembership]:
    return list(TeamMembership.objects.filter(user_id=user.pk).select_related("team").order_by("team__name"))


def assignees_for_user(user: Any) -> QuerySet[Any]:
    """Members of the user's teams (the queue's assignee filter, the case's assign form)."""
    members = TeamMembership.objects.filter(team_id__in=user_team_ids(user)).values("user_id")
    return get_user_model().objects.filter(pk__in=members).order_by("username")


def team_members(team_id: int | None) -> QuerySet[Any]:
    # None (a public case): the users of no team.
    members = get_user_model().objects.filter(team_memberships__team_id=team_id)  # type: ignore[misc]
    return members.order_by("username")


def team_requires_totp(user: Any) -> bool:
    return TeamMembership.objects.filter(user_id=user.pk, team__require_otp=True).exists()


def coordinated_team(user: Any, team_id: int) -> Team | None:
    membership = (
        TeamMembership.objects.select_related("team")
        .filter(user_id=user.pk, team_id=team_id, role=TeamMembership.Role.COORDINATOR)
        .first()
    )
    return membership.team if membership else None


# --- the team rule for lists -------------------------------------------------------------------

def cases_for_user(user: Any) -> QuerySet[Case]:
    """Cases the user may see: exactly cases' access rule, as a list filter."""
    return cases_visible_to(user)


def requests_for_user(user: Any) -> QuerySet[Request]:
    if user.is_staff:
        return Request.objects.all()  # no subquery: the staff dashboard and queue stay cheap
    return Request.objects.filter(case_id__in=cases_visible_to(user).values("pk"))


def batches_for_user(user: Any) -> QuerySet[Batch]:
    if user.is_staff:
        return Batch.objects.all()
    return Batch.objects.filter(team_id__in=user_team_ids(user))


def batch_letters_for_user(user: Any, batch: Batch) -> QuerySet[BatchItem]:
    """The batch's generated letters whose case the user may see (the zip download)."""
    return (
        batch.items.filter(request__case__in=cases_visible_to(user)).exclude(request__letter_pdf="")
        .select_related("request__case", "request__organisation").order_by("pk")
    )


def batch_for_user(user: Any, batch_id: int) -> Batch:
    """A batch of one of the user's teams (or any, for staff); 404 for everyone else."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(batches_for_user(user).select_related("team"), pk=batch_id)


# --- the caseworker queue ----------------------------------------------------------------------

@dataclass
class QueueFilters:
    bucket: str = "open"
    status: str = ""
    organisation: int | None = None
    dataset: int | None = None
    assignee: int | None = None  # a user id; 0 = unassigned
    q: str = ""
    descending: bool = False


def bucket_q(bucket: str, today: dt.date) -> Q:
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    running = Q(status__in=RUNNING)
    return {
        "overdue": Q(status=Request.Status.OVERDUE) | (running & Q(due_on__lt=today)),
        "due_soon": running & Q(due_on__gte=today, due_on__lte=soon),
        "awaiting": Q(status__in=RUNNING + [Request.Status.FOLLOWUP_SENT]),
        "needs_action": Q(status__in=NEEDS_ACTION),
    }.get(bucket, Q(status__in=Request.OPEN_STATUSES))


def queue_counts(user: Any, today: dt.date) -> dict[str, int]:
    """How many requests are in each bucket: one aggregate query."""
    return requests_for_user(user).aggregate(
        **{bucket: Count("pk", filter=bucket_q(bucket, today)) for bucket in BUCKETS}
    )


def search_q(q: str) -> Q:
    """By reference (part of it), or by the exact name: names are encrypted, so a name is found
    through its keyed hash (SubjectNameKey), which matches only the whole normalised name."""
    q = q.strip()
    by_reference = Q(case__reference__icontains=q)
    key = name_key(q)
    by_name = Q(case__data_subject_id__in=SubjectNameKey.objects.filter(key=key).values("data_subject_id"))
    return by_reference | by_name


def name_key(name: str) -> str:
    # A distinct prefix keeps these hashes from ever equalling cases' name+email index.
    return blind_index("casework-name", normalise_name(name))


def queue(user: Any, filters: QueueFilters, today: dt.date) -> QuerySet[Request]:
    qs = requests_for_user(user).filter(bucket_q(filters.bucket, today))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.organisation:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.dataset:
        qs = qs.filter(case__datasets=filters.dataset)
    if filters.assignee is not None:
        qs = qs.filter(case__assignee_id=filters.assignee or None)
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    due = F("due_on").desc(nulls_last=True) if filters.descending else F("due_on").asc(nulls_last=True)
    return (
        qs.select_related("case__data_subject", "case__assignee", "organisation")
        .only(*LIST_FIELDS, "case__data_subject__name", "case__assignee__username")
        .order_by(due, "pk")
    )


# --- one case ----------------------------------------------------------------------------------

def case_timeline(case: Case) -> QuerySet[Event]:
    return case.events.select_related("request__organisation", "actor_user").order_by("on", "at", "pk")


def case_requests(case: Case) -> QuerySet[Request]:
    return case.requests.select_related("organisation", "authority").order_by("created_at", "pk")


# --- the staff dashboard -----------------------------------------------------------------------

def outcome_items(outcomes: dict[str, int]) -> list[tuple[str, int]]:
    """(label, count) in the order of Event.Outcome, for tables and the chart's legend."""
    labels = dict(Event.Outcome.choices)
    order = [*labels, *(k for k in outcomes if k not in labels)]
    return [(str(labels.get(k, k)), outcomes[k]) for k in order if k in outcomes]


@dataclass
class DatasetRow:
    name: str
    requests: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def outcome_items(self) -> list[tuple[str, int]]:
        return outcome_items(self.outcomes)


@dataclass
class OrganisationRow:
    organisation_id: int
    name: str
    requests: int = 0
    answered: int = 0
    on_time: int = 0
    median_days: float | None = None
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def outcome_items(self) -> list[tuple[str, int]]:
        return outcome_items(self.outcomes)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.answered) if self.answered else None


@dataclass
class Dashboard:
    by_status: dict[str, int]
    next_days: list[tuple[dt.date, int]]
    upcoming: list[Request]
    organisations: list[OrganisationRow]
    datasets: list[DatasetRow]
    history_as_of: dt.datetime


def staff_dashboard(today: dt.date, *, days: int = 30, upcoming: int = 50) -> Dashboard:
    """Every figure of the staff dashboard, aggregated in the database: three cheap queries (on
    the status/due index) for what is live, and the per-organisation and per-dataset history
    (full scans: four queries) from the cache, recomputed at most every few minutes."""
    horizon = today + dt.timedelta(days=days)
    requests = Request.objects.all()
    by_status = dict(requests.values_list("status").annotate(n=Count("pk")).order_by())
    coming = requests.filter(status__in=RUNNING, due_on__gte=today, due_on__lte=horizon)
    per_day = dict(coming.values_list("due_on").annotate(n=Count("pk")).order_by())
    next_days = [(d, per_day.get(d, 0)) for d in (today + dt.timedelta(n) for n in range(days + 1))]
    soonest = list(
        coming.select_related("case", "organisation").only(*LIST_FIELDS).order_by("due_on", "pk")[:upcoming]
    )
    history = dashboard_history()
    return Dashboard(by_status, next_days, soonest, history.organisations, history.datasets, history.as_of)


@dataclass
class History:
    organisations: list[OrganisationRow]
    datasets: list[DatasetRow]
    as_of: dt.datetime


HISTORY_CACHE_KEY = "casework:dashboard:history:v1"


def dashboard_history(*, refresh: bool = False) -> History:
    """Answers per organisation and dataset change slowly and cost full scans, so staff see them
    as of at most CASEWORK_DASHBOARD_HISTORY_SECONDS ago (the page says when). Beat refreshes
    them on that period (tasks.refresh_dashboard_history) and the cache keeps them for two, so
    a page view computes them only when beat is not running."""
    history = None if refresh else cache.get(HISTORY_CACHE_KEY)
    if history is None:
        requests = Request.objects.all()
        history = History(_organisation_rows(requests), _dataset_rows(requests), timezone.now())
        cache.set(HISTORY_CACHE_KEY, history, 2 * settings.CASEWORK_DASHBOARD_HISTORY_SECONDS)
    return history


def _organisation_rows(requests: QuerySet[Request]) -> list[OrganisationRow]:
    """Per organisation and outcome in one grouped scan, summed per organisation here (a few
    hundred rows at most: organisations x outcomes), names in one more query."""
    answered = Q(answered_on__isnull=False)
    grouped = (
        requests.filter(organisation__isnull=False).values_list("organisation_id", "outcome")
        .annotate(n=Count("pk"), answered=Count("pk", filter=answered),
                  on_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))))
        .order_by()
    )
    rows: dict[int, OrganisationRow] = {}
    for org_id, outcome, n, answered_n, on_time in grouped:
        row = rows.setdefault(org_id, OrganisationRow(org_id, ""))
        row.requests += n
        row.answered += answered_n
        row.on_time += on_time
        if outcome:
            row.outcomes[outcome] = n
    for org_id, name in Organisation.objects.filter(pk__in=rows).values_list("pk", "name"):
        rows[org_id].name = name
    for org_id, median in _median_days_to_answer(requests.filter(organisation__isnull=False)).items():
        rows[org_id].median_days = median
    return sorted(rows.values(), key=lambda r: (-r.requests, r.name))


class DaysBetween(Func):
    """Whole days from `start` to `end` (two date columns), computed in the database."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # julianday() is built into SQLite; Django's own date subtraction calls a Python function.
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)",
                           arg_joiner=") - julianday(", **extra)


def _median_days_to_answer(requests: QuerySet[Request]) -> dict[int, float]:
    """Median of (answered_on - received_on) per organisation, in one query: the database numbers
    each organisation's answers in order of duration and returns only the one or two middle rows."""
    ranked = requests.filter(answered_on__isnull=False, received_on__isnull=False).order_by().annotate(
        took=DaysBetween(F("answered_on"), F("received_on")),
    ).annotate(
        position=Window(RowNumber(), partition_by=[F("organisation_id")], order_by=[F("took").asc(), F("pk").asc()]),
        size=Window(Count("pk"), partition_by=[F("organisation_id")]),
    )
    middle = ranked.filter(
        Q(position=(F("size") + 1) / 2) | Q(position=(F("size") + 2) / 2)
    ).values_list("organisation_id", "took").order_by()
    medians: dict[int, list[int]] = {}
    for org_id, took in middle:
        medians.setdefault(org_id, []).append(took)
    return {org_id: sum(v) / len(v) for org_id, v in medians.items()}


def _dataset_rows(requests: QuerySet[Request]) -> list[DatasetRow]:
    """Requests and outcomes per dataset of their case (a request counts for each dataset)."""
    rows: dict[int, DatasetRow] = {}
    for ds_id, name, outcome, n in (
        requests.filter(case__datasets__isnull=False)
        .values_list("case__datasets", "case__datasets__name", "outcome")
        .annotate(n=Count("pk")).order_by()
    ):
        row = rows.setdefault(ds_id, DatasetRow(name))
        row.requests += n
        if outcome:
            row.outcomes[outcome] = n
    return sorted(rows.values(), key=lambda r: (-r.requests, r.name))
