"""Read an uploaded file into a `Table` of text cells, safely.

`read_table(path)` recognises the format from the content (the extension is only a hint, and a
known extension that contradicts the content is refused), checks the size limits before
reading, and hands the file to one reader:

- `delimited`: CSV in any common delimiter and encoding;
- `workbook`: XLSX through openpyxl, cached values only;
- `geojson` (and TopoJSON, through GDAL), `vector` (GeoPackage, zipped Shapefile): geometries
  in EPSG:4326 (`geometry`), polygons included (the boundary import of servicepoints.layers).

A file that cannot be imported at all raises `ImportFileError`; problems with single rows are
`Issue`s in `Table.issues`. Limits come from settings (IMPORT_MAX_*, see .env.example).
"""

import os
import tempfile
from pathlib import Path

from django.utils.translation import gettext_noop

from . import archives, delimited, geojson, vector, workbook
from .common import Limits, Table, refuse

__all__ = ["Table", "read_table", "detect_format"]

SNIFF_BYTES = 4096
# Format names are the same in English and French, so messages take them as parameters.
FORMAT_LABELS = {
    "csv": "CSV",
    "xlsx": "Excel (XLSX)",
    "geojson": "GeoJSON",
    "gpkg": "GeoPackage",
    "shp": "Shapefile (zip)",
}
# The extensions a person gives each format; "zip" may hold a Shapefile, a GeoPackage or GeoJSON.
EXTENSIONS = {
    ".csv": {"csv"},
    ".tsv": {"csv"},
    ".txt": {"csv"},
    ".xlsx": {"xlsx"},
    ".geojson": {"geojson"},
    ".json": {"geojson"},
    ".gpkg": {"gpkg"},
    ".zip": {"shp", "gpkg", "geojson"},
}
# Formats recognised only to say clearly that they are not accepted.
REFUSED_MAGIC = [
    (
        b"\x89PNG\r\n\x1a\n",
        gettext_noop(
            "%(file)s is an image (PNG), not a data file; "
            "use CSV, Excel (XLSX), GeoJSON, GeoPackage or a zipped Shapefile."
        ),
    ),
    (
        b"\xff\xd8\xff",
        gettext_noop(
            "%(file)s is an image (JPEG), not a data file; "
            "use CSV, Excel (XLSX), GeoJSON, GeoPackage or a zipped Shapefile."
        ),
    ),
    (
        b"GIF8",
        gettext_noop(
            "%(file)s is an image (GIF), not a data file; "
            "use CSV, Excel (XLSX), GeoJSON, GeoPackage or a zipped Shapefile."
        ),
    ),
    (
        b"%PDF-",
        gettext_noop(
            "%(file)s is a PDF document, not a data file; "
            "use CSV, Excel (XLSX), GeoJSON, GeoPackage or a zipped Shapefile."
        ),
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        gettext_noop(
            "%(file)s is an Excel 97–2003 workbook (.xls), which cannot be imported; save it "
            "as .xlsx or CSV UTF-8."
        ),
    ),
    (
        b"\x00\x00\x27\x0a",
        gettext_noop(
            "%(file)s is a lone .shp file; zip it together with its .shx, .dbf and .prj files "
            "and import the zip."
        ),
    ),
    (
        b"\x1f\x8b",
        gettext_noop(
            "%(file)s is a compressed archive that cannot be imported; "
            "use CSV, Excel (XLSX), GeoJSON, GeoPackage or a zipped Shapefile."
        ),
    ),
    (
        b"Rar!",
        gettext_noop(
            "%(file)s is a compressed archive that cannot be imported; "
            "use CSV, Excel (XLSX), GeoJSON, GeoPackage or a zipped Shapefile."
        ),
    ),
    (
        b"7z\xbc\xaf",
        gettext_noop(
            "%(file)s is a compressed archive that cannot be imported; "
            "use CSV, Excel (XLSX), GeoJSON, GeoPackage or a zipped Shapefile."
        ),
    ),
]
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SQLITE_MAGIC = b"SQLite format 3\x00"


def read_table(path, *, name=None, max_bytes=None, keep_invalid=False):
    """The file at `path` as a Table; ImportFileError when it cannot be imported at all.

    `name` is the file name the user knows (the upload's name); by default the path's name.
    `max_bytes` overrides settings.IMPORT_MAX_BYTES. `keep_invalid` keeps invalid geometries
    (for a caller that repairs them) instead of leaving them out with an error.
    """
    path = Path(path)
    name = name or path.name
    limits = Limits.from_settings(max_bytes)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise refuse("unreadable", gettext_noop("%(file)s could not be opened."), name) from exc
    if size > limits.max_bytes:
        raise too_large(name, size, limits.max_bytes)
    if size == 0:
        raise delimited.empty(name)
    kind, archive = detect_format(path, name, limits)
    try:
        if kind == "xlsx":
            return workbook.read_xlsx(path, name, limits)
        if archive is not None:
            return read_zip(archive, kind, name, limits, keep_invalid)
        if kind == "csv":
            return delimited.read_csv(path.read_bytes(), name, limits)
        if kind == "geojson":
            return geojson.read_geojson(path.read_bytes(), name, limits, keep_invalid=keep_invalid)
        return vector.read_gpkg(path, name, limits, keep_invalid=keep_invalid)
    finally:
        if archive is not None:
            archive.close()


def too_large(name, size, limit):
    if limit >= 1024 * 1024:
        return refuse(
            "too_large",
            gettext_noop("%(file)s is %(size)s MB, more than the %(limit)s MB allowed; split it."),
            name,
            size=f"{size / 1048576:.1f}",
            limit=f"{limit / 1048576:.1f}".removesuffix(".0"),
        )
    return refuse(
        "too_large",
        gettext_noop("%(file)s is %(size)s KB, more than the %(limit)s KB allowed; split it."),
        name,
        size=f"{size / 1024:.1f}",
        limit=f"{limit / 1024:.1f}".removesuffix(".0"),
    )


def detect_format(path, name, limits=None):
    """(format, open ZipFile or None) from the content, checked against the extension."""
    limits = limits or Limits.from_settings()
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    extension = Path(name).suffix.lower()
    archive = None
    if head.startswith(ZIP_MAGIC):
        archive = archives.open_zip(path, name, limits)
        kind = zip_kind(archive, name)
    elif head.startswith(SQLITE_MAGIC):
        kind = "gpkg"
    else:
        for magic, message in REFUSED_MAGIC:
            if head.startswith(magic):
                raise refuse("unsupported_format", message, name)
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if text.startswith(b"{") or (text.startswith(b"[") and extension in (".json", "")):
            kind = "geojson"
        else:
            kind = "csv"
    expected = EXTENSIONS.get(extension)
    if expected is not None and kind not in expected:
        if archive is not None:
            archive.close()
        raise refuse(
            "format_mismatch",
            gettext_noop(
                "%(file)s is named like a %(extension)s file but its content is %(format)s; "
                "check that you chose the right file, or fix its name."
            ),
            name,
            extension=extension,
            format=FORMAT_LABELS[kind],
        )
    return kind, archive


def zip_kind(archive, name):
    members = archives.data_members(archive)
    names = [member.filename.lower() for member in members]
    if "[content_types].xml" in names:
        if any(member.startswith("xl/") for member in names):
            return "xlsx"
        archive.close()
        raise refuse(
            "unsupported_format",
            gettext_noop(
                "%(file)s is an office document but not an Excel workbook; "
                "use CSV, Excel (XLSX), GeoJSON, GeoPackage or a zipped Shapefile."
            ),
            name,
        )
    if any(member.endswith((".shp", ".shx", ".dbf")) for member in names):
        return "shp"
    if any(member.endswith(".gpkg") for member in names):
        return "gpkg"
    if any(member.endswith((".geojson", ".json")) for member in names):
        return "geojson"
    archive.close()
    raise refuse(
        "unsupported_format",
        gettext_noop(
            "%(file)s is a zip archive with no Shapefile, GeoPackage or GeoJSON file in it; "
            "use CSV, Excel (XLSX), GeoJSON, GeoPackage or a zipped Shapefile."
        ),
        name,
    )


def read_zip(archive, kind, name, limits, keep_invalid=False):
    if kind == "shp":
        return vector.read_shapefile_zip(archive, name, limits, keep_invalid=keep_invalid)
    suffixes = (".gpkg",) if kind == "gpkg" else (".geojson", ".json")
    found = [m for m in archives.data_members(archive) if m.filename.lower().endswith(suffixes)]
    if len(found) > 1:
        raise refuse(
            "several_files",
            gettext_noop("%(file)s holds more than one %(format)s file; zip one file at a time."),
            name,
            format=FORMAT_LABELS[kind],
        )
    with tempfile.TemporaryDirectory(prefix="snm-import-") as folder:
        target = Path(folder) / f"layer{suffixes[0]}"
        archives.extract(archive, found[0], target, name, limits, limits.max_uncompressed_bytes)
        if kind == "gpkg":
            if not target.read_bytes()[:16] == SQLITE_MAGIC:
                raise not_kind(name, kind)
            return vector.read_gpkg(target, name, limits, keep_invalid=keep_invalid)
        return geojson.read_geojson(target.read_bytes(), name, limits, keep_invalid=keep_invalid)


def not_kind(name, kind):
    return refuse(
        "damaged_file",
        gettext_noop("%(file)s could not be read as a %(format)s; it may be damaged."),
        name,
        format=FORMAT_LABELS[kind],
    )
