"""Writes to the catalogue. The one writer is `catalog_load`: JSON files in, rows upserted by slug.

Contract (tested in tests/catalog/test_loader.py):
1. Read every file of the catalogue directory and validate every record (its shape against the
   model's fields in `schema.py`, then model `full_clean`, sources, references between files)
   before anything is written.
2. Any problem aborts the whole load with `CatalogError`, whose lines each name the file, the
   record's slug and the field. Nothing is written.
3. Otherwise upsert by slug in ONE transaction, replacing a record's sources only when they
   differ, and report created / updated / unchanged per model. A second load of the same files
   therefore reports 0 created and 0 updated.

The data migration calls this with the historical app registry, so the loader resolves models
through `apps` and touches no model methods beyond `full_clean`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import ValidationError
from django.db import models, transaction

from dsar.catalog.schema import shape_problems

Json = dict[str, Any]

FILES = {
    "organisations": "organisations.json",
    "datasets": "datasets.json",
    "uses": "uses.json",
    "authorities": "authorities.json",
    "questions": "eligibility.json",
}
# Order of the report lines (and of writing: referenced rows first).
MODELS = (
    "Organisation", "Dataset", "Derivative", "DatasetUse", "SupervisoryAuthority",
    "EligibilityQuestion", "EligibilityOutcome", "Source",
)
UPSTREAM_FIELDS = ("repo", "commit", "path", "licence", "record")
MISSING_SOURCE = "at least one source is required"
UNKNOWN_REFERENCE = "refers to {kind} {slug!r}, which is not in {file}"
DUPLICATE = "appears twice"


class CatalogError(Exception):
    """A catalogue file is wrong. Each line of the message names file, record and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def add(self, state: str, number: int = 1) -> None:
        setattr(self, state, getattr(self, state) + number)


@dataclass
class LoadReport:
    counts: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in MODELS})
    skipped: bool = False
    # Records no longer in the files but still referenced by cases or batches: "Model 'slug'".
    kept: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.skipped:
            return ["The catalogue is not empty; nothing loaded (--if-empty)."]
        lines = [
            f"{name:<22} created {c.created:>4}  updated {c.updated:>4}  unchanged {c.unchanged:>4}"
            f"  removed {c.removed:>4}"
            for name, c in self.counts.items()
        ]
        if self.kept:
            lines.append("No longer in the catalogue files but kept, because cases or batches refer "
                         "to them (remove them in the admin once they are not needed): "
                         + ", ".join(self.kept))
        return lines


@dataclass
class Pending:
    """A validated row waiting to be written: the instance, its state, and its sources."""

    instance: Any  # a (possibly historical) catalogue model instance
    changed: bool
    sources: list[Json]
    refs: dict[str, Any] = field(default_factory=dict)


def default_catalog_path() -> Path:
    return Path(settings.DSAR_CATALOG_PATH)


def catalog_load(
    *, path: Path | None = None, if_empty: bool = False, apps: Apps | None = None
) -> LoadReport:
    """Validate the catalogue at `path` (a directory of the five JSON files), then upsert it."""
    loader = _Loader(apps or global_apps, Path(path or default_catalog_path()))
    if if_empty and loader.model("Dataset").objects.exists():
        return LoadReport(skipped=True)
    loader.validate()
    with transaction.atomic():
        return loader.write()


class _Loader:
    def __init__(self, apps: Apps, root: Path):
        self.apps = apps
        self.root = root
        self.problems: list[str] = []
        self.pending: dict[str, list[Pending]] = {name: [] for name in MODELS if name != "Source"}
        # Only the real registry may reject keys the model lacks: a historical model in the
        # data migration is older than the JSON and silently ignores newer keys.
        self.strict_keys = apps is global_apps

    def model(self, name: str) -> Any:
        """The model class, from the registry given (Any: the data migration's historical models
        are made at run time, and their fields are only known from the JSON)."""
        return self.apps.get_model("catalog", name)

    # -- reading --------------------------------------------------------------------------------
    def read(self, key: str, model_name: str) -> list[Json]:
        """The file's records, each checked for its shape (problems noted, not raised)."""
        path = self.root / FILES[key]
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CatalogError([f"{path.name}: file not found in {self.root}"]) from None
        except json.JSONDecodeError as error:
            raise CatalogError([f"{path.name}: not valid JSON ({error})"]) from None
        records = payload.get(key) if isinstance(payload, dict) else None
        if not isinstance(records, list):
            raise CatalogError([f"{path.name}: expected an object with a list {key!r}"])
        model = self.model(model_name)
        for index, record in enumerate(records):
            for field_name, message in shape_problems(record, model, self.model):
                self.problem(key, _label(key, record, index), field_name, message)
        return records

    def problem(self, key: str, slug: object, field_name: str, message: str) -> None:
        self.problems.append(f"{FILES[key]}: record {slug!r}: field {field_name!r}: {message}")

    # -- validation -----------------------------------------------------------------------------
    def validate(self) -> None:
        organisations = self.read("organisations", "Organisation")
        datasets = self.read("datasets", "Dataset")
        uses = self.read("uses", "DatasetUse")
        authorities = self.read("authorities", "SupervisoryAuthority")
        questions = self.read("questions", "EligibilityQuestion")
        if self.problems:  # a record of the wrong shape: its values cannot be checked
            raise CatalogError(self.problems)
        org_slugs = self.validate_records("organisations", "Organisation", organisations)
        dataset_slugs = self.validate_records("datasets", "Dataset", datasets)
        self.validate_records("authorities", "SupervisoryAuthority", authorities)
        self.validate_records("questions", "EligibilityQuestion", questions)
        for record in datasets:
            self.check_ref("datasets", record, "publisher", org_slugs, "organisations", True)
            self.validate_derivatives(record)
        self.validate_uses(uses, org_slugs, dataset_slugs)
        for record in questions:
            self.validate_outcomes(record, dataset_slugs)
        self.validate_follows(questions)
        if self.problems:
            raise CatalogError(self.problems)

    def validate_records(self, key: str, model_name: str, records: list[Json]) -> set[str]:
        model = self.model(model_name)
        existing = {obj.slug: obj for obj in model.objects.all()}
        seen: set[str] = set()
        for record in records:
            slug = record.get("slug") if isinstance(record, dict) else None
            if not slug:
                self.problem(key, slug, "slug", "a slug is required")
                continue
            if slug in seen:
                self.problem(key, slug, "slug", DUPLICATE)
            seen.add(slug)
            instance = existing.get(slug) or model(slug=slug)
            values = self.values(key, model, record)
            pending = self.prepare(key, slug, instance, values, record)
            if pending:
                if model_name == "Dataset":
                    pending.refs["publisher"] = record.get("publisher") or ""
                self.pending[model_name].append(pending)
        return seen

    def values(self, key: str, model: type[models.Model], record: Json) -> Json:
        """The record's plain field values, with `upstream` spread into upstream_* fields."""
        special = {"sources", "derivatives", "outcomes", "publisher", "upstream"}
        values = {name: value for name, value in record.items() if name not in special}
        known = {f.name for f in model._meta.get_fields()}
        upstream = record.get("upstream") or {}
        for part in UPSTREAM_FIELDS:
            # Every upstream field is set, so a record that loses its upstream loses it here too.
            if f"upstream_{part}" in known:
                values[f"upstream_{part}"] = upstream.get(part, None if part == "record" else "")
        unknown = [name for name in values if name not in known]
        if unknown and self.strict_keys:
            self.problem(key, record.get("slug"), unknown[0], "unknown field")
        return {name: value for name, value in values.items() if name in known}

    def prepare(
        self, key: str, slug: str, instance: Any, values: Json, record: Json,
        *, needs_sources: bool = True,
    ) -> Pending | None:
        """Assign values, validate the instance and its sources; None when invalid."""
        changed = instance._state.adding
        for name, raw in values.items():
            model_field = instance._meta.get_field(name)
            try:
                value = None if raw is None else model_field.to_python(raw)
            except ValidationError as error:
                self.problem(key, slug, name, "; ".join(error.messages))
                return None
            if _prep(model_field, getattr(instance, model_field.attname)) != _prep(model_field, value):
                changed = True
                setattr(instance, model_field.attname, value)
        ok = self.clean(key, slug, instance, _relation_fields(instance))
        sources = self.validate_sources(key, slug, record) if needs_sources else []
        return Pending(instance, changed, sources) if ok and sources is not None else None

    def clean(self, key: str, slug: str, instance: models.Model, exclude: set[str]) -> bool:
        try:
            instance.full_clean(exclude=sorted(exclude), validate_unique=False,
                                validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.problem(key, slug, name, "; ".join(messages))
            return False
        return True

    def validate_sources(self, key: str, slug: str, record: Json, prefix: str = "") -> list[Json] | None:
        items = record.get("sources")
        if not items:
            self.problem(key, slug, f"{prefix}sources", MISSING_SOURCE)
            return None
        source_model = self.model("Source")
        ok = True
        for index, item in enumerate(items):
            candidate = source_model(
                supports=item.get("supports", ""), url=item.get("url", ""),
                note=item.get("note", ""), position=index,
            )
            try:
                candidate.full_clean(exclude=["content_type", "object_id"])
                if not candidate.url and not candidate.note.strip():
                    raise ValidationError({"url": ["a URL or a note is required"]})
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.problem(key, slug, f"{prefix}sources[{index}].{name}", "; ".join(messages))
                ok = False
        return [dict(supports=i.get("supports", ""), url=i.get("url", ""), note=i.get("note", ""))
                for i in items] if ok else None

    def check_ref(
        self, key: str, record: Json, name: str, slugs: set[str], target: str, optional: bool = False
    ) -> bool:
        value = record.get(name)
        if value is None and optional:
            return True
        if value not in slugs:
            kind = target.rstrip("s")
            self.problem(key, record.get("slug", _use_key(record)), name, UNKNOWN_REFERENCE.format(
                kind=kind, slug=value, file=FILES[target]))
            return False
        return True

    def validate_derivatives(self, record: Json) -> None:
        model = self.model("Derivative")
        dataset_slug = record.get("slug")
        existing = {d.slug: d for d in model.objects.filter(dataset__slug=dataset_slug)}
        seen: set[str] = set()
        for item in record.get("derivatives") or []:
            slug = item.get("slug")
            label = f"{dataset_slug}/{slug}"
            if slug in seen:
                self.problem("datasets", label, "derivatives.slug", DUPLICATE)
            seen.add(slug)
            instance = existing.get(slug) or model(slug=slug)
            values = {k: v for k, v in item.items() if k != "sources"}
            pending = self.prepare("datasets", label, instance, values, item)
            if pending:
                pending.refs["dataset"] = dataset_slug
                self.pending["Derivative"].append(pending)

    def validate_uses(self, uses: list[Json], org_slugs: set[str], dataset_slugs: set[str]) -> None:
        model = self.model("DatasetUse")
        existing = {
            (u.dataset.slug, u.organisation.slug, u.role): u
            for u in model.objects.select_related("dataset", "organisation")
        }
        seen: set[tuple[Any, Any, Any]] = set()
        for record in uses:
            label = _use_key(record)
            ok = self.check_ref("uses", record, "dataset", dataset_slugs, "datasets")
            ok = self.check_ref("uses", record, "organisation", org_slugs, "organisations") and ok
            key = (record.get("dataset"), record.get("organisation"), record.get("role"))
            if key in seen:
                self.problem("uses", label, "role", DUPLICATE)
            seen.add(key)
            instance = existing.get(key) or model()
            values = {k: v for k, v in record.items() if k in {"role", "basis", "list_based"}}
            pending = self.prepare("uses", label, instance, values, record)
            if pending and ok:
                pending.refs.update(dataset=key[0], organisation=key[1])
                self.pending["DatasetUse"].append(pending)

    def validate_follows(self, questions: list[Json]) -> None:
        """A follow-up follows up questions placed before it that follow nothing up themselves."""
        earlier: dict[str, bool] = {}  # slug -> is a follow-up, for the questions seen so far
        for record in sorted(questions, key=lambda q: (q.get("position") or 0, q.get("slug") or "")):
            parents = record.get("follows") or []
            if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
                self.problem("questions", record.get("slug"), "follows", "expected a list of question slugs")
                parents = []
            for parent in parents:
                if parent not in earlier:
                    self.problem("questions", record.get("slug"), "follows",
                                 f"{parent!r} is not a question placed before this one")
                elif earlier[parent]:
                    self.problem("questions", record.get("slug"), "follows",
                                 f"{parent!r} is itself a follow-up; follow-ups are one level deep")
            earlier[str(record.get("slug"))] = bool(parents)

    def validate_outcomes(self, question: Json, dataset_slugs: set[str]) -> None:
        model = self.model("EligibilityOutcome")
        existing = {
            (o.answer, o.dataset.slug): o
            for o in model.objects.filter(question__slug=question.get("slug")).select_related("dataset")
        }
        outcomes = question.get("outcomes") or []
        if not outcomes:
            self.problem("questions", question.get("slug"), "outcomes", "at least one outcome is required")
        for item in outcomes:
            label = f"{question.get('slug')}/{item.get('answer')}/{item.get('dataset')}"
            if item.get("dataset") not in dataset_slugs:
                self.problem("questions", label, "dataset", UNKNOWN_REFERENCE.format(
                    kind="dataset", slug=item.get("dataset"), file=FILES["datasets"]))
                continue
            instance = existing.get((item.get("answer", "yes"), item["dataset"])) or model()
            values = {k: v for k, v in item.items() if k in {"answer", "strength", "reasons"}}
            # Outcomes are backed by their question's sources.
            pending = self.prepare("questions", label, instance, values, item, needs_sources=False)
            if pending:
                pending.refs.update(question=question["slug"], dataset=item["dataset"])
                self.pending["EligibilityOutcome"].append(pending)

    # -- writing --------------------------------------------------------------------------------
    def write(self) -> LoadReport:
        report = LoadReport()
        saved: dict[str, dict[str, models.Model]] = {}
        for name in MODELS[:-1]:
            saved[name] = {}
            current_sources = self.current_sources(name)
            for item in self.pending[name]:
                self.link(name, item, saved)
                adding = item.instance._state.adding
                have = [] if adding else current_sources.get(item.instance.pk, [])
                wanted = [(s["supports"], s["url"], s["note"]) for s in item.sources]
                sources_changed = have != wanted
                if adding or item.changed:
                    item.instance.save()
                if sources_changed:
                    self.replace_sources(item.instance, wanted)
                state = "created" if adding else (
                    "updated" if item.changed or sources_changed else "unchanged")
                report.counts[name].add(state)
                # Sources are counted in rows: a record's whole list is written or kept.
                source_state = "created" if adding else ("updated" if sources_changed else "unchanged")
                report.counts["Source"].add(source_state, len(wanted))
                if getattr(item.instance, "slug", ""):
                    saved[name][item.instance.slug] = item.instance
        if self.strict_keys:  # a real load (the data migration only ever fills an empty table)
            self.remove_stale(report)
        return report

    def remove_stale(self, report: LoadReport) -> None:
        """The files are the catalogue: rows they no longer hold go, with their sources.

        Claims hanging off a record (uses, derivatives, outcomes) always go. A record that cases
        or batches still refer to (a request to an organisation, a case about a dataset) stays,
        and the report names it."""
        for name in ("DatasetUse", "Derivative", "EligibilityOutcome",
                     "EligibilityQuestion", "SupervisoryAuthority", "Dataset", "Organisation"):
            model = self.model(name)
            loaded = [item.instance.pk for item in self.pending[name]]
            for stale in model.objects.exclude(pk__in=loaded).order_by("pk"):
                if _referenced_outside_catalog(stale):
                    report.kept.append(f"{name} {getattr(stale, 'slug', stale.pk)!r}")
                    continue
                # The record, what hangs off it (uses, derivatives, outcomes) and their sources.
                for label, number in stale.delete()[1].items():
                    report.counts[label.removeprefix("catalog.")].add("removed", number)

    def link(self, name: str, item: Pending, saved: dict[str, dict[str, models.Model]]) -> None:
        """Point foreign keys at the rows written (or found) a moment ago."""
        targets = {"publisher": "Organisation", "organisation": "Organisation",
                   "dataset": "Dataset", "question": "EligibilityQuestion"}
        for ref, slug in item.refs.items():
            related = saved[targets[ref]].get(slug) if slug else None
            new_id = related.pk if related else None
            if getattr(item.instance, f"{ref}_id") != new_id:
                setattr(item.instance, ref, related)
                item.changed = True

    def current_sources(self, name: str) -> dict[int, list[tuple[str, str, str]]]:
        """All sources of one model, by object id, in one query."""
        grouped: dict[int, list[tuple[str, str, str]]] = {}
        rows = self.model("Source").objects.filter(
            content_type=self.content_type(self.model(name))
        ).order_by("object_id", "position", "id")
        for row in rows:
            grouped.setdefault(row.object_id, []).append((row.supports, row.url, row.note))
        return grouped

    def replace_sources(self, instance: models.Model, wanted: list[tuple[str, str, str]]) -> None:
        source_model = self.model("Source")
        content_type = self.content_type(type(instance))
        source_model.objects.filter(content_type=content_type, object_id=instance.pk).delete()
        source_model.objects.bulk_create([
            source_model(content_type=content_type, object_id=instance.pk,
                         supports=supports, url=url, note=note, position=index)
            for index, (supports, url, note) in enumerate(wanted)
        ])

    def content_type(self, model: type[models.Model]) -> models.Model:
        # get_or_create, not get_for_model: during `migrate` the content types of new models
        # do not exist yet (they are created after the last migration).
        content_types = self.apps.get_model("contenttypes", "ContentType")
        content_type, _ = content_types.objects.get_or_create(
            app_label=model._meta.app_label, model=model._meta.model_name
        )
        return content_type


def _referenced_outside_catalog(instance: models.Model) -> bool:
    """Would deleting `instance` touch (or be refused by) rows of another app?"""
    collector = NestedObjects(using=instance._state.db or "default")
    collector.collect([instance])
    touched = {type(obj)._meta.app_label for obj in collector.protected}
    touched |= {model._meta.app_label for model in collector.data}
    if touched - {"catalog"}:
        return True
    # Rows deleted without loading them (many-to-many links): only those that exist count.
    return any(qs.model._meta.app_label != "catalog" and qs.exists() for qs in collector.fast_deletes)


def _prep(model_field: models.Field, value: object) -> object:
    if value is None or value == "":
        return value
    return model_field.get_prep_value(value)


def _relation_fields(instance: models.Model) -> set[str]:
    return {f.name for f in instance._meta.concrete_fields if f.is_relation}


def _label(key: str, record: object, index: int) -> str:
    """How a problem names a record: its slug (a use: dataset/organisation/role), else its place."""
    if isinstance(record, dict) and key == "uses":
        return _use_key(record)
    if isinstance(record, dict) and isinstance(record.get("slug"), str) and record["slug"]:
        return str(record["slug"])
    return f"#{index + 1}"


def _use_key(record: Json) -> str:
    return f"{record.get('dataset')}/{record.get('organisation')}/{record.get('role')}"


def organisation_mark_contact_failing(*, organisation_id: int, on: Any, reason: str) -> bool:
    """Mail to the organisation's privacy address bounced permanently (dsar.mailbox): staff see
    the date and the reason in the admin. The first failure's date is kept; the reason is the
    latest. Returns whether the organisation exists."""
    from dsar.catalog.models import Organisation

    rows = Organisation.objects.filter(pk=organisation_id)
    rows.filter(contact_failing_on__isnull=True).update(contact_failing_on=on)
    return bool(rows.update(contact_failing_reason=reason[:300]))
