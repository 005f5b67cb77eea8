"""Django admin for staff: cases, requests (the deadline list), teams. Lists never show
decrypted personal data; the timeline is read-only (events are append-only)."""
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.cases.models import Case, DataSubject, Event, Request, Team, TeamMembership
from dsar.spreadsheet import safe_writer

CSV_COLUMNS = ("reference", "team", "kind", "recipient", "status", "sent_on", "received_on", "due_on",
               "answered_on", "outcome")


class OpenFilter(admin.SimpleListFilter):
    """Open requests by default (what needs watching); "all" and "finished" on request."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("open", _("Open")), ("finished", _("Finished")), ("all", _("All"))]

    def value(self) -> str:
        return super().value() or "open"

    def choices(self, changelist: Any) -> Any:
        # Without this, "All" would be highlighted while the default "open" is applied.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "open":
            return queryset.filter(status__in=Request.OPEN_STATUSES)
        if self.value() == "finished":
            return queryset.exclude(status__in=Request.OPEN_STATUSES)
        return queryset


def requests_csv(rows: QuerySet[Request]) -> HttpResponse:
    """The deadline export (also the casework export): ids and dates, no personal details."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="requests-{timezone.localdate()}.csv"'
    writer = safe_writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows.select_related("case__team", "organisation", "authority"):
        writer.writerow([
            row.case.reference, row.case.team.slug if row.case.team else "", row.kind, str(row.recipient or ""),
            row.status, row.sent_on or "", row.received_on or "", row.due_on or "", row.answered_on or "",
            row.outcome,
        ])
    return response


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ("case_reference", "organisation", "kind", "status", "due_on", "sent_on")
    list_filter = (OpenFilter, "status", "kind", "channel")
    list_select_related = ("case", "organisation", "authority")
    date_hierarchy = "due_on"
    search_fields = ("case__reference", "organisation__name", "organisation__slug")
    ordering = ("due_on", "id")
    actions = ("run_overdue_sweep", "export_csv")
    raw_id_fields = ("case", "parent")
    # Dates and status are derived from the timeline; change them through the services.
    readonly_fields = ("status", "sent_on", "delivered_on", "received_on", "received_assumed", "due_on",
                       "extended_due_on", "due_rule", "answered_on", "outcome", "letter_pdf",
                       "letter_inputs_hash", "reminder_before_sent_at", "reminder_overdue_sent_at",
                       "reminder_complaint_sent_at")

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        # The sweep works on every request, so it must not need rows ticked first (Django's
        # action machinery refuses an action with nothing selected).
        is_sweep = request.method == "POST" and request.POST.get("action") == "run_overdue_sweep"
        if is_sweep and self.has_change_permission(request):
            self.run_overdue_sweep(request, self.get_queryset(request))
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("reference"), ordering="case__reference")
    def case_reference(self, obj: Request) -> str:
        return obj.case.reference

    @admin.action(description=_("Run the overdue sweep now"))
    def run_overdue_sweep(self, request: HttpRequest, queryset: QuerySet[Request]) -> None:
        from dsar.cases.tasks import sweep_deadlines

        # Run here, not queued: staff want to see the result. The reminders it finds are still
        # sent by the workers, each claimed once (dsar.cases.reminders).
        queued = sweep_deadlines()
        self.message_user(request, _("Sweep done: %(count)d reminders queued.") % {"count": queued},
                          messages.SUCCESS)

    @admin.action(description=_("Export the selected requests as CSV"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Request]) -> HttpResponse:
        return requests_csv(queryset)


class RequestInline(admin.TabularInline):
    model = Request
    fk_name = "case"
    extra = 0
    fields = ("kind", "organisation", "authority", "status", "sent_on", "due_on")
    readonly_fields = ("status", "sent_on", "due_on")
    show_change_link = True


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    fields = ("on", "kind", "outcome", "request", "actor", "at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("reference", "team", "assignee", "created_at", "email_confirmed_at", "closed_at")
    list_filter = ("team",)
    list_select_related = ("team", "assignee")
    search_fields = ("reference",)
    date_hierarchy = "created_at"
    raw_id_fields = ("data_subject", "assignee")
    filter_horizontal = ("datasets",)
    exclude = ("tracking_email",)
    readonly_fields = ("reference", "email_confirmed_at", "token_expires_at")
    inlines = (RequestInline, EventInline)


@admin.register(DataSubject)
class DataSubjectAdmin(admin.ModelAdmin):
    # Ids only in the list: a list would decrypt and show many people at once.
    list_display = ("__str__", "team", "country", "region", "created_at")
    list_filter = ("team", "country")
    list_select_related = ("team",)


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    raw_id_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "require_otp", "can_represent")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "require_otp", "postal_address", "contact_email", "contact_phone", "website",
              "description")
    inlines = (MembershipInline,)
