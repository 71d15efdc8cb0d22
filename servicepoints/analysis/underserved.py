"""Underserved communities: far from every selected point *and* digitally vulnerable.

`underserved(params, within_km=50)` lists the populated places (the gazetteer's communities,
not sections of others) farther than `within_km` from every point the map's filters select
(as `coverage.selected_points` counts them: in person, open unless a status is asked for),
ranked by

    score = population × vulnerability rank

where the vulnerability rank is the cumulative distribution (`cume_dist`, in (0, 1]) of the
digital vulnerability index of the census area holding the place, among the areas of that
level and year that have an index: 1 for the most vulnerable area, about 0.5 for the median.
A rank rather than the index itself because the index is a z-score or a min-max score
(docs/digital-vulnerability.md): it can be negative or zero, and a product with it would not
order communities. A place whose area has no index (or no population) has no score: it is
listed after every scored place, with its reason, never given a score of 0.

All of it is one SQL statement on the points table's own GiST index (no copy of the points):
the places with no selected point within the distance (one EXISTS each, as coverage.py's
one-distance question), then for those only the nearest point, exact on the sphere (`_nearest`:
the nearest in degrees bounds it, the box of that bound holds it), and the area holding each
place by the GiST index of the areas' boundaries.
"""

from dataclasses import asdict, dataclass, field

from django.db import connection, transaction

from servicepoints.i18n import prefers_french
from servicepoints.layers.vulnerability.models import INDEX_CODE
from servicepoints.models import Status

from .coverage import (
    METHOD,
    METRES_PER_DEGREE,
    NOT_IN_PERSON,
    finest_level,
    selected_points,
)

DEFAULT_LIMIT = 100
MAX_LIMIT = 5000


@dataclass
class Community:
    """A populated place beyond the distance, its nearest point and its area's index."""

    rank: int | None
    name: str
    province: str
    population: int | None
    lon: float
    lat: float
    distance_km: float | None
    nearest_point: str
    area_code: str
    area_name: str
    vulnerability: float | None
    vulnerability_rank: float | None
    score: float | None


@dataclass
class UnderservedResult:
    within_km: float
    method: str
    points: int
    index_level: str | None
    index_year: int | None
    total: int = 0
    scored: int = 0
    without_index: int = 0
    without_population: int = 0
    communities: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def index_level(level=None, year=None):
    """(level id, level code, census year, index year) of the finest level (or `level`) whose
    areas have digital vulnerability index values in `year` (default: the latest); None."""
    return finest_level(INDEX_CODE, level, value_year=year)


def underserved(params, *, within_km=50, limit=DEFAULT_LIMIT, level=None, year=None, points=None):
    """The UnderservedResult of the points selected by `params` (PointFilter's cleaned
    data): the first `limit` communities by score, with the totals of all of them.
    `points`: the points `params` selected among those a user may read (the API's); they
    count as coverage.py counts them (in person; open ones unless a status is asked for)."""
    found = index_level(level, year)
    level_id, level_code, area_year, index_year = found if found else (None,) * 4
    if points is None:
        points = selected_points(params)
    else:
        points = points.exclude(kind__in=NOT_IN_PERSON)
        if not params.get("status"):
            points = points.filter(status=Status.OPEN)
    french = prefers_french()
    place_name = "coalesce(nullif(p.name_fr, ''), p.name)" if french else "p.name"
    area_name = "coalesce(nullif(a.name_fr, ''), a.name_en)" if french else "a.name_en"
    sql, sql_params = points.order_by().values("id", "location").query.sql_with_params()
    metres = float(within_km) * 1000
    with transaction.atomic(), connection.cursor() as cursor:
        result = UnderservedResult(within_km, METHOD, points.count(), level_code, index_year)
        cursor.execute(
            f"""WITH ranked AS (
                    SELECT v.area_id, v.value,
                           cume_dist() OVER (ORDER BY v.value) AS rank
                    FROM layers_indicatorvalue v
                    JOIN layers_area a ON a.id = v.area_id
                    WHERE v.indicator_id = (SELECT id FROM layers_indicator WHERE code = %s)
                      AND v.year = %s AND v.value IS NOT NULL AND a.level_id = %s
                      AND a.year = %s
                ), beyond AS MATERIALIZED (
                    SELECT p.* FROM servicepoints_populatedplace p
                    WHERE NOT p.is_section AND NOT EXISTS ({_within(sql, metres)})
                ), far AS (
                    SELECT {place_name} AS name, j.code AS province, p.population,
                           ST_X(p.location) AS lon, ST_Y(p.location) AS lat,
                           n.distance / 1000 AS distance_km, s.name_en, s.name_fr,
                           ar.code AS area_code, ar.name AS area_name,
                           r.value AS vulnerability, r.rank AS vulnerability_rank,
                           p.population * r.rank AS score
                    FROM beyond p
                    JOIN servicepoints_jurisdiction j ON j.id = p.province_id
                    LEFT JOIN LATERAL ({_nearest(sql)}) n ON true
                    LEFT JOIN servicepoints_servicepoint s ON s.id = n.id
                    LEFT JOIN LATERAL (
                        SELECT a.id, a.code, {area_name} AS name FROM layers_area a
                        WHERE a.level_id = %s AND a.year = %s
                          AND ST_Intersects(a.geometry, p.location)
                        ORDER BY a.code LIMIT 1
                    ) ar ON true
                    LEFT JOIN ranked r ON r.area_id = ar.id
                )
                SELECT *, count(*) OVER (), count(score) OVER (),
                       count(*) FILTER (WHERE vulnerability IS NULL) OVER (),
                       count(*) FILTER (WHERE population IS NULL) OVER ()
                FROM far
                ORDER BY score DESC NULLS LAST, population DESC NULLS LAST,
                         distance_km DESC NULLS FIRST, name
                LIMIT %s""",  # noqa: S608
            [INDEX_CODE, index_year, level_id, area_year, *sql_params, *sql_params, *sql_params]
            + [level_id, area_year, limit],
        )
        rows = cursor.fetchall()
    if rows:
        result.total, result.scored, result.without_index, result.without_population = rows[0][-4:]
    for position, row in enumerate(rows, start=1):
        (
            name,
            province,
            population,
            lon,
            lat,
            km,
            point_en,
            point_fr,
            code,
            area,
            dvi,
            rank,
            score,
        ) = row[:13]
        nearest = (point_fr or point_en) if french else point_en
        result.communities.append(
            Community(
                rank=position if score is not None else None,
                name=name,
                province=province,
                population=population,
                lon=round(lon, 5),
                lat=round(lat, 5),
                distance_km=round(km, 1) if km is not None else None,
                nearest_point=nearest or "",
                area_code=code or "",
                area_name=area or "",
                vulnerability=round(dvi, 3) if dvi is not None else None,
                vulnerability_rank=round(rank, 4) if rank is not None else None,
                score=round(score, 1) if score is not None else None,
            )
        )
    return result


def _within(points_sql, metres):
    """SQL of "a selected point within `metres` of the place `p`", on the points table's own
    GiST index: a box around the place, then the exact distance on the sphere (as
    coverage.py's one-distance question)."""
    return f"""SELECT FROM ({points_sql}) q
        WHERE q.location && ST_Expand(p.location, {metres!r} / {METRES_PER_DEGREE}
                                      / greatest(cos(radians(ST_Y(p.location))), 0.01))
          AND ST_DWithin(q.location::geography, p.location::geography, {metres!r}, false)"""


def _nearest(points_sql):
    """SQL of a LATERAL subquery: the selected point nearest to the place `p` on the sphere,
    as `distance` (metres) and `id`, searched on the points table's own GiST index. The
    nearest point in degrees (the index's `<->`) is not always the nearest on the sphere, but
    its distance D bounds it: every point within D lies in the box of D around the place
    (widened in longitude for the latitude nearest the pole it can reach), and the nearest of
    that box's points by the exact distance is the answer."""
    bound = f"""SELECT ST_Distance(q.location::geography, p.location::geography, false) AS d
        FROM ({points_sql}) q ORDER BY q.location <-> p.location LIMIT 1"""  # noqa: S608
    reach = f"(b.d * 1.001 + 1) / {METRES_PER_DEGREE}"
    return f"""SELECT ST_Distance(q.location::geography, p.location::geography, false)
                      AS distance, q.id
        FROM ({bound}) b, ({points_sql}) q
        WHERE q.location && ST_Expand(p.location,
              {reach} / greatest(cos(radians(least(90, abs(ST_Y(p.location)) + {reach}))), 0.01),
              {reach})
        ORDER BY 1, q.id LIMIT 1"""  # noqa: S608 -- Django's SQL and this module's names
