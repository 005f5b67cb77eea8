"""The Art. 80(1) mandate: the person authorises the team to act for them. Built here because
only casework knows the team and the batch's organisations; the letters app renders it."""
from __future__ import annotations

from django.utils import timezone

from dsar.cases.models import Request
from dsar.casework.models import Batch
from dsar.letters.data import DatasetRef, LetterData, Ngo, Person, Recipient


def mandate_letter(request: Request, *, batch: Batch) -> LetterData:
    subject = request.case.data_subject
    team = batch.team
    today = timezone.localdate()
    return LetterData(
        kind="mandate",
        language=request.language or "en",  # type: ignore[arg-type]
        reference=request.case.reference,
        letter_date=today,
        due_date=today,  # a mandate has no answer to wait for
        person=Person(
            name=subject.name,
            address_lines=tuple(line.strip() for line in subject.postal_address.splitlines() if line.strip()),
            email=subject.email,
            phone=subject.phone,
            other_names=tuple(n.strip() for n in subject.other_names.split(";") if n.strip()),
        ),
        recipient=Recipient(name=team.name),
        ngo=Ngo(name=team.name),
        datasets=tuple(DatasetRef(name=d.name) for d in batch.datasets.all()),
        scope_organisations=tuple(o.legal_name or o.name for o in batch.organisations.all()),
    )
