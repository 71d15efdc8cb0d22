"""Service points and census areas related in SQL, through the GiST index on Area.geometry.

- `POINT_AREA`: SQL of the relation (point_id, area_id, level_id, year), each point's area at
  every level and census year (a point on a shared boundary goes to the area of lowest id). It
  is a query rather than a database view so that no view pins the columns of the points'
  table against later migrations;
- `areas_of_points(queryset)`: the same for some points, as {point id: {level code: area}};
- `point_counts(level, year)`: how many of the given points lie in each area, one GROUP BY.
"""

from django.db import connection

from .models import Area

POINT_AREA = (
    "SELECT DISTINCT ON (p.id, a.level_id, a.year) "
    "p.id AS point_id, a.id AS area_id, a.level_id, a.year "
    "FROM servicepoints_servicepoint p "
    "JOIN layers_area a ON a.geometry && p.location AND ST_Intersects(a.geometry, p.location) "
    "WHERE p.id IN ({points}) "
    "ORDER BY p.id, a.level_id, a.year, a.id"
)


def point_area_sql(queryset):
    """(sql, params) of the relation for the points of `queryset`."""
    sql, params = _point_sql(queryset)
    return POINT_AREA.format(points=sql), params


def _point_sql(queryset):
    sql, params = queryset.values("id").query.sql_with_params()
    return sql, list(params)


def areas_of_points(queryset, *, year=None):
    """{point id: {level code: Area}} for the points of `queryset` (the latest census year of
    each level unless `year` is given)."""
    sql, params = point_area_sql(queryset)
    year_filter = "WHERE v.year = %s" if year is not None else ""
    # The points' query is Django's, its values in the parameters.
    query = (
        "SELECT DISTINCT ON (v.point_id, v.level_id) v.point_id, v.area_id "  # noqa: S608
        f"FROM ({sql}) v {year_filter} "
        "ORDER BY v.point_id, v.level_id, v.year DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params + ([year] if year is not None else []))
        pairs = cursor.fetchall()
    areas = (
        Area.objects.select_related("level").defer("geometry").in_bulk({area for _, area in pairs})
    )
    result = {}
    for point, area in pairs:
        result.setdefault(point, {})[areas[area].level.code] = areas[area]
    return result


def point_counts(queryset, level, year):
    """{area id: number of the queryset's points in it} for the areas of `level` and `year`."""
    sql, params = point_area_sql(queryset)
    query = (
        f"SELECT v.area_id, count(*) FROM ({sql}) v "  # noqa: S608
        "JOIN layers_arealevel l ON l.id = v.level_id "
        "WHERE l.code = %s AND v.year = %s GROUP BY v.area_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, level, year])
        return dict(cursor.fetchall())
