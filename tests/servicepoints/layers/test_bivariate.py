"""Vulnerability × distance: tercile classes, the 3×3 counts, the API and its 400s."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from servicepoints.layers.bivariate import bivariate
from servicepoints.layers.models import Area, AreaLevel, Indicator, IndicatorValue
from servicepoints.models import ServicePoint

pytestmark = pytest.mark.django_db

URL = "/api/layers/bivariate/"


@pytest.fixture
def areas():
    """Three squares along 45.4 N east of Ottawa, with indexes 1, 2, 3, and one without."""
    level = AreaLevel.objects.get(code="csd")
    index = Indicator.objects.get(code="digital_vulnerability_index")
    made = {}
    for code, x, dvi in [("X", -75.0, 1), ("Y", -73.0, 2), ("Z", -74.0, 3), ("W", -72.0, None)]:
        area = Area.objects.create(
            level=level, year=2021, code=code, name_en=code, name_fr=code,
            geometry=MultiPolygon(Polygon.from_bbox((x, 45.4, x + 0.1, 45.5)), srid=4326),
        )  # fmt: skip
        IndicatorValue.objects.create(
            area=area, indicator=index, year=2021, value=dvi, status="" if dvi else ".."
        )
        made[code] = area
    return made


@pytest.fixture
def points(serviceontario, ontario):
    base = {"name_fr": "Bureau", "organization": serviceontario, "province": ontario}
    # An in-person centre just west of X; a kiosk and a closed centre beside Y, not counted.
    return [
        ServicePoint.objects.create(
            name_en="Centre", kind="centre", status="open", location=Point(-75.2, 45.45), **base
        ),
        ServicePoint.objects.create(
            name_en="Kiosk", kind="kiosk", status="open", location=Point(-73.0, 45.45), **base
        ),
        ServicePoint.objects.create(
            name_en="Closed", kind="centre", status="closed", location=Point(-73.0, 45.4), **base
        ),
    ]


def test_classes_and_counts(areas, points):
    result = bivariate("csd", 2021)
    by_code = {a["code"]: a for a in result["areas"]}
    # Distances X < Z < Y from the one counted point; vulnerability X < Y < Z.
    assert {code: by_code[code]["class"] for code in "XYZ"} == {"X": "A1", "Y": "B3", "Z": "C2"}
    assert (
        by_code["W"]["class"] is None and by_code["W"]["distance_km"] > by_code["Y"]["distance_km"]
    )
    assert result["counts"] == {
        "A1": 1, "A2": 0, "A3": 0, "B1": 0, "B2": 0, "B3": 1, "C1": 0, "C2": 1, "C3": 0,
    }  # fmt: skip
    assert (result["classified"], result["unclassified"]) == (3, 1)
    # X's point on surface is about 0.25° of longitude (≈ 20 km at 45.4 N) from the centre.
    assert 15 < by_code["X"]["distance_km"] < 25


def test_the_api_answers_with_the_filters(client, analyst, areas, points):
    client.force_login(analyst)
    response = client.get(URL, {"level": "csd", "year": 2021})
    assert response.status_code == 200
    assert response.json()["counts"]["A1"] == 1
    # Only kiosks asked for: none is in person, so nothing is classified.
    filtered = client.get(URL, {"level": "csd", "year": 2021, "kind": "kiosk"}).json()
    assert filtered["classified"] == 0
    # The closed centre counts once closed points are asked for: Y becomes the nearest.
    closed = client.get(URL, {"level": "csd", "year": 2021, "status": "open,closed"}).json()
    assert {a["code"]: a["distance_class"] for a in closed["areas"] if a["class"]}["Y"] == 1


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({}, {"level", "year"}),
        ({"level": "nowhere", "year": 2021}, {"level"}),
        ({"level": "csd", "year": "soon"}, {"year"}),
        ({"level": "csd", "year": 2021, "point_level": "galactic"}, {"point_level"}),
    ],
)
def test_bad_parameters_are_400(client, analyst, query, names):
    client.force_login(analyst)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert set(response.json()["parameters"]) == names


def test_anonymous_is_401(client):
    assert client.get(URL, {"level": "csd", "year": 2021}).status_code == 401
