"""The table of areas: selection by box, level and census year; the year of each column;
sorting with the missing values last; paging; CSV and XLSX of the whole selection; 400s in
English and French; sign-in."""

import csv
import io

import pytest
from openpyxl import load_workbook

from .table_data import build_table_areas

pytestmark = pytest.mark.django_db

URL = "/api/layers/areas/"
CSV = "/api/layers/areas/export.csv"
XLSX = "/api/layers/areas/export.xlsx"
# The four census subdivisions west of Ottawa, not Vancouver.
OTTAWA_BOX = "-76.05,44.95,-75.55,45.15"
INCOME = "test-median-income"
POPULATION = "test-population"


@pytest.fixture
def areas():
    return build_table_areas()


@pytest.fixture
def api(client, analyst):
    client.force_login(analyst)

    def get(url=URL, language="en", **params):
        return client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)

    return get


def names(response):
    assert response.status_code == 200, response.content[:500]
    return [area["name"] for area in response.json()["areas"]]


def test_the_box_selects_the_areas_of_the_level_and_year_it_meets(api, areas):
    response = api(level="csd", year=2021, bbox=OTTAWA_BOX, indicator=INCOME)
    data = response.json()
    assert names(response) == ["Alpha", "Beta", "Éden", "Gamma"]  # ICU order: É with the Es
    assert data["total"] == 4
    assert data["level"] == {"code": "csd", "name": "Census subdivisions"}
    alpha = data["areas"][0]
    assert alpha["id"] == areas["alpha"].pk
    assert alpha["code"] == "3506001"
    assert alpha["province"] == "35"
    # Only the east half of Gamma's square and Éden: a box that meets two areas.
    assert names(api(level="csd", year=2021, bbox="-75.75,45.02,-75.65,45.05")) == [
        "Éden",
        "Gamma",
    ]
    # Without a year, the level's latest; another level, other areas.
    assert names(api(level="csd", bbox=OTTAWA_BOX)) == ["Alpha", "Beta", "Éden", "Gamma"]
    assert names(api(level="csd", year=2016, bbox=OTTAWA_BOX)) == ["Alpha 2016"]
    assert names(api(level="cd", bbox=OTTAWA_BOX)) == ["Ottawa"]


def test_values_carry_their_status_and_year(api, areas):
    data = api(level="csd", bbox=OTTAWA_BOX, indicator=[INCOME, POPULATION]).json()
    by_code = {area["code"]: area["values"] for area in data["areas"]}
    assert [column["code"] for column in data["indicators"]] == [INCOME, POPULATION]
    # Income of the census year; population of 2016, the latest at or before 2021 (not 2026).
    assert [column["year"] for column in data["indicators"]] == [2021, 2016]
    assert by_code["3506001"][INCOME] == {
        "value": 50_000.0,
        "status": "",
        "status_label": None,
        "year": 2021,
    }
    assert by_code["3506002"][INCOME] == {
        "value": None,
        "status": "x",
        "status_label": "Suppressed (confidentiality)",
        "year": 2021,
    }
    assert by_code["3506001"][POPULATION]["value"] == 100.0
    # No value published at all: not available, never 0.
    assert by_code["3506003"][POPULATION] == {
        "value": None,
        "status": "..",
        "status_label": "Not available",
        "year": None,
    }
    explicit = api(level="csd", bbox=OTTAWA_BOX, indicator=INCOME, indicator_year=2016).json()
    values = {area["code"]: area["values"][INCOME]["value"] for area in explicit["areas"]}
    assert values == {"3506001": 40_000.0, "3506002": None, "3506003": None, "3506004": None}


def test_sorting_puts_the_areas_without_a_value_last_both_ways(api, areas):
    query = {"level": "csd", "bbox": OTTAWA_BOX, "indicator": [INCOME, POPULATION]}
    assert names(api(**query, sort="value")) == ["Éden", "Alpha", "Gamma", "Beta"]
    assert names(api(**query, sort="-value")) == ["Gamma", "Alpha", "Éden", "Beta"]
    assert names(api(**query, sort=POPULATION)) == ["Alpha", "Éden", "Beta", "Gamma"]
    assert names(api(**query, sort=f"-{POPULATION}")) == ["Beta", "Éden", "Alpha", "Gamma"]
    assert names(api(**query, sort="-name")) == ["Gamma", "Éden", "Beta", "Alpha"]
    assert names(api(**query, sort="-code")) == ["Éden", "Gamma", "Beta", "Alpha"]


def test_pages_share_the_total_and_never_overlap(api, areas):
    query = {"level": "csd", "bbox": OTTAWA_BOX, "indicator": INCOME, "sort": "-value"}
    first = api(**query, page_size=3).json()
    second = api(**query, page_size=3, page=2).json()
    beyond = api(**query, page_size=3, page=3).json()
    assert (first["total"], second["total"], beyond["total"]) == (4, 4, 4)
    assert [a["name"] for a in first["areas"]] == ["Gamma", "Alpha", "Éden"]
    assert [a["name"] for a in second["areas"]] == ["Beta"]
    assert beyond["areas"] == []
    assert first["page_size"] == 3 and second["page"] == 2


def test_names_and_indicators_follow_the_language(api, areas):
    data = api(level="csd", bbox=OTTAWA_BOX, indicator=INCOME, sort="code", language="fr").json()
    assert [area["name"] for area in data["areas"]] == ["Alpha-FR", "Bêta", "Gamma-FR", "Éden"]
    assert data["indicators"][0]["name"] == "Revenu médian (essai)"
    assert data["level"]["name"] == "Subdivisions de recensement"


def read_csv(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="areas-csd-2021-' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_holds_the_whole_selection_in_the_table_order(api, areas):
    # A page size does not limit an export.
    query = {"level": "csd", "bbox": OTTAWA_BOX, "indicator": [INCOME, POPULATION]}
    rows = read_csv(api(CSV, **query, sort="-value", page_size=1))
    assert rows[0] == [
        "Code",
        "Name",
        "Province or territory",
        "Census year",
        "Median income (test)",
        "Median income (test): year",
        "Population (test)",
        "Population (test): year",
    ]
    assert [row[1] for row in rows[1:]] == ["Gamma", "Alpha", "Éden", "Beta"]
    assert rows[2] == ["3506001", "Alpha", "35", "2021", "50000.0", "2021", "100.0", "2016"]
    # Not available: the status in words, never 0.
    assert rows[4][4:6] == ["Suppressed (confidentiality)", "2021"]
    assert rows[1][6:8] == ["Not available", ""]
    # The same through the list's format parameter.
    assert read_csv(api(**query, sort="-value", format="csv")) == rows


def test_xlsx_has_numbers_as_numbers_and_words_for_missing_values(api, areas):
    response = api(XLSX, level="csd", bbox=OTTAWA_BOX, indicator=INCOME, language="fr")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][1] == "Nom"
    assert rows[0][4] == "Revenu médian (essai)"
    assert [row[1] for row in rows[1:]] == ["Alpha-FR", "Bêta", "Éden", "Gamma-FR"]
    assert rows[1][4] == 50_000 and isinstance(rows[1][4], int | float)
    assert rows[3][4] == 45_500.5
    # Not available: the status in the request's language, never 0 or an empty cell.
    assert rows[2][4] == "Supprimé (confidentialité)"
    assert rows[2][5] == 2021


@pytest.mark.parametrize(
    ("params", "parameter", "english", "french"),
    [
        ({"bbox": "1,2,3"}, "bbox", "Give four numbers", "Donnez quatre nombres"),
        ({"level": "county"}, "level", "Select a valid choice", "Sélectionnez un choix valide"),
        ({"indicator": "nonsense"}, "indicator", "Unknown value: nonsense", "Valeur inconnue"),
        ({"page": "0"}, "page", "greater than or equal to 1", "supérieure ou égale à 1"),
        ({"format": "pdf"}, "format", "Select a valid choice", "Sélectionnez un choix valide"),
    ],
)
def test_bad_parameters_are_named_in_english_and_french(
    api, areas, params, parameter, english, french
):
    query = {"level": "csd", "indicator": INCOME, **params}
    for url in (URL, CSV, XLSX):
        response = api(url, **query)
        assert response.status_code == 400, url
        body = response.json()
        assert body["error"] == f"These parameters are not valid: {parameter}."
        assert english in " ".join(body["parameters"][parameter])
    body = api(**query, language="fr").json()
    assert body["error"] == f"Ces paramètres ne sont pas valides : {parameter}."
    assert french in " ".join(body["parameters"][parameter]).replace("\u202f", " ")


def test_sort_must_name_a_requested_column(api, areas):
    response = api(level="csd", indicator=INCOME, sort=POPULATION)
    assert response.status_code == 400
    assert "Sort by name, code, value" in response.json()["parameters"]["sort"][0]
    assert api(level="csd", sort="value").status_code == 400  # no indicator: no value column
    french = api(level="csd", indicator=INCOME, sort="-population", language="fr").json()
    assert french["error"] == "Ces paramètres ne sont pas valides : sort."


def test_a_level_is_required(api, areas):
    response = api(bbox=OTTAWA_BOX)
    assert response.status_code == 400
    assert "level" in response.json()["parameters"]


def test_signed_out_requests_are_refused(client, areas):
    for url in (URL, CSV, XLSX):
        response = client.get(url, {"level": "csd"})
        assert response.status_code == 401
        assert response.json()["error"] == "Sign in to use the API."


def test_the_map_page_carries_the_table_configuration(client, analyst, areas):
    client.force_login(analyst)
    response = client.get("/en/map/")
    config = response.context["map_config"]["areas_table"]
    assert config["urls"]["list"] == URL
    levels = {level["code"]: level for level in config["levels"]}
    assert set(levels) >= {"csd", "cd"}
    assert levels["csd"]["years"][:2] == [2021, 2016]
    assert levels["csd"]["min_zoom"] == 6
    assert INCOME in {indicator["code"] for indicator in config["indicators"]}


def test_exports_neutralise_formula_like_names(api, areas):
    # Names reach spreadsheets: one that starts like a formula must stay text.
    areas["alpha"].name_en = '=HYPERLINK("http://evil.example")'
    areas["alpha"].save()
    rows = read_csv(api(CSV, level="csd", bbox=OTTAWA_BOX, sort="code"))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'
    response = api(XLSX, level="csd", bbox=OTTAWA_BOX, sort="code")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://evil.example")'


def test_the_box_is_found_with_the_spatial_index(areas):
    from django.db import connection

    from servicepoints.filters import BBoxField
    from servicepoints.layers.models import AreaLevel
    from servicepoints.layers.table import Selection

    from .planning import crowd_level, explain

    selection = Selection(
        level=AreaLevel.objects.get(code="csd"), year=2021, bbox=BBoxField().clean(OTTAWA_BOX)
    )
    sql, params = selection._select()
    with connection.cursor() as cursor:
        crowd_level(cursor, selection.level.id)
        plan = explain(cursor, sql, params)
    assert "Index Scan using layers_area_geometry" in plan, plan


def test_the_schema_documents_the_table_parameters(client, analyst):
    client.force_login(analyst)
    paths = client.get("/api/schema/").json()["paths"]
    for path in (URL, CSV, XLSX):
        parameters = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        assert parameters["level"]["required"] is True
        assert parameters["level"]["description"].startswith("Code of the geographic level")
        assert "csd" in parameters["level"]["schema"]["enum"]
        assert {"bbox", "indicator", "indicator_year", "sort", "page", "page_size"} <= set(
            parameters
        )
    listing = paths[URL]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listing == {"$ref": "#/components/schemas/AreaTable"}
