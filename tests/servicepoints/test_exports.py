"""CSV and GeoJSON exports of the filtered selection: content, neutralised cells, access."""

import csv
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from servicepoints.exports import HEADER, neutralize
from servicepoints.models import ServicePoint

pytestmark = pytest.mark.django_db

CSV = "/api/servicepoints/export.csv"
GEOJSON = "/api/servicepoints/export.geojson"


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def formula_point(serviceontario, ontario):
    # Names typed by people reach spreadsheets: this one would run as a formula.
    return ServicePoint.objects.create(
        name_en='=HYPERLINK("http://evil.example","Click")',
        name_fr="@SUM(1+1)",
        organization=serviceontario,
        location=Point(-79.3832, 43.6532, srid=4326),
        street_address="-1 Bay Street",
        community="Toronto",
        province=ontario,
        phone="416-326-1234",
        languages=["en"],
    )


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def read_geojson(response):
    return json.loads(b"".join(response.streaming_content))


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_triggers_are_neutralised(trigger):
    assert neutralize(f"{trigger}1+1") == f"'{trigger}1+1"
    assert neutralize(f"a{trigger}") == f"a{trigger}"
    assert neutralize("") == ""


def test_csv_has_every_column_and_neutralises_only_text(analyst_client, formula_point):
    response = analyst_client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (f'attachment; filename="servicepoints-{today}.csv"')
    [row] = read_csv(response)
    assert list(row) == HEADER
    assert row["name_en"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["name_fr"] == "'@SUM(1+1)"
    assert row["street_address"] == "'-1 Bay Street"
    assert row["phone"] == "'+1 416-326-1234"
    # Numbers stay numbers: a negative longitude is not quoted.
    assert row["longitude"] == "-79.3832"
    assert row["latitude"] == "43.6532"
    assert row["id"] == str(formula_point.pk)
    assert row["organization"] == "serviceontario"
    assert row["level"] == "provincial"
    assert row["province"] == "ON"
    assert row["languages"] == "en"
    assert row["bilingual"] == "false"
    assert row["last_verified"] == row["data_source"] == row["external_id"] == ""


def test_csv_applies_the_filters(analyst_client, ontario_point, new_brunswick_point):
    rows = read_csv(analyst_client.get(CSV, {"jurisdiction": "NB"}))
    assert [row["name_en"] for row in rows] == [new_brunswick_point.name_en]
    assert rows[0]["languages"] == "en,fr"
    assert rows[0]["bilingual"] == "true"
    rows = read_csv(analyst_client.get(CSV, {"bbox": "-76,45,-75,46"}))
    assert [row["name_en"] for row in rows] == [ontario_point.name_en]


def test_exports_hold_only_the_points_the_user_may_see(
    client, ontario_editor, ontario_point, new_brunswick_point, federal_point
):
    client.force_login(ontario_editor)
    assert [row["id"] for row in read_csv(client.get(CSV))] == [str(ontario_point.pk)]
    features = read_geojson(client.get(GEOJSON))["features"]
    assert [feature["id"] for feature in features] == [ontario_point.pk]


def test_exports_are_not_limited_to_a_page(analyst_client, service_canada, ontario, settings):
    ServicePoint.objects.bulk_create(
        ServicePoint(
            name_en=f"Kiosk {i}",
            name_fr=f"Borne {i}",
            organization=service_canada,
            location=Point(-75.7, 45.4, srid=4326),
            province=ontario,
            timezone="America/Toronto",
        )
        for i in range(2_500)
    )
    assert len(read_csv(analyst_client.get(CSV))) == 2_500
    assert len(read_geojson(analyst_client.get(GEOJSON))["features"]) == 2_500


def test_geojson_export_has_every_column_as_a_property(analyst_client, formula_point):
    response = analyst_client.get(GEOJSON, {"province": "ON"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"].startswith('attachment; filename="servicepoints-')
    assert response["Content-Disposition"].endswith('.geojson"')
    body = read_geojson(response)
    assert body["type"] == "FeatureCollection"
    [feature] = body["features"]
    assert feature["id"] == formula_point.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [-79.3832, 43.6532]}
    columns = set(HEADER) - {"longitude", "latitude"}
    assert set(feature["properties"]) == columns
    # GeoJSON is data, not a spreadsheet: text is exported as it is.
    assert feature["properties"]["name_en"] == formula_point.name_en
    assert feature["properties"]["languages"] == ["en"]
    assert feature["properties"]["bilingual"] is False


def test_an_empty_selection_is_a_valid_document(analyst_client, ontario_point):
    assert read_geojson(analyst_client.get(GEOJSON, {"jurisdiction": "YT"}))["features"] == []
    assert read_csv(analyst_client.get(CSV, {"jurisdiction": "YT"})) == []
