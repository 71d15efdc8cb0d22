"""Coverage by road: a road network loaded from a line file, distances along it by pgRouting.

`import_roads(path)` reads a GeoJSON, GeoPackage or zipped Shapefile of roads (any CRS, the
point import's readers) and replaces the network whole, in one transaction:

- each line (multi-lines are split) becomes a `RoadSegment`, its cost its length on the sphere
  in metres, usable both ways (one-way streets are not modelled: a coverage standard asks how
  far, not how long by car);
- segments meet at a `RoadNode` where their ends coincide (to 1e-6°, about 10 cm): roads that
  cross without a shared vertex (a bridge over a highway) do not connect, as on the ground.

A refused file (unreadable, without lines, lines without a length) changes nothing, and the
same file again changes nothing (its SHA-256 is kept in `RoadNetwork`).

`road_coverage(params, …)` answers as `coverage.coverage` does, by road: each selected point
joins the network at its nearest junction (the straight line to it added to its distance),
`pgr_drivingDistance` from all of them at once (`equicost`: every junction reached gets its
nearest point's distance, up to the largest band), and each demand area's place joins at its
nearest junction in the same way. A place whose junction is not reached within the largest
band is beyond every band. Nearest junctions are found with the GiST index of the junctions
(the eight nearest by planar distance, then the exact one on the sphere among them).
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext_noop

from servicepoints.imports.issues import ImportFileError, error
from servicepoints.imports.readers import read_table

from .coverage import (
    BY_PROVINCE,
    DEMAND,
    POPULATION,
    CoverageResult,
    demand_level,
    selected_points,
    with_rows,
)
from .models import RoadNetwork, RoadNode, RoadSegment

METHOD = "road distance (pgRouting)"
SNAP_GRID = 1e-6
CANDIDATES = 8


class RoadsUnavailable(Exception):
    """Coverage by road cannot be computed: no pgRouting, or no network loaded."""


@dataclass
class RoadImportResult:
    file: str
    features: int = 0
    segments: int = 0
    nodes: int = 0
    length_km: float = 0
    unchanged: bool = False
    issues: list = field(default_factory=list)

    @property
    def refused(self):
        return any(issue.is_error for issue in self.issues)


def _file_error(code, message, name, **params):
    return error(code, message, file=name, params={"file": name, **params})


def fingerprint(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_roads(path, *, name=None):
    """Replace the road network with the lines of the file at `path`; a RoadImportResult
    (nothing changed when it is `refused` or `unchanged`)."""
    path = Path(path)
    name = name or path.name
    result = RoadImportResult(file=name)
    if not pgrouting_installed():
        result.issues.append(_file_error("no_pgrouting", NO_PGROUTING, name))
        return result
    try:
        table = read_table(path, name=name)
        digest = fingerprint(path)
    except ImportFileError as exc:
        result.issues.append(exc.issue)
        return result
    result.features = len(table.rows)
    result.issues.extend(table.issues)
    if table.geometries is None:
        result.issues.append(_file_error("no_geometry_column", NO_LINES, name))
        return result
    lines = []
    for line, geometry in zip(table.line_numbers, table.geometries, strict=True):
        if geometry is None:
            continue
        if geometry.geom_type not in ("LineString", "MultiLineString"):
            result.issues.append(
                error(
                    "not_a_line",
                    gettext_noop(
                        "%(file)s, feature %(row)s: a %(type)s, where a road network holds "
                        "lines only."
                    ),
                    file=name,
                    row=line,
                    column="geometry",
                    params={"file": name, "row": line, "type": geometry.geom_type},
                )
            )
            continue
        lines.append(geometry.hexewkb.decode())
    if not lines and not result.refused:
        result.issues.append(_file_error("no_lines", NO_LINES, name))
    if result.refused:
        return result
    current = RoadNetwork.objects.first()
    if current and current.fingerprint == digest:
        result.unchanged = True
        result.segments, result.nodes = current.segments, current.nodes
        result.length_km = current.length_km
        return result
    with transaction.atomic(), connection.cursor() as cursor:
        _load(cursor, lines)
        result.segments = RoadSegment.objects.count()
        result.nodes = RoadNode.objects.count()
        cursor.execute("SELECT coalesce(sum(length_m), 0) / 1000 FROM analysis_roadsegment")
        result.length_km = round(cursor.fetchone()[0], 3)
        if result.segments == 0:
            result.issues.append(_file_error("no_lines", NO_LINES, name))
            transaction.set_rollback(True)
            return result
        RoadNetwork.objects.all().delete()
        RoadNetwork.objects.create(
            name=name, fingerprint=digest, segments=result.segments, nodes=result.nodes,
            length_km=result.length_km,
        )  # fmt: skip
    return result


def _load(cursor, lines):
    """The lines (hex EWKB) as the network: segments, then junctions at their snapped ends."""
    cursor.execute("TRUNCATE analysis_roadsegment, analysis_roadnode")
    cursor.execute("CREATE TEMP TABLE road_lines (g text) ON COMMIT DROP")
    with cursor.copy("COPY road_lines (g) FROM STDIN") as copy:
        for line in lines:
            copy.write_row((line,))
    cursor.execute(
        f"""WITH parts AS (
                SELECT (ST_Dump(ST_Force2D(g::geometry))).geom AS geometry FROM road_lines
            ), ends AS (
                SELECT geometry, ST_SnapToGrid(ST_StartPoint(geometry), {SNAP_GRID}) AS a,
                       ST_SnapToGrid(ST_EndPoint(geometry), {SNAP_GRID}) AS b
                FROM parts WHERE ST_Length(geometry::geography, false) > 0
            ), nodes AS (
                SELECT row_number() OVER (ORDER BY ST_X(p), ST_Y(p)) AS id, p
                FROM (SELECT a AS p FROM ends UNION SELECT b FROM ends) u
            ), inserted AS (
                INSERT INTO analysis_roadnode (id, geometry) SELECT id, p FROM nodes
            )
            INSERT INTO analysis_roadsegment (source, target, length_m, geometry)
            SELECT s.id, t.id, ST_Length(e.geometry::geography, false), e.geometry
            FROM ends e JOIN nodes s ON s.p ~= e.a JOIN nodes t ON t.p ~= e.b"""  # noqa: S608
    )
    cursor.execute("ANALYZE analysis_roadsegment")
    cursor.execute("ANALYZE analysis_roadnode")


def pgrouting_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'pgrouting')")
        return cursor.fetchone()[0]


def _nearest_node(place):
    """SQL of a LATERAL subquery: the junction nearest to `place` on the sphere, `node` and
    `metres` (the straight line to it), among the CANDIDATES nearest by planar distance."""
    return f"""
        SELECT c.id AS node, ST_Distance(c.geometry::geography, ({place})::geography, false)
               AS metres
        FROM (SELECT id, geometry FROM analysis_roadnode
              ORDER BY geometry <-> ({place}) LIMIT {CANDIDATES}) c
        ORDER BY 2, 1 LIMIT 1"""  # noqa: S608


def road_coverage(params, *, within_km=50, bands=(10, 25, 50, 100), level=None, year=None):
    """`coverage.coverage`'s CoverageResult, distances along the road network."""
    bands = tuple(sorted({float(band) for band in bands} | {float(within_km)}))
    if not pgrouting_installed():
        raise RoadsUnavailable(NO_PGROUTING)
    if not RoadSegment.objects.exists():
        raise RoadsUnavailable(NO_NETWORK)
    found = demand_level(level, year)
    points = selected_points(params)
    if found is None:
        return CoverageResult(within_km, bands, METHOD, level, year, points.count())
    level_id, level_code, area_year, value_year = found
    demand = [value_year, POPULATION, level_id, area_year]
    sql, sql_params = points.order_by().values_list("id", "location").query.sql_with_params()
    reach_m = max(bands) * 1000
    with transaction.atomic(), connection.cursor() as cursor:
        # Each point joins the network by a road of its own: a vertex after the junctions'.
        cursor.execute("SELECT coalesce(max(id), 0) FROM analysis_roadnode")
        offset = cursor.fetchone()[0]
        cursor.execute(
            f"""CREATE TEMP TABLE road_starts ON COMMIT DROP AS
                SELECT {offset} + row_number() OVER (ORDER BY q.id) AS vertex, n.node, n.metres
                FROM ({sql}) q CROSS JOIN LATERAL ({_nearest_node("q.location")}) n
                WHERE n.metres <= %s""",  # noqa: S608
            [*sql_params, reach_m],
        )
        point_count = points.count()
        cursor.execute(
            """CREATE TEMP TABLE road_reached ON COMMIT DROP AS
               SELECT node, min(agg_cost) AS metres FROM pgr_drivingDistance(
                   'SELECT id, source, target, length_m AS cost, length_m AS reverse_cost
                    FROM analysis_roadsegment
                    UNION ALL
                    SELECT -vertex, vertex, node, metres, metres FROM road_starts',
                   (SELECT coalesce(array_agg(vertex), ARRAY[]::bigint[]) FROM road_starts),
                   %s, directed => false, equicost => true)
               GROUP BY node""",
            [reach_m],
        )
        cursor.execute("CREATE INDEX ON road_reached (node)")
        sums = ", ".join(
            f"coalesce(sum(population) FILTER (WHERE distance <= {band * 1000!r}), 0)"
            for band in bands
        )
        nearest = f"""(SELECT d.province, d.population, r.metres + n.metres AS distance
            FROM ({DEMAND}) d
            CROSS JOIN LATERAL ({_nearest_node("d.place")}) n
            LEFT JOIN road_reached r ON r.node = n.node
            WHERE d.placed) nearest"""  # noqa: S608
        cursor.execute(BY_PROVINCE.format(sums=sums, relation=nearest), demand)
        rows = cursor.fetchall()
    result = CoverageResult(within_km, bands, METHOD, level_code, area_year, point_count)
    return with_rows(result, rows)


NO_PGROUTING = gettext_noop(
    "pgRouting is not installed on this database server: install the PostgreSQL package "
    "postgresql-NN-pgrouting (make setup does on a local cluster) and run migrate again."
)
NO_NETWORK = gettext_noop(
    "No road network is loaded: import one with manage.py import_roads FILE (see README, "
    "Coverage by road)."
)
NO_LINES = gettext_noop(
    "%(file)s has no road lines: a road network is a GeoJSON, GeoPackage or zipped Shapefile "
    "of lines."
)
