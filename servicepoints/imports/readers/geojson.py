"""GeoJSON, parsed with Python's json module rather than GDAL's driver; TopoJSON (a JSON
document of type "Topology") is handed to GDAL's TopoJSON driver (`vector.read_topojson`).

Every feature is checked (structure, finite coordinates) and reported by number, and a legacy
`crs` member is read here (EPSG codes and CRS84 only), never handed to GDAL's
spatial-reference parser. RFC 7946 GeoJSON is EPSG:4326.
"""

import json
import math
import re

from django.contrib.gis.gdal import OGRGeometry, SpatialReference
from django.contrib.gis.gdal.error import GDALException, SRSException
from django.utils.translation import gettext_noop

from ..issues import error
from .common import Table, check_headers, clip, refuse, too_many_rows, value_text
from .geometry import INVALID_GEOMETRY, NON_FINITE, WGS84, Geometries

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


def read_geojson(data, name, limits, *, keep_invalid=False):
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
    if isinstance(document, dict) and document.get("type") == "Topology":
        from .vector import read_topojson

        return read_topojson(text, name, limits, keep_invalid=keep_invalid)
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
    geometries = Geometries(
        name, None if srid == WGS84 else SpatialReference(srid), keep_invalid=keep_invalid
    )
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
