"""The Art. 80(1) mandate of a batch: the person authorises the team to act for them towards
the batch's organisations. cases builds the letter data of any request; casework adds what only
it knows (the organisations chosen for the batch) and the letters app renders it."""
from __future__ import annotations

import dataclasses

from dsar.cases.letters import request_letter_data
from dsar.cases.models import Request
from dsar.casework.models import Batch
from dsar.letters.data import LetterData, Recipient


def mandate_letter(request: Request, *, batch: Batch) -> LetterData:
    letter = request_letter_data(request)
    return dataclasses.replace(
        letter,
        recipient=Recipient(name=batch.team.name),
        scope_organisations=tuple(o.legal_name or o.name for o in batch.organisations.order_by("name")),
    )
