"""The Art. 80(1) mandate of a batch: the person authorises the team to act for them towards
the batch's organisations. cases maps any request to the assembler's input; casework adds what
only it knows (the organisations chosen for the batch)."""
from __future__ import annotations

import dataclasses

from dsar.cases.letters import request_letter_spec
from dsar.cases.models import Request
from dsar.casework.models import Batch
from dsar.letters.assemble import LetterSpec


def mandate_spec(request: Request, *, batch: Batch) -> LetterSpec:
    return dataclasses.replace(
        request_letter_spec(request),
        scope_organisations=tuple(o.legal_name or o.name for o in batch.organisations.order_by("name")),
    )
