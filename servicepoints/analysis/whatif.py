"""What if sites were added to the network, or points closed: the coverage as a delta.

The current network of a set of points (the map's filters, counted as coverage.py counts them:
in person, open unless a status is asked for, among the points the user may read) is cached in
UNLOGGED tables of its own, listed in `analysis_whatif_network` (migration analysis 0005): its
points' positions on the unit sphere (`whatif_points_ID`) and, for every demand area and
populated place, its nearest point and distance (`whatif_reach_ID`), each with an n-D GiST
index on the positions built after the rows (a compact tree: one K-nearest-neighbour search
costs tens of microseconds); whatif_network.py builds and reads it.
The key of a network covers the filters, the user's scope, the demand and index levels and
the "servicepoints" and "layers" data versions: a change to the registry or the census data
builds a new one (older ones are pruned), never answers from a stale one.

A what-if is then a delta, never a full recompute:

- an added site only changes the areas and places within the largest band of it (the
  `ST_3DDWithin` of the chord on the cached positions' index): their distance becomes the
  smaller of the old one and the site's (and the places farther than that band that are
  nearer to a site than to their nearest point: the underserved list shows their distance);
- a closed point only changes the areas and places whose nearest point it was: their nearest
  among the remaining points is found again by the K-nearest-neighbour search on the cache's
  index (and the added sites) — except the areas already beyond the largest band, which stay
  beyond it (no figure changes);
- the figures are the cached network's (nationally and by province, per band) plus the sums
  of the changes of those rows; the underserved list is the cached places' with the changed
  distances.

`full_recompute` measures the same scenario the long way (a network of the remaining points
and the sites, every area's nearest found again): the tests and the benchmark compare the two.
Straight-line distances on the sphere, as coverage.py.
"""

import time
from dataclasses import asdict, dataclass, field

import numpy as np
from django.db import ProgrammingError, connection, transaction

from servicepoints.models import DataVersion

from .coverage import (
    BANDS,
    METHOD,
    RADIUS,
    CoverageResult,
    demand_level,
    province_name,
    share_of,
    unit_vector,
    with_rows,
)
from .underserved import DEFAULT_LIMIT, index_level
from .whatif_network import (
    AREA,
    PLACE,
    _communities_changed,
    _drop,
    _underserved,
    baseline_rows,
    build,
    counted,
    network,
    tables,
)


@dataclass
class Site:
    """A hypothetical site: a name, a place (EPSG:4326), optionally a kind."""

    name: str
    lon: float
    lat: float
    kind: str = ""


@dataclass
class Change:
    """People newly covered and no longer covered within the distance, of Canada or a
    province, and the share covered before and after."""

    code: str
    name: str
    population: float
    covered_before: float
    covered_after: float
    newly_covered: float
    no_longer_covered: float
    share_before: float | None = None
    share_after: float | None = None

    def __post_init__(self):
        self.share_before = share_of(self.covered_before, self.population)
        self.share_after = share_of(self.covered_after, self.population)


@dataclass
class WhatIfResult:
    coverage: dict
    national_change: Change | None
    province_changes: list
    underserved: dict
    sites: list
    closed: list
    areas_changed: int = 0
    places_changed: int = 0
    communities_no_longer_underserved: list = field(default_factory=list)
    communities_newly_underserved: list = field(default_factory=list)
    network_cached: bool = True
    timings: dict = field(default_factory=dict)

    def as_dict(self):
        return asdict(self)


def evaluate(points, params, scope, *, within_km=50, bands=BANDS, sites=(), closed=(),
             limit=DEFAULT_LIMIT):  # fmt: skip
    """The WhatIfResult of adding `sites` (Site) to the network of `points` (a queryset the
    map's filters selected among those the user may read) and closing `closed` (point ids)."""
    started = time.perf_counter()
    for attempt in (1, 2):
        row, built = network(points, params, scope)
        timings = {"network": _seconds(started)}
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                result = _delta(
                    cursor, row, within_km, bands, list(sites), list(closed), limit, timings
                )
            break
        except ProgrammingError:
            # Its tables were dropped by another request's pruning between the look-up and
            # the delta (or lost otherwise): forget the network and build it again, once.
            if attempt == 2:
                raise
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM analysis_whatif_network WHERE id = %s", [row["id"]])
                _drop(cursor, row["id"])
    result.network_cached = not built
    timings["total"] = _seconds(started)
    return result


def full_recompute(points, params, *, within_km=50, bands=BANDS, sites=(), closed=(),
                   limit=DEFAULT_LIMIT):  # fmt: skip
    """The same WhatIfResult the long way: a network of the remaining points and the sites
    built from nothing (every area's and place's nearest found again), dropped after."""
    started = time.perf_counter()
    sites, closed = list(sites), list(closed)
    remaining = counted(points, params).exclude(id__in=closed)
    sql, sql_params = remaining.values_list("id", "location").query.sql_with_params()
    union = f"SELECT q.id, q.location FROM ({sql}) q"  # noqa: S608
    if sites:
        union += (
            " UNION ALL SELECT -1 - s.n, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)"
            " FROM unnest(%s::int[], %s::float8[], %s::float8[]) AS s(n, lon, lat)"
        )
        sql_params = (*sql_params, list(range(len(sites))), [s.lon for s in sites],
                      [s.lat for s in sites])  # fmt: skip
    timings = {}
    with transaction.atomic(), connection.cursor() as cursor:
        versions = (DataVersion.current(), DataVersion.current("layers"))
        network_id = build(cursor, None, union, sql_params, versions, demand_level(),
                           index_level())  # fmt: skip
        cursor.execute("SELECT * FROM analysis_whatif_network WHERE id = %s", [network_id])
        row = dict(zip([c.name for c in cursor.description], cursor.fetchone(), strict=True))
        timings["network"] = _seconds(started)
        bands = _bands(bands, within_km)
        result = _coverage(row, within_km, bands, baseline_rows(cursor, network_id, bands))
        result.points = row["points"]
        underserved = _underserved(cursor, row, within_km, limit, sites, moved=False)
        cursor.execute("DELETE FROM analysis_whatif_network WHERE id = %s", [network_id])
        _drop(cursor, network_id)
    timings["total"] = _seconds(started)
    return WhatIfResult(
        coverage=result.as_dict(), national_change=None, province_changes=[],
        underserved=underserved, sites=[asdict(s) for s in sites], closed=closed,
        network_cached=False, timings=timings,
    )  # fmt: skip


def _bands(bands, within_km):
    return tuple(sorted({float(band) for band in bands} | {float(within_km)}))


def _coverage(row, within_km, bands, rows):
    result = CoverageResult(within_km, bands, METHOD, row["level"], row["year"], row["points"])
    result.areas_not_placed = row["areas_not_placed"]
    result.population_not_placed = row["population_not_placed"]
    return with_rows(result, rows)


def _delta(cursor, row, within_km, bands, sites, closed, limit, timings):
    started = time.perf_counter()
    network_id = row["id"]
    points, reach_table = tables(network_id)
    bands = _bands(bands, within_km)
    reach = max(bands) * 1000
    chord = 2 * np.sin(reach / (2 * RADIUS))
    cursor.execute("DROP TABLE IF EXISTS whatif_moved")
    cursor.execute(
        f"""CREATE TEMP TABLE whatif_moved ON COMMIT DROP AS
            WITH site AS MATERIALIZED (
                SELECT s.n, {unit_vector("ST_MakePoint(s.lon, s.lat)")} AS place
                FROM unnest(%(n)s::int[], %(lon)s::float8[], %(lat)s::float8[]) AS s(n, lon, lat)
            ), touched AS (
                -- Areas farther than the largest band stay beyond it when their point
                -- closes: no figure changes, so no search for them (places are listed with
                -- their distance: searched again).
                SELECT r.id FROM {reach_table} r WHERE r.nearest_id = ANY(%(closed)s::bigint[])
                  AND (r.unit = '{PLACE}' OR r.distance <= %(reach)s)
                UNION
                SELECT r.id FROM site s JOIN {reach_table} r
                  ON ST_3DDWithin(r.place, s.place, %(chord)s)
                UNION
                -- Places farther than the largest band: listed with their distance and
                -- nearest point when underserved, so those nearer to a site change too.
                SELECT r.id FROM {reach_table} r
                WHERE r.unit = '{PLACE}' AND (r.distance IS NULL OR r.distance > %(reach)s)
                  AND EXISTS (SELECT FROM site s WHERE r.distance IS NULL OR ST_3DDWithin(
                      r.place, s.place, 2 * sin(r.distance / (2 * {RADIUS!r}))))
            ), changed AS (
                SELECT r.id, r.unit, r.province, r.population, r.distance AS before,
                       r.nearest_id AS before_id,
                       CASE WHEN r.nearest_id = ANY(%(closed)s::bigint[]) THEN k.distance
                            ELSE r.distance END AS kept,
                       CASE WHEN r.nearest_id = ANY(%(closed)s::bigint[]) THEN k.point_id
                            ELSE r.nearest_id END AS kept_id,
                       s.distance AS site_distance, -1 - s.n AS site_id
                FROM touched t JOIN {reach_table} r ON r.id = t.id
                LEFT JOIN LATERAL (
                    SELECT p.point_id,
                           2 * {RADIUS!r} * asin(least(1, (p.place <<->> r.place) / 2)) AS distance
                    FROM {points} p
                    WHERE r.nearest_id = ANY(%(closed)s::bigint[])
                      AND p.point_id <> ALL(%(closed)s::bigint[])
                    ORDER BY p.place <<->> r.place LIMIT 1
                ) k ON true
                LEFT JOIN LATERAL (
                    SELECT s.n,
                           2 * {RADIUS!r} * asin(least(1, (s.place <<->> r.place) / 2)) AS distance
                    FROM site s ORDER BY s.place <<->> r.place LIMIT 1
                ) s ON true
            )
            SELECT id, unit, province, population, before,
                   CASE WHEN site_distance < kept OR kept IS NULL THEN site_distance
                        ELSE kept END AS after,
                   CASE WHEN site_distance < kept OR kept IS NULL THEN site_id
                        ELSE kept_id END AS after_id
            FROM changed""",  # noqa: S608
        {
            "n": list(range(len(sites))),
            "lon": [site.lon for site in sites],
            "lat": [site.lat for site in sites],
            "closed": [int(point) for point in closed],
            "chord": float(chord),
            "reach": reach,
        },
    )
    timings["delta_sql"] = _seconds(started)
    started = time.perf_counter()
    metres = within_km * 1000
    sums = ", ".join(
        f"coalesce(sum(population) FILTER (WHERE after <= {band * 1000!r}), 0)"
        f" - coalesce(sum(population) FILTER (WHERE before <= {band * 1000!r}), 0)"
        for band in bands
    )
    cursor.execute(
        f"""SELECT province, GROUPING(province) = 1,
                   coalesce(sum(population) FILTER (WHERE (before IS NULL OR before > %(w)s)
                                                    AND after <= %(w)s), 0),
                   coalesce(sum(population) FILTER (WHERE before <= %(w)s
                                                    AND (after IS NULL OR after > %(w)s)), 0),
                   count(*), {sums}
            FROM whatif_moved WHERE unit = '{AREA}' GROUP BY ROLLUP (province)""",  # noqa: S608
        {"w": metres},
    )
    deltas = {(r[0], r[1]): r for r in cursor.fetchall()}
    base = baseline_rows(cursor, network_id, bands)
    rows, changes = [], []
    for province, national, areas, population, missing, *sums in base:
        delta = deltas.get((province, national))
        moved = delta[5:] if delta else [0] * len(bands)
        after = [total + change for total, change in zip(sums, moved, strict=True)]
        rows.append((province, national, areas, population, missing, *after))
        position = bands.index(float(within_km))
        changes.append(
            Change(
                code="CA" if national else (province or ""),
                name="Canada" if national else province_name(province),
                population=population,
                covered_before=sums[position],
                covered_after=sums[position] + moved[position],
                newly_covered=delta[2] if delta else 0,
                no_longer_covered=delta[3] if delta else 0,
            )
        )
    result = _coverage(row, within_km, bands, rows)
    result.points = row["points"] + len(sites) - _closed_in_network(cursor, network_id, closed)
    cursor.execute(
        "SELECT count(*) FILTER (WHERE unit = %s), count(*) FILTER (WHERE unit = %s)"
        " FROM whatif_moved WHERE after IS DISTINCT FROM before",
        [AREA, PLACE],
    )
    areas_changed, places_changed = cursor.fetchone()
    underserved = _underserved(cursor, row, within_km, limit, sites, moved=True)
    gained, lost = _communities_changed(cursor, reach_table, metres)
    timings["figures_sql"] = _seconds(started)
    national = next((change for change in changes if change.code == "CA"), None)
    return WhatIfResult(
        coverage=result.as_dict(), national_change=national,
        province_changes=[change for change in changes if change.code != "CA"],
        underserved=underserved, sites=[asdict(site) for site in sites],
        closed=[int(point) for point in closed], areas_changed=areas_changed,
        places_changed=places_changed, communities_no_longer_underserved=gained,
        communities_newly_underserved=lost, timings=timings,
    )  # fmt: skip


def _closed_in_network(cursor, network_id, closed):
    if not closed:
        return 0
    cursor.execute(
        f"SELECT count(*) FROM {tables(network_id)[0]}"  # noqa: S608
        " WHERE point_id = ANY(%s::bigint[])",
        [[int(point) for point in closed]],
    )
    return cursor.fetchone()[0]


def _seconds(started):
    return round(time.perf_counter() - started, 4)
