"""GeoPackage and zipped Shapefile through GDAL (Django's DataSource), in EPSG:4326.

Their coordinate reference system is read here (the GeoPackage's `gpkg_spatial_ref_sys` WKT,
the Shapefile's .prj, which is not even extracted for GDAL) and accepted only through
`servicepoints.geo.trusted_srs()`. A Shapefile without .prj, or a GeoPackage layer with an
undefined system, is refused: guessing lon/lat from the numbers would place a file in the
wrong CRS silently.
"""

import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.contrib.gis.gdal import DataSource
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.gdal.field import OFTDate, OFTDateTime, OFTTime
from django.contrib.gis.gdal.prototypes import ds as ogr_api
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from ...geo import trusted_srs
from ..issues import warning
from .archives import data_members, extract, read_member_text
from .common import Table, check_headers, clip, refuse, too_many_rows
from .geometry import Geometries


def srs_from_wkt(wkt, name, part):
    try:
        return trusted_srs(wkt, source=name)
    except ValidationError as exc:
        if exc.code == "srs_not_wkt":
            raise refuse(
                "srs_not_wkt",
                gettext_noop(
                    "%(file)s: the coordinate reference system in %(part)s is not a WKT "
                    "definition; export the file again from your GIS."
                ),
                name,
                part=part,
            ) from exc
        raise refuse(
            "srs_unknown",
            gettext_noop(
                "%(file)s: the coordinate reference system in %(part)s cannot be matched to an "
                "EPSG code; reproject the file to a standard system (for example EPSG:4326 or "
                "EPSG:3347) and try again."
            ),
            name,
            part=part,
        ) from exc


def missing_crs(name, part):
    return refuse(
        "missing_crs",
        gettext_noop(
            "%(file)s does not say which coordinate reference system its coordinates use "
            "(%(part)s); export it again with its projection, or reproject it to EPSG:4326."
        ),
        name,
        part=part,
    )


def open_datasource(path, name, driver, label):
    try:
        source = DataSource(str(path))
    except GDALException as exc:
        raise refuse(
            "damaged_file",
            gettext_noop("%(file)s could not be read as a %(format)s; it may be damaged."),
            name,
            format=label,
        ) from exc
    if source.driver.name != driver:
        raise refuse(
            "damaged_file",
            gettext_noop("%(file)s could not be read as a %(format)s; it may be damaged."),
            name,
            format=label,
        )
    return source


def pick_layer(source, name):
    """The first layer with features (or the first layer), and warnings about the others."""
    layers = list(source)
    if not layers:
        raise refuse("no_rows", gettext_noop("%(file)s has no rows: it holds no layers."), name)
    filled = [layer for layer in layers if layer.num_feat > 0]
    if not filled:
        raise refuse(
            "no_rows", gettext_noop("%(file)s has no rows: its layers hold no features."), name
        )
    chosen = filled[0]
    issues = []
    if len(filled) > 1:
        issues.append(other_layers_warning(name, chosen.name, [layer.name for layer in filled]))
    return chosen, issues


def other_layers_warning(name, chosen, names):
    return warning(
        "other_layers_ignored",
        gettext_noop(
            "%(file)s has %(count)s layers with features; only “%(layer)s” was read. Import "
            "the others as separate files."
        ),
        file=name,
        value=clip(", ".join(names)),
        params={"file": name, "count": len(names), "layer": chosen},
    )


def read_layer(layer, name, srs, limits, *, format, source_srid, issues, keep_invalid=False):
    if layer.num_feat > limits.max_rows:
        raise too_many_rows(name, limits)
    fields = layer.fields
    kinds = layer.field_types
    dates = {index for index, kind in enumerate(kinds) if kind in (OFTDate, OFTDateTime, OFTTime)}
    geometries = Geometries(name, srs, keep_invalid=keep_invalid)
    as_string = ogr_api.get_field_as_string
    geometry_ref = ogr_api.get_feat_geom_ref
    rows, shapes = [], []
    count = range(len(fields))
    for number, feature in enumerate(layer, start=1):
        pointer = feature.ptr
        cells = [(as_string(pointer, index) or b"").decode("utf-8", "replace") for index in count]
        for index in dates:
            cells[index] = cells[index].replace("/", "-")
        rows.append(cells)
        if geometry_ref(pointer):
            shapes.append(geometries.convert(feature.geom, number))
        else:
            shapes.append(None)
        if len(rows) > limits.max_rows:
            raise too_many_rows(name, limits)
    headers, rows = check_headers(name, [field.strip() for field in fields], rows)
    return Table(
        name=name,
        format=format,
        headers=headers,
        rows=rows,
        line_numbers=list(range(1, len(rows) + 1)),
        geometries=shapes,
        source_srid=source_srid,
        issues=issues + geometries.issues,
        layer=layer.name,
    )


def read_gpkg(path, name, limits, *, keep_invalid=False):
    srs_rows = geopackage_srs(path, name)
    source = open_datasource(path, name, "GPKG", "GeoPackage")
    layer, issues = pick_layer(source, name)
    definition = srs_rows.get(layer.name.lower())
    srs = None
    if layer.geom_type.num != 100 and definition is not None:  # 100: wkbNone (no geometry)
        if not definition.strip() or definition.strip().lower() == "undefined":
            raise missing_crs(name, "gpkg_spatial_ref_sys")
        srs = srs_from_wkt(definition, name, "gpkg_spatial_ref_sys")
    return read_layer(
        layer,
        name,
        srs,
        limits,
        format="gpkg",
        source_srid=srs.srid if srs else None,
        issues=issues,
        keep_invalid=keep_invalid,
    )


def read_topojson(text, name, limits, *, keep_invalid=False):
    """A TopoJSON document (already parsed once as JSON by the caller) through GDAL's TopoJSON
    driver, which rebuilds the polygons from the shared arcs; TopoJSON is lon/lat."""
    source = open_datasource(text, name, "TopoJSON", "TopoJSON")
    layer, issues = pick_layer(source, name)
    return read_layer(
        layer,
        name,
        None,
        limits,
        format="topojson",
        source_srid=4326,
        issues=issues,
        keep_invalid=keep_invalid,
    )


def geopackage_srs(path, name):
    """{lower-case table name: the WKT of its spatial reference} from the GeoPackage tables."""
    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise not_geopackage(name) from exc
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        tables = connection.execute(
            "SELECT g.table_name, s.definition FROM gpkg_geometry_columns g "
            "LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id"
        ).fetchall()
    except sqlite3.Error as exc:
        raise not_geopackage(name) from exc
    finally:
        connection.close()
    return {str(table).lower(): str(definition or "") for table, definition in tables}


def not_geopackage(name):
    return refuse(
        "not_geopackage",
        gettext_noop(
            "%(file)s is an SQLite database but not a GeoPackage; export the layer as a "
            "GeoPackage (.gpkg)."
        ),
        name,
    )


SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")


def read_shapefile_zip(archive, name, limits, *, keep_invalid=False):
    members = data_members(archive)
    by_name = {member.filename.lower(): member for member in members}
    shapes = [member for member in members if member.filename.lower().endswith(".shp")]
    filled = []
    with tempfile.TemporaryDirectory(prefix="snm-import-") as folder:
        budget = limits.max_uncompressed_bytes
        tables = []
        for index, shp in enumerate(shapes):
            stem = shp.filename[:-4].lower()
            missing = [ext for ext in SHAPEFILE_PARTS if stem + ext not in by_name]
            if missing:
                raise refuse(
                    "shapefile_incomplete",
                    gettext_noop(
                        "%(file)s: the Shapefile “%(layer)s” is missing its %(parts)s part; "
                        "a zipped Shapefile needs the .shp, .shx, .dbf and .prj files."
                    ),
                    name,
                    layer=Path(shp.filename).name,
                    parts=", ".join(missing),
                )
            prj = by_name.get(stem + ".prj")
            if prj is None:
                raise missing_crs(name, ".prj")
            srs = srs_from_wkt(read_member_text(archive, prj, name), name, ".prj")
            base = Path(folder) / f"layer{index}"
            for ext in (*SHAPEFILE_PARTS, ".cpg"):
                member = by_name.get(stem + ext)
                if member is not None:
                    budget -= extract(archive, member, base.with_suffix(ext), name, limits, budget)
            source = open_datasource(base.with_suffix(".shp"), name, "ESRI Shapefile", "Shapefile")
            layer = source[0]
            if layer.num_feat > 0:
                filled.append(Path(shp.filename).stem)
                if not tables:
                    tables.append(
                        read_layer(
                            layer,
                            name,
                            srs,
                            limits,
                            format="shp",
                            source_srid=srs.srid,
                            issues=[],
                            keep_invalid=keep_invalid,
                        )
                    )
                    tables[0].layer = Path(shp.filename).stem
    if not tables:
        raise refuse(
            "no_rows", gettext_noop("%(file)s has no rows: its Shapefile holds no features."), name
        )
    table = tables[0]
    if len(filled) > 1:
        table.issues.insert(0, other_layers_warning(name, table.layer, filled))
    return table
