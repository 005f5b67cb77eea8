"""`{% mailbox_panel item token %}` on the tracking request page and `{% mailbox_panel item %}`
on the casework one: the email sent for the request, the messages that came back with their
proposed status, and the "send by email" button. The request pages load this tag library and
so stay free of any import of this app."""
from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from dsar.cases.models import Request
from dsar.mailbox import selectors, services
from dsar.mailbox.forms import LABEL_NAMES

register = template.Library()


@register.inclusion_tag("mailbox/_panel.html")
def mailbox_panel(item: Request, token: str = "") -> dict[str, Any]:
    outgoing = selectors.request_outgoing(item)
    rows = [{"message": m, "url": _url("message", m.pk, token, item.case_id), "label": LABEL_NAMES.get(m.proposal, "")}
            for m in selectors.request_messages(item)]
    can_send = outgoing is None and services.can_send_by_email(item)
    send_url = _url("send", item.pk, token, item.case_id) if can_send or outgoing else ""
    return {"outgoing": outgoing, "rows": rows, "send_url": send_url, "can_send": can_send}


def _url(name: str, pk: int, token: str, case_id: int) -> str:
    """The public page (secret link) or the casework page of a message or of sending."""
    if token:
        key = "message_id" if name == "message" else "request_id"
        return reverse(f"mailbox:public_{name}", kwargs={"token": token, key: pk})
    return reverse(f"mailbox:casework_{name}", args=[case_id, pk])
