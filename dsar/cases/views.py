"""Public tracking pages: everything is reached through the secret link, and every view calls
dsar.cases.access.access_case first (a wrong or expired token is a 404 that reveals nothing)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dsar.cases import selectors, services
from dsar.cases.access import access_case
from dsar.cases.actions import action_forms, apply_action
from dsar.cases.dossier import dossier_available
from dsar.cases.forms import DeleteForm, NewLinkForm
from dsar.cases.responses import (
    attachment_response,
    calendar_response,
    dossier_response,
    letter_response,
)
from dsar.outage import ratelimited

# Uploaded files are served as downloads; only these types keep their own content type.
NO_INDEX = {"X-Robots-Tag": "noindex, nofollow"}

def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    for header, value in NO_INDEX.items():
        response[header] = value
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def new_link(request: HttpRequest) -> HttpResponse:
    """"Lost your link?": reference and address in, a new link to that address out. The page
    answers alike whether they matched, and each address may ask only a few times an hour."""
    form = NewLinkForm(request.POST or None)
    if request.method == "POST":
        if ratelimited(request, group="cases.new_link", key="ip", rate=settings.DSAR_NEW_LINK_RATE,
                          method=["POST"], increment=True):
            return _page(request, "cases/new_link.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            services.case_send_new_link(reference=form.cleaned_data["reference"],
                                        email=form.cleaned_data["email"])
            messages.success(request, _(
                "If this reference belongs to a case tracked at this address, a new link is on its "
                "way there. Once it is sent, the old link no longer works."))
            return redirect("cases:new_link")
    return _page(request, "cases/new_link.html", {"form": form})


@never_cache
@require_GET
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    case = access_case(token=token)
    if services.case_confirm_email(case=case):
        messages.success(request, _("Your email address is confirmed. Bookmark this page: it is your case."))
    return redirect("cases:case", token=token)


@never_cache
@require_GET
def case_page(request: HttpRequest, token: str) -> HttpResponse:
    case = access_case(token=token)
    context = {
        "case": case, "token": token,
        "requests": selectors.case_requests(case), "timeline": selectors.case_timeline(case),
    }
    return _page(request, "cases/case.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def request_page(request: HttpRequest, token: str, request_id: int) -> HttpResponse:
    case = access_case(token=token)
    item = selectors.request_of_case(case, request_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = action_forms(item, request, action)
    bound = forms.get(action)
    if bound is not None and bound.is_valid():
        try:
            result = apply_action(item, action, bound.cleaned_data)
        except services.CaseError as error:
            bound.add_error(error.field if error.field in bound.fields else None, error.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:request", token=token, request_id=result.pk)
    context = {"case": case, "token": token, "item": item, "forms": list(forms.values()),
               "steps": selectors.request_deadline_steps(item), "children": item.children.all(),
               "dossier": dossier_available(item)}
    return _page(request, "cases/request.html", context, status=400 if bound is not None else 200)


@never_cache
@require_GET
def letter_download(request: HttpRequest, token: str, request_id: int) -> HttpResponse | FileResponse:
    case = access_case(token=token)
    return letter_response(request, selectors.request_of_case(case, request_id))


@never_cache
@require_GET
def dossier_download(request: HttpRequest, token: str, request_id: int) -> FileResponse:
    case = access_case(token=token)
    return dossier_response(selectors.request_of_case(case, request_id))


@never_cache
@require_GET
def attachment_download(request: HttpRequest, token: str, event_id: int) -> FileResponse:
    return attachment_response(access_case(token=token), event_id)


@never_cache
@require_GET
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    return calendar_response(access_case(token=token))


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    case = access_case(token=token)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.case_delete_everything(case=case)
        return redirect(reverse("cases:deleted"))
    status = 400 if request.method == "POST" else 200
    return _page(request, "cases/delete.html", {"case": case, "token": token, "form": form}, status=status)


@require_GET
def deleted(request: HttpRequest) -> HttpResponse:
    return _page(request, "cases/deleted.html", {})
