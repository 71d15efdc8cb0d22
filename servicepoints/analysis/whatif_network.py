"""The cached current network of a set of points (whatif.py): building it, and reading its
figures and underserved communities.

A network is a row of `analysis_whatif_network` (migration analysis 0005) and two UNLOGGED
tables of its own, created with their indexes after their rows (compact GiST trees):
`whatif_points_ID` (the points' positions on the unit sphere) and `whatif_reach_ID` (every
demand area's and populated place's nearest point and distance; the places with what the
underserved list shows and ranks them by). Its key covers the filters, the user's scope, the
demand and index levels and the "servicepoints" and "layers" data versions; older and least
recently used networks are dropped.
"""

import hashlib
import json
from dataclasses import asdict

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from servicepoints.i18n import prefers_french
from servicepoints.layers.vulnerability.models import INDEX_CODE
from servicepoints.models import DataVersion, Status
from servicepoints.tiles.cache import _canonical

from .coverage import (
    BY_PROVINCE,
    DEMAND,
    METHOD,
    NOT_IN_PERSON,
    POPULATION,
    RADIUS,
    _label,
    demand_level,
    unit_vector,
)
from .underserved import Community, index_level

# Bump when the cache tables' contents change meaning: older networks then stop matching.
NETWORK_FORMAT = 1
# Networks kept in the cache tables (the most recently used).
KEEP_NETWORKS = 8
AREA, PLACE = "a", "p"


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
