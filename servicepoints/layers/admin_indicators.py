"""Admin for the indicator catalogue and its values, and "Import an indicator file", which
runs `import_indicators` on an upload and shows its issues (nothing changed when refused)."""

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

from .importing.indicators import import_indicators
from .models import AreaLevel, Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "unit", "source"]
    list_filter = ["unit"]
    search_fields = ["code", "name_en", "name_fr", "profile_names"]
    fieldsets = [
        (None, {"fields": ["code", "name_en", "name_fr", "unit"]}),
        (_("Description"), {"fields": ["description_en", "description_fr"]}),
        (_("Source"), {"fields": ["source", "licence", "source_url"]}),
        (_("Census Profile"), {"fields": ["profile_names", "profile_section", "profile_share"]}),
    ]


class IndicatorFileForm(forms.Form):
    file = forms.FileField(
        label=_("Indicator file"),
        help_text=_(
            "A Statistics Canada Census Profile CSV (2016 or 2021 layout), a long table "
            "(area_code, indicator, year, value) or a wide table (one area per row), CSV or XLSX."
        ),
    )
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=AreaLevel.objects.all(), to_field_name="code"
    )
    year = forms.IntegerField(
        label=_("Census year"),
        required=False,
        min_value=1951,
        max_value=2100,
        help_text=_("Leave empty when the file gives it; for a long table, only this year."),
    )
    keep = forms.ModelMultipleChoiceField(
        label=_("Indicators to keep"),
        queryset=Indicator.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every indicator the file has."),
    )
    geo_level = forms.RegexField(
        label=_("Profile GEO_LEVEL"),
        regex=r"^\d{1,2}$",
        required=False,
        help_text=_("Empty: the GEO_LEVEL most of the profile's areas have."),
    )
    create_areas = forms.BooleanField(
        label=_("Keep the values of areas not loaded yet"),
        required=False,
        help_text=_("They are added without a boundary; the map draws them once it is imported."),
    )


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["area", "indicator", "year", "value", "status", "quality_flag"]
    list_filter = ["indicator", "year", "area__level", "status"]
    search_fields = ["area__code", "area__name_en", "area__name_fr"]
    list_select_related = ["area", "indicator"]
    raw_id_fields = ["area"]
    change_list_template = "admin/layers/indicatorvalue/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="layers_indicatorvalue_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not request.user.has_perm("layers.add_indicatorvalue"):
            raise PermissionDenied
        form = IndicatorFileForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            with tempfile.TemporaryDirectory(prefix="snm-indicators-") as folder:
                target = Path(folder) / Path(upload.name).name
                with open(target, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                result = import_indicators(
                    target,
                    data["level"].code,
                    year=data["year"],
                    keep=[indicator.code for indicator in data["keep"]] or None,
                    geo_level=data["geo_level"] or None,
                    create_areas=data["create_areas"],
                    name=upload.name,
                )
            if not result.refused and not result.issues:
                messages.success(request, counts_text(result))
                return redirect(reverse("admin:layers_indicatorvalue_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import an indicator file"),
            "form": form,
            "result": result,
            "counts": counts_text(result) if result and not result.refused else "",
            "changelist_url": reverse("admin:layers_indicatorvalue_changelist"),
            "row_label": gettext("Row"),
        }
        return TemplateResponse(request, "admin/layers/import.html", context)


def counts_text(result):
    return gettext(
        "%(file)s: %(values)s values for %(areas)s areas: %(created)s created, %(changed)s "
        "changed, %(unchanged)s unchanged."
    ) % {
        "file": result.file,
        "values": result.values,
        "areas": result.areas,
        "created": result.created,
        "changed": result.changed,
        "unchanged": result.unchanged,
    }
