"""Stage indicator values with COPY, match them to areas and merge them, in SQL.

A staged row is `(line, code, dguid, area name, indicator code, year, value, status, flag)`.
Called inside the import's transaction: an error found here is added to the result, and the
caller rolls back.
"""

from django.utils.translation import gettext_noop

from ...imports.issues import error
from . import fields as fieldmod

LISTED = 20
COLUMNS = "line, code, dguid, name, indicator, year, value, status, flag"


def merge(cursor, rows, level_row, result, create_areas):
    name = result.file
    # Dropped at commit; dropped here too for a caller's enclosing transaction (tests).
    cursor.execute("DROP TABLE IF EXISTS indicator_staging, indicator_matched")
    cursor.execute(
        "CREATE TEMP TABLE indicator_staging (line integer, code text, dguid text, name text,"
        " indicator text, year integer, value double precision, status text, flag text)"
        " ON COMMIT DROP"
    )
    with cursor.cursor.copy(f"COPY indicator_staging ({COLUMNS}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute("ANALYZE indicator_staging")
    if _duplicates(cursor, name, result):
        return
    level, year = level_row.pk, result.area_year
    if create_areas:
        result.areas_created = _create_areas(cursor, level_row, year)
    cursor.execute(
        """CREATE TEMP TABLE indicator_matched ON COMMIT DROP AS
           SELECT s.*, a.id AS area_id, i.id AS indicator_id
           FROM indicator_staging s
           JOIN layers_indicator i ON i.code = s.indicator
           LEFT JOIN LATERAL (
               SELECT a.id FROM layers_area a
               WHERE a.level_id = %s AND a.year = %s
                 AND (a.code = s.code OR (s.dguid <> '' AND a.dguid = s.dguid))
               ORDER BY (s.dguid <> '' AND a.dguid = s.dguid) DESC LIMIT 1
           ) a ON true""",
        [level, year],
    )
    cursor.execute(
        "SELECT code, min(name), count(*) OVER () FROM indicator_matched WHERE area_id IS NULL"
        " GROUP BY code ORDER BY code LIMIT %s",
        [LISTED],
    )
    missing = cursor.fetchall()
    if missing:
        result.issues.append(
            error(
                "unknown_areas",
                gettext_noop(
                    "%(file)s: %(count)s areas are not loaded at the level “%(level)s” for "
                    "%(year)s: %(codes)s; import their boundary file first, or pass "
                    "--create-areas to keep their values without a boundary."
                ),
                file=name,
                params={
                    "file": name,
                    "count": missing[0][2],
                    "level": level_row.code,
                    "year": year,
                    "codes": ", ".join(
                        f"{code} {area or ''}".strip() for code, area, _ in missing
                    ),
                },
            )
        )
        return
    cursor.execute(
        """SELECT count(*) FILTER (WHERE v.id IS NULL),
                  count(*) FILTER (WHERE v.id IS NOT NULL AND NOT same),
                  count(*) FILTER (WHERE same),
                  count(DISTINCT m.area_id)
           FROM indicator_matched m
           LEFT JOIN layers_indicatorvalue v
             ON v.area_id = m.area_id AND v.indicator_id = m.indicator_id AND v.year = m.year
           CROSS JOIN LATERAL (
               SELECT v.id IS NOT NULL AND v.value IS NOT DISTINCT FROM m.value
                      AND v.status = m.status AND v.quality_flag = m.flag AS same
           ) c"""
    )
    result.created, result.changed, result.unchanged, result.areas = cursor.fetchone()
    if not (result.created or result.changed):
        return  # nothing to write: the data version (and every cache) stays as it is
    cursor.execute(
        """INSERT INTO layers_indicatorvalue
               (area_id, indicator_id, year, value, status, quality_flag)
           SELECT area_id, indicator_id, year, value, status, flag FROM indicator_matched
           ON CONFLICT (indicator_id, year, area_id) DO UPDATE
           SET value = EXCLUDED.value, status = EXCLUDED.status,
               quality_flag = EXCLUDED.quality_flag
           WHERE layers_indicatorvalue.value IS DISTINCT FROM EXCLUDED.value
              OR layers_indicatorvalue.status <> EXCLUDED.status
              OR layers_indicatorvalue.quality_flag <> EXCLUDED.quality_flag"""
    )


def _duplicates(cursor, name, result):
    """An error for each value given twice (same area, indicator and year)."""
    cursor.execute(
        "SELECT code, indicator, year, array_agg(line ORDER BY line) FROM indicator_staging"
        " GROUP BY code, indicator, year HAVING count(*) > 1 ORDER BY min(line) LIMIT %s",
        [LISTED],
    )
    found = cursor.fetchall()
    for code, indicator, year, lines in found:
        result.issues.append(
            error(
                "duplicate_value",
                gettext_noop(
                    "%(file)s, rows %(rows)s: the value of %(indicator)s for the area %(code)s "
                    "in %(year)s is given more than once; keep one."
                ),
                file=name,
                row=lines[0],
                value=code,
                params={
                    "file": name,
                    "rows": ", ".join(str(line) for line in lines[:LISTED]),
                    "indicator": indicator,
                    "code": code,
                    "year": year,
                },
            )
        )
    return bool(found)


def _create_areas(cursor, level_row, year):
    """Add the staged areas the level lacks, without a boundary; their number."""
    cursor.execute(
        """SELECT DISTINCT ON (s.code) s.code, s.dguid, s.name FROM indicator_staging s
           WHERE NOT EXISTS (
               SELECT FROM layers_area a WHERE a.level_id = %s AND a.year = %s
                 AND (a.code = s.code OR (s.dguid <> '' AND a.dguid = s.dguid)))
           ORDER BY s.code, s.line""",
        [level_row.pk, year],
    )
    new = cursor.fetchall()
    for code, dguid, area_name in new:
        name_en, name_fr = fieldmod.split_names(area_name or code, "")
        cursor.execute(
            "INSERT INTO layers_area (level_id, year, code, dguid, name_en, name_fr,"
            " province_code, imported_at) VALUES (%s, %s, %s, %s, %s, %s, %s, now())",
            [
                level_row.pk,
                year,
                code,
                dguid,
                name_en[:200],
                name_fr[:200],
                fieldmod.province_of(level_row.code, code, ""),
            ],
        )
    return len(new)


def named(code, name):
    """ "3506 Ottawa"; the code alone when the file names the area by its code."""
    return code if not name or name == code else f"{code} {name}"
