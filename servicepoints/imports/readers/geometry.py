"""Geometries of vector files to GEOS in EPSG:4326, with an Issue for each one left out.

Geometries are kept whatever their type (points for service points, polygons for boundary
imports), as 2D. A null or empty geometry gives None with no issue (whether a row needs one is
for validation); an invalid, non-finite or out-of-range one gives None and an error Issue,
except that with `keep_invalid` an invalid (self-intersecting…) one is kept as it is, for a
caller that repairs it (the boundary import repairs with ST_MakeValid and warns).
"""

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext_noop

from ..issues import error
from .common import clip

WGS84 = 4326


class Geometries:
    """Turns OGR geometries of one file into GEOS geometries in EPSG:4326, noting issues."""

    def __init__(self, name, srs=None, *, keep_invalid=False):
        self.name = name
        self.keep_invalid = keep_invalid
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
                return None
            if not self.keep_invalid:
                self.issue("invalid_geometry", INVALID_GEOMETRY, number, value=reason)
                return None
        # Reprojected, and measured, on the OGR geometry: GEOS's transform goes through OGR
        # anyway, and OGR's envelope is one C call where GEOS's `extent` walks the envelope
        # in Python (a third of a 57,000-polygon import's time).
        if self.transform is not None:
            try:
                ogr.transform(self.transform)
                geometry = GEOSGeometry(ogr.wkb)
            except (GDALException, GEOSException):
                self.issue("cannot_reproject", CANNOT_REPROJECT, number)
                return None
        geometry.srid = WGS84
        xmin, ymin, xmax, ymax = ogr.extent
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
