"""Coordinate reference systems from uploaded files are untrusted: only EPSG-coded ones pass."""

import zipfile

import pytest
from django.contrib.gis.gdal import SpatialReference
from django.core.exceptions import ValidationError

from servicepoints.geo import trusted_srs
from tests.conftest import shared_file


@pytest.mark.parametrize("code", [4326, 4269, 3347, 3005, 32617, 2950])
def test_standard_definitions_resolve_to_their_epsg_code(code):
    assert trusted_srs(SpatialReference(code).wkt).srid == code


def test_esri_prj_of_a_real_shapefile_resolves_to_bc_albers():
    with zipfile.ZipFile(shared_file("bc_census_divisions_2011_bcalbers_shp.zip")) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".prj"))
        wkt = archive.read(name).decode()
    assert "NAD83_BC_Albers" in wkt  # ESRI flavour, no EPSG code inside
    assert trusted_srs(wkt, source=name).srid == 3005


@pytest.mark.parametrize(
    "definition",
    [
        "/etc/passwd",
        "http://example.com/evil.prj",
        "+proj=longlat +datum=WGS84",
        "EPSG:4326",
        "",
        'PROJCS["custom",GEOGCS["x",DATUM["d",SPHEROID["s",6378000,300]],PRIMEM["G",0],'
        'UNIT["degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],'
        'PARAMETER["central_meridian",13],UNIT["metre",1]]',
        "PROJCS[garbage",
    ],
)
def test_anything_else_is_refused_with_a_message_naming_the_file(definition):
    with pytest.raises(ValidationError) as excinfo:
        trusted_srs(definition, source="upload.prj")
    assert "upload.prj" in excinfo.value.messages[0]
