"""Display geometry per zoom band (AreaShape, EPSG:3857), generalised so that neighbours
still touch.

PostGIS 3.3 has no ST_CoverageSimplify, and simplifying each polygon on its own
(ST_SimplifyPreserveTopology per area) moves a shared boundary differently on its two sides,
which opens gaps and overlaps between neighbours. So the shared boundaries are simplified once:

1. the boundaries of every area of the level and year, in EPSG:3857, are unioned (which nodes
   them and keeps each shared stretch once) and merged into edges running from one junction
   to the next (ST_LineMerge);
2. per band, each edge is simplified on its own (ST_SimplifyPreserveTopology, which keeps its
   end points: the junctions do not move), so both neighbours get the same line;
3. the simplified edges are unioned again (noding them where simplification made two cross)
   and polygonised (ST_Polygonize) and each face is given to the area
   containing a point of its surface (GiST index), the faces of an area unioned into its shape
   (snap-rounded to a half-metre grid, the same for both sides of a shared edge).

An area whose faces all collapsed at a band (smaller than a pixel) gets its own simplified
polygon instead. Tolerance: one pixel of a 256-pixel tile at the band's lowest zoom. The
topology extension (postgis_topology) would do the same with more bookkeeping: building a
topology is row by row, and was not needed.

Measured on the real files (`manage.py shell`, `build(level, year)`): FSAs 2016 (1,620 areas,
bands 6/7/10) 12.6 s; CSDs 2021 (2,148, same bands) 8.3 s; provinces (13, four bands) 0.7 s.
Alberta's 423 CSDs at band 6 (2.4 km tolerance): shapes overlap on 354 km² of Web Mercator
area (sum of areas minus area of their union, 0.017 %), against 3,520 km² (0.17 %) when each
polygon is simplified on its own with the same tolerance.
"""

from django.db import DatabaseError, connection, transaction

# Zooms at which a new band starts; a level drawn from zoom Z gets the bands covering Z and on.
BANDS = (0, 4, 7, 10)
EARTH = 40075016.686  # the Web Mercator world's width in metres
# Faces of an area are unioned with snap-rounding to this grid (metres): robust where faces
# from crossing simplified edges are slightly invalid, and far below a pixel at every band.
GRID = 0.5


def tolerance(zoom):
    """One pixel of a 256-pixel tile at `zoom`, in metres of EPSG:3857."""
    return EARTH / (256 * 2**zoom)


def bands_for(min_zoom):
    """The bands a level drawn from `min_zoom` needs: [max(band, min_zoom), …]."""
    starts = [band for band in BANDS if band > min_zoom]
    first = max([band for band in BANDS if band <= min_zoom], default=0)
    return sorted({max(first, min_zoom), *starts})


def build(level, year):
    """Replace the AreaShapes of every area of `level` (an AreaLevel) and `year`.

    Returns True when the shared-edge generalisation worked, False when GEOS could not node
    the boundaries and each area was simplified on its own instead."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM layers_areashape USING layers_area a WHERE a.id = area_id "
            "AND a.level_id = %s AND a.year = %s",
            [level.pk, year],
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE shape_source ON COMMIT DROP AS SELECT id, "
            "ST_Transform(geometry, 3857) AS geom FROM layers_area "
            "WHERE level_id = %s AND year = %s AND geometry IS NOT NULL",
            [level.pk, year],
        )
        cursor.execute("CREATE INDEX ON shape_source USING gist (geom)")
        cursor.execute("ANALYZE shape_source")
        shared = True
        try:
            with transaction.atomic():
                cursor.execute(
                    "CREATE TEMPORARY TABLE shape_edges ON COMMIT DROP AS SELECT "
                    "(ST_Dump(ST_LineMerge(ST_Union(ST_Boundary(geom))))).geom FROM shape_source"
                )
                for band in bands_for(level.min_zoom):
                    build_band(cursor, band, tolerance(band))
                cursor.execute("DROP TABLE shape_edges")
        except DatabaseError:
            # GEOS could not node these boundaries (overlapping or badly broken input): each
            # polygon simplified on its own, which may leave slivers between neighbours.
            shared = False
            for band in bands_for(level.min_zoom):
                insert_own_shapes(cursor, band, tolerance(band))
        cursor.execute("DROP TABLE shape_source")
        # Fresh statistics for the tile queries: right after a load the planner otherwise
        # plans area tiles on the counts of before it until autovacuum gets there (tiles of
        # 57,000 new areas took 10 ms instead of 1 at z14 in benchmarks/area_tiles.py).
        cursor.execute("ANALYZE layers_area")
        cursor.execute("ANALYZE layers_areashape")
    return shared


def build_band(cursor, band, tol):
    cursor.execute(
        "CREATE TEMPORARY TABLE shape_faces ON COMMIT DROP AS "
        "SELECT face, ST_PointOnSurface(face) AS inside FROM ("
        "SELECT (ST_Dump(ST_Polygonize(noded))).geom AS face FROM (SELECT "
        "ST_Union(ST_SimplifyPreserveTopology(geom, %s)) AS noded FROM shape_edges) e) f "
        "WHERE ST_Area(face) > 0",
        [tol],
    )
    cursor.execute("CREATE INDEX ON shape_faces USING gist (inside)")
    cursor.execute("ANALYZE shape_faces")
    cursor.execute(
        "INSERT INTO layers_areashape (area_id, min_zoom, geometry) "
        "SELECT s.id, %s, ST_Multi(ST_CollectionExtract(ST_Union(ST_MakeValid(f.face), %s), 3)) "
        "FROM shape_source s "
        "JOIN shape_faces f ON f.inside && s.geom AND ST_Intersects(s.geom, f.inside) "
        "GROUP BY s.id",
        [band, GRID],
    )
    # Areas no face went to (collapsed at this band): their own simplified polygon.
    insert_own_shapes(cursor, band, tol)
    cursor.execute("DROP TABLE shape_faces")


def insert_own_shapes(cursor, band, tol):
    """Each area of shape_source without a shape at `band`: its own simplified polygon."""
    cursor.execute(
        "INSERT INTO layers_areashape (area_id, min_zoom, geometry) "
        "SELECT s.id, %s, ST_Multi(ST_CollectionExtract(ST_MakeValid("
        "ST_SimplifyPreserveTopology(s.geom, %s)), 3)) FROM shape_source s "
        "WHERE NOT EXISTS (SELECT 1 FROM layers_areashape x WHERE x.area_id = s.id "
        "AND x.min_zoom = %s)",
        [band, tol, band],
    )
