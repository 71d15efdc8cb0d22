"""Vector formats: GeoJSON, GeoPackage and zipped Shapefile, with geometries in EPSG:4326.

- GeoJSON is parsed with Python's json module, not GDAL's driver: every feature is checked
  (structure, finite coordinates) and reported by number, and a legacy `crs` member is read
  here (only EPSG codes and CRS84), never handed to GDAL's spatial-reference parser.
- GeoPackage and Shapefile attributes and geometries come through GDAL (Django's DataSource).
  Their coordinate reference system is read here (the GeoPackage's `gpkg_spatial_ref_sys`
  WKT, the Shapefile's .prj) and accepted only through `servicepoints.geo.trusted_srs()`.
  A Shapefile without .prj, or a GeoPackage layer with an undefined system, is refused:
  guessing lon/lat from the numbers would place a wrong-CRS file silently.
- Geometries are kept whatever their type (points here, polygons for boundary imports), as 2D.
  A null or empty geometry gives None with no issue (whether a row needs one is for
  validation); an invalid or non-finite one gives None and an error Issue for the row.
"""

import json
import math
import re
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.contrib.gis.gdal import CoordTransform, DataSource, OGRGeometry, SpatialReference
from django.contrib.gis.gdal.error import GDALException, SRSException
from django.contrib.gis.gdal.field import OFTDate, OFTDateTime, OFTTime
from django.contrib.gis.gdal.prototypes import ds as ogr_api
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from ...geo import trusted_srs
from ..issues import error, warning
from .archives import data_members, extract, read_member_text
from .common import Table, check_headers, clip, refuse, too_many_rows, value_text

WGS84 = 4326
GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
CRS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "crs84",
}
_EPSG_NAME = re.compile(
    r"^(?:urn:ogc:def:crs:epsg:[\d.]*:|epsg:|http://www\.opengis\.net/def/crs/epsg/0/)(\d{4,6})$"
)


# Geometries ---------------------------------------------------------------------------------


class Geometries:
    """Turns OGR geometries of one file into GEOS geometries in EPSG:4326, noting issues."""

    def __init__(self, name, srs=None):
        self.name = name
        self.issues = []
        code = None if srs is None else srs.srid
        self.transform = (
            None if srs is None or code == WGS84 else CoordTransform(srs, SpatialReference(WGS84))
        )

    def issue(self, code, message, number, value="", **params):
        self.issues.append(
            error(
                code,
                message,
                file=self.name,
                row=number,
                column="geometry",
                value=clip(value),
                params={"file": self.name, "row": number, **params},
            )
        )

    def convert(self, ogr, number):
        try:
            ogr.set_3d(False)
            ogr.set_measured(False)
            geometry = GEOSGeometry(ogr.wkb)
        except (GDALException, GEOSException, ValueError, TypeError):
            self.issue("invalid_geometry", INVALID_GEOMETRY, number)
            return None
        if geometry.empty:
            return None
        if not geometry.valid:
            reason = geometry.valid_reason
            if reason.startswith("Invalid Coordinate"):
                self.issue("non_finite_coordinates", NON_FINITE, number, value=reason)
            else:
                self.issue("invalid_geometry", INVALID_GEOMETRY, number, value=reason)
            return None
        if self.transform is not None:
            try:
                geometry.transform(self.transform)
            except (GDALException, GEOSException):
                self.issue("cannot_reproject", CANNOT_REPROJECT, number)
                return None
        geometry.srid = WGS84
        xmin, ymin, xmax, ymax = geometry.extent
        if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
            self.issue(
                "out_of_range",
                OUT_OF_RANGE,
                number,
                value=f"{xmin:.6g} {ymin:.6g} {xmax:.6g} {ymax:.6g}",
            )
            return None
        return geometry


INVALID_GEOMETRY = gettext_noop(
    "%(file)s, feature %(row)s: the geometry is not valid; it was left out. "
    "Repair it in your GIS (for example with “Fix geometries”) and try again."
)
NON_FINITE = gettext_noop(
    "%(file)s, feature %(row)s: the geometry has a coordinate that is not a number (NaN or "
    "infinity); it was left out."
)
CANNOT_REPROJECT = gettext_noop(
    "%(file)s, feature %(row)s: the geometry could not be converted to longitude and latitude; "
    "its coordinates may not match the file’s coordinate reference system."
)
OUT_OF_RANGE = gettext_noop(
    "%(file)s, feature %(row)s: once converted, the coordinates fall outside longitude −180 to "
    "180 and latitude −90 to 90; the file’s coordinate reference system may be wrong."
)


# GeoJSON ------------------------------------------------------------------------------------


def read_geojson(data, name, limits):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(
            "unsupported_encoding",
            gettext_noop("%(file)s is not UTF-8 text, which GeoJSON requires; save it as UTF-8."),
            name,
        ) from exc
    if not text.strip():
        raise refuse("empty_file", gettext_noop("%(file)s is empty."), name)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise refuse(
            "invalid_json",
            gettext_noop(
                "%(file)s is not valid JSON (the error is at line %(line)s, column %(column)s); "
                "export it again as GeoJSON."
            ),
            name,
            line=exc.lineno,
            column=exc.colno,
        ) from exc
    except RecursionError as exc:
        raise refuse(
            "invalid_json",
            gettext_noop("%(file)s is nested too deeply to be a GeoJSON file."),
            name,
        ) from exc
    if (
        not isinstance(document, dict)
        or document.get("type") != "FeatureCollection"
        or not isinstance(document.get("features"), list)
    ):
        found = document.get("type") if isinstance(document, dict) else None
        raise refuse(
            "not_feature_collection",
            gettext_noop(
                "%(file)s is not a GeoJSON FeatureCollection (found “%(found)s”); export the "
                "layer as a GeoJSON FeatureCollection."
            ),
            name,
            found=clip(found) if isinstance(found, str) else type(document).__name__,
        )
    srid = geojson_crs(document.get("crs"), name)
    features = document["features"]
    if not features:
        raise refuse("no_rows", gettext_noop("%(file)s has no rows: it holds no features."), name)
    if len(features) > limits.max_rows:
        raise too_many_rows(name, limits)
    keys = {}
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(properties, dict):
            keys.update(dict.fromkeys(properties))
    keys = list(keys)
    geometries = Geometries(name, None if srid == WGS84 else SpatialReference(srid))
    rows, shapes, issues = [], [], []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            issues.append(
                error(
                    "not_a_feature",
                    gettext_noop(
                        "%(file)s, feature %(row)s: this entry is not a GeoJSON Feature."
                    ),
                    file=name,
                    row=number,
                    value=clip(json.dumps(feature)[:200]),
                    params={"file": name, "row": number},
                )
            )
            rows.append([""] * len(keys))
            shapes.append(None)
            continue
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            properties = {}
        rows.append([json_text(properties.get(key)) for key in keys])
        shapes.append(geojson_geometry(feature.get("geometry"), number, geometries))
    headers, rows = check_headers(name, [key.strip() for key in keys], rows)
    return Table(
        name=name,
        format="geojson",
        headers=headers,
        rows=rows,
        line_numbers=list(range(1, len(rows) + 1)),
        geometries=shapes,
        source_srid=srid,
        issues=issues + geometries.issues,
    )


def json_text(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value_text(value)


def geojson_crs(crs, name):
    """The EPSG code of a legacy `crs` member; 4326 when absent (RFC 7946)."""
    if crs is None:
        return WGS84
    crs_name = ""
    if isinstance(crs, dict) and crs.get("type") == "name":
        properties = crs.get("properties")
        if isinstance(properties, dict) and isinstance(properties.get("name"), str):
            crs_name = properties["name"].strip().lower()
    if crs_name in CRS84_NAMES:
        return WGS84
    match = _EPSG_NAME.match(crs_name)
    if match:
        code = int(match.group(1))
        try:
            SpatialReference(code)
        except (GDALException, SRSException):
            pass
        else:
            return code
    raise refuse(
        "srs_unknown",
        gettext_noop(
            "%(file)s declares a coordinate reference system that is not an EPSG code; "
            "export it again as standard GeoJSON (longitude and latitude, EPSG:4326)."
        ),
        name,
    )


def geojson_geometry(geometry, number, geometries):
    if geometry is None:
        return None
    problem = geojson_problem(geometry)
    if problem == "non_finite":
        geometries.issue("non_finite_coordinates", NON_FINITE, number)
        return None
    if problem:
        geometries.issue("invalid_geometry", INVALID_GEOMETRY, number, value=problem)
        return None
    try:
        ogr = OGRGeometry(json.dumps(geometry))
    except (GDALException, ValueError, TypeError):
        geometries.issue(
            "invalid_geometry",
            INVALID_GEOMETRY,
            number,
            value=clip(json.dumps(geometry)),
        )
        return None
    return geometries.convert(ogr, number)


def geojson_problem(geometry, depth=0):
    """None when the structure is a GeoJSON geometry with finite numbers; else what is wrong."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return "unknown geometry type"
    if geometry["type"] == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list) or depth > 4:
            return "no geometries"
        for member in members:
            if problem := geojson_problem(member, depth + 1):
                return problem
        return None
    stack = [geometry.get("coordinates")]
    if not isinstance(stack[0], list):
        return "no coordinates"
    while stack:
        item = stack.pop()
        if not isinstance(item, list):
            return "coordinates are not lists"
        if item and not isinstance(item[0], list):  # a position
            if len(item) < 2 or not all(
                isinstance(n, int | float) and not isinstance(n, bool) for n in item
            ):
                return "a position is not two or three numbers"
            if not all(math.isfinite(n) for n in item):
                return "non_finite"
        else:
            stack.extend(item)
    return None


# GDAL: GeoPackage and Shapefile -------------------------------------------------------------


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


def read_layer(layer, name, srs, limits, *, format, source_srid, issues):
    if layer.num_feat > limits.max_rows:
        raise too_many_rows(name, limits)
    fields = layer.fields
    kinds = layer.field_types
    dates = {index for index, kind in enumerate(kinds) if kind in (OFTDate, OFTDateTime, OFTTime)}
    geometries = Geometries(name, srs)
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


def read_gpkg(path, name, limits):
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


def read_shapefile_zip(archive, name, limits):
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
