"""The bivariate view's data: digital vulnerability × distance to the nearest in-person point.

`bivariate(level, year, points)` runs one SQL statement over the areas of a level and census
year:

- each area's `digital_vulnerability_index` of that year (imported or computed);
- its distance in km to the nearest *in-person* point of `points` (kinds in
  `IN_PERSON_KINDS`: counters, outreach, mobile, passport, postal, business, training and
  partner sites; not kiosks, call or processing centres), measured from the area's
  `ST_PointOnSurface` (a population-weighted centroid is not available yet). The candidates
  are the `CANDIDATES` nearest by KNN `<->` on the points' GiST index (planar degrees), and the
  geodesic distance (`geography`) is taken among them;
- terciles of each among the areas that have both: class = ⌈3 × cume_dist⌉ (ties share a
  class), the index giving the letter (A low … C high vulnerability) and the distance the
  digit (1 nearest … 3 farthest): "A1" … "C3";
- the 3×3 counts. Areas without an index or without any point are listed unclassified.

`bivariate_view` is `GET /api/layers/bivariate/?level&year[&point filters]`; its answers are
cached per "layers" and "servicepoints" data versions, the user's scope and the query (and the
minute, for `open_now`), like the tiles: a change to the points or the index is never answered
from an older payload.
"""

import hashlib
import json

from django import forms
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepoints.filters import CodeListField, PointFilter
from servicepoints.http import api_view, bad_parameters
from servicepoints.models import DataVersion, Kind, Level, ServicePoint, Status
from servicepoints.tiles.scope import visibility_scope

from .models import AreaLevel, Indicator
from .vulnerability.models import INDEX_CODE

IN_PERSON_KINDS = [
    Kind.CENTRE,
    Kind.OUTREACH,
    Kind.MOBILE,
    Kind.PASSPORT_OFFICE,
    Kind.POSTAL_OUTLET,
    Kind.BUSINESS_CENTRE,
    Kind.TRAINING_SITE,
    Kind.PARTNER_SITE,
]
CANDIDATES = 32
CLASSES = [f"{letter}{digit}" for letter in "ABC" for digit in "123"]

# The areas' CTE is materialised: inlined, PostgreSQL recomputed ST_PointOnSurface of each
# full boundary inside the KNN subquery (0.8 s instead of 0.3 s for 2,148 CSDs).
SQL = """
WITH areas AS MATERIALIZED (
    SELECT a.id, a.code, a.name_en, a.name_fr, v.value AS dvi,
           ST_PointOnSurface(a.geometry) AS rep
    FROM layers_area a
    LEFT JOIN layers_indicatorvalue v
      ON v.area_id = a.id AND v.indicator_id = %s AND v.year = %s
    WHERE a.level_id = %s AND a.year = %s AND a.geometry IS NOT NULL
), near AS (
    SELECT ar.*, (
        SELECT min(ST_Distance(c.location::geography, ar.rep::geography)) / 1000
        FROM (SELECT p.location FROM servicepoints_servicepoint p
              WHERE p.id IN ({points})
              ORDER BY p.location <-> ar.rep LIMIT %s) c
    ) AS km
    FROM areas ar
), ranked AS (
    SELECT near.*, dvi IS NOT NULL AND km IS NOT NULL AS classed,
        cume_dist() OVER (PARTITION BY dvi IS NOT NULL AND km IS NOT NULL ORDER BY dvi) AS cd_dvi,
        cume_dist() OVER (PARTITION BY dvi IS NOT NULL AND km IS NOT NULL ORDER BY km) AS cd_km
    FROM near
)
SELECT id, code, name_en, name_fr, dvi, km,
    CASE WHEN classed THEN LEAST(3, GREATEST(1, ceil(3 * cd_dvi - 1e-9)))::int END,
    CASE WHEN classed THEN LEAST(3, GREATEST(1, ceil(3 * cd_km - 1e-9)))::int END
FROM ranked ORDER BY code
"""


def in_person(points):
    """The in-person points of a ServicePoint QuerySet."""
    return points.filter(kind__in=IN_PERSON_KINDS)


def bivariate(level, year, points=None):
    """{level, year, areas: [...], counts: {"A1": n, …}, classified, unclassified,
    without_index, without_point, breaks} for the areas
    of `level` (code) and census `year`, distances to the in-person points of `points`
    (default: every open point)."""
    if points is None:
        points = ServicePoint.objects.filter(status=Status.OPEN)
    sql, params = in_person(points).values("id").query.sql_with_params()
    index = Indicator.objects.get(code=INDEX_CODE).pk
    level_id = AreaLevel.objects.get(code=level).pk
    with connection.cursor() as cursor:
        # The points' query is Django's, its values in the parameters (in statement order).
        cursor.execute(SQL.format(points=sql), [index, year, level_id, year, *params, CANDIDATES])
        rows = cursor.fetchall()
    counts = dict.fromkeys(CLASSES, 0)
    areas = []
    for area_id, code, name_en, name_fr, dvi, km, dvi_class, km_class in rows:
        combined = f"{'ABC'[dvi_class - 1]}{km_class}" if dvi_class else None
        if combined:
            counts[combined] += 1
        areas.append(
            {
                "id": area_id,
                "code": code,
                "name_en": name_en,
                "name_fr": name_fr,
                "dvi": dvi,
                "dvi_class": dvi_class,
                "distance_km": round(km, 3) if km is not None else None,
                "distance_class": km_class,
                "class": combined,
            }
        )
    return {
        "level": level,
        "year": year,
        "classes": CLASSES,
        "counts": counts,
        "classified": sum(counts.values()),
        "unclassified": sum(1 for area in areas if area["class"] is None),
        # Why an area is unclassified (an area can lack both).
        "without_index": sum(1 for area in areas if area["dvi"] is None),
        "without_point": sum(1 for area in areas if area["distance_km"] is None),
        "breaks": {
            "dvi": _breaks(areas, "dvi", "dvi_class"),
            "distance_km": _breaks(areas, "distance_km", "distance_class"),
        },
        "areas": areas,
    }


def _breaks(areas, value, klass):
    """The highest value of classes 1 and 2 (the legend's tercile limits)."""
    return [max((a[value] for a in areas if a[klass] == k), default=None) for k in (1, 2)]


class BivariateFilter(PointFilter):
    """The bivariate view's parameters: the area level and year, then the map's point
    filters (the points' level of government as `point_level`, since `level` is the area
    level here)."""

    level = forms.CharField(
        max_length=20,
        error_messages={"required": _("Give the area level (province, cd, csd, fsa…).")},
    )
    year = forms.IntegerField(
        min_value=1951,
        max_value=2100,
        error_messages={"required": _("Give the census year (e.g. 2021).")},
    )
    point_level = CodeListField(choices=set(Level.values))

    def clean_level(self):
        code = self.cleaned_data["level"]
        if not AreaLevel.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("No area level has the code %(code)s."), params={"code": code}, code="level"
            )
        return code

    def point_params(self):
        """The cleaned data as `ServicePoint.objects.filter_by` reads it."""
        params = dict(self.cleaned_data)
        params["area_level"] = params.pop("level")
        params["level"] = params.pop("point_level")
        return params


@api_view
def bivariate_view(request):
    """3×3 classes of vulnerability × distance for a level and year (400 on bad parameters).
    Points: those the user may read, filtered like the map; open ones unless `status`."""
    form = BivariateFilter.from_query(request.GET)
    if not form.is_valid():
        return bad_parameters(form)
    params = form.point_params()
    key = _cache_key(request, params)
    text = cache.get(key)
    if text is None:
        points = ServicePoint.objects.visible_to(request.user).filter_by(params)
        if not params.get("status"):
            points = points.filter(status=Status.OPEN)
        text = json.dumps(bivariate(params["area_level"], params["year"], points))
        cache.set(key, text, timeout=3600)
    return HttpResponse(text, content_type="application/json")


# Bump when the payload's shape changes: older cached payloads then stop matching.
PAYLOAD_FORMAT = 2


def _cache_key(request, params):
    """The data versions, the user's scope and the cleaned query (the minute for open_now)."""
    query = {name: value for name, value in sorted(params.items()) if value not in (None, [], "")}
    if query.get("open_now") is not None:
        query["minute"] = timezone.now().strftime("%Y%m%d%H%M")
    parts = [
        PAYLOAD_FORMAT,
        DataVersion.current("layers"),
        DataVersion.current(),
        visibility_scope(request.user),
        query,
    ]
    text = json.dumps(parts, sort_keys=True, default=str)
    return "bivariate:" + hashlib.sha256(text.encode()).hexdigest()
