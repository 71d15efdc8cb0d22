"""The indicators API: the catalogue, the classified values (counts, not-available areas never
classed), the parameters refused with 400s naming them, the cache following the data version,
and the CSV and XLSX exports."""

import csv
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from servicepoints.layers.models import Indicator, IndicatorValue
from servicepoints.models import DataVersion
from tests.servicepoints.test_area_tiles import add_area, square

pytestmark = pytest.mark.django_db

VALUES = "/api/layers/values/"
# Eight FSAs with a population, one suppressed ("x") and one with no value at all.
POPULATIONS = [100, 200, 300, 400, 500, 600, 700, 8000]


@pytest.fixture
def fsa_row():
    """Ten adjacent squares of 0.1° west of Ottawa, K0A to K9A (a level drawn from zoom 6)."""
    return [
        add_area("fsa", f"K{n}A", f"Area {n}", f"Zone {n}", square(-76.5 + 0.1 * n, 45.3, 0.1),
                 year=2016)
        for n in range(10)
    ]  # fmt: skip


@pytest.fixture
def population(fsa_row):
    indicator = Indicator.objects.get(code="population")
    for area, value in zip(fsa_row, POPULATIONS, strict=False):
        IndicatorValue.objects.create(area=area, indicator=indicator, year=2016, value=value)
    IndicatorValue.objects.create(
        area=fsa_row[8], indicator=indicator, year=2016, value=None, status="x"
    )
    return indicator


def get(client, user, query="", **headers):
    client.force_login(user)
    return client.get(f"{VALUES}?{query}", **headers)


def values(client, user, query=""):
    response = get(client, user, f"indicator=population&year=2016&level=fsa&{query}")
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_the_catalogue_lists_indicators_with_years_and_levels(client, analyst, population):
    client.force_login(analyst)
    data = client.get("/api/layers/indicators/").json()
    assert len(data["indicators"]) == 15
    entry = next(item for item in data["indicators"] if item["code"] == "population")
    assert entry["unit"] == "count"
    assert entry["licence"] == "Statistics Canada Open Licence"
    assert entry["years"] == [
        {"year": 2016, "levels": [{"code": "fsa", "area_year": 2016, "count": 9, "available": 8}]}
    ]
    empty = next(item for item in data["indicators"] if item["code"] == "unemployment_rate")
    assert empty["years"] == []
    fsa = next(level for level in data["levels"] if level["code"] == "fsa")
    assert fsa["min_zoom"] == 6


def test_the_catalogue_names_follow_the_language(client, analyst, population):
    client.force_login(analyst)
    with translation.override("fr"):
        data = client.get("/api/layers/indicators/", HTTP_ACCEPT_LANGUAGE="fr").json()
    names = {item["code"]: item["name"] for item in data["indicators"]}
    assert names["total_private_dwellings"] == "Total des logements privés"


@pytest.mark.parametrize("method", ["quantiles", "fisher_jenks", "equal_interval", "std_mean"])
@pytest.mark.parametrize("k", [3, 5, 9])
def test_class_counts_sum_to_the_available_values(client, analyst, population, method, k):
    data = values(client, analyst, f"classification={method}&classes={k}")
    assert data["available"] == 8
    assert data["not_available"] == 2
    assert sum(entry["count"] for entry in data["classes"]) == 8
    assert 1 <= len(data["classes"]) <= k
    uppers = [entry["upper"] for entry in data["classes"]]
    assert uppers == sorted(uppers) and uppers[-1] == 8000
    # Every available area's class holds its value, and the counts are those of the areas.
    counts = [0] * len(data["classes"])
    for area in data["areas"]:
        if area["value"] is None:
            continue
        bounds = data["classes"][area["class"]]
        assert area["value"] <= bounds["upper"]
        assert area["class"] == 0 or area["value"] > bounds["lower"]
        counts[area["class"]] += 1
    assert counts == [entry["count"] for entry in data["classes"]]


def test_every_area_of_the_level_with_its_value_and_status(client, analyst, population):
    data = values(client, analyst)
    by_code = {area["code"]: area for area in data["areas"]}
    assert len(by_code) == 10
    assert by_code["K0A"]["name"] == "Area 0"
    assert by_code["K0A"]["value"] == 100 and by_code["K0A"]["status"] == ""
    assert data["area_year"] == 2016
    assert data["level"]["code"] == "fsa" and data["level"]["min_zoom"] == 6


def test_not_available_areas_are_never_classed(client, analyst, population):
    data = values(client, analyst, "classification=equal_interval&classes=3")
    by_code = {area["code"]: area for area in data["areas"]}
    assert by_code["K8A"] == {
        "id": by_code["K8A"]["id"], "code": "K8A", "name": "Area 8",
        "value": None, "status": "x", "class": None,
    }  # fmt: skip
    assert by_code["K9A"]["value"] is None and by_code["K9A"]["status"] == ".."
    assert by_code["K9A"]["class"] is None
    # Not zero: the lowest class starts at the smallest real value.
    assert data["classes"][0]["lower"] == 100


def test_quantiles_split_the_values_evenly(client, analyst, population):
    data = values(client, analyst, "classification=quantiles&classes=4")
    assert [entry["count"] for entry in data["classes"]] == [2, 2, 2, 2]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("year=2016&level=fsa", "indicator"),
        ("indicator=nope&year=2016&level=fsa", "indicator"),
        ("indicator=population&year=twenty&level=fsa", "year"),
        ("indicator=population&year=2016&level=zip", "level"),
        ("indicator=population&year=2016&level=fsa&classification=natural", "classification"),
        ("indicator=population&year=2016&level=fsa&classes=2", "classes"),
        ("indicator=population&year=2016&level=fsa&classes=10", "classes"),
        ("indicator=population&year=2016&level=fsa&format=pdf", "format"),
    ],
)
def test_bad_parameters_are_refused_naming_them(client, analyst, population, query, parameter):
    response = get(client, analyst, query)
    assert response.status_code == 400
    body = response.json()
    assert list(body["parameters"]) == [parameter]
    assert parameter in body["error"]


def test_errors_are_in_french_for_french_requests(client, analyst, population):
    with translation.override("fr"):
        response = get(
            client, analyst, "indicator=nope&year=2016&level=fsa", HTTP_ACCEPT_LANGUAGE="fr"
        )
    assert response.status_code == 400
    assert "Ces paramètres" in response.json()["error"]


def test_a_year_without_values_is_a_404(client, analyst, population):
    response = get(client, analyst, "indicator=population&year=2021&level=fsa")
    assert response.status_code == 404
    assert "population" in response.json()["error"]


def test_anonymous_requests_are_refused(client, population):
    assert client.get(f"{VALUES}?indicator=population&year=2016&level=fsa").status_code == 401
    assert client.get("/api/layers/indicators/").status_code == 401


def test_a_changed_value_bumps_the_version_and_is_served(client, analyst, population, fsa_row):
    first = values(client, analyst)
    assert first["classes"][-1]["upper"] == 8000
    before = DataVersion.current("layers")
    IndicatorValue.objects.filter(area=fsa_row[7], indicator=population).update(value=9000)
    assert DataVersion.current("layers") > before
    second = values(client, analyst)
    assert second["classes"][-1]["upper"] == 9000
    IndicatorValue.objects.filter(area=fsa_row[0], indicator=population).delete()
    assert values(client, analyst)["not_available"] == 3


def test_the_catalogue_follows_a_new_value(client, analyst, population, fsa_row):
    client.force_login(analyst)
    client.get("/api/layers/indicators/")
    indicator = Indicator.objects.get(code="unemployment_rate")
    IndicatorValue.objects.create(area=fsa_row[0], indicator=indicator, year=2016, value=7.5)
    data = client.get("/api/layers/indicators/").json()
    entry = next(item for item in data["indicators"] if item["code"] == "unemployment_rate")
    assert entry["years"][0]["levels"][0]["count"] == 1


def test_csv_export_of_the_same_values(client, analyst, population):
    data = values(client, analyst)
    response = get(client, analyst, "indicator=population&year=2016&level=fsa&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "population-2016-fsa.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 10
    by_code = {row["code"]: row for row in rows}
    assert by_code["K7A"]["value"] == "8000"
    assert by_code["K8A"]["value"] == "" and by_code["K8A"]["status"] == "x"
    assert by_code["K8A"]["class"] == ""
    k7 = next(area for area in data["areas"] if area["code"] == "K7A")
    assert by_code["K7A"]["class"] == str(k7["class"] + 1)


def test_xlsx_export_of_the_same_values(client, analyst, population):
    response = get(client, analyst, "indicator=population&year=2016&level=fsa&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("area_id", "code", "name", "indicator", "year", "value")
    assert len(rows) == 11
    values_by_code = {row[1]: row[5] for row in rows[1:]}
    assert values_by_code["K0A"] == 100
    assert values_by_code["K9A"] in (None, "")


def test_names_starting_like_a_formula_are_neutralised(client, analyst, population, fsa_row):
    fsa_row[0].name_en = "=HYPERLINK(1)"
    fsa_row[0].save()
    response = get(client, analyst, "indicator=population&year=2016&level=fsa&format=csv")
    assert "'=HYPERLINK(1)" in response.content.decode()
