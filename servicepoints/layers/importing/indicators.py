"""Indicator values from a file into `IndicatorValue`: `import_indicators(path, level)`.

The file is a Statistics Canada Census Profile CSV in its 2016 or 2021 layout (`profile`,
streamed), or a long or wide table (`tables`, read with the point import's readers: CSV in
any of its encodings, or XLSX). Every value found is staged with COPY in a temporary table,
matched to the level's areas in SQL (by DGUID when both sides have one, else by code), and
merged with one INSERT … ON CONFLICT in the same transaction: any error refuses the file and
changes nothing, and a re-import of the same file writes nothing (not even the data version
that caches follow).

Areas: the values of a census year go to that year's areas of the level, else to the latest
earlier year's (`area_year` to choose). An area the level does not have refuses the file,
unless `create_areas` adds it without a boundary (its values are kept; the map draws it once
its boundary is imported). Rows whose code is not a code of the level (the national total
"01" in a table of forward sortation areas) are left out with a warning.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext_noop

from ...imports.issues import ImportFileError, error, warning
from ...imports.readers import read_table
from ...imports.readers.delimited import decode
from ..models import AreaLevel, Indicator
from . import profile, tables, values

LEVEL_CODES = {
    "province": re.compile(r"\d{2}"),
    "hr": re.compile(r"\d{4}"),
    "cd": re.compile(r"\d{4}"),
    "csd": re.compile(r"\d{7}"),
    "fsa": re.compile(r"[A-Za-z]\d[A-Za-z]"),
    "da": re.compile(r"\d{8}"),
}
LISTED = 20
SAMPLE_BYTES = 64 * 1024


@dataclass
class IndicatorImportResult:
    file: str
    level: str
    layout: str = ""
    year: int | None = None
    area_year: int | None = None
    lines: int = 0
    areas: int = 0
    values: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    areas_created: int = 0
    indicators: list = field(default_factory=list)
    issues: list = field(default_factory=list)

    @property
    def refused(self):
        return any(issue.is_error for issue in self.issues)


def file_error(code, message, name, **params):
    return error(code, message, file=name, params={"file": name, **params})


def import_indicators(
    path,
    level,
    *,
    year=None,
    keep=None,
    characteristics=None,
    geo_level=None,
    code_column=None,
    columns=None,
    area_year=None,
    create_areas=False,
    name=None,
):
    """Import the values in the file at `path` for the areas of `level` (an AreaLevel code).

    `keep`: the indicator codes to keep (default: all the file has); `characteristics`:
    {a profile characteristic's number or name: indicator code}, beside the catalogue's own;
    `geo_level`: the profile's GEO_LEVEL to read (default: the one most areas have);
    `code_column`, `columns` ({header: code}): a wide table's code and value columns.
    `year`: a profile's or wide table's census year (checked against the file's), or the one
    year kept from a long table. Returns an IndicatorImportResult; `refused`: nothing changed.
    """
    path = Path(path)
    name = name or path.name
    result = IndicatorImportResult(file=name, level=str(level))
    level_row = AreaLevel.objects.filter(code=level).first()
    if level_row is None:
        result.issues.append(
            file_error(
                "unknown_level",
                gettext_noop("%(file)s: the level “%(level)s” is unknown; use one of %(known)s."),
                name,
                level=level,
                known=", ".join(AreaLevel.objects.values_list("code", flat=True)),
            )
        )
        return result
    catalogue = list(Indicator.objects.all())
    known = {indicator.code for indicator in catalogue}
    for code in [*(keep or []), *(characteristics or {}).values(), *(columns or {}).values()]:
        if code not in known:
            result.issues.append(
                file_error(
                    "unknown_indicator",
                    gettext_noop(
                        "%(file)s: “%(value)s” is not an indicator of the catalogue; use one of "
                        "%(known)s, or add it in the admin first."
                    ),
                    name,
                    value=code,
                    known=", ".join(sorted(known)),
                )
            )
    if result.refused:
        return result
    try:
        headers, encoding = _header(path, name)
        layout = profile.detect(headers) if headers else None
        if layout is not None:
            rows = _profile_rows(
                path,
                name,
                encoding,
                layout,
                catalogue,
                result,
                year,
                keep,
                characteristics,
                geo_level,
            )
            rows = list(rows or [])
        else:
            rows = _table_rows(path, name, level, catalogue, result, year, code_column, columns)
        if keep:
            rows = [row for row in rows if row[4] in keep]
    except ImportFileError as exc:
        result.issues.append(exc.issue)
        return result
    rows = _level_codes(rows, level, name, result.issues)
    if result.refused:
        return result
    if not rows:
        result.issues.append(
            file_error(
                "nothing_to_import",
                gettext_noop(
                    "%(file)s holds no value of the indicators asked for at this level; "
                    "nothing was imported."
                ),
                name,
            )
        )
        return result
    result.values = len(rows)
    result.indicators = sorted({row[4] for row in rows})
    years = {row[5] for row in rows}
    if None in years:
        result.issues.append(
            file_error(
                "missing_year",
                gettext_noop(
                    "%(file)s: the values’ year is not in the file (no year column, and no "
                    "year in its headers); give it with --year."
                ),
                name,
            )
        )
        return result
    result.year = max(years)
    result.area_year = area_year or _area_year(level_row, result.year, create_areas)
    if result.area_year is None:
        result.issues.append(
            file_error(
                "no_areas",
                gettext_noop(
                    "%(file)s: no areas of the level “%(level)s” are loaded for %(year)s or "
                    "before; import their boundary file first, or pass --create-areas."
                ),
                name,
                level=level,
                year=result.year,
            )
        )
        return result
    if result.area_year != result.year:
        result.issues.append(
            warning(
                "earlier_areas",
                gettext_noop(
                    "%(file)s: no areas of the level “%(level)s” are loaded for %(year)s; the "
                    "values go to its %(area_year)s areas (give --area-year to choose)."
                ),
                file=name,
                params={
                    "file": name,
                    "level": level,
                    "year": result.year,
                    "area_year": result.area_year,
                },
            )
        )
    with transaction.atomic(), connection.cursor() as cursor:
        values.merge(cursor, rows, level_row, result, create_areas)
        if result.refused:
            transaction.set_rollback(True)
    return result


def _header(path, name):
    """The header row's cells and the text encoding, from the file's first bytes; ([], None)
    for a file that is not text (an XLSX workbook, read by the readers)."""
    try:
        with open(path, "rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise ImportFileError(
            "unreadable", gettext_noop("%(file)s could not be opened."), file=name
        ) from exc
    if sample.startswith(b"PK"):
        return [], None
    if len(sample) == SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n")]
    text, encoding = decode(sample, name)
    first = next(csv.reader(text.splitlines()[:1]), [])
    return first, encoding


def _profile_rows(
    path, name, encoding, layout, catalogue, result, year, keep, characteristics, geo_level
):
    result.layout = f"census-profile-{layout.edition}"
    issues = result.issues
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        try:
            first = next(reader)
        except StopIteration:
            issues.append(file_error("empty_file", gettext_noop("%(file)s has no rows."), name))
            return None
        file_year = first[layout.year_column].strip()
        if not file_year.isdigit():
            issues.append(
                file_error(
                    "missing_year",
                    gettext_noop(
                        "%(file)s, row 2, column CENSUS_YEAR: “%(value)s” is not a census year."
                    ),
                    name,
                    value=file_year,
                )
            )
            return None
        census_year = int(file_year)
        if year and year != census_year:
            issues.append(
                file_error(
                    "year_mismatch",
                    gettext_noop(
                        "%(file)s is the %(found)s census profile, not %(given)s; leave --year "
                        "out or give %(found)s."
                    ),
                    name,
                    found=census_year,
                    given=year,
                )
            )
            return None
        specs = _specs(catalogue, census_year, characteristics, keep)
        profile_reader = profile.ProfileReader(name, layout, specs, issues)

        def numbered():
            yield 2, first
            for cells in reader:
                yield reader.line_num, cells

        try:
            blocks = list(profile_reader.blocks(numbered()))
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "bad_encoding",
                gettext_noop(
                    "%(file)s, row %(row)s: the text is not valid %(encoding)s; save the file "
                    "again as CSV UTF-8."
                ),
                file=name,
                row=reader.line_num + 1,
                encoding=encoding,
            ) from exc
        result.lines = reader.line_num
    blocks = _one_geo_level(blocks, geo_level, name, issues)
    blocks = profile.complete_blocks(blocks, layout.expected, name, issues)
    rows = []
    for block in blocks:
        code = block.alt_code or block.code
        for indicator, (value, status, line) in block.values.items():
            rows.append(
                (line, code, block.dguid, block.name, indicator, census_year, value, status,
                 block.flag)
            )  # fmt: skip
    return rows


def _specs(catalogue, census_year, given, keep):
    specs = {spec.indicator: spec for spec in profile.specs_from_catalogue(catalogue, census_year)}
    for key, code in (given or {}).items():
        key = key.strip()
        if key.isdigit():
            specs[code] = profile.Spec(code, ids=frozenset([key]))
        else:
            specs[code] = profile.Spec(code, names=frozenset([profile.normal(key)]))
    return [spec for code, spec in specs.items() if not keep or code in keep]


def _one_geo_level(blocks, given, name, issues):
    """The blocks of one GEO_LEVEL: `given`, else the one most areas have (the finest on a
    tie); the others are left out with one warning naming them."""
    if not blocks:
        return blocks
    counts = Counter(block.level for block in blocks)
    if given is not None:
        chosen = str(given)
    else:
        most = max(counts.values())
        chosen = max((lvl for lvl, n in counts.items() if n == most), key=_as_number)
    kept = [block for block in blocks if block.level == chosen]
    others = [block for block in blocks if block.level != chosen]
    if others:
        issues.append(
            warning(
                "other_geo_level",
                gettext_noop(
                    "%(file)s: %(count)s areas at another GEO_LEVEL than %(chosen)s are left "
                    "out (%(areas)s); choose the level with --geo-level."
                ),
                file=name,
                params={
                    "file": name,
                    "count": len(others),
                    "chosen": chosen,
                    "areas": ", ".join(f"{b.code} {b.name}" for b in others[:LISTED]),
                },
            )
        )
    return kept


def _as_number(text):
    return int(text) if text.isdigit() else -1


def _table_rows(path, name, level, catalogue, result, year, code_column, columns):
    table = read_table(path, name=name)
    result.lines = len(table.rows) + 1
    issues = result.issues
    issues.extend(table.issues)
    known = {indicator.code for indicator in catalogue}
    if tables.is_long(table.headers):
        result.layout = "long"
        return list(tables.long_rows(table, known, year, issues))
    result.layout = "wide"
    code_header = tables.code_column(table.headers, level, code_column)
    if code_header is None:
        issues.append(
            file_error(
                "missing_code_column",
                gettext_noop(
                    "%(file)s is neither a Census Profile nor a long table (area_code, "
                    "indicator, year, value), and has no column of area codes (looked for "
                    "%(expected)s); name it with --code-column. Its columns: %(columns)s."
                ),
                name,
                expected=code_column or ", ".join(tables.CODE_COLUMNS),
                columns=", ".join(table.headers),
            )
        )
        return []
    for header in columns or {}:
        if header not in table.headers:
            issues.append(
                file_error(
                    "missing_field",
                    gettext_noop("%(file)s has no column “%(column)s”; its columns: %(columns)s."),
                    name,
                    column=header,
                    columns=", ".join(table.headers),
                )
            )
    census_year = year or tables.wide_year(table.headers)
    found = tables.wide_columns(table.headers, catalogue, census_year, columns or {})
    found.pop(code_header, None)
    if not found:
        issues.append(
            file_error(
                "no_indicator_columns",
                gettext_noop(
                    "%(file)s has no column named after an indicator of the catalogue "
                    "(%(known)s); map its columns with --column HEADER=CODE. Its columns: "
                    "%(columns)s."
                ),
                name,
                known=", ".join(sorted(known)),
                columns=", ".join(table.headers),
            )
        )
        return []
    if issues and any(issue.is_error for issue in issues):
        return []
    return list(tables.wide_rows(table, level, code_header, found, census_year, issues))


def _level_codes(rows, level, name, issues):
    """The rows whose code is one of the level's; the others left out, said once."""
    pattern = LEVEL_CODES.get(level)
    if pattern is None:
        return rows
    kept, skipped = [], {}
    for row in rows:
        if pattern.fullmatch(row[1]):
            kept.append(row)
        else:
            skipped.setdefault(row[1], row)
    if skipped:
        issues.append(
            warning(
                "not_a_level_code",
                gettext_noop(
                    "%(file)s: %(count)s areas whose code is not a code of this level are left "
                    "out (%(areas)s)."
                ),
                file=name,
                params={
                    "file": name,
                    "count": len(skipped),
                    "areas": ", ".join(
                        values.named(code, row[3]) for code, row in list(skipped.items())[:LISTED]
                    ),
                },
            )
        )
    return kept


def _area_year(level_row, year, create_areas):
    """The census year of the areas the values go to: the values' own year when its areas
    are loaded, or are to be created; else the latest earlier year's areas."""
    years = set(level_row.areas.values_list("year", flat=True).distinct())
    if year in years or create_areas:
        return year
    earlier = [known for known in years if known <= year]
    return max(earlier) if earlier else None
