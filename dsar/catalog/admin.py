"""Staff keep the catalogue current here; every record shows and edits its sources inline."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise



class SourceInline(GenericTabularInline):
    model = Source
    extra = 0
    fields = ("position", "supports", "url", "note")
    ordering = ("position", "id")


class DerivativeInline(admin.StackedInline):
    model = Derivative
    extra = 0
    fields = ("slug", "name", "aliases", "where", "counts", "still_circulating", "note")


class UseInline(admin.TabularInline):
    model = DatasetUse
    extra = 0
    fields = ("organisation", "role", "basis", "list_based")
    autocomplete_fields = ("organisation",)


class OutcomeInline(admin.TabularInline):
    model = EligibilityOutcome
    extra = 0
    fields = ("answer", "dataset", "strength", "reasons")
    autocomplete_fields = ("dataset",)


class HasConfirmedContactFilter(admin.SimpleListFilter):
    title = _("confirmed contact")
    parameter_name = "confirmed"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, StrOrPromise]]:
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        confirmed = queryset.filter(contact_quality__in=["verified", "public_record"])
        if self.value() == "yes":
            return confirmed
        if self.value() == "no":
            return queryset.exclude(pk__in=confirmed.values("pk"))
        return queryset


class ContactFailingFilter(admin.SimpleListFilter):
    """Organisations whose privacy address bounced (set by dsar.mailbox)."""

    title = _("contact failing")
    parameter_name = "failing"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, StrOrPromise]]:
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(contact_failing_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(contact_failing_on__isnull=True)
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country", "subdivision", "law_regime", "contact_quality",
                    "preferred_channel", "email", "contact_failing_on", "last_checked", "use_count")
    list_filter = ("contact_quality", HasConfirmedContactFilter, ContactFailingFilter, "kind", "country",
                   "law_regime", "establishment", "origin", "preferred_channel", "letter_language")
    search_fields = ("slug", "name", "legal_name", "email", "postal_address")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SourceInline]
    fieldsets = (
        (None, {"fields": ("slug", "name", "legal_name", "kind", "country", "country_note")}),
        (_("Contact"), {"fields": ("postal_address", "email", "webform", "phone", "website",
                                   "eu_representative", "preferred_channel", "letter_language",
                                   "contact_quality", "contact_note", "last_checked",
                                   "contact_failing_on", "contact_failing_reason")}),
        (_("Law by addressee"), {"fields": (
            "subdivision", "establishment", "law_regime", "gdpr_also_applies",
            "representative_name", "representative_address", "representative_country",
            "representative_email", "law_note",
        )}),
        (_("Caveats"), {"fields": ("unconfirmed", "notes")}),
        (_("Provenance"), {"classes": ["collapse"], "fields": (
            "origin", "upstream_repo", "upstream_commit", "upstream_path", "upstream_licence",
            "upstream_record")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(use_total=Count("dataset_uses"))

    @admin.display(description=_("datasets"), ordering="use_total")
    def use_count(self, obj: Organisation) -> int:
        return obj.use_total  # type: ignore[attr-defined]


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("name", "publisher", "status", "released_year", "withdrawn_year",
                    "last_checked")
    list_filter = ("status",)
    search_fields = ("slug", "name", "aliases", "publisher_credit")
    list_select_related = ("publisher",)
    autocomplete_fields = ("publisher",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [DerivativeInline, UseInline, SourceInline]


@admin.register(DatasetUse)
class DatasetUseAdmin(admin.ModelAdmin):
    list_display = ("dataset", "organisation", "role", "list_based", "basis")
    list_filter = ("role", "list_based", "dataset", "organisation__contact_quality")
    search_fields = ("dataset__name", "organisation__name", "basis")
    list_select_related = ("dataset", "organisation")
    autocomplete_fields = ("dataset", "organisation")
    inlines = [SourceInline]


@admin.register(Derivative)
class DerivativeAdmin(admin.ModelAdmin):
    list_display = ("name", "dataset", "still_circulating", "where")
    list_filter = ("still_circulating", "dataset")
    search_fields = ("name", "where", "dataset__name")
    list_select_related = ("dataset",)
    inlines = [SourceInline]


@admin.register(SupervisoryAuthority)
class SupervisoryAuthorityAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "region", "scope", "private_sector", "email",
                    "last_checked")
    list_filter = ("country", "scope", "private_sector")
    search_fields = ("slug", "name", "region", "email")
    inlines = [SourceInline]


@admin.register(EligibilityQuestion)
class EligibilityQuestionAdmin(admin.ModelAdmin):
    list_display = ("slug", "position", "follows", "text")
    ordering = ("position",)
    search_fields = ("slug",)
    inlines = [OutcomeInline, SourceInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("url", "note", "supports", "content_type", "object_id")
    list_filter = ("supports", "content_type")
    search_fields = ("url", "note")
