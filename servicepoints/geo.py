"""Spatial references from files people upload, which are untrusted input.

GDAL before 3.9 lets a spatial-reference definition name files or URLs to read, and Django's
`SpatialReference(text)` hands text to GDAL's user-input parser. Definitions from uploads go
through `trusted_srs()` instead: they are read as WKT only (no file names, URLs or PROJ
strings), accepted only when GDAL identifies them as an EPSG code, and rebuilt from that code.
"""

from ctypes import POINTER, byref, c_char_p, c_int, c_void_p

from django.contrib.gis.gdal import SpatialReference
from django.contrib.gis.gdal.error import GDALException, SRSException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def trusted_srs(wkt, *, source=""):
    """An EPSG-coded SpatialReference equivalent to the WKT, or ValidationError."""
    text = (wkt or "").strip()
    if not text or not text[:6].upper().startswith(
        ("GEOGCS", "PROJCS", "GEOGCR", "PROJCR", "GEODCR", "BOUNDC", "COMPDC", "VERTCS", "LOCAL_")
    ):
        raise ValidationError(
            _("%(source)s: the coordinate reference system is not a WKT definition."),
            code="srs_not_wkt",
            params={"source": source or _("file")},
        )
    try:
        code = epsg_code(SpatialReference(text, srs_type="wkt"))
    except (GDALException, SRSException):
        code = None
    if not code:
        raise ValidationError(
            _(
                "%(source)s: the coordinate reference system cannot be matched to an EPSG "
                "code; reproject the file to a standard system (for example EPSG:4326 or "
                "EPSG:3347) and try again."
            ),
            code="srs_unknown",
            params={"source": source or _("file")},
        )
    return SpatialReference(int(code))


# Matches GDAL rates at least this confident (100 is identical, 90 equivalent up to names).
MIN_CONFIDENCE = 90


def epsg_code(srs):
    """The EPSG code GDAL's OSRFindMatches gives the reference with enough confidence.

    Django does not wrap OSRFindMatches, which recognises ESRI-flavoured WKT (a Shapefile's
    .prj) that OSRAutoIdentifyEPSG misses, so it is called through ctypes.
    """
    from django.contrib.gis.gdal.libgdal import lgdal

    # Indexing (not attribute access) gives private function objects, so the prototypes set
    # here do not change those Django's own GDAL wrappers use.
    find = lgdal["OSRFindMatches"]
    find.restype = POINTER(c_void_p)
    find.argtypes = [c_void_p, POINTER(c_char_p), POINTER(c_int), POINTER(POINTER(c_int))]
    authority_name = lgdal["OSRGetAuthorityName"]
    authority_name.restype = c_char_p
    authority_name.argtypes = [c_void_p, c_char_p]
    authority_code = lgdal["OSRGetAuthorityCode"]
    authority_code.restype = c_char_p
    authority_code.argtypes = [c_void_p, c_char_p]
    free_array = lgdal["OSRFreeSRSArray"]
    free_array.argtypes = [POINTER(c_void_p)]
    free = lgdal["VSIFree"]
    free.argtypes = [c_void_p]

    count = c_int(0)
    confidences = POINTER(c_int)()
    matches = find(srs.ptr, None, byref(count), byref(confidences))
    try:
        for index in range(count.value):
            if confidences[index] < MIN_CONFIDENCE:
                continue
            if (authority_name(matches[index], None) or b"").upper() == b"EPSG":
                return int(authority_code(matches[index], None))
        return None
    finally:
        if matches:
            free_array(matches)
        if confidences:
            free(confidences)
