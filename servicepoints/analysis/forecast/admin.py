"""Admin for channel statistics: the lines of business and their months, read only, and
"Import channel statistics", which runs `import_channel_statistics` on an upload and shows
its issues (nothing changed when refused).

Who may: the statistics belong to service points, so the point rules apply (reading:
`visible_to`; importing: a call or processing centre in `editable_by`)."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicepoints.models import Organization, ServicePoint

from .importer import counts_text, import_channel_statistics
from .models import CHANNEL_KINDS, ChannelStatistic, LineOfBusiness


def importable_points(user):
    return ServicePoint.objects.editable_by(user).filter(kind__in=CHANNEL_KINDS)


class ChannelFileForm(forms.Form):
    file = forms.FileField(
        label=_("Statistics file"),
        help_text=_(
            "CSV or XLSX, one row per line of business and month: queue_group, month, year, "
            "calls_handled, avg_wait_minutes (calls_offered, calls_answered, service_level "
            "where there are)."
        ),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), to_field_name="code"
    )
    point = forms.CharField(
        label=_("Call or processing centre"),
        required=False,
        max_length=200,
        help_text=_("Its id or external id; empty: the organization's only one."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=importable_points(user).values("organization")
        )


class ReadWithPoints:
    """Read by whoever reads service points, of the points they may read; written by imports."""

    def has_module_permission(self, request):
        return request.user.has_perm("servicepoints.view_servicepoint")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("servicepoints.view_servicepoint")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("servicepoints.delete_servicepoint")


@admin.register(LineOfBusiness)
class LineOfBusinessAdmin(ReadWithPoints, admin.ModelAdmin):
    list_display = ["name", "organization", "ended", "end_reason", "successor"]
    list_filter = ["organization", "end_reason"]
    search_fields = ["name", "names__name"]

    def get_queryset(self, request):
        points = ServicePoint.objects.visible_to(request.user)
        return (
            super()
            .get_queryset(request)
            .filter(statistics__service_point__in=points)
            .distinct()
            .select_related("organization", "successor")
        )


@admin.register(ChannelStatistic)
class ChannelStatisticAdmin(ReadWithPoints, admin.ModelAdmin):
    list_display = [
        "line",
        "month",
        "service_point",
        "calls_handled",
        "average_wait_minutes",
        "calls_offered",
        "calls_answered",
        "service_level",
    ]
    list_filter = ["line__organization", "line"]
    search_fields = ["line__name", "name_in_file"]
    date_hierarchy = "month"
    list_select_related = ["line", "service_point"]
    change_list_template = "admin/analysis/channelstatistic/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": importable_points(request.user).exists(),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="analysis_channelstatistic_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not importable_points(request.user).exists():
            raise PermissionDenied
        form = ChannelFileForm(request.POST or None, request.FILES or None, user=request.user)
        result = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            with tempfile.TemporaryDirectory(prefix="snm-channels-") as folder:
                target = Path(folder) / Path(upload.name).name
                with open(target, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                result = import_channel_statistics(
                    target,
                    organization=data["organization"].code,
                    point=data["point"] or None,
                    user=request.user,
                    name=upload.name,
                )
            if not result.refused:
                messages.success(request, counts_text(result))
                return redirect(reverse("admin:analysis_channelstatistic_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import channel statistics"),
            "form": form,
            "result": result,
            "counts": "",
            "changelist_url": reverse("admin:analysis_channelstatistic_changelist"),
            "row_label": gettext("Row"),
        }
        return TemplateResponse(request, "admin/layers/import.html", context)
