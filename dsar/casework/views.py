"""Casework pages. Every view is wrapped in `casework_view` or `staff_view` (login, second
factor); every view that shows a case, a letter, an attachment or an export first calls cases'
one access function (`access_case`), or for lists the same rule as a filter (selectors)."""
from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any, cast

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from dsar.cases import selectors as case_selectors
from dsar.cases import services as case_services
from dsar.cases.access import access_case
from dsar.cases.actions import action_forms, apply_action
from dsar.cases.dossier import dossier_available
from dsar.cases.forms import DeleteForm
from dsar.cases.letters import request_letter_pdf
from dsar.cases.models import Case, Request
from dsar.cases.responses import (
    attachment_response,
    calendar_response,
    dossier_response,
    letter_response,
)
from dsar.casework import charts, csvimport, selectors, services
from dsar.casework.auth import casework_view, safe_next, staff_view
from dsar.casework.forms import (
    AssignForm,
    MarkSentForm,
    NoteForm,
    PlanForm,
    QueueFilterForm,
    TeamSettingsForm,
    TokenForm,
    UploadForm,
)
from dsar.casework.models import Batch
from dsar.letters.assemble import NGO_INCOMPLETE
from dsar.spreadsheet import safe_writer

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 25
IMPORT_SESSION_KEY = "casework_import"


# --- second factor -----------------------------------------------------------------------------

@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Show a QR code for a new TOTP device; the first valid code confirms it and logs it in.

    Someone who already has a device must prove it first: otherwise a stolen password alone
    would be enough to add a second device of one's own and pass the second factor with it."""
    if user_has_device(request.user) and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect_to_login(request.get_full_path(), login_url="casework:otp_verify")
    device, _created = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False,
                                                        defaults={"name": "authenticator"})
    form = TokenForm(request.POST or None, verify=lambda t: device if device.verify_token(t) else None)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Two-step login is set up."))
        return safe_next(request)
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    return render(request, "casework/otp_setup.html", {"form": form, "qr": qr, "device": device,
                                                       "secret": device.config_url.split("secret=")[1].split("&")[0]})


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    def verify(token: str) -> Any:
        return next((d for d in devices_for_user(request.user) if d.verify_is_allowed()[0] and d.verify_token(token)),
                    None)

    form = TokenForm(request.POST or None, verify=verify)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return safe_next(request)
    return render(request, "casework/otp_verify.html", {"form": form})


@casework_view
def team_settings(request: HttpRequest, team_id: int) -> HttpResponse:
    """Coordinators only (others: 404): whether the team requires a second factor, and the
    address and contact its letters print when it acts for a person."""
    team = selectors.coordinated_team(request.user, team_id)
    if team is None:
        raise Http404
    initial = {"require_otp": team.require_otp, **{f: getattr(team, f) for f in TeamSettingsForm.CONTACT_FIELDS}}
    form = TeamSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.team_set_require_otp(team=team, require=data["require_otp"])
        services.team_set_contact(team=team, **{f: data[f] for f in TeamSettingsForm.CONTACT_FIELDS})
        messages.success(request, _("Team settings saved."))
        return redirect("casework:team_settings", team_id=team.pk)
    return render(request, "casework/team_settings.html", {"team": team, "form": form})


# --- the queue ---------------------------------------------------------------------------------

@casework_view
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = QueueFilterForm(request.GET or None, assignees=selectors.assignees_for_user(request.user))
    rows = selectors.queue(request.user, form.filters(), today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.queue_counts(request.user, today)
    return render(request, "casework/queue.html", {
        "form": form, "page": page, "today": today, "bucket": form.filters().bucket,
        "tabs": [(key, label, counts[key]) for key, label in form.BUCKETS],
        "query": _query_without_page(request),
        "teams": selectors.memberships_for_user(request.user),
    })


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- downloads and exports ---------------------------------------------------------------------

@casework_view
@require_GET
def request_dossier(request: HttpRequest, case_id: int, request_id: int) -> FileResponse:
    case = access_case(request.user, case_id=case_id)
    return dossier_response(case_selectors.request_of_case(case, request_id))


@casework_view
@require_GET
def request_letter(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse | FileResponse:
    case = access_case(request.user, case_id=case_id)
    return letter_response(request, case_selectors.request_of_case(case, request_id))


@casework_view
@require_GET
def deadlines_export(request: HttpRequest) -> HttpResponse:
    """The user's open requests with their deadlines, as CSV (what the queue shows, unpaginated)."""
    form = QueueFilterForm(request.GET or None, assignees=())
    rows = selectors.queue(request.user, form.filters(), timezone.localdate())
    out = io.StringIO()
    writer = safe_writer(out)
    writer.writerow(["reference", "name", "recipient", "kind", "channel", "status", "sent_on",
                     "received_on", "due_on", "extended_due_on", "assignee"])
    for r in rows.iterator(chunk_size=500):
        writer.writerow([r.case.reference, r.case.data_subject.name, getattr(r.recipient, "name", ""), r.kind,
                         r.channel, r.status, r.sent_on or "", r.received_on or "", r.due_on or "",
                         r.extended_due_on or "", r.case.assignee.get_username() if r.case.assignee else ""])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deadlines-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


# --- bulk work ---------------------------------------------------------------------------------

@casework_view
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = selectors.batches_for_user(request.user).select_related("team")[:100]
    return render(request, "casework/batch_list.html", {"batches": batches})


@casework_view
def batch_new(request: HttpRequest) -> HttpResponse:
    """Upload a CSV file; it is checked and shown (preview) before anything is stored."""
    teams = selectors.teams_for_user(request.user)
    if not teams.exists():
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        parsed = csvimport.parse_subjects(form.cleaned_data["file"])
        if parsed.fatal:
            form.add_error("file", parsed.fatal)
        else:
            request.session[IMPORT_SESSION_KEY] = {
                "team": form.cleaned_data["team"].pk, "label": form.cleaned_data["label"],
                "rows": [csvimport.row_to_dict(r) for r in parsed.rows],
                "errors": [[e.line, e.reason] for e in parsed.errors],
            }
            return redirect("casework:batch_preview")
    return render(request, "casework/batch_new.html", {"form": form})


@casework_view
def batch_preview(request: HttpRequest) -> HttpResponse:
    """What the import will do: new people, people already stored, bad rows by line."""
    pending = request.session.get(IMPORT_SESSION_KEY)
    team = selectors.teams_for_user(request.user).filter(pk=(pending or {}).get("team") or 0).first()
    if not pending or team is None:
        return redirect("casework:batch_new")
    rows = [csvimport.row_from_dict(d) for d in pending["rows"]]
    if request.method == "POST":
        batch = services.batch_import_subjects(team=team, user=request.user, label=pending["label"], rows=rows)
        del request.session[IMPORT_SESSION_KEY]
        messages.success(request, _("%(n)d people imported.") % {"n": len(rows)})
        return redirect("casework:batch", batch_id=batch.pk)
    parsed = csvimport.ParsedFile(rows=rows, errors=[csvimport.RowError(*e) for e in pending["errors"]])
    preview = services.import_preview(team=team, parsed=parsed)
    return render(request, "casework/batch_preview.html", {
        "team": team, "label": pending["label"], "preview": preview, "errors": parsed.errors,
    })


@casework_view
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_for_user(request.user, batch_id)
    plan = PlanForm(initial={"language": request.LANGUAGE_CODE})
    sent = MarkSentForm(initial={"sent_on": timezone.localdate()})
    return _batch_page(request, batch, plan, sent)


def _batch_page(request: HttpRequest, batch: Batch, plan: PlanForm, sent: MarkSentForm) -> HttpResponse:
    members = batch.members.select_related("case__data_subject").order_by("line")
    return render(request, "casework/batch_detail.html", {
        "batch": batch, "plan_form": plan, "sent_form": sent,
        "members": Paginator(members, 50).get_page(request.GET.get("page")),
    })


@casework_view
@require_POST
def batch_plan(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_for_user(request.user, batch_id)
    form = PlanForm(request.POST)
    if batch.state not in (Batch.State.IMPORTED, Batch.State.PLANNED) or not form.is_valid():
        return _batch_page(request, batch, form, MarkSentForm())
    if not batch.team.can_represent:
        form.add_error(None, NGO_INCOMPLETE)  # the letters would name the team without an address
        return _batch_page(request, batch, form, MarkSentForm())
    data = form.cleaned_data
    services.batch_plan(batch=batch, datasets=list(data["datasets"]), organisations=list(data["organisations"]),
                        kind=data["kind"], language=data["language"], mandate=data["mandate"])
    services.batch_start_generation(batch=batch)
    return redirect("casework:batch", batch_id=batch.pk)


@casework_view
@require_GET
def batch_progress(request: HttpRequest, batch_id: int) -> JsonResponse:
    """Polled by static/casework/progress.js: one small query per poll."""
    batch = selectors.batch_for_user(request.user, batch_id)
    return JsonResponse({"total": batch.total, "done": batch.done, "failed": batch.failed,
                         "percent": batch.percent, "state": batch.state,
                         "state_label": batch.get_state_display()})


@casework_view
@require_POST
def batch_resume(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_for_user(request.user, batch_id)
    services.batch_start_generation(batch=batch)
    return redirect("casework:batch", batch_id=batch.pk)


@casework_view
@require_POST
def batch_mark_sent(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_for_user(request.user, batch_id)
    form = MarkSentForm(request.POST)
    if batch.state != Batch.State.READY or not form.is_valid():
        if form.is_valid():
            form.add_error(None, _("Generate all letters before marking the batch as sent."))
        return _batch_page(request, batch, PlanForm(), form)
    count = services.batch_mark_sent(batch=batch, on=form.cleaned_data["sent_on"],
                                     channel=form.cleaned_data["channel"], user=request.user)
    messages.success(request, _("%(n)d letters marked as sent.") % {"n": count})
    if batch.failed:
        messages.warning(request, ngettext(
            "%(n)d letter could not be generated and was not marked as sent: open its case to "
            "create and send it.",
            "%(n)d letters could not be generated and were not marked as sent: open their cases "
            "to create and send them.",
            batch.failed,
        ) % {"n": batch.failed})
    return redirect("casework:batch", batch_id=batch.pk)


@casework_view
@require_GET
def batch_letters_zip(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Every generated letter of the batch in one zip; each case passes the access rule."""
    batch = selectors.batch_for_user(request.user, batch_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in selectors.batch_letters_for_user(request.user, batch):
            r = item.request
            recipient = r.organisation.slug if r.organisation else "mandate"
            archive.writestr(f"{r.case.reference}-{recipient}-{r.pk}.pdf", request_letter_pdf(r))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="batch-{batch.pk}-letters.zip"'
    return response


# --- staff -------------------------------------------------------------------------------------

@staff_view
@require_GET
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    board = selectors.staff_dashboard(today)
    statuses: list[dict[str, Any]] = [
        {"label": str(label), "n": board.by_status.get(value, 0)} for value, label in Request.Status.choices]
    return render(request, "casework/staff_dashboard.html", {
        "board": board, "today": today, "statuses": statuses,
        "status_chart": charts.horizontal_bars(
            [charts.Bar(s["label"], s["n"]) for s in statuses], title=_("Requests by status"),
            width=460, label_width=210),
        "days_chart": charts.columns(
            [charts.Bar(d.strftime("%d.%m."), n) for d, n in board.next_days],
            title=_("Deadlines in the next 30 days")),
        "outcome_chart": _outcome_chart(board),
    })


def _outcome_chart(board: selectors.Dashboard) -> Any:
    legend = [str(label) for _v, label in selectors.OUTCOME_CHOICES]
    bars = [
        charts.Bar(row.name, sum(row.outcomes.values()), parts=tuple(row.outcome_items))
        for row in board.organisations[:15] if row.outcomes
    ]
    return charts.horizontal_bars(bars, title=_("Answers by organisation"), legend=legend)



# --- one case ----------------------------------------------------------------------------------

@casework_view
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id=case_id)
    return _case_page(request, case, NoteForm(), _assign_form(case, initial={"assignee": case.assignee_id}))


def _assign_form(case: Case, data: Any = None, **kwargs: Any) -> AssignForm:
    return AssignForm(data, members=selectors.team_members(case.team_id),
                      action=reverse("casework:case_assign", args=[case.pk]), **kwargs)


def _case_page(request: HttpRequest, case: Case, note: NoteForm, assign: AssignForm, status: int = 200) -> HttpResponse:
    return render(request, "casework/case.html", {
        "case": case, "subject": case.data_subject, "datasets": case.datasets.all(),
        "requests": case_selectors.case_requests(case), "timeline": selectors.case_timeline(case),
        "note_form": note, "assign_form": assign,
    }, status=status)


@casework_view
@require_POST
def case_note(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id=case_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, form, _assign_form(case), 400)
    case_services.case_add_note(case=case, text=form.cleaned_data["text"],
                                user=cast("User", request.user))  # casework_view: logged in
    return redirect("casework:case", case_id=case.pk)


@casework_view
@require_POST
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id=case_id)
    form = _assign_form(case, request.POST)
    if not form.is_valid():
        return _case_page(request, case, NoteForm(), form, 400)
    services.case_assign(case=case, assignee=form.cleaned_data["assignee"])
    return redirect("casework:case", case_id=case.pk)


@casework_view
def request_action(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    """The request page: its deadline, letter and the forms of what can be recorded next."""
    case = access_case(request.user, case_id=case_id)
    item = case_selectors.request_of_case(case, request_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = action_forms(item, request, action)
    bound = forms.get(action)
    if bound is not None and bound.is_valid():
        try:
            result = apply_action(item, action, bound.cleaned_data, request.user)
        except case_services.CaseError as error:
            bound.add_error(error.field if error.field in bound.fields else None, error.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("casework:request_action", case_id=case.pk, request_id=result.pk)
    return render(request, "casework/request.html", {
        "case": case, "item": item, "forms": list(forms.values()), "children": item.children.all(),
        "steps": case_selectors.request_deadline_steps(item), "dossier": dossier_available(item),
    }, status=400 if bound is not None else 200)


@casework_view
@require_GET
def event_attachment(request: HttpRequest, case_id: int, event_id: int) -> FileResponse:
    return attachment_response(access_case(request.user, case_id=case_id), event_id)


@casework_view
@require_GET
def case_calendar(request: HttpRequest, case_id: int) -> HttpResponse:
    return calendar_response(access_case(request.user, case_id=case_id))


@casework_view
def case_delete(request: HttpRequest, case_id: int) -> HttpResponse:
    """Delete the case with the person's details, letters and files (the person asked us to)."""
    case = access_case(request.user, case_id=case_id)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case_services.case_delete_everything(case=case)
        messages.success(request, _("The case and everything in it were deleted."))
        return redirect("casework:queue")
    return render(request, "casework/case_delete.html", {"case": case, "form": form},
                  status=400 if request.method == "POST" else 200)
