"""Who is within reach of a point of service: population by distance to the nearest point.

`coverage(params, within_km=50)` takes the analyst map's filters (validated by
`servicepoints.filters.PointFilter`) and answers, nationally and by province and territory:
how many people live within `within_km` of one of the selected points, within each of the
distance bands, and what share that is. All of it is SQL:

1. the selected points (the map's filters; in-person kinds only — call and processing centres
   serve no one at a counter; open ones unless a status is asked for) are copied into a
   temporary table as geography with its own GiST index, so that the nearest-point search
   is an index scan whatever the filters;
2. demand is the finest level of census areas that has population values and boundaries
   (forward sortation areas 2016 in the shared data); each area's population sits at a point
   on its surface (`ST_PointOnSurface`: inside the area, unlike a centroid);
3. each area's nearest selected point comes from a K-nearest-neighbour LATERAL query
   (`ORDER BY place <<->> point LIMIT 1` on an n-D GiST index) over the points' positions on
   the unit sphere (x, y, z): the straight chord between two places grows with the arc
   between them, so the nearest by chord is the nearest on the sphere, and the arc
   (2 R asin(chord / 2), R the sphere's radius PostGIS uses) is the **straight-line distance
   on the sphere**, exactly `ST_Distance(geography, geography, false)` — 30 % faster than
   geography's own nearest-neighbour search. Not by road: a road distance is longer, so
   these shares are an upper bound of a standard measured by road;
4. one GROUP BY ROLLUP sums population by province and band.

Areas without a population value (suppressed, not available, or never imported) are counted
and reported, never counted as 0 people; areas with a population but no boundary (a table
row whose boundary file is not loaded) are reported as population not placed.
"""

from dataclasses import asdict, dataclass, field

from django.db import connection, transaction

from servicepoints.i18n import prefers_french
from servicepoints.layers.importing.fields import PROVINCE_BY_CODE
from servicepoints.models import Kind, ServicePoint, Status

BANDS = (10, 25, 50, 100)
NOT_IN_PERSON = (Kind.CALL_CENTRE, Kind.PROCESSING_CENTRE)
POPULATION = "population"
METHOD = "straight-line distance on the sphere"
# PostGIS's sphere for geography without spheroid (the WGS 84 mean radius), in metres.
RADIUS = 6371008.7714150598


def unit_vector(point):
    """SQL of a lon/lat geometry's position on the unit sphere, as a 3-D point."""
    return (
        f"ST_MakePoint(cos(radians(ST_Y({point}))) * cos(radians(ST_X({point}))), "
        f"cos(radians(ST_Y({point}))) * sin(radians(ST_X({point}))), sin(radians(ST_Y({point}))))"
    )


@dataclass
class Reach:
    """The population of one place (Canada, or a province) by distance to the nearest point."""

    code: str
    name: str
    areas: int
    population: float
    covered: float
    share: float | None
    bands: dict
    areas_without_population: int


@dataclass
class CoverageResult:
    within_km: float
    bands: tuple
    method: str
    level: str | None
    year: int | None
    points: int
    national: Reach | None = None
    provinces: list = field(default_factory=list)
    population_not_placed: float = 0
    areas_not_placed: int = 0

    def as_dict(self):
        data = asdict(self)
        data["bands"] = list(self.bands)
        return data


def selected_points(params, points=None):
    """The points the map's filters select, as counted for coverage: in person, open unless a
    status is asked for. `points`: the selection already made (`visible_to(user).filter_by`)."""
    if points is None:
        points = ServicePoint.objects.filter_by(params)
    points = points.exclude(kind__in=NOT_IN_PERSON)
    if not params.get("status"):
        points = points.filter(status=Status.OPEN)
    return points


def demand_level(level=None, year=None):
    """(level id, level code, census year, population value year) of the demand areas: the
    finest level (or `level`) whose areas have boundaries and population values; None if none."""
    return finest_level(POPULATION, level, year)


def finest_level(indicator, level=None, year=None, *, value_year=None):
    """(level id, level code, census year, value year) of the finest level (or `level`), then
    latest census year (or `year`) and value year (or `value_year`), whose areas have
    boundaries and values of `indicator` (a code); None if none."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT l.id, l.code, a.year, v.year
               FROM layers_indicatorvalue v
               JOIN layers_indicator i ON i.id = v.indicator_id AND i.code = %s
               JOIN layers_area a ON a.id = v.area_id AND a.geometry IS NOT NULL
               JOIN layers_arealevel l ON l.id = a.level_id
               WHERE (%s::text IS NULL OR l.code = %s) AND (%s::int IS NULL OR a.year = %s)
                 AND (%s::int IS NULL OR v.year = %s)
               GROUP BY l.id, l.code, l.rank, a.year, v.year
               ORDER BY l.rank DESC, a.year DESC, v.year DESC LIMIT 1""",
            [indicator, level, level, year, year, value_year, value_year],
        )
        return cursor.fetchone()


def coverage(params, *, within_km=50, bands=BANDS, level=None, year=None, points=None):
    """The CoverageResult of the points selected by `params` (PointFilter's cleaned data);
    `points`, if given, is that selection among the points a user may read. With no band but
    `within_km` (`bands=()`), only "is there a point within the distance" is asked of each
    area (`_within_rows`); otherwise each area's nearest point is found (`_band_rows`)."""
    bands = tuple(sorted({float(band) for band in bands} | {float(within_km)}))
    found = demand_level(level, year)
    points = selected_points(params, points)
    if found is None:
        return CoverageResult(within_km, bands, METHOD, level, year, points.count())
    level_id, level_code, area_year, value_year = found
    demand = [value_year, POPULATION, level_id, area_year]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*), coalesce(sum(v.value), 0) FROM ({DEMAND}) d
                JOIN layers_indicatorvalue v ON v.id = d.value_id
                WHERE NOT d.placed AND v.value IS NOT NULL""",  # noqa: S608
            demand,
        )
        not_placed = cursor.fetchone()
        if len(bands) == 1:
            point_count, rows = points.count(), _within_rows(cursor, points, demand, within_km)
        else:
            point_count = _points_table(cursor, points)
            rows = _band_rows(cursor, demand, bands)
    result = CoverageResult(within_km, bands, METHOD, level_code, area_year, point_count)
    result.areas_not_placed, result.population_not_placed = not_placed
    return with_rows(result, rows)


def with_rows(result, rows):
    """`result` with the national and provincial figures of BY_PROVINCE's rows."""
    for row in rows:
        reach = _reach(row, result.bands, result.within_km)
        if row[1]:
            result.national = reach
        else:
            result.provinces.append(reach)
    return result


# The demand areas of a level and census year, with their population value of a year
# (parameters: value year, indicator code, level id, census year).
DEMAND = """
    SELECT a.id, a.province_code AS province, v.id AS value_id, v.value AS population,
           a.geometry IS NOT NULL AS placed, ST_PointOnSurface(a.geometry) AS place
    FROM layers_area a
    LEFT JOIN layers_indicatorvalue v
      ON v.area_id = a.id AND v.year = %s
     AND v.indicator_id = (SELECT id FROM layers_indicator WHERE code = %s)
    WHERE a.level_id = %s AND a.year = %s
"""
# Rows of population per province and nationally, from a relation `d` of (province,
# population) and the band sums that follow.
BY_PROVINCE = """
    SELECT province, GROUPING(province) = 1, count(*), coalesce(sum(population), 0),
           count(*) FILTER (WHERE population IS NULL), {sums}
    FROM {relation} GROUP BY ROLLUP (province)
    ORDER BY GROUPING(province), province
"""
# Metres per degree of latitude on the sphere, rounded down: a box of r / METRES_PER_DEGREE
# degrees around a place holds every point within r metres of it (longitude: divided by the
# cosine of the latitude, at least 0.01 so that the box stays finite near a pole).
METRES_PER_DEGREE = 111_000


def _within_rows(cursor, points, demand, within_km):
    """The population rows of one distance: per area, EXISTS a selected point within it,
    on the points table's own GiST index (the points' query of Django inlined, which the
    planner flattens), the exact distance on the sphere for the candidates of the box."""
    sql, sql_params = points.order_by().values("location").query.sql_with_params()
    metres = float(within_km) * 1000
    exists = f"""EXISTS (
        SELECT FROM ({sql}) q
        WHERE q.location && ST_Expand(d.place, {metres!r} / {METRES_PER_DEGREE}
                                      / greatest(cos(radians(ST_Y(d.place))), 0.01))
          AND ST_DWithin(q.location::geography, d.place::geography, {metres!r}, false))"""
    sums = f"coalesce(sum(population) FILTER (WHERE {exists}), 0)"
    cursor.execute(
        BY_PROVINCE.format(sums=sums, relation=f"({DEMAND}) d WHERE d.placed"),
        [*sql_params, *demand],
    )
    return cursor.fetchall()


def _band_rows(cursor, demand, bands):
    """The population rows of several bands: each area's nearest point of `coverage_points`
    (a K-nearest-neighbour search on the unit sphere), summed by band."""
    sums = ", ".join(
        f"coalesce(sum(population) FILTER (WHERE distance <= {band * 1000!r}), 0)"
        for band in bands
    )
    place = unit_vector("d.place")
    nearest = f"""(SELECT d.province, d.population, n.distance FROM ({DEMAND}) d
        LEFT JOIN LATERAL (
            SELECT 2 * {RADIUS!r} * asin(least(1, (p.place <<->> {place}) / 2)) AS distance
            FROM coverage_points p ORDER BY p.place <<->> {place} LIMIT 1
        ) n ON true
        WHERE d.placed) nearest"""  # noqa: S608
    cursor.execute(BY_PROVINCE.format(sums=sums, relation=nearest), demand)
    return cursor.fetchall()


def _points_table(cursor, points):
    """The `points` (a queryset) into the temporary table `coverage_points` (id, position on
    the unit sphere) with its n-D GiST index; their number. Inside a transaction."""
    sql, sql_params = points.values_list("id", "location").query.sql_with_params()
    cursor.execute("DROP TABLE IF EXISTS coverage_points")
    cursor.execute(
        "CREATE TEMP TABLE coverage_points ON COMMIT DROP AS"  # noqa: S608 (Django's SQL)
        f" SELECT q.id, {unit_vector('q.location')} AS place FROM ({sql}) q",
        sql_params,
    )
    count = cursor.rowcount
    cursor.execute("CREATE INDEX ON coverage_points USING gist (place gist_geometry_ops_nd)")
    cursor.execute("ANALYZE coverage_points")
    return count


def nearest_place_point():
    """SQL of a LATERAL subquery: the selected point (`coverage_points`) nearest to the
    populated place `p`, as `distance` (metres, on the sphere) and `name`."""
    french = prefers_french()
    point_name = "coalesce(nullif(s.name_fr, ''), s.name_en)" if french else "s.name_en"
    place = unit_vector("p.location")
    return f"""
        SELECT 2 * {RADIUS!r} * asin(least(1, (c.place <<->> {place}) / 2)) AS distance,
               {point_name} AS name
        FROM coverage_points c JOIN servicepoints_servicepoint s ON s.id = c.id
        ORDER BY c.place <<->> {place} LIMIT 1"""  # noqa: S608


@dataclass
class FarPlace:
    """A populated place and the selected point nearest to it."""

    name: str
    province: str
    population: int | None
    distance_km: float | None
    nearest_point: str


def places_beyond(params, within_km=50, limit=20):
    """The populated places (not sections of others) farther than `within_km` from every
    selected point, the most populous first (places without a population last), with the
    nearest point and its straight-line distance on the sphere."""
    points = selected_points(params)
    french = prefers_french()
    place_name = "coalesce(nullif(p.name_fr, ''), p.name)" if french else "p.name"
    with transaction.atomic(), connection.cursor() as cursor:
        _points_table(cursor, points)
        cursor.execute(
            f"""SELECT {place_name}, j.code, p.population, n.distance / 1000, n.name
                FROM servicepoints_populatedplace p
                JOIN servicepoints_jurisdiction j ON j.id = p.province_id
                LEFT JOIN LATERAL ({nearest_place_point()}) n ON true
                WHERE NOT p.is_section AND (n.distance IS NULL OR n.distance > %s)
                ORDER BY p.population DESC NULLS LAST, n.distance DESC NULLS FIRST, p.name
                LIMIT %s""",  # noqa: S608
            [within_km * 1000, limit],
        )
        return [FarPlace(*row[:4], row[4] or "") for row in cursor.fetchall()]


def _reach(row, bands, within_km):
    province, national, areas, population, missing, *sums = row
    by_band = {_label(band): total for band, total in zip(bands, sums, strict=True)}
    covered = by_band[_label(within_km)]
    code, name = ("CA", "Canada") if national else (province or "", province_name(province))
    return Reach(
        code=code,
        name=name,
        areas=areas,
        population=population,
        covered=covered,
        share=share_of(covered, population),
        bands=by_band,
        areas_without_population=missing,
    )


def province_name(code):
    """A province's or territory's name in the reader's language ("" for an unknown code)."""
    known = PROVINCE_BY_CODE.get(code)
    return (known[2] if prefers_french() else known[1]) if known else ""


def share_of(covered, population):
    """The share covered in percent, to two decimals; None without population."""
    return round(100.0 * covered / population, 2) if population else None


def _label(band):
    """ "50" for 50.0 km, "12.5" for 12.5 km: the bands' keys."""
    return f"{float(band):g}"
