"""Many requests at once for the query-count tests and the benchmark: bulk inserts, with the
statuses and dates the sweep would have derived (the events are not needed to read lists)."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from dsar.cases.fields import blind_index
from dsar.cases.models import Case, DataSubject, Request, Team

STATUSES = [
    Request.Status.AWAITING, Request.Status.EXTENDED, Request.Status.OVERDUE, Request.Status.IDENTITY_ASKED,
    Request.Status.ANSWERED_COMPLETE, Request.Status.ANSWERED_PARTIAL, Request.Status.ANSWERED_REFUSED,
    Request.Status.ANSWERED_NO_DATA, Request.Status.FOLLOWUP_SENT, Request.Status.DRAFT, Request.Status.CLOSED,
]
OUTCOME_OF = {
    Request.Status.ANSWERED_COMPLETE: "complete", Request.Status.ANSWERED_PARTIAL: "partial",
    Request.Status.ANSWERED_REFUSED: "refused", Request.Status.ANSWERED_NO_DATA: "no_data",
}


def bulk_requests(team: Team, count: int, *, organisations: list[Any], datasets: list[Any], today: dt.date,
                  seed: int = 1, per_case: int = 2, assignee: Any = None) -> list[Request]:
    """`count` requests in `count / per_case` cases of `team`, spread over statuses and dates."""
    rng = random.Random(seed)
    subjects = DataSubject.objects.bulk_create([
        DataSubject(team=team, name=f"Person {team.pk}-{i}", country="DE",
                    blind_index=blind_index(f"Person {team.pk}-{i}", ""))
        for i in range(max(count // per_case, 1))
    ])
    cases = Case.objects.bulk_create([Case(data_subject=s, team=team, assignee=assignee) for s in subjects])
    through = Case.datasets.through
    through.objects.bulk_create([through(case_id=c.pk, dataset_id=rng.choice(datasets).pk) for c in cases])
    requests = []
    for i in range(count):
        status = rng.choice(STATUSES)
        sent = today - dt.timedelta(days=rng.randint(0, 90))
        received = sent + dt.timedelta(days=3)
        due = received + dt.timedelta(days=30)
        answered = received + dt.timedelta(days=rng.randint(5, 60)) if status in OUTCOME_OF else None
        requests.append(Request(
            case=cases[i % len(cases)], organisation=rng.choice(organisations), kind="access", status=status,
            sent_on=None if status == Request.Status.DRAFT else sent,
            received_on=None if status == Request.Status.DRAFT else received,
            due_on=None if status in (Request.Status.DRAFT, Request.Status.IDENTITY_ASKED) else due,
            answered_on=answered, outcome=OUTCOME_OF.get(status, ""),
        ))
    return Request.objects.bulk_create(requests, batch_size=2000)
