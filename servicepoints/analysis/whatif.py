"""What if sites were added to the network, or points closed: the coverage as a delta.

The current network of a set of points (the map's filters, counted as coverage.py counts them:
in person, open unless a status is asked for, among the points the user may read) is cached in
UNLOGGED tables of its own, listed in `analysis_whatif_network` (migration analysis 0005): its
points' positions on the unit sphere (`whatif_points_ID`) and, for every demand area and
populated place, its nearest point and distance (`whatif_reach_ID`), each with an n-D GiST
index on the positions built after the rows (a compact tree: one K-nearest-neighbour search
costs tens of microseconds).
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

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field

import numpy as np
from django.core.cache import cache
from django.db import ProgrammingError, connection, transaction
from django.utils import timezone

from servicepoints.i18n import prefers_french
from servicepoints.layers.importing.fields import PROVINCE_BY_CODE
from servicepoints.layers.vulnerability.models import INDEX_CODE
from servicepoints.models import DataVersion, Status
from servicepoints.tiles.cache import _canonical

from .coverage import (
    BANDS,
    BY_PROVINCE,
    DEMAND,
    METHOD,
    NOT_IN_PERSON,
    POPULATION,
    RADIUS,
    CoverageResult,
    _label,
    demand_level,
    unit_vector,
    with_rows,
)
from .underserved import DEFAULT_LIMIT, Community, index_level

# Bump when the cache tables' contents change meaning: older networks then stop matching.
NETWORK_FORMAT = 1
# Networks kept in the cache tables (the most recently used).
KEEP_NETWORKS = 8
AREA, PLACE = "a", "p"


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
        self.share_before = _share(self.covered_before, self.population)
        self.share_after = _share(self.covered_after, self.population)


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


def counted(points, params):
    """`points` (a queryset the filters selected) as coverage counts them: in person, open
    unless a status is asked for."""
    points = points.exclude(kind__in=NOT_IN_PERSON)
    if not params.get("status"):
        points = points.filter(status=Status.OPEN)
    return points


def network_key(params, scope, versions, demand, index):
    query = _canonical(params)
    if query.get("open_now") is not None:
        query["minute"] = timezone.now().strftime("%Y%m%d%H%M")
    text = json.dumps(
        [NETWORK_FORMAT, scope, versions, demand, index, query], sort_keys=True, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def network(points, params, scope):
    """(network row as a dict, built now?) of the cached network of `points` (counted), built
    if missing. Its own transaction, so that other requests reuse it."""
    versions = (DataVersion.current(), DataVersion.current("layers"))
    demand, index = levels(versions[1])
    key = network_key(params, scope, versions, demand, index)
    with transaction.atomic(), connection.cursor() as cursor:
        row = _network_row(cursor, key)
        if row is not None:
            cursor.execute(
                "UPDATE analysis_whatif_network SET used_at = now() WHERE id = %s", [row["id"]]
            )
            return row, False
        # One builder per key: the others wait for it, then read its network.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
        row = _network_row(cursor, key)
        if row is not None:
            return row, False
        _prune(cursor, versions)
        query = counted(points, params).values_list("id", "location").query
        sql, sql_params = query.sql_with_params()
        build(cursor, key, sql, sql_params, versions, demand, index)
        return _network_row(cursor, key), True


def levels(layers_version):
    """(demand level, index level) as `demand_level()` and `index_level()` find them, cached
    per "layers" data version (each is a scan of the indicator values)."""
    key = f"whatif-levels:{NETWORK_FORMAT}:{layers_version}"
    found = cache.get(key)
    if found is None:
        found = (demand_level(), index_level())
        cache.set(key, found, timeout=24 * 3600)
    return found


def _network_row(cursor, key):
    cursor.execute("SELECT * FROM analysis_whatif_network WHERE key = %s", [key])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([column.name for column in cursor.description], row, strict=True))


def _prune(cursor, versions):
    """Drop the networks of older data versions, and all but the most recently used."""
    cursor.execute(
        """DELETE FROM analysis_whatif_network
           WHERE points_version < %s OR layers_version < %s OR id NOT IN (
               SELECT id FROM analysis_whatif_network ORDER BY used_at DESC LIMIT %s)
           RETURNING id""",
        [*versions, KEEP_NETWORKS - 1],
    )
    for (network_id,) in cursor.fetchall():
        _drop(cursor, network_id)


def tables(network_id):
    """The names of a network's tables: its points, and its areas' and places' nearest."""
    return f"whatif_points_{int(network_id)}", f"whatif_reach_{int(network_id)}"


def _drop(cursor, network_id):
    cursor.execute("DROP TABLE IF EXISTS {}, {}".format(*tables(network_id)))


def build(cursor, key, points_sql, points_params, versions, demand, index):
    """A network (`key`, or None: not for reuse) of the points `points_sql` selects (id,
    location), with every demand area's and populated place's nearest point; its id. The
    tables are filled first and indexed after (compact trees, as coverage.py's)."""
    level_id, level_code, area_year, value_year = demand or (None,) * 4
    index_id, index_code, index_area_year, index_year = index or (None,) * 4
    cursor.execute(
        """INSERT INTO analysis_whatif_network (key, points_version, layers_version, level,
               year, index_level, index_year)
           VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id""",
        [key, *versions, level_code, area_year, index_code, index_year],
    )
    network_id = cursor.fetchone()[0]
    points, reach = tables(network_id)
    cursor.execute(
        f"CREATE UNLOGGED TABLE {points} AS"  # noqa: S608
        f" SELECT q.id::bigint AS point_id, {unit_vector('q.location')} AS place"
        f" FROM ({points_sql}) q",
        points_params,
    )
    count = cursor.rowcount
    cursor.execute(f"CREATE INDEX ON {points} USING gist (place gist_geometry_ops_nd)")
    cursor.execute(f"ANALYZE {points}")
    nearest = f"""LEFT JOIN LATERAL (
            SELECT p.point_id, 2 * {RADIUS!r} * asin(least(1, (p.place <<->> d.v) / 2)) AS distance
            FROM {points} p ORDER BY p.place <<->> d.v LIMIT 1) n ON true"""  # noqa: S608
    not_placed = (0, 0)
    areas = "SELECT NULL::bigint AS id, NULL::text AS province, NULL::float8 AS population,"
    areas += " NULL::geometry AS v WHERE false"
    demand_params = []
    if demand:
        demand_params = [value_year, POPULATION, level_id, area_year]
        cursor.execute(
            f"""SELECT count(*), coalesce(sum(v.value), 0) FROM ({DEMAND}) d
                JOIN layers_indicatorvalue v ON v.id = d.value_id
                WHERE NOT d.placed AND v.value IS NOT NULL""",  # noqa: S608
            demand_params,
        )
        not_placed = cursor.fetchone()
        areas = f"""SELECT d.id, d.province, d.population, {unit_vector("d.place")} AS v
                    FROM ({DEMAND}) d WHERE d.placed"""  # noqa: S608
    cursor.execute(
        f"""CREATE UNLOGGED TABLE {reach} AS
            WITH ranked AS (
                SELECT v.area_id, v.value, cume_dist() OVER (ORDER BY v.value) AS rank
                FROM layers_indicatorvalue v
                JOIN layers_area a ON a.id = v.area_id
                WHERE v.indicator_id = (SELECT id FROM layers_indicator WHERE code = %s)
                  AND v.year = %s AND v.value IS NOT NULL AND a.level_id = %s AND a.year = %s
            )
            SELECT 2 * d.id AS id, '{AREA}'::char(1) AS unit, d.id AS unit_id, d.province,
                   d.population::float8 AS population, d.v AS place, n.point_id AS nearest_id,
                   n.distance, NULL::text AS name, NULL::text AS name_fr,
                   NULL::float8 AS lon, NULL::float8 AS lat, NULL::text AS area_code,
                   NULL::text AS area_name, NULL::text AS area_name_fr,
                   NULL::float8 AS vulnerability, NULL::float8 AS vulnerability_rank,
                   NULL::float8 AS score
            FROM ({areas}) d
            {nearest}
            UNION ALL
            SELECT 2 * d.id + 1, '{PLACE}', d.id, d.province, d.population, d.v, n.point_id,
                   n.distance, d.name, d.name_fr, d.lon, d.lat, ar.code, ar.name_en,
                   ar.name_fr, r.value, r.rank, d.population * r.rank
            FROM (SELECT p.id, j.code AS province, p.population, p.name,
                         nullif(p.name_fr, '') AS name_fr, p.location,
                         ST_X(p.location) AS lon, ST_Y(p.location) AS lat,
                         {unit_vector("p.location")} AS v
                  FROM servicepoints_populatedplace p
                  JOIN servicepoints_jurisdiction j ON j.id = p.province_id
                  WHERE NOT p.is_section) d
            {nearest}
            LEFT JOIN LATERAL (
                SELECT a.id, a.code, a.name_en, nullif(a.name_fr, '') AS name_fr
                FROM layers_area a
                WHERE a.level_id = %s AND a.year = %s AND ST_Intersects(a.geometry, d.location)
                ORDER BY a.code LIMIT 1
            ) ar ON true
            LEFT JOIN ranked r ON r.area_id = ar.id""",  # noqa: S608
        [INDEX_CODE, index_year, index_id, index_area_year, *demand_params]
        + [index_id, index_area_year],
    )
    cursor.execute(f"ALTER TABLE {reach} ADD PRIMARY KEY (id)")
    cursor.execute(f"CREATE INDEX ON {reach} USING gist (place gist_geometry_ops_nd)")
    cursor.execute(f"CREATE INDEX ON {reach} (nearest_id)")
    cursor.execute(f"CREATE INDEX ON {reach} (unit, distance)")
    cursor.execute(f"ANALYZE {reach}")
    cursor.execute(
        """UPDATE analysis_whatif_network SET points = %s, areas_not_placed = %s,
               population_not_placed = %s WHERE id = %s""",
        [count, *not_placed, network_id],
    )
    return network_id


def baseline_rows(cursor, network_id, bands):
    """BY_PROVINCE's rows of the cached network (cached themselves: a network never changes)."""
    key = f"whatif-baseline:{network_id}:{','.join(map(_label, bands))}"
    rows = cache.get(key)
    if rows is None:
        sums = ", ".join(
            f"coalesce(sum(population) FILTER (WHERE distance <= {band * 1000!r}), 0)"
            for band in bands
        )
        relation = (
            f"(SELECT province, population, distance FROM {tables(network_id)[1]}"  # noqa: S608
            f" WHERE unit = '{AREA}') r"
        )
        cursor.execute(BY_PROVINCE.format(sums=sums, relation=relation))
        rows = cursor.fetchall()
        cache.set(key, rows, timeout=3600)
    return rows


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
                name="Canada" if national else _province_name(province),
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


def _names(french):
    place = "coalesce(r.name_fr, r.name)" if french else "r.name"
    area = "coalesce(r.area_name_fr, r.area_name)" if french else "r.area_name"
    point = "coalesce(nullif(s.name_fr, ''), s.name_en)" if french else "s.name_en"
    return place, area, point


def _underserved(cursor, row, within_km, limit, sites, *, moved):
    """The underserved communities (underserved.py's ranking) of the network, with the
    distances of `whatif_moved` if `moved`."""
    place, area, point = _names(prefers_french())
    if moved:
        join = "LEFT JOIN whatif_moved m ON m.id = r.id"
        distance = "CASE WHEN m.id IS NULL THEN r.distance ELSE m.after END"
        nearest = "CASE WHEN m.id IS NULL THEN r.nearest_id ELSE m.after_id END"
    else:
        distance, nearest, join = "r.distance", "r.nearest_id", ""
    cursor.execute(
        f"""WITH far AS (
                SELECT {place} AS name, r.province, r.population, r.lon, r.lat,
                       {distance} / 1000 AS distance_km, {nearest} AS nearest_id,
                       r.area_code, {area} AS area_name, r.vulnerability,
                       r.vulnerability_rank, r.score
                FROM {tables(row["id"])[1]} r {join}
                WHERE r.unit = '{PLACE}' AND ({distance} IS NULL OR {distance} > %s)
            ), listed AS (
                SELECT *, count(*) OVER () AS total, count(score) OVER () AS scored,
                       count(*) FILTER (WHERE vulnerability IS NULL) OVER () AS without_index,
                       count(*) FILTER (WHERE population IS NULL) OVER () AS without_population
                FROM far
                ORDER BY score DESC NULLS LAST, population DESC NULLS LAST,
                         distance_km DESC NULLS FIRST, name
                LIMIT %s
            )
            SELECT l.name, l.province, l.population, l.lon, l.lat, l.distance_km,
                   l.nearest_id, {point}, l.area_code, l.area_name, l.vulnerability,
                   l.vulnerability_rank, l.score, l.total, l.scored, l.without_index,
                   l.without_population
            FROM listed l LEFT JOIN servicepoints_servicepoint s ON s.id = l.nearest_id
            ORDER BY l.score DESC NULLS LAST, l.population DESC NULLS LAST,
                     l.distance_km DESC NULLS FIRST, l.name""",  # noqa: S608
        [within_km * 1000, limit],
    )
    rows = cursor.fetchall()
    communities = []
    for position, r in enumerate(rows, start=1):
        name, province, population, lon, lat, km, nearest_id, nearest, code, area_name = r[:10]
        dvi, rank, score = r[10:13]
        if nearest_id is not None and nearest_id < 0 and -1 - nearest_id < len(sites):
            nearest = sites[-1 - nearest_id].name
        communities.append(
            asdict(
                Community(
                    rank=position if score is not None else None, name=name,
                    province=province, population=population, lon=round(lon, 5),
                    lat=round(lat, 5), distance_km=round(km, 1) if km is not None else None,
                    nearest_point=nearest or "", area_code=code or "",
                    area_name=area_name or "",
                    vulnerability=round(dvi, 3) if dvi is not None else None,
                    vulnerability_rank=round(rank, 4) if rank is not None else None,
                    score=round(score, 1) if score is not None else None,
                )
            )
        )  # fmt: skip
    totals = rows[0][13:17] if rows else (0, 0, 0, 0)
    return {
        "within_km": within_km,
        "method": METHOD,
        "index_level": row["index_level"],
        "index_year": row["index_year"],
        "total": totals[0],
        "scored": totals[1],
        "without_index": totals[2],
        "without_population": totals[3],
        "communities": communities,
    }


def _communities_changed(cursor, reach_table, metres, limit=20):
    """([names no longer underserved], [names newly underserved]), most populous first."""
    place = "coalesce(r.name_fr, r.name)" if prefers_french() else "r.name"
    lists = []
    for condition in (
        "(m.before IS NULL OR m.before > %s) AND m.after <= %s",
        "m.before <= %s AND (m.after IS NULL OR m.after > %s)",
    ):
        cursor.execute(
            f"""SELECT {place} FROM whatif_moved m JOIN {reach_table} r ON r.id = m.id
                WHERE m.unit = '{PLACE}' AND {condition}
                ORDER BY r.population DESC NULLS LAST, r.name LIMIT %s""",  # noqa: S608
            [metres, metres, limit],
        )
        lists.append([name for (name,) in cursor.fetchall()])
    return lists


def _province_name(code):
    known = PROVINCE_BY_CODE.get(code)
    return (known[2] if prefers_french() else known[1]) if known else ""


def _share(covered, population):
    return round(100.0 * covered / population, 2) if population else None


def _seconds(started):
    return round(time.perf_counter() - started, 4)
