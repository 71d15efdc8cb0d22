"""Each service point's area at every level, in SQL."""

import pytest
from django.contrib.gis.geos import Point

from servicepoints.layers.importing import import_areas
from servicepoints.layers.relations import areas_of_points, point_counts
from servicepoints.models import ServicePoint

from .conftest import csd_feature

pytestmark = pytest.mark.django_db


@pytest.fixture
def points(write_geojson, grid_features, serviceontario, ontario):
    import_areas(write_geojson(grid_features), "csd")
    province = {
        "type": "Feature",
        "properties": {"PRUID": "35", "PRNAME": "Ontario"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[-76, 44], [-74, 44], [-74, 46], [-76, 46], [-76, 44]]],
        },
    }
    import_areas(write_geojson([province], "pr_2021.geojson"), "province")
    base = {"name_fr": "Bureau", "organization": serviceontario, "province": ontario}
    inside = ServicePoint.objects.create(name_en="In 4", location=Point(-75.85, 45.15), **base)
    province_only = ServicePoint.objects.create(
        name_en="Outside the grid", location=Point(-74.5, 44.5), **base
    )
    elsewhere = ServicePoint.objects.create(
        name_en="Vancouver", location=Point(-123.1, 49.28), **base
    )
    return inside, province_only, elsewhere


def test_each_point_gets_its_area_at_every_level(points):
    inside, province_only, elsewhere = points
    found = areas_of_points(ServicePoint.objects.filter(pk__in=[p.pk for p in points]))
    assert {level: area.code for level, area in found[inside.pk].items()} == {
        "province": "35",
        "csd": "3506004",
    }
    assert {level: area.code for level, area in found[province_only.pk].items()} == {
        "province": "35"
    }
    assert elsewhere.pk not in found


def test_point_counts_per_area(points):
    counts = point_counts(ServicePoint.objects.all(), "province", 2021)
    assert list(counts.values()) == [2]
    assert sum(point_counts(ServicePoint.objects.all(), "csd", 2021).values()) == 1
    assert csd_feature(4)["properties"]["CSDUID"] == "3506004"
