"""What every reader shares: the `Table`, the limits, the header checks and cell conversions."""

import datetime
import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_noop

from ..issues import ImportFileError, Issue, warning

# Longest cell value copied into an Issue (the whole cell stays in the table).
ISSUE_VALUE_CHARS = 200


@dataclass
class Table:
    """A file read as text cells, before any validation."""

    name: str  # the file name as the user knows it (used in every message)
    format: str  # "csv" | "xlsx" | "geojson" | "gpkg" | "shp"
    headers: list[str]  # as in the file, whitespace-stripped
    rows: list[list[str]]  # text cells ("" when empty), each exactly len(headers) long
    line_numbers: list[int]  # where a person finds each row (CSV line, sheet row, feature number)
    geometries: list | None = None  # vector formats: per row a GEOSGeometry (EPSG:4326) or None
    source_srid: int | None = None  # EPSG code the file declared (4326 for GeoJSON)
    encoding: str | None = None  # CSV: "utf-8", "utf-8-sig", "cp1252" or "latin-1"
    delimiter: str | None = None  # CSV only
    sheet: str | None = None  # XLSX: the sheet read (the first non-empty one)
    issues: list[Issue] = field(default_factory=list)  # row problems met while reading
    layer: str | None = None  # GeoPackage / Shapefile: the layer read


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed_bytes: int
    max_compression_ratio: int
    max_members: int
    max_rows: int

    @classmethod
    def from_settings(cls, max_bytes=None):
        return cls(
            max_bytes=max_bytes if max_bytes is not None else settings.IMPORT_MAX_BYTES,
            max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            max_compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            max_members=settings.IMPORT_MAX_ARCHIVE_MEMBERS,
            max_rows=settings.IMPORT_MAX_ROWS,
        )


def refuse(code, message, name, **params):
    return ImportFileError(code, message, file=name, **params)


def too_many_rows(name, limits):
    return refuse(
        "too_many_rows",
        gettext_noop("%(file)s has more than %(limit)s rows; split it into smaller files."),
        name,
        limit=f"{limits.max_rows:,}",
    )


def clip(value):
    text = str(value)
    return text if len(text) <= ISSUE_VALUE_CHARS else text[: ISSUE_VALUE_CHARS - 1] + "…"


def _header_key(header):
    return " ".join(header.split()).casefold()


def check_headers(name, headers, rows, *, label=None):
    """Refuse duplicate headers and named-less columns that hold data; drop empty unnamed ones.

    `headers` are stripped already; `rows` are padded to len(headers). Returns (headers, rows).
    `label(index)` names a column for messages (a spreadsheet letter, or a position).
    """
    label = label or (lambda index: str(index + 1))
    seen = {}
    duplicates = []
    for header in headers:
        if not header:
            continue
        key = _header_key(header)
        if key in seen:
            if seen[key] not in duplicates:
                duplicates.append(seen[key])
        else:
            seen[key] = header
    if duplicates:
        raise refuse(
            "duplicate_headers",
            gettext_noop(
                "%(file)s has more than one column named %(headers)s; give every column a "
                "different name."
            ),
            name,
            headers=", ".join(f"“{header}”" for header in duplicates),
        )
    unnamed = [index for index, header in enumerate(headers) if not header]
    if not unnamed:
        return headers, rows
    with_data = [index for index in unnamed if any(row[index] for row in rows)]
    if with_data:
        raise refuse(
            "empty_header",
            gettext_noop(
                "%(file)s has data in a column with no name (column %(columns)s); add a name "
                "to the header row."
            ),
            name,
            columns=", ".join(label(index) for index in with_data),
        )
    keep = [index for index, header in enumerate(headers) if header]
    if not keep:
        raise refuse(
            "no_headers", gettext_noop("%(file)s has no column names in its first row."), name
        )
    if keep == list(range(len(keep))):  # only trailing empty columns: slice
        width = len(keep)
        return headers[:width], [row[:width] for row in rows]
    return [headers[i] for i in keep], [[row[i] for i in keep] for row in rows]


# A cell a spreadsheet would run as a formula: "=...", "@...", or "+"/"-" followed by more than
# a number or a phone number. Cells are joined with \x1f so one search covers a whole row.
_SEP = "\x1f"
_FORMULA_LIKE = re.compile(r"(?:^|\x1f)(?:[=@]|[+-](?![\d\s().,+-]*(?:\x1f|$)))")


# The same test over a whole delimited text (a sign or @ after a separator, a quote or a line
# break), to skip the row search when nothing matches. Starting on the character class is fast.
_FORMULA_IN_TEXT = re.compile(
    r"[=@+-](?<![^,;\t|\"\r\n][=@+-])(?:(?<=[=@])|(?![\d \t().,+-]*(?:[,;\t|\"\r\n]|$)))",
    re.MULTILINE,
)


def formula_issues(name, headers, rows, line_numbers, text=None):
    """Warnings for cells starting like a formula (neutralised on export, reported here).

    `text`, the whole file as text, lets a file with no candidate at all skip the row search.
    """
    if text is not None and not _FORMULA_IN_TEXT.search(text):
        return []
    issues = []
    search = _FORMULA_LIKE.search
    for row, line in zip(rows, line_numbers, strict=True):
        if not search(_SEP.join(row)):
            continue
        for header, cell in zip(headers, row, strict=True):
            if cell and search(cell):
                issues.append(
                    warning(
                        "formula_like",
                        gettext_noop(
                            "%(file)s, row %(row)s, column “%(column)s”: the value starts like "
                            "a spreadsheet formula; it is kept as text, and exports neutralise "
                            "it so that no spreadsheet runs it."
                        ),
                        file=name,
                        row=line,
                        column=header,
                        value=clip(cell),
                        params={"file": name, "row": line, "column": header},
                    )
                )
    return issues


def number_text(value):
    """A number as a person wrote it: integers without ".0", no float noise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def value_text(value):
    """Any cell value (spreadsheet or GDAL attribute) as faithful text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    return str(value)
