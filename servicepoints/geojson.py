"""GeoJSON and JSON payloads about many service points, each built by one SQL statement.

Every function here returns the response text exactly as PostgreSQL wrote it: no row becomes a
Python object (PERFORMANCE.md, "GeoJSON": one statement returning text is 3 to 5 times faster
than building the JSON in Python). The rows come from a queryset the caller has limited with
`visible_to(user)` and `filter_by(params)`; the ORM compiles it (with the order and the page,
where there is one) into the SQL that chooses the ids, and the SQL here only writes those
points out. Access rules and filters are thus written once, in the ORM, and user input reaches
the database only as query parameters.
"""

import json

from django.contrib.gis.db.models.functions import GeometryDistance
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import Case, CharField, Count, F, Value, When
from django.db.models.functions import Coalesce, Collate, NullIf

from .i18n import prefers_french
from .models import Jurisdiction, Kind, Level, Organization, PopulatedPlace, ServicePoint, Status

# Coordinates with 6 decimals (about 0.1 m) instead of PostGIS's default 9.
DECIMALS = 6
# Text sorts with the root ICU collation: the database's C collation would put "Île" after "Z".
COLLATION = "und-x-icu"
SORT_KEYS = ("name", "organization", "kind", "community", "province", "status")
# Nearest points are found with the KNN operator on the GiST index, which measures in degrees;
# a degree of longitude shrinks with latitude (to half a degree of latitude at 60° N), so the
# order in degrees can differ from the order in metres. A pool of candidates larger than asked
# for is therefore re-ranked by the distance on the spheroid.
NEAREST_POOL_FACTOR = 4
NEAREST_POOL_EXTRA = 20

POINTS = ServicePoint._meta.db_table
ORGANIZATIONS = Organization._meta.db_table
JURISDICTIONS = Jurisdiction._meta.db_table
PLACES = PopulatedPlace._meta.db_table
# What a point row `sp` is written with: its organization, that organization's jurisdiction
# (for the level) and the province or territory the point lies in.
JOINS = f"""
    JOIN {ORGANIZATIONS} o ON o.id = sp.organization_id
    JOIN {JURISDICTIONS} j ON j.id = o.jurisdiction_id
    JOIN {JURISDICTIONS} p ON p.id = sp.province_id
"""


def _localized_sql(table):
    """SQL for the name of `table`'s row in the active language, else the other one."""
    first, second = ("fr", "en") if prefers_french() else ("en", "fr")
    return f"COALESCE(NULLIF({table}.name_{first}, ''), {table}.name_{second})"


def _localized(prefix=""):
    """The ORM expression of a name in the active language, else the other one."""
    first, second = ("fr", "en") if prefers_french() else ("en", "fr")
    return Coalesce(NullIf(F(f"{prefix}name_{first}"), Value("")), F(f"{prefix}name_{second}"))


def _labels_json(choices):
    """The choices' labels in the active language, as a JSON object for `%s::jsonb ->> code`."""
    return json.dumps({code: str(label) for code, label in choices})


def _label(field, choices):
    """The ORM expression of a choice field's label in the active language."""
    return Case(
        *(When(**{field: code}, then=Value(str(label))) for code, label in choices),
        default=F(field),
        output_field=CharField(),
    )


def _fetch_text(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _point_columns():
    """(alias, SQL expression over `sp` and JOINS, parameters) of a listed point's properties."""
    return [
        ("id", "sp.id", []),
        ("name", _localized_sql("sp"), []),
        ("name_en", "sp.name_en", []),
        ("name_fr", "sp.name_fr", []),
        ("organization", "o.code", []),
        ("organization_name", _localized_sql("o"), []),
        ("level", "j.level", []),
        ("kind", "sp.kind", []),
        ("kind_label", "%s::jsonb ->> sp.kind", [_labels_json(Kind.choices)]),
        ("status", "sp.status", []),
        ("community", "sp.community", []),
        ("province", "p.code", []),
        ("postal_code", "sp.postal_code", []),
        ("bilingual", "sp.bilingual", []),
        ("languages", "sp.languages", []),
    ]


def _features_sql(ids_sql, ids_params, columns):
    """SQL whose one text value is the comma-separated GeoJSON features of the points whose ids
    `ids_sql` selects, in its order (kept by the ordinality of the array).

    `columns` become the properties. PostGIS 3.3's `ST_AsGeoJSON(record)` has no id argument,
    so the feature's top-level "id" is prepended to the object it writes.
    """
    select = ", ".join(f"{expression} AS {alias}" for alias, expression, _params in columns)
    column_params = [param for _alias, _expression, params in columns for param in params]
    sql = f"""
        SELECT COALESCE(string_agg(
            '{{"id":' || sp.id || ',' || substr(ST_AsGeoJSON(feature.*, 'geom', {DECIMALS}), 2),
            ',' ORDER BY page.position), '')
        FROM unnest(ARRAY({ids_sql})) WITH ORDINALITY AS page (id, position)
        JOIN {POINTS} sp ON sp.id = page.id
        {JOINS}
        CROSS JOIN LATERAL (SELECT {select}, sp.location AS geom) feature
    """  # noqa: S608 -- identifiers and expressions are constants of this module
    return sql, [*ids_params, *column_params]


def ordered(queryset, sort="name"):
    """The queryset in a list order: one of SORT_KEYS, "-" first for descending.

    Text sorts by what the list shows (names and labels in the active language); ties are
    broken by the name and then the id, so that pages never overlap.
    """
    key = sort.removeprefix("-")
    name = Collate(_localized(), COLLATION)
    expression = {
        "name": name,
        "organization": Collate(_localized("organization__"), COLLATION),
        "kind": Collate(_label("kind", Kind.choices), COLLATION),
        "community": Collate(F("community"), COLLATION),
        "province": F("province__code"),
        "status": Collate(_label("status", Status.choices), COLLATION),
    }[key]
    order = [expression.desc() if sort.startswith("-") else expression.asc()]
    if key != "name":
        order.append(name.asc())
    return queryset.order_by(*order, "pk")


def feature_collection(queryset, *, sort="name", limit, offset=0):
    """A page of points as GeoJSON text, with the size of the whole selection.

    `{"type": "FeatureCollection", "total", "limit", "offset", "features": [...]}`, in the
    order of `ordered(queryset, sort)`. One SQL statement.
    """
    page = ordered(queryset, sort).values("pk")[offset : offset + limit]
    ids_sql, ids_params = page.query.sql_with_params()
    all_sql, all_params = queryset.order_by().values("pk").query.sql_with_params()
    features_sql, features_params = _features_sql(ids_sql, ids_params, _point_columns())
    sql = f"""
        SELECT '{{"type":"FeatureCollection","total":' || (SELECT count(*) FROM ({all_sql}) s)
            || ',"limit":' || %s::int || ',"offset":' || %s::bigint
            || ',"features":[' || ({features_sql}) || ']}}'
    """  # noqa: S608 -- the inner SQL is Django's and this module's; values are parameters
    return _fetch_text(sql, [*all_params, limit, offset, *features_params])


def nearest_collection(queryset, *, lon, lat, n):
    """The `n` points of the queryset nearest to (lon, lat), as GeoJSON text, nearest first.

    Candidates come from the KNN operator `<->` on the GiST index (an index scan that stops
    early), ranked by their distance on the spheroid (geography), which each feature carries
    as `distance_m` in whole metres. One SQL statement.
    """
    origin = Point(lon, lat, srid=4326)
    pool = n * NEAREST_POOL_FACTOR + NEAREST_POOL_EXTRA
    candidates = queryset.order_by(GeometryDistance("location", origin)).values("pk")[:pool]
    candidates_sql, candidates_params = candidates.query.sql_with_params()
    distance = (
        "ST_Distance(sp.location::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)"
    )
    ids_sql = f"""
        SELECT sp.id FROM {POINTS} sp WHERE sp.id IN ({candidates_sql})
        ORDER BY {distance}, sp.id LIMIT %s
    """  # noqa: S608 -- the inner SQL is Django's; values are parameters
    columns = [*_point_columns(), ("distance_m", f"round({distance})::int", [lon, lat])]
    features_sql, features_params = _features_sql(
        ids_sql, [*candidates_params, lon, lat, n], columns
    )
    sql = f"""
        SELECT '{{"type":"FeatureCollection","features":[' || ({features_sql}) || ']}}'
    """  # noqa: S608 -- the inner SQL is this module's; values are parameters
    return _fetch_text(sql, features_params)


def summary(queryset):
    """Counts of the selection in total and by level, organization and kind, as JSON text.

    `{"total", "by_level": [{"code", "label", "count"}], "by_organization": [{"code", "name",
    "count"}], "by_kind": [{"code", "label", "count"}]}`, each list by count, largest first.
    One SQL statement: the points are counted once per organization and kind (a few hundred
    groups at most), and the three summaries add those counts up.
    """
    groups = queryset.order_by().values("organization_id", "kind").annotate(n=Count("pk"))
    groups_sql, groups_params = groups.query.sql_with_params()
    sql = f"""
        WITH groups AS ({groups_sql}),
        counted AS (
            SELECT j.level AS level_code, o.code AS organization_code,
                   {_localized_sql("o")} AS organization_name, g.kind AS kind_code, g.n
            FROM groups g
            JOIN {ORGANIZATIONS} o ON o.id = g.organization_id
            JOIN {JURISDICTIONS} j ON j.id = o.jurisdiction_id
        )
        SELECT json_build_object(
            'total', (SELECT COALESCE(sum(n), 0)::bigint FROM counted),
            'by_level', (
                SELECT COALESCE(json_agg(json_build_object(
                    'code', level_code, 'label', %s::jsonb ->> level_code, 'count', count
                ) ORDER BY count DESC, level_code), '[]')
                FROM (
                    SELECT level_code, sum(n)::bigint AS count FROM counted GROUP BY level_code
                ) counts
            ),
            'by_organization', (
                SELECT COALESCE(json_agg(json_build_object(
                    'code', organization_code, 'name', organization_name, 'count', count
                ) ORDER BY count DESC, organization_code), '[]')
                FROM (
                    SELECT organization_code, organization_name, sum(n)::bigint AS count
                    FROM counted GROUP BY organization_code, organization_name
                ) counts
            ),
            'by_kind', (
                SELECT COALESCE(json_agg(json_build_object(
                    'code', kind_code, 'label', %s::jsonb ->> kind_code, 'count', count
                ) ORDER BY count DESC, kind_code), '[]')
                FROM (
                    SELECT kind_code, sum(n)::bigint AS count FROM counted GROUP BY kind_code
                ) counts
            )
        )::text
    """  # noqa: S608 -- the inner SQL is Django's, names are this module's; values are parameters
    params = [*groups_params, _labels_json(Level.choices), _labels_json(Kind.choices)]
    return _fetch_text(sql, params)


def places_collection(*, bbox=None, min_population=0):
    """Populated places as GeoJSON text, largest first (so small ones are drawn on top): those
    `PopulatedPlace.objects.on_map()` selects (a population; not sections; each place once).

    Properties: id, name (in the active language), province (code), population. One SQL
    statement.
    """
    places = PopulatedPlace.objects.on_map().filter(population__gte=min_population)
    if bbox is not None:
        places = places.filter(location__bboverlaps=bbox)
    ids_sql, ids_params = places.order_by().values("pk").query.sql_with_params()
    sql = f"""
        SELECT '{{"type":"FeatureCollection","features":[' || COALESCE(string_agg(
            '{{"id":' || place.id || ',' || substr(ST_AsGeoJSON(place.*, 'geom', {DECIMALS}), 2),
            ',' ORDER BY place.population DESC, place.id), '') || ']}}'
        FROM (
            SELECT pp.id, {_place_name_sql()} AS name, p.code AS province, pp.population,
                   pp.location AS geom
            FROM {PLACES} pp JOIN {JURISDICTIONS} p ON p.id = pp.province_id
            WHERE pp.id IN ({ids_sql})
        ) place
    """  # noqa: S608 -- the inner SQL is Django's, names are this module's; values are parameters
    return _fetch_text(sql, ids_params)


def _place_name_sql():
    """A place's name in the active language (PopulatedPlace.localized_name)."""
    return "COALESCE(NULLIF(pp.name_fr, ''), pp.name)" if prefers_french() else "pp.name"
