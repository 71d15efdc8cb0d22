"""Coverage of 57,000 demand areas by the benchmark database's ~100,000 points (issue 13).

The areas are generated in SQL (the same 300 × 190 grid over southern Canada as the area
import benchmark: dissemination-area-sized cells, level `da`, 2021, codes 99…), each with a
population value (0–2,000, one in fifty suppressed), and deleted afterwards.

- *reference*: one hand-written SQL statement giving the population beyond 50 km of every
  open in-person point: `NOT EXISTS` a point within 50 km, found with the points' own GiST
  index on geometry (a box of ±50 km around the area's point, then the exact distance on the
  sphere) — the fastest plain query on the registry's tables.
- `coverage(bands=())` with no filter: the population beyond 50 km, nationally and by
  province (one EXISTS per area on the points table's index, as the reference);
- `coverage()` with its four bands: the nearest point of every area (a K-nearest-neighbour
  search each), which answers the same question and more.
"""

import time

from benchmarks.area_import import COLUMNS, EAST, NORTH, ROWS, SOUTH, WEST
from benchmarks.common import p50

YEAR = 2021
RAW = """
    SELECT coalesce(sum(v.value), 0)
    FROM layers_area a
    JOIN layers_indicatorvalue v ON v.area_id = a.id AND v.value IS NOT NULL
    JOIN layers_indicator i ON i.id = v.indicator_id AND i.code = 'population'
    CROSS JOIN LATERAL (SELECT ST_PointOnSurface(a.geometry) AS place) c
    WHERE a.level_id = %(level)s AND a.year = %(year)s
      AND NOT EXISTS (
          SELECT FROM servicepoints_servicepoint p
          WHERE p.location && ST_Expand(c.place, 50000 / 111320.0 / cos(radians(ST_Y(c.place))))
            AND p.status = 'open' AND p.kind NOT IN ('call_centre', 'processing_centre')
            AND ST_DWithin(p.location::geography, c.place::geography, 50000, false))
"""


def _generate(cursor, level_id, indicator_id):
    width, height = (EAST - WEST) / COLUMNS, (NORTH - SOUTH) / ROWS
    cursor.execute(
        """INSERT INTO layers_area (level_id, year, code, dguid, name_en, name_fr, geometry,
                                    province_code, imported_at)
           SELECT %(level)s, %(year)s, format('99%%s%%s', lpad(r::text, 3, '0'),
                  lpad(c::text, 3, '0')), '', 'Demonstration area', 'Zone de démonstration',
                  ST_Multi(ST_MakeEnvelope(%(west)s + c * %(w)s, %(south)s + r * %(h)s,
                           %(west)s + (c + 1) * %(w)s, %(south)s + (r + 1) * %(h)s, 4326)),
                  '', now()
           FROM generate_series(0, %(rows)s - 1) r, generate_series(0, %(columns)s - 1) c""",
        {"level": level_id, "year": YEAR, "west": WEST, "south": SOUTH, "w": width,
         "h": height, "rows": ROWS, "columns": COLUMNS},
    )  # fmt: skip
    cursor.execute(
        """INSERT INTO layers_indicatorvalue (area_id, indicator_id, year, value, status,
                                              quality_flag)
           SELECT id, %s, %s, CASE WHEN id %% 50 = 0 THEN NULL ELSE (id * 7919) %% 2001 END,
                  CASE WHEN id %% 50 = 0 THEN 'x' ELSE '' END, ''
           FROM layers_area WHERE level_id = %s AND year = %s AND code LIKE '99%%'""",
        [indicator_id, YEAR, level_id, YEAR],
    )
    cursor.execute("ANALYZE layers_area")
    cursor.execute("ANALYZE layers_indicatorvalue")


def _clean(cursor, level_id):
    generated = "SELECT id FROM layers_area WHERE level_id = %s AND year = %s AND code LIKE '99%%'"
    for table in ("layers_indicatorvalue", "layers_areashape"):
        cursor.execute(
            f"DELETE FROM {table} WHERE area_id IN ({generated})",  # noqa: S608
            [level_id, YEAR],
        )
    cursor.execute(
        "DELETE FROM layers_area WHERE level_id = %s AND year = %s AND code LIKE '99%%'",
        [level_id, YEAR],
    )


def run():
    from django.db import connection

    from servicepoints.analysis.coverage import coverage
    from servicepoints.filters import PointFilter
    from servicepoints.layers.models import AreaLevel, Indicator

    level = AreaLevel.objects.get(code="da")
    indicator = Indicator.objects.get(code="population")
    with connection.cursor() as cursor:
        _clean(cursor, level.pk)
        _generate(cursor, level.pk, indicator.pk)
    params = PointFilter.no_filters()
    raw_times, ours, full_times, beyond_raw = [], [], [], None
    result = full = None
    for _round in range(3):
        with connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute(RAW, {"level": level.pk, "year": YEAR})
            beyond_raw = cursor.fetchone()[0]
            raw_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = coverage(params, within_km=50, bands=(), level="da", year=YEAR)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        full = coverage(params, within_km=50, level="da", year=YEAR)
        full_times.append(time.perf_counter() - start)
    with connection.cursor() as cursor:
        _clean(cursor, level.pk)
    beyond = result.national.population - result.national.covered
    assert abs(beyond - beyond_raw) < 1e-6 * max(beyond, 1), (beyond, beyond_raw)
    assert abs(full.national.covered - result.national.covered) < 1e-6 * max(beyond, 1)
    raw, mine, nearest = p50(raw_times), p50(ours), p50(full_times)
    return [
        (
            "coverage, 57,000 areas",
            f"raw SQL: population beyond 50 km of {result.points:,} points "
            f"({beyond_raw:,.0f} people), p50 of 3",
            f"{raw * 1000:.0f} ms",
            "—",
            "1×",
            "—",
        ),
        (
            "coverage, 57,000 areas",
            "`coverage(bands=())`: population beyond 50 km, by province, p50 of 3",
            f"{mine * 1000:.0f} ms",
            f"raw {raw * 1000:.0f} ms",
            f"{mine / raw:.2f}×",
            "≤ 1.3× raw and < 2 s",
        ),
        (
            "coverage, 57,000 areas",
            "`coverage()`: nearest point of every area, 4 bands, by province, p50 of 3",
            f"{nearest * 1000:.0f} ms",
            f"raw {raw * 1000:.0f} ms",
            f"{nearest / raw:.2f}×",
            "nearest for every area < 5 s",
        ),
    ]
