"""The Django admin where staff keep service points, limited by role on the server.

Every list and form goes through the access methods of the models (`visible_to`,
`editable_by`, `can_edit`), so a URL or a forged form cannot reach another jurisdiction's data.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from leaflet.admin import LeafletGeoAdmin

from . import history
from .models import (
    DataSource,
    Jurisdiction,
    Membership,
    Organization,
    PlaceName,
    PopulatedPlace,
    Service,
    ServicePoint,
    Status,
)
from .validators import language_name

admin.site.site_header = _("Service Network Map administration")
admin.site.site_title = _("Service Network Map administration")
admin.site.index_title = _("Service network")


class HistoryMixin:
    """Replaces the admin's History page with the database-recorded change history
    (`history_entries`: the registry's events of the object; other apps give their own)."""

    def history_entries(self, obj):
        return history.history(obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %(object)s") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "opts": self.model._meta,
            "entries": self.history_entries(obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/servicepoints/history.html", context)


class JurisdictionScopedAdmin(HistoryMixin, admin.ModelAdmin):
    """Rows and choices limited to what the user's role and memberships allow."""

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user).select_related(
            *self.list_select_related
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.can_edit(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.can_edit(request.user))

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and Jurisdiction.objects.editable_by(request.user).exists()
        )

    def save_model(self, request, obj, form, change):
        # The form's choices already exclude foreign organizations; this guards the rest.
        if not obj.can_edit(request.user):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class JurisdictionFilter(admin.SimpleListFilter):
    title = _("jurisdiction")
    parameter_name = "jurisdiction"

    def lookups(self, request, model_admin):
        return [
            (j.code, f"{j.code} – {j.name}") for j in Jurisdiction.objects.visible_to(request.user)
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(organization__jurisdiction__code=self.value())
        return queryset


class LanguageFilter(admin.SimpleListFilter):
    title = _("service language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT unnest(languages) FROM servicepoints_servicepoint ORDER BY 1"
            )
            codes = [row[0] for row in cursor.fetchall()]
        return [(code, f"{language_name(code)} ({code})") for code in codes]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(languages__contains=[self.value()])
        return queryset


class DemonstrationFilter(admin.SimpleListFilter):
    title = _("demonstration data")
    parameter_name = "demo"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(data_source__is_demonstration=True)
        if self.value() == "no":
            return queryset.exclude(data_source__is_demonstration=True)
        return queryset


@admin.register(ServicePoint)
class ServicePointAdmin(JurisdictionScopedAdmin, LeafletGeoAdmin):
    list_display = [
        "name_en",
        "organization",
        "kind",
        "status",
        "community",
        "province",
        "bilingual",
        "last_verified",
    ]
    list_select_related = ["organization", "organization__jurisdiction", "province"]
    list_filter = [
        JurisdictionFilter,
        ("organization", admin.RelatedOnlyFieldListFilter),
        "kind",
        "status",
        LanguageFilter,
        "bilingual",
        ("services", admin.RelatedOnlyFieldListFilter),
        DemonstrationFilter,
    ]
    search_fields = ["name_en", "name_fr", "community", "postal_code", "external_id"]
    list_per_page = 50
    ordering = ["name_en", "pk"]
    show_full_result_count = False
    filter_horizontal = ["services"]
    readonly_fields = ["photo_preview", "bilingual", "created_at", "updated_at"]
    actions = ["close_points", "mark_verified"]
    fieldsets = [
        (None, {"fields": ["name_en", "name_fr", "organization", "kind", "status"]}),
        (
            _("Location"),
            {
                "fields": [
                    "location",
                    "location_precision",
                    "street_address",
                    "community",
                    "province",
                    "postal_code",
                    "timezone",
                ]
            },
        ),
        (
            _("Service"),
            {
                "fields": [
                    "services",
                    "languages",
                    "bilingual",
                    "opening_hours",
                    "accessibility",
                    "phone",
                    "website",
                ]
            },
        ),
        (_("Photo"), {"fields": ["photo", "photo_description", "photo_preview"]}),
        (
            _("Data source"),
            {
                "fields": [
                    "data_source",
                    "external_id",
                    "last_verified",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.editable_by(user).select_related(
                "jurisdiction"
            )
        elif db_field.name == "province":
            kwargs["queryset"] = Jurisdiction.objects.provinces_and_territories()
        elif db_field.name == "data_source":
            kwargs["queryset"] = DataSource.objects.filter(
                jurisdiction__in=Jurisdiction.objects.editable_by(user)
            ) | DataSource.objects.filter(jurisdiction__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "languages":
            return SimpleArrayField(
                db_field.base_field.formfield(),
                required=False,
                label=db_field.verbose_name,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("photo preview"))
    def photo_preview(self, obj):
        if not obj.photo:
            return "—"
        return format_html(
            '<img class="photo-preview" src="{}" alt="{}">', obj.photo.url, obj.photo_description
        )

    @admin.action(description=_("Close the selected service points"))
    def close_points(self, request, queryset):
        editable = queryset.filter(pk__in=ServicePoint.objects.editable_by(request.user))
        count = editable.exclude(status=Status.CLOSED).update(status=Status.CLOSED)
        self.message_user(
            request,
            ngettext("%(count)d service point closed.", "%(count)d service points closed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark the selected service points as verified today"))
    def mark_verified(self, request, queryset):
        editable = queryset.filter(pk__in=ServicePoint.objects.editable_by(request.user))
        count = editable.update(last_verified=timezone.localdate())
        self.message_user(
            request,
            ngettext(
                "%(count)d service point marked as verified.",
                "%(count)d service points marked as verified.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not ServicePoint.objects.editable_by(request.user).exists():
            actions.pop("close_points", None)
            actions.pop("mark_verified", None)
        return actions


@admin.register(Organization)
class OrganizationAdmin(JurisdictionScopedAdmin):
    list_display = ["name_en", "name_fr", "code", "jurisdiction", "point_count"]
    list_select_related = ["jurisdiction"]
    list_filter = ["jurisdiction__level", "jurisdiction"]
    search_fields = ["code", "name_en", "name_fr", "short_name_en", "short_name_fr"]
    prepopulated_fields = {"code": ["name_en"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(points=Count("service_points"))

    @admin.display(description=_("service points"), ordering="points")
    def point_count(self, obj):
        return obj.points

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "jurisdiction":
            kwargs["queryset"] = Jurisdiction.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Jurisdiction)
class JurisdictionAdmin(LeafletGeoAdmin):
    list_display = ["code", "name_en", "name_fr", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_en", "name_fr"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr"]
    search_fields = ["code", "name_en", "name_fr"]


@admin.register(DataSource)
class DataSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "authority", "licence", "jurisdiction", "is_demonstration"]
    list_filter = ["is_demonstration", "jurisdiction"]


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    fields = ["name", "kind", "language", "normalized"]
    readonly_fields = ["normalized"]
    extra = 0


@admin.register(PopulatedPlace)
class PopulatedPlaceAdmin(LeafletGeoAdmin):
    list_display = ["name", "name_fr", "province", "generic_term", "population", "gazetteer"]
    list_filter = ["gazetteer", "province", "is_section"]
    search_fields = ["name", "name_fr", "external_id"]
    list_select_related = ["province"]
    raw_id_fields = ["part_of"]
    inlines = [PlaceNameInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["jurisdiction"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class MemberUserAdmin(UserAdmin):
    """Users with the jurisdictions they keep."""

    inlines = [MembershipInline]
    list_display = [*UserAdmin.list_display, "role_names"]

    @admin.display(description=_("roles"))
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


# The import screens (upload, run page, progress, report, preview, apply, undo).
from . import import_admin  # noqa: E402, F401
