"""Admin screens: the types and practices lists admins extend, and the partnerships.

Editors work in the partnership pages, where changes to agreed terms go through approval;
here every one with the view permission reads, and only data administrators change (their
changes apply at once, as everywhere they administer). Lists reuse `visible_to`.
"""

from django.contrib import admin

from servicepoints.admin import HistoryMixin
from servicepoints.models.jurisdictions import changes_all_jurisdictions

from . import history
from .models import (
    Approval,
    ChangeRequest,
    Document,
    Outcome,
    Partnership,
    PartnershipType,
    Party,
    Practice,
    Readiness,
    Site,
    StatusChange,
)


@admin.register(PartnershipType)
class PartnershipTypeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name_en", "name_fr", "code"]
    prepopulated_fields = {"code": ["name_en"]}


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name_en", "name_fr", "code"]
    prepopulated_fields = {"code": ["name_en"]}


class AdministratorsChange:
    """Read for those who may read partnerships; change only for data administrators."""

    def has_change_permission(self, request, obj=None):
        return changes_all_jurisdictions(request.user)

    def has_add_permission(self, request, obj=None):
        return changes_all_jurisdictions(request.user)

    def has_delete_permission(self, request, obj=None):
        return changes_all_jurisdictions(request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("partnerships.view_partnership")


class PartyInline(AdministratorsChange, admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ["organization"]


class SiteInline(AdministratorsChange, admin.TabularInline):
    model = Site
    extra = 0
    raw_id_fields = ["service_point"]


class ReadinessInline(AdministratorsChange, admin.TabularInline):
    model = Readiness
    extra = 0


class OutcomeInline(AdministratorsChange, admin.TabularInline):
    model = Outcome
    extra = 0


class StatusChangeInline(AdministratorsChange, admin.TabularInline):
    model = StatusChange
    extra = 0


class DocumentInline(AdministratorsChange, admin.TabularInline):
    model = Document
    extra = 0
    fields = ["title", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


@admin.register(Partnership)
class PartnershipAdmin(HistoryMixin, AdministratorsChange, admin.ModelAdmin):
    list_display = ["title_en", "type", "status", "start_date", "end_date"]
    list_filter = ["type", "status", "practices"]
    search_fields = ["title_en", "title_fr", "parties__organization__name_en"]
    filter_horizontal = ["practices"]
    inlines = [
        PartyInline,
        SiteInline,
        StatusChangeInline,
        ReadinessInline,
        OutcomeInline,
        DocumentInline,
    ]

    def get_queryset(self, request):
        return Partnership.objects.visible_to(request.user).select_related("type")

    def history_entries(self, obj):
        return history.history(obj)  # the partnership's own events, its parts' included


class ApprovalInline(admin.TabularInline):
    model = Approval
    extra = 0
    can_delete = False
    readonly_fields = ["jurisdiction", "decision", "decided_by", "decided_at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    """Proposed changes, read-only: decisions are made on the partnership's page."""

    list_display = ["__str__", "state", "proposed_by", "proposed_at", "decided_at"]
    list_filter = ["state"]
    readonly_fields = [
        "partnership",
        "terms",
        "previous_terms",
        "proposed_by",
        "proposed_for",
        "proposed_at",
        "state",
        "decided_at",
    ]
    inlines = [ApprovalInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from .guide import admin as guide_admin  # noqa: E402, F401  (the guide and the roadmap)
