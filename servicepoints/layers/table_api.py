"""The table of areas over HTTP: `GET /api/layers/areas/` (a page of JSON) and its exports
(`export.csv`, `export.xlsx`, or `format=csv|xlsx` on the list: the whole selection).

The query is read by `AreaTableQuery` (400 naming each parameter at fault, in the request's
language); the rows come from `table.Selection` (SQL). Census areas and their values are public
statistics, but the site is for signed-in users, so these views are too (`api_view`).
"""

import csv
import io

from django import forms
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..exports import neutralize
from ..filters import MAX_OFFSET, BBoxField, CodeListField, ParameterForm
from ..http import api_view, bad_parameters
from .models import AreaLevel, Indicator
from .table import Column, Selection, column_year, latest_year, levels_with_areas, status_label

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 500
MAX_INDICATORS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIXED_SORTS = ("name", "code", "value")


def _level_choices():
    return [(code, code) for code in AreaLevel.objects.values_list("code", flat=True)]


class AreaTableQuery(ParameterForm):
    """Which areas, which indicator columns, the order and the page."""

    # Descriptions of the OpenAPI document (openapi.py), where they differ from the points'.
    descriptions = {
        "level": "Code of the geographic level (province, cd, csd, fsa, da, hr).",
        "year": "Census year of the areas; default: the level's latest.",
        "bbox": "Only areas whose boundary meets this box: west,south,east,north in "
        "EPSG:4326 degrees. Default: every area of the level and year.",
        "indicator": "Indicator codes, one column each, in this order (at most 10).",
        "indicator_year": "The year of every column's values. Default, per indicator: its "
        "latest year at or before the census year among the level's areas, else the "
        "earliest after.",
        "sort": "name, code, value (the first indicator) or an indicator code; '-' first "
        "for descending. Areas without a value come last in both directions; ties by name.",
        "page": "Page number, from 1.",
        "page_size": "Areas per page.",
        "format": "json (a page), or csv or xlsx (the whole selection, as an attachment).",
    }

    level = forms.ChoiceField(choices=_level_choices)
    year = forms.IntegerField(required=False, min_value=1800, max_value=2200)
    bbox = BBoxField(required=False)
    indicator = CodeListField(
        choices=lambda: set(Indicator.objects.values_list("code", flat=True))
    )
    indicator_year = forms.IntegerField(required=False, min_value=1800, max_value=2200)
    sort = forms.CharField(required=False, max_length=70, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_OFFSET)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)
    format = forms.ChoiceField(
        required=False, choices=[("json", "json"), ("csv", "csv"), ("xlsx", "xlsx")]
    )

    @classmethod
    def from_query(cls, query_dict):
        """Read a request's GET parameters; `indicator` may repeat, the others may not."""
        data = {}
        for name in cls.base_fields:
            values = query_dict.getlist(name)
            if values:
                data[name] = values if name == "indicator" else values[-1]
        return cls(data)

    def clean_indicator(self):
        codes = self.cleaned_data["indicator"]
        if len(codes) > MAX_INDICATORS:
            raise forms.ValidationError(
                gettext_lazy("Choose at most %(count)s indicators."),
                code="too_many",
                params={"count": MAX_INDICATORS},
            )
        return codes

    def clean(self):
        data = super().clean()
        sort = data.get("sort") or "name"
        key = sort.removeprefix("-")
        allowed = {"name", "code"}
        if data.get("indicator"):
            allowed |= {"value", *data["indicator"]}
        if "indicator" in data and "sort" not in self.errors and key not in allowed:
            self.add_error(
                "sort",
                forms.ValidationError(
                    gettext_lazy(
                        "Sort by name, code, value or one of the requested indicators "
                        "(%(codes)s), with - first for descending."
                    ),
                    code="sort",
                    params={"codes": ", ".join(data["indicator"]) or "—"},
                ),
            )
        data["sort"] = sort
        data["page"] = data.get("page") or 1
        data["page_size"] = data.get("page_size") or DEFAULT_PAGE_SIZE
        data["format"] = data.get("format") or "json"
        return data

    def selection(self):
        """The `table.Selection` of a valid query."""
        data = self.cleaned_data
        level = AreaLevel.objects.get(code=data["level"])
        year = latest_year(level, data["year"])
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=data["indicator"])}
        columns = [
            Column(
                indicators[code],
                column_year(indicators[code], level, year, data["indicator_year"]),
            )
            for code in data["indicator"]
        ]
        return Selection(
            level=level, year=year, bbox=data["bbox"], columns=columns, sort=data["sort"]
        )


def table_config():
    """What the map's "Areas" panel needs from the page: addresses, the levels that have areas
    (with their minimum zoom and census years) and the indicator catalogue, in the active
    language."""
    return {
        "urls": {
            "list": reverse("api:layer_area_list"),
            "export_csv": reverse("api:layer_area_export_csv"),
            "export_xlsx": reverse("api:layer_area_export_xlsx"),
        },
        "levels": levels_with_areas(),
        "indicators": sorted(
            ({"code": i.code, "name": i.name, "unit": i.unit} for i in Indicator.objects.all()),
            key=lambda item: item["name"].casefold(),
        ),
    }


# Views


def _read(request, export=None):
    form = AreaTableQuery.from_query(request.GET)
    if not form.is_valid():
        return None, bad_parameters(form)
    if export:
        form.cleaned_data["format"] = export
    return form, None


@api_view
def layer_area_list(request):
    """A page of the areas in the box with their values and the total; `format=csv|xlsx`: the
    whole selection as an attachment."""
    form, error = _read(request)
    if error:
        return error
    if form.cleaned_data["format"] != "json":
        return _export(form)
    data = form.cleaned_data
    selection = form.selection()
    size = data["page_size"]
    return JsonResponse(
        {
            "level": {"code": selection.level.code, "name": selection.level.name},
            "year": selection.year,
            "indicators": [column.describe() for column in selection.columns],
            "sort": data["sort"],
            "total": selection.count() if selection.year else 0,
            "page": data["page"],
            "page_size": size,
            "areas": (
                selection.page(limit=size, offset=(data["page"] - 1) * size)
                if selection.year
                else []
            ),
        }
    )


@api_view
def layer_area_export_csv(request):
    """The whole selection as CSV (UTF-8 with a BOM, for spreadsheets)."""
    form, error = _read(request, export="csv")
    return error or _export(form)


@api_view
def layer_area_export_xlsx(request):
    """The whole selection as an Excel workbook, values as numbers."""
    form, error = _read(request, export="xlsx")
    return error or _export(form)


# Exports


class _Echo:
    def write(self, value):
        return value


def _header(selection):
    """Column headers in the active language: the area, then a value and a year per indicator."""
    header = [_("Code"), _("Name"), _("Province or territory"), _("Census year")]
    for column in selection.columns:
        name = column.indicator.name
        header += [name, _("%(indicator)s: year") % {"indicator": name}]
    return header


def _cells(selection, area, triples):
    """One row's cells: a value is a number, or the words of its status (never 0)."""
    _id, code, name, province = area
    cells = [code, name, province, selection.year]
    for value, status, year in triples:
        cells += [value if value is not None else status_label(status), year]
    return cells


def _export(form):
    selection = form.selection()
    extension = form.cleaned_data["format"]
    rows = selection.rows() if selection.year else iter(())
    if extension == "csv":
        response = StreamingHttpResponse(
            _csv_lines(selection, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(_workbook(selection, rows), content_type=XLSX)
    filename = (
        f"areas-{selection.level.code}-{selection.year or 'none'}-{timezone.localdate():%Y-%m-%d}"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


def _csv_lines(selection, rows):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(_header(selection))
    for area, triples in rows:
        cells = _cells(selection, area, triples)
        yield writer.writerow(
            [
                "" if cell is None else neutralize(cell) if isinstance(cell, str) else cell
                for cell in cells
            ]
        )


def _workbook(selection, rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=capfirst(selection.level.name)[:31])
    sheet.append(_header(selection))
    for area, triples in rows:
        sheet.append(
            [
                neutralize(cell) if isinstance(cell, str) else cell
                for cell in _cells(selection, area, triples)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
