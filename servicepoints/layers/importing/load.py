"""Read, check and load one boundary file (see the package docstring)."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext_noop

from ...imports.issues import ImportFileError, error
from ...imports.readers import read_table
from ..models import AreaLevel
from . import fields as fieldmod
from . import staging


@dataclass
class AreaImportResult:
    file: str
    level: str
    year: int | None = None
    features: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    issues: list = field(default_factory=list)

    @property
    def refused(self):
        return any(issue.is_error for issue in self.issues)


def file_error(code, message, name, **params):
    return error(code, message, file=name, params={"file": name, **params})


def import_areas(
    path,
    level,
    *,
    code_field=None,
    name_field=None,
    name_fr_field=None,
    year=None,
    name=None,
    shapes=True,
):
    """Import the boundary file at `path` as areas of `level` (an AreaLevel code).

    Returns an AreaImportResult; when it is `refused` (any error) nothing was changed.
    `name` is the file name shown in messages (default: the path's name). `shapes=False`
    leaves the display shapes (AreaShape) to a later `shapes.build(level, year)`.
    """
    path = Path(path)
    name = name or path.name
    result = AreaImportResult(file=name, level=str(level))
    level_row = AreaLevel.objects.filter(code=level).first()
    if level_row is None:
        known = ", ".join(AreaLevel.objects.values_list("code", flat=True))
        result.issues.append(
            file_error(
                "unknown_level",
                gettext_noop("%(file)s: the level “%(level)s” is unknown; use one of %(known)s."),
                name,
                level=level,
                known=known,
            )
        )
        return result
    try:
        table = read_table(path, name=name, keep_invalid=True)
    except ImportFileError as exc:
        result.issues.append(exc.issue)
        return result
    result.features = len(table.rows)
    result.issues.extend(table.issues)
    if table.geometries is None:
        result.issues.append(
            file_error(
                "no_geometry_column",
                gettext_noop(
                    "%(file)s has no geometries: a boundary file must be a GeoJSON, TopoJSON, "
                    "GeoPackage or zipped Shapefile of polygons."
                ),
                name,
            )
        )
        return result
    found = fieldmod.detect(
        table.headers, level, code=code_field, name=name_field, name_fr=name_fr_field
    )
    for given in (code_field, name_field, name_fr_field):
        if given and given not in table.headers:
            result.issues.append(missing_field(name, given, table.headers))
    if result.refused:
        return result
    if found.code is None and not (level == "province" and found.name_en):
        result.issues.append(
            file_error(
                "missing_code_field",
                gettext_noop(
                    "%(file)s has no column with the areas’ codes (looked for %(expected)s); "
                    "name it with --code-field. Its columns: %(columns)s."
                ),
                name,
                expected=", ".join(fieldmod.code_candidates(level)),
                columns=", ".join(table.headers),
            )
        )
        return result
    records = list(fieldmod.records(table, level, found, result.issues))
    result.year = year or fieldmod.year_of(records, path)
    if result.year is None:
        result.issues.append(
            file_error(
                "missing_year",
                gettext_noop(
                    "%(file)s: its census year is not in its name, its folder’s name or a DGUID "
                    "field; give it with --year."
                ),
                name,
            )
        )
    if result.refused:
        return result
    with transaction.atomic(), connection.cursor() as cursor:
        staging.stage(cursor, records)
        result.issues.extend(staging.check(cursor, name))
        if result.refused:
            transaction.set_rollback(True)
            return result
        result.created, result.updated = staging.load(cursor, level_row.pk, result.year)
        result.unchanged = len(records) - result.created - result.updated
        if shapes and (result.created or result.updated):
            from ..shapes import build

            build(level_row, result.year)
    return result


def missing_field(name, given, headers):
    return file_error(
        "missing_field",
        gettext_noop("%(file)s has no column “%(column)s”; its columns: %(columns)s."),
        name,
        column=given,
        columns=", ".join(headers),
    )
