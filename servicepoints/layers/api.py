"""The census indicators' JSON API under /api/layers/: the catalogue and the values of one
indicator, year and level, classified for a choropleth (and as CSV or XLSX).

Views only translate HTTP. The values and the areas are read and written out as JSON by
PostgreSQL (one statement each); only the class bounds are computed in Python, by mapclassify
over the available values (`classes.py`). Payloads are cached in the process's cache under the
"layers" data version, which triggers bump on any write to the areas, their shapes, the
indicators or their values (layers migrations 0002 and 0004): a committed change is never
answered from an older payload.
"""

import csv
import hashlib
import io
import json

from django import forms
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ..exports import neutralize
from ..filters import ParameterForm
from ..http import api_view, bad_parameters, json_error
from ..i18n import prefers_french
from ..models import DataVersion
from . import classes
from .models import AreaLevel, Indicator

DATA_VERSION = "layers"
# Bump when a payload's shape changes: older cached payloads then stop matching.
PAYLOAD_FORMAT = 1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ValuesQuery(ParameterForm):
    """Which values, and how to classify them."""

    indicator = forms.SlugField(max_length=60)
    year = forms.IntegerField(
        min_value=1800,
        max_value=2200,
        error_messages={"invalid": gettext_lazy("Give a year, such as 2021.")},
    )
    level = forms.SlugField(
        max_length=20, help_text="Geographic level code (province, cd, csd, fsa, da…)."
    )
    classification = forms.ChoiceField(
        required=False, choices=[(method, method) for method in classes.METHODS]
    )
    classes = forms.IntegerField(
        required=False, min_value=classes.MIN_CLASSES, max_value=classes.MAX_CLASSES
    )
    format = forms.ChoiceField(
        required=False, choices=[("json", "json"), ("csv", "csv"), ("xlsx", "xlsx")]
    )

    def clean_indicator(self):
        code = self.cleaned_data["indicator"]
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            raise forms.ValidationError(
                gettext_lazy("There is no indicator “%(code)s”."),
                code="unknown",
                params={"code": code},
            )
        return indicator

    def clean_level(self):
        code = self.cleaned_data["level"]
        level = AreaLevel.objects.filter(code=code).first()
        if level is None:
            raise forms.ValidationError(
                gettext_lazy("There is no geographic level “%(code)s”."),
                code="unknown",
                params={"code": code},
            )
        return level

    def clean_classification(self):
        return self.cleaned_data.get("classification") or classes.DEFAULT_METHOD

    def clean_classes(self):
        return self.cleaned_data.get("classes") or classes.DEFAULT_CLASSES

    def clean_format(self):
        return self.cleaned_data.get("format") or "json"


def _name(alias):
    if prefers_french():
        return f"coalesce(nullif({alias}.name_fr, ''), {alias}.name_en)"
    return f"coalesce(nullif({alias}.name_en, ''), {alias}.name_fr)"


def _cached(parts, build):
    """`build()` once per data version, language and `parts` (a JSON-ready list)."""
    version = DataVersion.current(DATA_VERSION)
    text = json.dumps([PAYLOAD_FORMAT, version, get_language(), *parts])
    key = "layers:" + hashlib.sha256(text.encode()).hexdigest()
    text = cache.get(key)
    if text is None:
        text = build()
        cache.set(key, text, timeout=3600)
    return text


# The catalogue


def catalogue():
    """The catalogue as JSON text: every indicator in the active language with the years and
    levels it has values for (counts of values and of available ones), and the levels."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT v.indicator_id, v.year, a.level_id, a.year,
                      count(*), count(v.value)
               FROM layers_indicatorvalue v JOIN layers_area a ON a.id = v.area_id
               GROUP BY 1, 2, 3, 4 ORDER BY 1, 2 DESC, 3, 4 DESC"""
        )
        rows = cursor.fetchall()
    levels = {level.pk: level for level in AreaLevel.objects.all()}
    available = {}
    for indicator_id, year, level_id, area_year, count, with_value in rows:
        years = available.setdefault(indicator_id, {})
        years.setdefault(year, []).append(
            {
                "code": levels[level_id].code,
                "area_year": area_year,
                "count": count,
                "available": with_value,
            }
        )
    indicators = []
    for indicator in Indicator.objects.all():
        description = indicator.description_fr if prefers_french() else indicator.description_en
        indicators.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "description": description or indicator.description_en,
                "unit": indicator.unit,
                "unit_label": str(indicator.get_unit_display()),
                "source": indicator.source,
                "licence": indicator.licence,
                "source_url": indicator.source_url,
                "years": [
                    {"year": year, "levels": entries}
                    for year, entries in available.get(indicator.pk, {}).items()
                ],
            }
        )
    return json.dumps(
        {
            "indicators": indicators,
            "levels": [
                {
                    "code": level.code,
                    "name": level.name,
                    "rank": level.rank,
                    "min_zoom": level.min_zoom,
                }
                for level in levels.values()
            ],  # fmt: skip
        },
        ensure_ascii=False,
    )


# The values


def area_year(indicator, year, level):
    """The census year of the areas the values of (indicator, year, level) are given for (the
    most common, the latest on a tie), or None when there is no value."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT a.year FROM layers_indicatorvalue v JOIN layers_area a ON a.id = v.area_id
               WHERE v.indicator_id = %s AND v.year = %s AND a.level_id = %s
               GROUP BY a.year ORDER BY count(*) DESC, a.year DESC LIMIT 1""",
            [indicator.pk, year, level.pk],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def values_payload(indicator, year, level, method, k):
    """The values as JSON text (see `openapi`'s IndicatorValues): every area of the level and
    census year, with its value (null when not available: no value, or a status), status and
    class; the classes' bounds and counts; the count not available."""
    areas_year = area_year(indicator, year, level)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT coalesce(array_agg(v.value), '{}') FROM layers_indicatorvalue v
               JOIN layers_area a ON a.id = v.area_id
               WHERE v.indicator_id = %s AND v.year = %s AND a.level_id = %s AND a.year = %s
                 AND v.value IS NOT NULL""",
            [indicator.pk, year, level.pk, areas_year],
        )
        values = cursor.fetchone()[0]
        found = classes.classes(values, method, k)
        bins = [entry["upper"] for entry in found]
        # An area without a value row is "not available" (".."), like a value the publisher
        # withheld; its class is null. class = how many upper bounds are below the value.
        cursor.execute(
            f"""SELECT count(*) FILTER (WHERE v.value IS NULL),
                       coalesce(json_agg(json_build_object(
                           'id', a.id, 'code', a.code, 'name', {_name("a")},
                           'value', v.value, 'status', coalesce(v.status, '..'),
                           'class', CASE WHEN v.value IS NOT NULL THEN
                               (SELECT count(*) FROM unnest(%s::float8[]) b WHERE b < v.value)
                           END) ORDER BY a.code), '[]')::text
                FROM layers_area a
                LEFT JOIN layers_indicatorvalue v
                       ON v.area_id = a.id AND v.indicator_id = %s AND v.year = %s
                WHERE a.level_id = %s AND a.year = %s""",  # noqa: S608
            [bins, indicator.pk, year, level.pk, areas_year],
        )
        not_available, areas = cursor.fetchone()
    head = {
        "indicator": {"code": indicator.code, "name": indicator.name, "unit": indicator.unit},
        "year": year,
        "level": {"code": level.code, "name": level.name, "min_zoom": level.min_zoom},
        "area_year": areas_year,
        "classification": method,
        "classes_requested": k,
        "classes": found,
        "available": len(values),
        "not_available": not_available,
    }
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "areas": ' + areas + "}"


EXPORT_HEADER = ["area_id", "code", "name", "indicator", "year", "value", "status", "class"]


def export_rows(payload):
    """The rows of a values export: the class counted from 1, empty when not available."""
    data = json.loads(payload)
    code, year = data["indicator"]["code"], data["year"]
    for area in data["areas"]:
        number = "" if area["class"] is None else area["class"] + 1
        value = "" if area["value"] is None else area["value"]
        yield [area["id"], neutralize(area["code"]), neutralize(area["name"]), code, year,
               value, area["status"], number]  # fmt: skip


def _csv(payload):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    writer.writerows(export_rows(payload))
    return out.getvalue()


def _xlsx(payload):
    # openpyxl, which the imports already use to read workbooks; write-only: rows stream.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("values")
    sheet.append(EXPORT_HEADER)
    for row in export_rows(payload):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Views


@api_view
def indicator_list(request):
    """The indicator catalogue with the years and levels that have values."""
    return HttpResponse(_cached(["catalogue"], catalogue), content_type="application/json")


@api_view
def indicator_values(request):
    """The values of an indicator for a year and level, classified (JSON, CSV or XLSX)."""
    form = ValuesQuery(request.GET)
    if not form.is_valid():
        return bad_parameters(form)
    params = form.cleaned_data
    indicator, year, level = params["indicator"], params["year"], params["level"]
    method, k = params["classification"], params["classes"]
    if area_year(indicator, year, level) is None:
        return json_error(
            _("“%(indicator)s” has no values for %(year)s at the level “%(level)s”.")
            % {"indicator": indicator.code, "year": year, "level": level.code},
            404,
        )
    payload = _cached(
        ["values", indicator.code, year, level.code, method, k],
        lambda: values_payload(indicator, year, level, method, k),
    )
    if params["format"] == "json":
        return HttpResponse(payload, content_type="application/json")
    name = f"{indicator.code}-{year}-{level.code}.{params['format']}"
    if params["format"] == "csv":
        response = HttpResponse(_csv(payload), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(_xlsx(payload), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
