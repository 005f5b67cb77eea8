"""The actions of a request page ("I sent it", "they asked for ID", the answer, ...): which forms
apply now and what each one does. One piece for the public tracking page and casework; the
caseworker is passed as `user` so the timeline names who recorded it (None: the person)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from dsar.cases import selectors, services
from dsar.cases.forms import ACTION_FORMS, ActionForm
from dsar.cases.models import Request

Handler = Callable[[Request, dict[str, Any], Any], Request]

# Action name -> the service it calls with the form's cleaned data and the acting user.
ACTIONS: dict[str, Handler] = {
    "sent": lambda r, d, u: services.request_mark_sent(
        request=r, sent_on=d["sent_on"], channel=d["channel"], user=u, proof=d.get("proof", ""),
        upload=d.get("proof_file")),
    "delivered": lambda r, d, u: services.request_confirm_delivery(
        request=r, delivered_on=d["delivered_on"], user=u),
    "identity_asked": lambda r, d, u: services.request_identity_asked(request=r, on=d["on"], user=u),
    "identity_supplied": lambda r, d, u: services.request_identity_supplied(request=r, on=d["on"], user=u),
    "extended": lambda r, d, u: services.request_extension_notified(request=r, on=d["on"], user=u),
    "answer": lambda r, d, u: services.request_log_answer(
        request=r, outcome=d["outcome"], on=d["on"], upload=d.get("upload"), note=d.get("note", ""),
        user=u),
    "followup": lambda r, d, u: services.request_create_followup(request=r),
    "complaint": lambda r, d, u: services.request_create_complaint(request=r),
    "rebuttal": lambda r, d, u: services.request_create_rebuttal(request=r, ground=d["ground"]),
}  # fmt: skip


def action_forms(item: Request, request: HttpRequest, action: str) -> dict[str, ActionForm]:
    """The forms that apply now; the posted one is bound (so its input is kept on error)."""
    forms: dict[str, ActionForm] = {}
    for name in selectors.request_actions(item):
        form_class = ACTION_FORMS[name]
        forms[name] = form_class(request.POST, request.FILES) if name == action else form_class()
    return forms


def apply_action(item: Request, action: str, data: dict[str, Any], user: Any = None) -> Request:
    """Carry out a valid action form; raises services.CaseError when the step is not allowed."""
    return ACTIONS[action](item, data, user)
