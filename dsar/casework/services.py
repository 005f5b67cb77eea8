"""Writes of the casework app: team policy, bulk import, batch planning, generation, sending.

State changes of a case or request itself (sent, answered, notes, ...) are made by
dsar.cases.services; these functions only orchestrate them for many cases at once.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from dsar.cases.fields import blind_index
from dsar.cases.letters import request_render_letter as request_render_letter_of_case
from dsar.cases.models import Case, DataSubject, Request, Team
from dsar.casework.csvimport import ParsedFile, SubjectRow
from dsar.casework.mandates import mandate_spec
from dsar.casework.models import Batch, BatchItem, BatchMember, SubjectNameKey
from dsar.casework.selectors import name_key
from dsar.catalog.models import Dataset, Organisation

log = logging.getLogger(__name__)


@transaction.atomic
def team_set_require_otp(*, team: Team, require: bool) -> None:
    """A coordinator's setting: every member must use a second factor from their next page on."""
    team.require_otp = require
    team.save(update_fields=["require_otp"])
    log.info("team %s require_otp=%s", team.pk, require)


@transaction.atomic
def team_set_contact(*, team: Team, postal_address: str, contact_email: str, contact_phone: str,
                     website: str, description: str) -> None:
    """How letters name the team as representative (dsar.letters.assemble.team_ngo)."""
    team.postal_address, team.contact_email, team.contact_phone = postal_address.strip(), contact_email, contact_phone
    team.website, team.description = website, description.strip()
    team.save(update_fields=["postal_address", "contact_email", "contact_phone", "website", "description"])
    log.info("team %s contact updated", team.pk)


# --- import ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportPreview:
    new: list[SubjectRow]
    existing: list[SubjectRow]  # already stored for this team (same name and email)


def subject_key(row: SubjectRow) -> str:
    """cases' blind index for a person: their name and email (both normalised inside)."""
    return blind_index(row.name, row.email)


def import_preview(*, team: Team, parsed: ParsedFile) -> ImportPreview:
    """Split the good rows into new people and people this team already has (one query)."""
    known = _known_subjects(team, parsed.rows)
    return ImportPreview(
        new=[r for r in parsed.rows if subject_key(r) not in known],
        existing=[r for r in parsed.rows if subject_key(r) in known],
    )


def _known_subjects(team: Team, rows: Sequence[SubjectRow]) -> dict[str, int]:
    keys = {subject_key(r) for r in rows}
    found = DataSubject.objects.filter(team=team, blind_index__in=keys).values_list("blind_index", "pk")
    return dict(found)


@transaction.atomic
def batch_import_subjects(*, team: Team, user: Any, label: str, rows: Sequence[SubjectRow]) -> Batch:
    """Create a batch with one case per good row; a person already stored for the team (same
    blind index) is reused with their latest case, so importing a file twice adds nobody.

    1. find the people already stored; 2. bulk-create the new people, their name keys and
    cases; 3. attach every row's case to the new batch.
    """
    known = _known_subjects(team, rows)
    new_rows = [r for r in rows if subject_key(r) not in known]
    subjects = DataSubject.objects.bulk_create([_subject(team, r) for r in new_rows])
    SubjectNameKey.objects.bulk_create(
        [SubjectNameKey(data_subject=s, key=name_key(r.name)) for s, r in zip(subjects, new_rows, strict=True)]
    )
    Case.objects.bulk_create([Case(data_subject=s, team=team) for s in subjects])
    subject_of = {**known, **{subject_key(r): s.pk for r, s in zip(new_rows, subjects, strict=True)}}
    case_of = _latest_cases(team, list(subject_of.values()))
    batch = Batch.objects.create(team=team, created_by=user, label=label)
    BatchMember.objects.bulk_create(
        [
            BatchMember(batch=batch, case_id=case_of[subject_of[subject_key(r)]], line=r.line,
                        created_subject=subject_key(r) not in known)
            for r in rows
        ]
    )
    log.info("batch %s imported: %s new, %s existing", batch.pk, len(subjects), len(rows) - len(subjects))
    return batch


def _subject(team: Team, row: SubjectRow) -> DataSubject:
    return DataSubject(
        team=team, name=row.name, other_names="; ".join(row.other_names), email=row.email,
        postal_address=row.postal_address, phone=row.phone, country=row.country,
        blind_index=subject_key(row),
    )


def _latest_cases(team: Team, subject_ids: Sequence[int]) -> dict[int, int]:
    latest: dict[int, int] = {}
    for subject_id, case_id in (
        Case.objects.filter(team=team, data_subject_id__in=subject_ids)
        .order_by("data_subject_id", "created_at", "pk").values_list("data_subject_id", "pk")
    ):
        latest[subject_id] = case_id  # ordered, so the last one wins
    return latest


# --- plan and generate -------------------------------------------------------------------------

@transaction.atomic
def batch_plan(*, batch: Batch, datasets: Sequence[Dataset], organisations: Sequence[Organisation],
               kind: str, language: str, mandate: bool = True) -> int:
    """One request per person and organisation, plus (when the team files for them) one Art. 80(1)
    mandate per person; returns the number of letters. Running it again adds only what is missing."""
    batch.kind, batch.language = kind, language
    batch.state = Batch.State.PLANNED
    batch.save(update_fields=["kind", "language", "state"])
    batch.datasets.set(datasets)
    batch.organisations.set(organisations)
    case_ids = list(batch.members.values_list("case_id", flat=True))
    Case.datasets.through.objects.bulk_create(
        [Case.datasets.through(case_id=c, dataset_id=d.pk) for c in case_ids for d in datasets],
        ignore_conflicts=True,
    )
    wanted: list[tuple[int, int | None, str, str]] = [(c, o.pk, kind, o.preferred_channel or Request.Channel.POST) for c in case_ids for o in organisations]
    if mandate:
        wanted += [(c, None, Request.Kind.MANDATE, Request.Channel.POST) for c in case_ids]
    existing = set(
        Request.objects.filter(case_id__in=case_ids, kind__in=[kind, Request.Kind.MANDATE])
        .values_list("case_id", "organisation_id", "kind")
    )
    created = Request.objects.bulk_create(
        [Request(case_id=c, organisation_id=o, kind=k, language=language, channel=ch)
         for c, o, k, ch in wanted if (c, o, k) not in existing]
    )
    BatchItem.objects.bulk_create([BatchItem(batch=batch, request=r) for r in created])
    batch.total = batch.items.count()
    batch.save(update_fields=["total"])
    return batch.total


def batch_start_generation(*, batch: Batch) -> None:
    """Queue the letters; the page then polls the progress endpoint."""
    from dsar.casework import tasks

    Batch.objects.filter(pk=batch.pk).update(state=Batch.State.GENERATING, progress_at=timezone.now())
    transaction.on_commit(lambda: tasks.generate_batch.delay(batch.pk))


def batch_items_to_resume(*, now: dt.datetime | None = None) -> list[int]:
    """Letters of generating batches that made no progress for a whole lease: pending ones whose
    task was lost, and claimed ones whose worker died. Marks those batches as just resumed, so
    the next call (beat) leaves them alone for another lease. Claims keep re-sent letters single."""
    now = now or timezone.now()
    stalled = list(
        Batch.objects.filter(state=Batch.State.GENERATING, progress_at__lt=now - dt.timedelta(seconds=lease_seconds()))
        .values_list("pk", flat=True)
    )
    ids = list(
        BatchItem.objects.filter(batch_id__in=stalled)
        .filter(Q(state=BatchItem.State.PENDING) | Q(state=BatchItem.State.CLAIMED, claimed_until__lt=now))
        .values_list("pk", flat=True)
    )
    Batch.objects.filter(pk__in=stalled).update(progress_at=now)
    return ids


def batch_letters(batch: Batch) -> QuerySet[BatchItem]:
    return batch.items.select_related("request__case__data_subject", "request__organisation").order_by("pk")


@transaction.atomic
def batch_mark_sent(*, batch: Batch, on: dt.date, channel: str, user: Any) -> int:
    """Record one sending date and channel for every generated letter to an organisation in the
    batch. Letters whose generation failed have no PDF and stay unsent (the page says how many)."""
    from dsar.cases import services as case_services

    count = 0
    items = batch.items.filter(state=BatchItem.State.DONE).exclude(request__kind=Request.Kind.MANDATE)
    for item in items.select_related("request"):
        if item.request.sent_on is None:
            case_services.request_mark_sent(request=item.request, sent_on=on, channel=channel, user=user)
            count += 1
    batch.sent_on, batch.channel, batch.state = on, channel, Batch.State.SENT
    batch.save(update_fields=["sent_on", "channel", "state"])
    return count


# --- one letter of a batch: claim, render, finish ------------------------------------------------

CLAIMED, BUSY, NOTHING, FAILED, RETRY = "claimed", "busy", "nothing", "failed", "retry"
MAX_ATTEMPTS = 3


def batch_item_claim(*, item_id: int, now: dt.datetime | None = None) -> str:
    """Take an item for rendering: a conditional UPDATE that succeeds for exactly one caller.

    Pending items, and items whose claimer's lease ran out (a worker killed mid-letter), can be
    claimed; returns the claim token, or "" when someone else holds it or it is finished.
    """
    now = now or timezone.now()
    token = secrets.token_hex(16)
    claimed = BatchItem.objects.filter(
        Q(state=BatchItem.State.PENDING) | Q(state=BatchItem.State.CLAIMED, claimed_until__lt=now),
        pk=item_id,
    ).update(
        state=BatchItem.State.CLAIMED, claim_token=token, attempts=F("attempts") + 1,
        claimed_until=now + dt.timedelta(seconds=settings.CASEWORK_CLAIM_LEASE_SECONDS),
    )
    return token if claimed else ""


@transaction.atomic
def batch_item_finish(*, item_id: int, token: str, state: str) -> bool:
    """Only the holder of the current claim can finish an item, once; the counters move with it."""
    item = BatchItem.objects.filter(pk=item_id).values("batch_id").first()
    finished = BatchItem.objects.filter(pk=item_id, state=BatchItem.State.CLAIMED, claim_token=token).update(
        state=state, claim_token="", claimed_until=None, finished_at=timezone.now()
    )
    if not finished or item is None:
        return False
    counter = "done" if state == BatchItem.State.DONE else "failed"
    Batch.objects.filter(pk=item["batch_id"]).update(**{counter: F(counter) + 1}, progress_at=timezone.now())
    Batch.objects.filter(
        pk=item["batch_id"], state=Batch.State.GENERATING, total__lte=F("done") + F("failed")
    ).update(state=Batch.State.READY)
    return True


def batch_item_release(*, item_id: int, token: str) -> None:
    """Give an item back after an error, so the next attempt may claim it at once."""
    BatchItem.objects.filter(pk=item_id, state=BatchItem.State.CLAIMED, claim_token=token).update(
        state=BatchItem.State.PENDING, claim_token="", claimed_until=None
    )


def batch_item_render(*, item_id: int) -> str:
    """Claim one letter, render it, finish it. Returns CLAIMED (rendered now), BUSY (another
    worker holds a live claim: try later), NOTHING (finished already), RETRY (an error; given
    back, try again) or FAILED (gave up after MAX_ATTEMPTS)."""
    token = batch_item_claim(item_id=item_id)
    if not token:
        state = BatchItem.objects.filter(pk=item_id).values_list("state", flat=True).first()
        return BUSY if state == BatchItem.State.CLAIMED else NOTHING
    item = BatchItem.objects.select_related("batch__team", "request__case__data_subject").get(pk=item_id)
    try:
        render_request_letter(item.request, batch=item.batch)
    except Exception:
        log.exception("batch item %s failed (attempt %s)", item_id, item.attempts)
        if item.attempts >= MAX_ATTEMPTS:
            batch_item_finish(item_id=item_id, token=token, state=BatchItem.State.FAILED)
            return FAILED
        batch_item_release(item_id=item_id, token=token)
        return RETRY
    batch_item_finish(item_id=item_id, token=token, state=BatchItem.State.DONE)
    return CLAIMED


def render_request_letter(request: Request, *, batch: Batch) -> None:
    """Render one letter of a batch into the request's private (encrypted) PDF. Idempotent:
    the file has a fixed name per request and is replaced, so a letter rendered twice is still
    one letter. A mandate names the batch's organisations."""
    spec = mandate_spec(request, batch=batch) if request.kind == Request.Kind.MANDATE else None
    request_render_letter_of_case(request=request, spec=spec)


def lease_seconds() -> int:
    return int(settings.CASEWORK_CLAIM_LEASE_SECONDS)


@transaction.atomic
def case_assign(*, case: Case, assignee: Any) -> None:
    """Give a case to a member of its team (or to nobody). The form offers only team members."""
    case.assignee = assignee
    case.save(update_fields=["assignee"])
    log.info("case %s assigned to user %s", case.pk, getattr(assignee, "pk", None))
