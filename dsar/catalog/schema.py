"""The shape of a catalogue record, checked before the loader looks at any value.

The JSON files are edited by hand, so a record may be a string instead of an object, a list of
sources a single URL, a name a number. The model validation that follows (`full_clean`) would
crash on such input or silently turn it into text; this check names the file's record and the
field instead. The expected type of each key comes from the model field it fills, so there is no
second schema to keep in step with the models: only the keys that are not model fields
(`sources`, `upstream`, `derivatives`, `outcomes`) are declared here.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import models

NOT_AN_OBJECT = "expected an object ({{...}}), found {found}"
WRONG_TYPE = "expected {expected}, found {found}"

# Keys of a record that are not fields of its model, with the shape of their value.
SOURCE_KEYS = ("supports", "url", "note")
NESTED_MODELS = {"derivatives": "Derivative", "outcomes": "EligibilityOutcome"}

# Model field class -> the JSON types a value may have ("null" where the field is nullable).
_TEXT = (str,)
_JSON_NAMES = {str: "a text", bool: "true or false", int: "a whole number", list: "a list",
               dict: "an object"}


def json_type_name(value: object) -> str:
    if value is None:
        return "null"
    return _JSON_NAMES.get(type(value), type(value).__name__)


def expected_types(model_field: models.Field[Any, Any]) -> tuple[type, ...] | None:
    """The Python types a JSON value for this field may have; None: any JSON value."""
    if isinstance(model_field, models.JSONField):
        return None  # its validators check the structure (translations, text lists)
    if isinstance(model_field, models.BooleanField):
        return (bool,)
    if isinstance(model_field, models.IntegerField):
        return (int,)
    return _TEXT  # text, slugs, URLs, emails, phones, countries, dates, and slugs of relations


def shape_problems(
    record: object, model: type[models.Model], get_model: Any
) -> Iterator[tuple[str, str]]:
    """(field, message) for every key of `record` whose value has the wrong JSON type.

    `get_model(name)` resolves the nested models (the loader's registry: the data migration
    passes the historical one). Keys the model does not know are left to the loader."""
    if not isinstance(record, dict):
        yield "-", NOT_AN_OBJECT.format(found=json_type_name(record))
        return
    fields = {f.name: f for f in model._meta.concrete_fields}
    for name, value in record.items():
        if name == "sources":
            yield from _source_problems(value)
        elif name == "upstream":
            if value is not None and not isinstance(value, dict):
                yield name, WRONG_TYPE.format(expected="an object", found=json_type_name(value))
        elif name in NESTED_MODELS:
            yield from _nested_problems(name, value, get_model(NESTED_MODELS[name]), get_model)
        elif name in fields:
            problem = _value_problem(fields[name], value)
            if problem:
                yield name, problem


def _value_problem(model_field: models.Field[Any, Any], value: object) -> str | None:
    allowed = expected_types(model_field)
    if allowed is None or (value is None and model_field.null):
        return None
    # bool is an int in Python; JSON true is not a number.
    if isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed):
        return None
    expected = " or ".join(_JSON_NAMES[t] for t in allowed)
    if model_field.null:
        expected += " or null"
    return WRONG_TYPE.format(expected=expected, found=json_type_name(value))


def _source_problems(value: object) -> Iterator[tuple[str, str]]:
    if not isinstance(value, list):
        yield "sources", WRONG_TYPE.format(expected="a list", found=json_type_name(value))
        return
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            yield f"sources[{index}]", NOT_AN_OBJECT.format(found=json_type_name(item))
            continue
        for key in SOURCE_KEYS:
            if not isinstance(item.get(key, ""), str):
                yield f"sources[{index}].{key}", WRONG_TYPE.format(
                    expected="a text", found=json_type_name(item[key]))


def _nested_problems(
    name: str, value: object, model: type[models.Model], get_model: Any
) -> Iterator[tuple[str, str]]:
    if not isinstance(value, list):
        yield name, WRONG_TYPE.format(expected="a list", found=json_type_name(value))
        return
    for index, item in enumerate(value):
        for field_name, message in shape_problems(item, model, get_model):
            yield f"{name}[{index}].{field_name}".removesuffix(".-"), message
