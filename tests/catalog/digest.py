"""A digest of the loaded catalogue: per model, the row count and a SHA-256 of every row.

Rows are written with natural keys (slugs, and a source's record as "model:key") instead of
database ids, sorted, so the digest depends only on what was loaded, not on load order.
Fields at their default value are left out (see `row`). Used by test_catalogue_identity.py to pin that the loader turns the same files into the same
catalogue."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models

from dsar.catalog.models import (
    Dataset,
    DatasetUse,
    Derivative,
    EligibilityOutcome,
    EligibilityQuestion,
    Organisation,
    Source,
    SupervisoryAuthority,
)

MODELS: tuple[type[models.Model], ...] = (
    Organisation, Dataset, Derivative, DatasetUse, SupervisoryAuthority,
    EligibilityQuestion, EligibilityOutcome, Source,
)
# Bookkeeping that says when a row was written, not what it holds.
SKIPPED = {"id", "created", "updated", "created_at", "updated_at"}


def natural_key(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    if isinstance(obj, Derivative):
        return f"{obj.dataset.slug}/{obj.slug}"
    if isinstance(obj, DatasetUse):
        return f"{obj.dataset.slug}/{obj.organisation.slug}/{obj.role}"
    if isinstance(obj, EligibilityOutcome):
        return f"{obj.question.slug}/{obj.answer}/{obj.dataset.slug}"
    return str(getattr(obj, "slug", obj.pk))


def row(obj: models.Model) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for model_field in obj._meta.concrete_fields:
        if model_field.name in SKIPPED or model_field.name in {"content_type", "object_id"}:
            continue
        if model_field.is_relation:
            out[model_field.name] = natural_key(getattr(obj, model_field.name))
        elif getattr(obj, model_field.attname) != model_field.get_default():
            # A field left at its default is left out, so a field added later with a default
            # does not change the digest of files that predate it.
            out[model_field.name] = model_field.value_to_string(obj)
    if isinstance(obj, Source):
        target = obj.record
        out["record"] = f"{type(target).__name__}:{natural_key(target)}"
    return out


def catalogue_digest() -> dict[str, tuple[int, str]]:
    """{model name: (row count, sha256 of the sorted rows)} for the catalogue in the database."""
    digest: dict[str, tuple[int, str]] = {}
    for model in MODELS:
        rows = sorted(json.dumps(row(obj), sort_keys=True, ensure_ascii=False)
                      for obj in model.objects.all())
        digest[model.__name__] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digest
