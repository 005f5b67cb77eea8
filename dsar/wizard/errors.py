"""The error summary shown at the top of a step: every problem, each linking to its field.

Screen-reader and keyboard users land on the summary (it takes focus, see static/wizard/
wizard.js) and follow a link straight to the input that needs fixing.
"""
from __future__ import annotations

from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class ErrorItem:
    anchor: str  # the id of the input to jump to, "" for errors about the whole page
    label: str
    message: str


def _anchor(bound: forms.BoundField) -> str:
    # Radio buttons and checkboxes have one input per choice: link to the first one.
    widget = bound.field.widget
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{bound.auto_id}_0"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound.auto_id}_0"
    return bound.auto_id or ""


def error_summary(form: forms.Form) -> list[ErrorItem]:
    if not form.is_bound:
        return []
    items = [ErrorItem("", "", str(message)) for message in form.non_field_errors()]
    for bound in form:
        for message in bound.errors:
            items.append(ErrorItem(_anchor(bound), str(bound.label), str(message)))
    return items
