"""The features of one boundary file in a temporary table, checked and loaded in SQL.

`stage()` COPYs them; `check()` finds every problem with set-based queries (empty and
duplicate codes, missing, empty or non-polygon geometry, outside Canada) and repairs invalid
geometries with ST_MakeValid (a warning each); `load()` is one INSERT … ON CONFLICT that
touches only the areas whose name, DGUID, province or geometry differ (geometry compared as
the normalised WKB, so a re-import of the same file changes no row).
"""

from django.utils.translation import gettext_noop

from ...imports.issues import error, warning
from ...validators import CANADA_EXTENT

TABLE = "layers_area_staging"
# Beyond Canada's extent by this much (degrees) an area is taken to be outside Canada: real
# boundary files reach a little past the extent of its land (maritime lines, the -141 border).
MARGIN = 0.5


def _text(value):
    if value is None:
        return r"\N"
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def stage(cursor, records):
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {TABLE} (feature integer, code text, name_en text, "
        "name_fr text, dguid text, province text, geom geometry) ON COMMIT DROP"
    )
    with cursor.cursor.copy(f"COPY {TABLE} FROM STDIN") as copy:  # noqa: S608
        lines = []
        for record in records:
            lines.append("\t".join(_text(value) for value in record) + "\n")
            if len(lines) >= 2000:
                copy.write("".join(lines))
                lines = []
        copy.write("".join(lines))
    cursor.execute(f"ANALYZE {TABLE}")


CHECKS = [
    (
        "empty_code",
        "code",
        gettext_noop("%(file)s, feature %(row)s, field “code”: the code is empty."),
        "SELECT feature, '' FROM layers_area_staging WHERE code = '' ORDER BY feature",
    ),
    (
        "duplicate_code",
        "code",
        gettext_noop(
            "%(file)s, feature %(row)s, field “code”: the code “%(value)s” is already used by "
            "feature %(first)s; each area must have its own code."
        ),
        "SELECT feature, code, first FROM (SELECT feature, code, min(feature) OVER "
        "(PARTITION BY code) AS first FROM layers_area_staging WHERE code <> '') s "
        "WHERE feature <> first ORDER BY feature",
    ),
    (
        "missing_geometry",
        "geometry",
        gettext_noop("%(file)s, feature %(row)s, field “geometry”: the feature has no geometry."),
        "SELECT feature, '' FROM layers_area_staging WHERE geom IS NULL OR ST_IsEmpty(geom) "
        "ORDER BY feature",
    ),
    (
        "not_polygon",
        "geometry",
        gettext_noop(
            "%(file)s, feature %(row)s, field “geometry”: the geometry is a %(value)s, not a "
            "polygon; a boundary file holds polygons."
        ),
        "SELECT feature, GeometryType(geom) FROM layers_area_staging "
        "WHERE NOT ST_IsEmpty(geom) AND "
        "GeometryType(geom) NOT IN ('POLYGON', 'MULTIPOLYGON') ORDER BY feature",
    ),
    (
        "outside_canada",
        "geometry",
        gettext_noop(
            "%(file)s, feature %(row)s, field “geometry”: the area (%(value)s) lies outside "
            "Canada; check the file’s coordinate reference system."
        ),
        "SELECT feature, concat_ws(' ', round(ST_XMin(geom)::numeric, 3)::float8, "
        "round(ST_YMin(geom)::numeric, 3)::float8, round(ST_XMax(geom)::numeric, 3)::float8, "
        "round(ST_YMax(geom)::numeric, 3)::float8) FROM layers_area_staging "
        "WHERE NOT ST_IsEmpty(geom) AND "
        "NOT ST_Within(geom, ST_Expand(ST_MakeEnvelope(%s, %s, %s, %s, 4326), %s)) "
        "ORDER BY feature",
    ),
]
REPAIRED = gettext_noop(
    "%(file)s, feature %(row)s, field “geometry”: the polygon was not valid (%(value)s); it was "
    "repaired (ST_MakeValid). Check its shape on the map."
)
UNREPAIRABLE = gettext_noop(
    "%(file)s, feature %(row)s, field “geometry”: the polygon is not valid (%(value)s) and "
    "could not be repaired into a polygon."
)


def _issue(make, code, message, name, column, feature, value, **params):
    return make(
        code,
        message,
        file=name,
        row=feature,
        column=column,
        value=value or "",
        params={"file": name, "row": feature, "value": value or "", **params},
    )


def check(cursor, name):
    """Every problem of the staged features as Issues (errors refuse the file)."""
    issues = []
    for code, column, message, sql in CHECKS:
        params = [*CANADA_EXTENT, MARGIN] if code == "outside_canada" else None
        cursor.execute(sql, params)
        for feature, value, *rest in cursor.fetchall():
            extra = {"first": rest[0]} if rest else {}
            issues.append(_issue(error, code, message, name, column, feature, value, **extra))
    cursor.execute(
        "UPDATE layers_area_staging s "
        "SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(s.geom), 3)) "
        "FROM (SELECT feature, ST_IsValidReason(geom) AS reason FROM layers_area_staging "
        "WHERE GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') AND NOT ST_IsValid(geom)) bad "
        "WHERE s.feature = bad.feature RETURNING s.feature, bad.reason, ST_IsEmpty(s.geom)"
    )
    for feature, reason, empty in sorted(cursor.fetchall()):
        make, message = (error, UNREPAIRABLE) if empty else (warning, REPAIRED)
        issues.append(_issue(make, "invalid_geometry", message, name, "geometry", feature, reason))
    return issues


def load(cursor, level_id, year):
    """Insert new areas and update changed ones; (created, updated)."""
    cursor.execute(
        "INSERT INTO layers_area (name_en, name_fr, level_id, year, code, dguid, geometry, "
        "province_code, imported_at) "
        "SELECT name_en, name_fr, %s, %s, code, dguid, ST_Multi(geom), province, now() "
        "FROM layers_area_staging "
        "ON CONFLICT (level_id, year, code) DO UPDATE SET name_en = EXCLUDED.name_en, "
        "name_fr = EXCLUDED.name_fr, dguid = EXCLUDED.dguid, geometry = EXCLUDED.geometry, "
        "province_code = EXCLUDED.province_code, imported_at = now() "
        "WHERE (layers_area.name_en, layers_area.name_fr, layers_area.dguid, "
        "layers_area.province_code) IS DISTINCT FROM (EXCLUDED.name_en, EXCLUDED.name_fr, "
        "EXCLUDED.dguid, EXCLUDED.province_code) OR layers_area.geometry IS NULL "
        "OR ST_AsBinary(ST_Normalize(layers_area.geometry)) "
        "<> ST_AsBinary(ST_Normalize(EXCLUDED.geometry)) "
        "RETURNING xmax = 0",
        [level_id, year],
    )
    flags = [row[0] for row in cursor.fetchall()]
    created = sum(flags)
    return created, len(flags) - created
