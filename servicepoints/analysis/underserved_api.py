"""`GET /api/analysis/underserved/`: the underserved communities (underserved.py) as JSON, or
the same list as a CSV or Excel attachment (`format=csv|xlsx`).

The points are those the map's filters select among the points the user may read; the query
is validated by `UnderservedQuery` (400 naming each parameter at fault, in the request's
language)."""

import csv
import io

from django import forms
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepoints.exports import neutralize
from servicepoints.filters import PointFilter
from servicepoints.http import api_view, bad_parameters
from servicepoints.layers.models import AreaLevel
from servicepoints.models import ServicePoint

from .underserved import DEFAULT_LIMIT, MAX_LIMIT, underserved

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnderservedQuery(PointFilter):
    """The map's filters, the distance, how many communities, the format."""

    descriptions = {
        "within": "Kilometres (straight-line distance on the sphere) beyond which a community "
        "counts as far from service; default 50.",
        "limit": f"How many communities, highest score first; default {DEFAULT_LIMIT}.",
        "index_level": "Census level of the digital vulnerability index; default: the finest "
        "with index values.",
        "index_year": "Year of the index values; default: the latest.",
        "format": "json (default), or csv or xlsx (the same list as an attachment).",
    }

    within = forms.FloatField(
        required=False,
        min_value=0.1,
        max_value=2000,
        error_messages={"invalid": gettext_lazy("Give a distance in kilometres, such as 50.")},
    )
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)
    index_level = forms.CharField(required=False, max_length=20)
    index_year = forms.IntegerField(required=False, min_value=1800, max_value=2200)
    format = forms.ChoiceField(
        required=False, choices=[("json", "json"), ("csv", "csv"), ("xlsx", "xlsx")]
    )

    def clean_index_level(self):
        code = self.cleaned_data["index_level"]
        if code and not AreaLevel.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("There is no geographic level “%(level)s”.") % {"level": code}, code="level"
            )
        return code or None

    def clean(self):
        data = super().clean()
        if "within" in data and data["within"] is None:
            data["within"] = 50.0
        if "limit" in data and data["limit"] is None:
            data["limit"] = DEFAULT_LIMIT
        return data


@api_view
def underserved_list(request):
    form = UnderservedQuery.from_query(request.GET)
    if not form.is_valid():
        return bad_parameters(form)
    params = dict(form.cleaned_data)
    within = params.pop("within")
    limit = params.pop("limit")
    level, year = params.pop("index_level"), params.pop("index_year")
    extension = params.pop("format") or "json"
    points = ServicePoint.objects.visible_to(request.user).filter_by(params)
    result = underserved(
        params, within_km=within, limit=limit, level=level, year=year, points=points
    )
    if extension == "json":
        return JsonResponse(result.as_dict())
    filename = f"underserved-{within:g}km-{timezone.localdate():%Y-%m-%d}.{extension}"
    if extension == "csv":
        response = StreamingHttpResponse(
            _csv_lines(result), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(_workbook(result), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def header():
    return [
        _("Rank"),
        _("Community"),
        _("Province or territory"),
        _("Population"),
        _("Longitude"),
        _("Latitude"),
        _("Distance to the nearest point (km)"),
        _("Nearest point"),
        _("Census area"),
        _("Census area name"),
        _("Digital vulnerability index"),
        _("Vulnerability rank (0–1)"),
        _("Score (population × rank)"),
    ]


def cells(community):
    not_available = _("not available")
    return [
        community.rank,
        community.name,
        community.province,
        community.population if community.population is not None else not_available,
        community.lon,
        community.lat,
        community.distance_km if community.distance_km is not None else _("no point"),
        community.nearest_point,
        community.area_code,
        community.area_name,
        community.vulnerability if community.vulnerability is not None else not_available,
        community.vulnerability_rank,
        community.score if community.score is not None else not_available,
    ]


class _Echo:
    def write(self, value):
        return value


def _csv_lines(result):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header())
    for community in result.communities:
        yield writer.writerow(
            [
                "" if cell is None else neutralize(cell) if isinstance(cell, str) else cell
                for cell in cells(community)
            ]
        )


def _workbook(result):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Underserved communities")[:31])
    sheet.append(header())
    for community in result.communities:
        sheet.append([neutralize(c) if isinstance(c, str) else c for c in cells(community)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
