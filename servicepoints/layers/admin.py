"""Admin for census geographies: levels, areas (geometry summarised, never edited as a map),
and "Import a boundary file", which runs `import_areas` and shows its issues. The indicators
and their values: admin_indicators.py."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .admin_indicators import IndicatorAdmin, IndicatorValueAdmin  # noqa: F401 (registered)
from .importing import import_areas
from .models import Area, AreaLevel


@admin.register(AreaLevel)
class AreaLevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "rank", "min_zoom"]
    ordering = ["rank"]


class BoundaryFileForm(forms.Form):
    file = forms.FileField(
        label=_("Boundary file"),
        help_text=_("GeoJSON, TopoJSON, GeoPackage or zipped Shapefile, in any projection."),
    )
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=AreaLevel.objects.all(), to_field_name="code"
    )
    year = forms.IntegerField(
        label=_("Census year"),
        required=False,
        min_value=1951,
        max_value=2100,
        help_text=_("Leave empty when the file's name or its DGUIDs give it."),
    )
    code_field = forms.CharField(label=_("Code field"), required=False, max_length=100)
    name_field = forms.CharField(label=_("Name field"), required=False, max_length=100)
    name_fr_field = forms.CharField(label=_("French name field"), required=False, max_length=100)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "level", "year", "province_code", "imported_at"]
    list_filter = ["level", "year", "province_code"]
    search_fields = ["code", "dguid", "name_en", "name_fr"]
    exclude = ["geometry"]
    readonly_fields = ["geometry_summary", "imported_at"]
    list_select_related = ["level"]
    change_list_template = "admin/layers/area/change_list.html"

    @admin.display(description=_("boundary"))
    def geometry_summary(self, area):
        if area.geometry is None:
            return gettext("No boundary loaded.")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ST_NumGeometries(geometry), ST_NPoints(geometry), "
                "ST_Area(geometry::geography) / 1e6, ST_XMin(geometry), ST_YMin(geometry), "
                "ST_XMax(geometry), ST_YMax(geometry) FROM layers_area WHERE id = %s",
                [area.pk],
            )
            parts, points, km2, *extent = cursor.fetchone()
        return gettext(
            "%(parts)s polygons, %(points)s vertices, %(km2)s km², extent %(extent)s"
        ) % {
            "parts": parts,
            "points": points,
            "km2": f"{km2:,.1f}",
            "extent": " ".join(f"{value:.3f}" for value in extent),
        }

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="layers_area_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not request.user.has_perm("layers.add_area"):
            raise PermissionDenied
        form = BoundaryFileForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.TemporaryDirectory(prefix="snm-areas-") as folder:
                target = Path(folder) / Path(upload.name).name
                with open(target, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                result = import_areas(
                    target,
                    form.cleaned_data["level"].code,
                    code_field=form.cleaned_data["code_field"] or None,
                    name_field=form.cleaned_data["name_field"] or None,
                    name_fr_field=form.cleaned_data["name_fr_field"] or None,
                    year=form.cleaned_data["year"],
                    name=upload.name,
                )
            if not result.refused and not result.issues:
                messages.success(request, counts_text(result))
                return redirect(reverse("admin:layers_area_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import a boundary file"),
            "form": form,
            "result": result,
            "counts": counts_text(result) if result and not result.refused else "",
            "changelist_url": reverse("admin:layers_area_changelist"),
            "row_label": gettext("Feature"),
        }
        return TemplateResponse(request, "admin/layers/import.html", context)


def counts_text(result):
    return gettext(
        "%(file)s: %(created)s areas created, %(updated)s updated, %(unchanged)s unchanged."
    ) % {
        "file": result.file,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


# The vulnerability index's admin, registered with the rest of the layers.
from .vulnerability import admin as vulnerability_admin  # noqa: E402, F401
