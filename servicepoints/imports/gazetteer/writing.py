"""Writing a gazetteer's places and names: set-based SQL within the caller's transaction."""

import math
from dataclasses import dataclass, field

from django.db import connection

from ...models import PlaceName, PopulatedPlace
from ..mapping import normalize_header as normalize


@dataclass
class PlaceRecord:
    """One place of a gazetteer file, as the upsert writes it."""

    external_id: str
    name: str
    province_id: int
    lon: float
    lat: float
    name_fr: str = ""
    generic_term: str = ""
    population: int | None = None
    relevance_at_scale: int | None = None
    timezone: str = ""
    is_section: bool = False
    names: list[tuple[str, str, str]] = field(default_factory=list)  # (name, language, kind)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    return repr(value) if isinstance(value, float) else str(value)


PLACES = PopulatedPlace._meta.db_table
NAMES = PlaceName._meta.db_table
PLACE_COLUMNS = [
    ("external_id", "text"),
    ("name", "text"),
    ("name_fr", "text"),
    ("generic_term", "text"),
    ("province_id", "bigint"),
    ("lon", "double precision"),
    ("lat", "double precision"),
    ("population", "integer"),
    ("relevance_at_scale", "integer"),
    ("timezone", "text"),
    ("is_section", "boolean"),
]
NAME_COLUMNS = [
    ("external_id", "text"),
    ("name", "text"),
    ("normalized", "text"),
    ("language", "text"),
    ("kind", "text"),
]
UPDATED_COLUMNS = [
    "name",
    "name_fr",
    "generic_term",
    "province_id",
    "location",
    "population",
    "relevance_at_scale",
    "timezone",
    "is_section",
]
# Where a section's parent is looked for: the place that best explains it, a large place
# close by (population over the square of the distance in km, plus one), within this radius.
SECTION_PARENT_KM = 30


def upsert_places(gazetteer, records):
    """{"places": {total, created, updated, unchanged}, "names": {total, created, removed}}
    after writing these PlaceRecords of one gazetteer (within the caller's transaction).

    A place is keyed on (gazetteer, external id); its names become exactly the record's
    names. Sections get the place they are part of. Set-based SQL: COPY into temporary
    tables, then one statement per step.
    """
    names = {}
    for record in records:
        for place_name, language, kind in record.names:
            names.setdefault(
                (record.external_id, place_name, kind, language), normalize(place_name)
            )
    with connection.cursor() as cursor:
        _stage(
            cursor,
            "gazetteer_places",
            PLACE_COLUMNS,
            (
                (
                    r.external_id,
                    r.name,
                    r.name_fr,
                    r.generic_term,
                    r.province_id,
                    r.lon,
                    r.lat,
                    r.population,
                    r.relevance_at_scale,
                    r.timezone,
                    r.is_section,
                )
                for r in records
            ),
        )
        _stage(
            cursor,
            "gazetteer_names",
            NAME_COLUMNS,
            (
                (external_id, place_name, normalized, language, kind)
                for (external_id, place_name, kind, language), normalized in names.items()
            ),
        )
        columns = ", ".join(UPDATED_COLUMNS)
        cursor.execute(
            f"""
            WITH written AS (
                INSERT INTO {PLACES} (gazetteer, external_id, {columns})
                SELECT %s, external_id, name, name_fr, generic_term, province_id,
                       ST_SetSRID(ST_MakePoint(lon, lat), 4326), population,
                       relevance_at_scale, timezone, is_section
                FROM gazetteer_places
                ON CONFLICT (gazetteer, external_id) DO UPDATE
                SET {", ".join(f"{c} = EXCLUDED.{c}" for c in UPDATED_COLUMNS)}
                WHERE ({", ".join(f"{PLACES}.{c}" for c in UPDATED_COLUMNS)})
                      IS DISTINCT FROM ({", ".join(f"EXCLUDED.{c}" for c in UPDATED_COLUMNS)})
                RETURNING xmax = 0 AS created
            )
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
            FROM written
            """,  # noqa: S608 -- table and column names are this module's constants
            [gazetteer],
        )
        created, updated = cursor.fetchone()
        cursor.execute(
            f"""
            DELETE FROM {NAMES} n
            USING {PLACES} p, gazetteer_places g
            WHERE n.place_id = p.id AND p.gazetteer = %s AND p.external_id = g.external_id
              AND NOT EXISTS (
                  SELECT FROM gazetteer_names s
                  WHERE s.external_id = p.external_id AND s.name = n.name AND s.kind = n.kind
                    AND s.language = n.language AND s.normalized = n.normalized
              )
            """,  # noqa: S608 -- table names are this module's constants
            [gazetteer],
        )
        removed = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO {NAMES} (place_id, name, normalized, language, kind)
            SELECT p.id, s.name, s.normalized, s.language, s.kind
            FROM gazetteer_names s
            JOIN {PLACES} p ON p.gazetteer = %s AND p.external_id = s.external_id
            ON CONFLICT (place_id, name, kind, language) DO NOTHING
            """,  # noqa: S608 -- table names are this module's constants
            [gazetteer],
        )
        names_created = cursor.rowcount
        _link_sections(cursor, gazetteer)
        cursor.execute("DROP TABLE gazetteer_places, gazetteer_names")
        # A first load adds a hundred thousand rows: without fresh statistics the planner
        # takes the names for a small table and scans it instead of its trigram index.
        cursor.execute(f"ANALYZE {PLACES}, {NAMES}")
    total = len(records)
    return {
        "places": {
            "total": total,
            "created": created,
            "updated": updated,
            "unchanged": total - created - updated,
        },
        "names": {"total": len(names), "created": names_created, "removed": removed},
    }


def _stage(cursor, table, columns, rows):
    """A temporary table of these rows (COPY, text lines built here)."""
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    definition = ", ".join(f"{name} {kind}" for name, kind in columns)
    cursor.execute(f"CREATE TEMPORARY TABLE {table} ({definition})")
    with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
        lines = []
        for row in rows:
            lines.append("\t".join(_copy_text(value) for value in row) + "\n")
            if len(lines) >= 5000:
                copy.write("".join(lines))
                lines = []
        copy.write("".join(lines))
    cursor.execute(f"ANALYZE {table}")


def _link_sections(cursor, gazetteer):
    """Each section of the file is part of the nearby place that best explains it."""
    degrees = SECTION_PARENT_KM / 111.0 / math.cos(math.radians(60))  # wide enough at 60° N
    cursor.execute(
        f"""
        WITH parents AS (
            SELECT s.id, (
                SELECT p.id FROM {PLACES} p
                WHERE p.gazetteer = s.gazetteer AND p.province_id = s.province_id
                  AND NOT p.is_section AND p.population > coalesce(s.population, 0)
                  AND p.location && ST_Expand(s.location, %s)
                  AND ST_DWithin(p.location::geography, s.location::geography, %s)
                ORDER BY p.population / power(
                    1 + ST_Distance(p.location::geography, s.location::geography) / 1000, 2
                ) DESC, p.id
                LIMIT 1
            ) AS parent
            FROM {PLACES} s JOIN gazetteer_places g ON g.external_id = s.external_id
            WHERE s.gazetteer = %s AND s.is_section
        )
        UPDATE {PLACES} place SET part_of_id = parents.parent
        FROM parents
        WHERE place.id = parents.id AND place.part_of_id IS DISTINCT FROM parents.parent
        """,  # noqa: S608 -- table names are this module's constants
        [degrees, SECTION_PARENT_KM * 1000, gazetteer],
    )
