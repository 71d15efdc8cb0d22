"""A small network for the what-if tests: areas with people, communities, points."""

import random

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from servicepoints.layers.models import Area, AreaLevel, Indicator, IndicatorValue
from servicepoints.models import PopulatedPlace, ServicePoint


@pytest.fixture
def network(serviceontario, ontario, new_brunswick):
    """240 forward sortation areas over eastern Ontario (a few suppressed), three index
    areas, 60 communities, 12 points: every figure depends on which point is nearest."""
    generator = random.Random(13)  # noqa: S311 (places, not secrets)
    population = Indicator.objects.get(code="population")
    for number in range(240):
        lon, lat = generator.uniform(-80, -74), generator.uniform(44, 47.5)
        box = Polygon.from_bbox((lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01))
        area = Area.objects.create(
            level=AreaLevel.objects.get(code="fsa"), year=2016, code=f"K{number:03d}",
            name_en=f"K{number:03d}", name_fr=f"K{number:03d}",
            geometry=MultiPolygon(box, srid=4326), province_code="35",
        )  # fmt: skip
        value = None if number % 37 == 0 else generator.randint(100, 20000)
        IndicatorValue.objects.create(
            area=area, indicator=population, year=2016, value=value,
            status="" if value is not None else "x",
        )  # fmt: skip
    index = Indicator.objects.get(code="digital_vulnerability_index")
    for number, (west, east) in enumerate([(-80, -78), (-78, -76), (-76, -74)]):
        box = Polygon.from_bbox((west, 44, east, 47.5))
        area = Area.objects.create(
            level=AreaLevel.objects.get(code="csd"), year=2021, code=f"350{number}",
            name_en=f"CSD {number}", name_fr=f"SDR {number}",
            geometry=MultiPolygon(box, srid=4326), province_code="35",
        )  # fmt: skip
        IndicatorValue.objects.create(area=area, indicator=index, year=2021, value=number - 1.0)
    for number in range(60):
        PopulatedPlace.objects.create(
            name=f"Town {number}", province=ontario, gazetteer="test", external_id=str(number),
            location=Point(generator.uniform(-80, -74), generator.uniform(44, 47.5), srid=4326),
            population=None if number % 17 == 0 else generator.randint(50, 5000),
        )  # fmt: skip
    return [
        ServicePoint.objects.create(
            name_en=f"Point {number}",
            organization=serviceontario,
            province=ontario,
            location=Point(generator.uniform(-80, -74), generator.uniform(44, 47.5), srid=4326),
        )  # fmt: skip
        for number in range(12)
    ]
