"""The mailbox's pages: send a request by email (after reading the final text), read an answer
as text and confirm what it says, download its files; for staff, the messages that match no
request. The tracking and casework request pages link here (templatetags/mailbox.py), so
neither face imports this app.

Access: public pages through cases' `access_case(token=...)`, casework pages behind casework's
log-in and second-factor gate (`casework_view`: this app sits beside casework and uses its
gate rather than a second copy of it) and then `access_case(user, case_id=...)`; the review
list is for staff only. Every message is shown as escaped text: its HTML is never rendered.
"""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dsar.cases import selectors as case_selectors
from dsar.cases.access import access_case
from dsar.cases.models import Case, Request
from dsar.casework.auth import casework_view, staff_view
from dsar.mailbox import selectors, services
from dsar.mailbox.forms import LABEL_NAMES, AssignForm, ConfirmForm, DeleteForm, SendForm
from dsar.mailbox.responses import attachment_download
from dsar.mailbox.review import assign_by_reference

PUBLIC_BASE = "base.html"
CASEWORK_BASE = "casework/base.html"


# --- public (secret link) ------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def public_send(request: HttpRequest, token: str, request_id: int) -> HttpResponse:
    case = access_case(token=token)
    item = case_selectors.request_of_case(case, request_id)
    back = reverse("cases:request", kwargs={"token": token, "request_id": item.pk})
    return _send_page(request, case, item, back=back, base=PUBLIC_BASE, user=None)


@never_cache
@require_http_methods(["GET", "POST"])
def public_message(request: HttpRequest, token: str, message_id: int) -> HttpResponse:
    case = access_case(token=token)
    message = selectors.message_of_case(case, message_id)
    assert message.request is not None
    back = reverse("cases:request", kwargs={"token": token, "request_id": message.request.pk})
    files = lambda pk: reverse("mailbox:public_file", kwargs={"token": token, "attachment_id": pk})  # noqa: E731
    return _message_page(request, case, message, back=back, files=files, base=PUBLIC_BASE, user=None)


@never_cache
@require_GET
def public_file(request: HttpRequest, token: str, attachment_id: int) -> HttpResponse:
    return attachment_download(selectors.attachment_of_case(access_case(token=token), attachment_id))


# --- casework ------------------------------------------------------------------------------------


@casework_view
@require_http_methods(["GET", "POST"])
def casework_send(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    case = access_case(request.user, case_id=case_id)
    item = case_selectors.request_of_case(case, request_id)
    back = reverse("casework:request_action", args=[case.pk, item.pk])
    return _send_page(request, case, item, back=back, base=CASEWORK_BASE, user=request.user)


@casework_view
@require_http_methods(["GET", "POST"])
def casework_message(request: HttpRequest, case_id: int, message_id: int) -> HttpResponse:
    case = access_case(request.user, case_id=case_id)
    message = selectors.message_of_case(case, message_id)
    assert message.request is not None
    back = reverse("casework:request_action", args=[case.pk, message.request.pk])
    files = lambda pk: reverse("mailbox:casework_file", args=[case.pk, pk])  # noqa: E731
    return _message_page(request, case, message, back=back, files=files, base=CASEWORK_BASE, user=request.user)


@casework_view
@require_GET
def casework_file(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    case = access_case(request.user, case_id=case_id)
    return attachment_download(selectors.attachment_of_case(case, attachment_id))


# --- staff review --------------------------------------------------------------------------------


@staff_view
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.messages_for_review()[:200]
    return render(request, "mailbox/review_list.html", {"rows": rows})


@staff_view
@require_http_methods(["GET", "POST"])
def review_message(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_for_review(message_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    assign = AssignForm(request.POST if action == "assign" else None)
    if action == "delete":
        services.message_delete(message=message)
        messages.success(request, _("The message was deleted."))
        return redirect("mailbox:review")
    if action == "assign" and assign.is_valid():
        target = assign_by_reference(assign)
        if target is not None:
            services.message_assign(message=message, request=target, user=request.user)
            messages.success(request, _("The message is now on the request."))
            return redirect("mailbox:review")
    files = lambda pk: reverse("mailbox:review_file", args=[message.pk, pk])  # noqa: E731
    context = {"message": message, "forms": [assign, DeleteForm()], "files": _files(message, files),
               "base": CASEWORK_BASE}
    return render(request, "mailbox/review_message.html", context, status=400 if action else 200)


@staff_view
@require_GET
def review_file(request: HttpRequest, message_id: int, attachment_id: int) -> HttpResponse:
    message = selectors.message_for_review(message_id)
    attachment = message.attachments.filter(pk=attachment_id).exclude(file="").first()
    if attachment is None:
        raise Http404
    return attachment_download(attachment)


# --- shared page bodies --------------------------------------------------------------------------


def _send_page(request: HttpRequest, case: Case, item: Request, *, back: str, base: str, user: Any) -> HttpResponse:
    outgoing = selectors.request_outgoing(item)
    if outgoing is None and not services.can_send_by_email(item):
        raise Http404
    text = services.email_text(item) if outgoing is None else None
    form = SendForm(request.POST if request.method == "POST" else None,
                    initial={"digest": services.text_digest(text) if text else ""})
    if outgoing is None and request.method == "POST" and form.is_valid():
        try:
            services.outgoing_confirm(request=item, digest=form.cleaned_data["digest"], user=user)
        except services.MailboxError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("dsar is sending your letter. This page shows when it went out."))
            return redirect(request.path)
    context = {"case": case, "item": item, "outgoing": outgoing, "text": text, "form": form,
               "back": back, "base": base}
    return render(request, "mailbox/send.html", context, status=400 if request.method == "POST" else 200)


def _message_page(request: HttpRequest, case: Case, message: Any, *, back: str, files: Any, base: str,
                  user: Any) -> HttpResponse:
    form = ConfirmForm(request.POST if request.method == "POST" else None,
                       initial={"label": message.proposal})
    if request.method == "POST" and message.needs_confirmation and form.is_valid():
        try:
            services.message_confirm(message=message, label=form.cleaned_data["label"], user=user)
        except services.CaseError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    context = {"case": case, "message": message, "form": form, "back": back, "base": base,
               "files": _files(message, files), "proposal_name": LABEL_NAMES.get(message.proposal, ""),
               "confirmed_name": LABEL_NAMES.get(message.confirmed_label, "")}
    return render(request, "mailbox/message.html", context, status=400 if request.method == "POST" else 200)


def _files(message: Any, url_for: Any) -> list[dict[str, Any]]:
    return [{"attachment": a, "url": url_for(a.pk) if a.file else ""} for a in message.attachments.all()]
