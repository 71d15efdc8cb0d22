"""Boundaries of an aggregate level from its parts: a census division is, by the Standard
Geographical Classification, exactly the union of its census subdivisions (its code is the
first four digits of theirs), so a division whose values were imported without a boundary
(`import_indicators --create-areas`) gets the union of its subdivisions' boundaries.

Only areas without a boundary are filled: a boundary imported from a file is never replaced,
and a second run changes nothing. The union is done in SQL (one GROUP BY over the parts);
the inputs are made valid and snapped to a 1e-7° grid (1 cm) first, so that simplified parts
whose shared edges differ in the last digits union without slivers or GEOS errors.
"""

from django.db import connection, transaction

# level -> (the level it is made of, the length of the code prefix the parts share)
PARTS = {"cd": ("csd", 4), "province": ("cd", 2)}


def fill_from_parts(level, year):
    """Give the areas of `level` (an AreaLevel) and `year` that have no boundary the union of
    their parts' boundaries; the number filled (their display shapes rebuilt when > 0)."""
    if level.code not in PARTS:
        return 0
    parts_code, prefix = PARTS[level.code]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """UPDATE layers_area a
               SET geometry = u.geometry, imported_at = now()
               FROM (
                   SELECT left(p.code, %(prefix)s) AS code,
                          ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(
                              ST_SnapToGrid(ST_MakeValid(p.geometry), 1e-7))), 3)) AS geometry
                   FROM layers_area p
                   JOIN layers_arealevel l ON l.id = p.level_id
                   WHERE l.code = %(parts)s AND p.year = %(year)s AND p.geometry IS NOT NULL
                   GROUP BY 1
               ) u
               WHERE a.level_id = %(level)s AND a.year = %(year)s AND a.code = u.code
                 AND a.geometry IS NULL AND NOT ST_IsEmpty(u.geometry)""",
            {"prefix": prefix, "parts": parts_code, "year": year, "level": level.pk},
        )
        filled = cursor.rowcount
        if filled:
            from .shapes import build

            build(level, year)
    return filled
