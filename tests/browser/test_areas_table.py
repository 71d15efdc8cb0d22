"""The "Areas" panel of the analyst map in a real browser: the census areas in view with an
indicator's values, sorting by pointer and keyboard (aria-sort, the address), export links with
the same parameters, panning, the level by zoom or from the address, keyboard-only use, and
axe-core in English and French."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.servicepoints.layers.table_data import add_area, build_table_areas, square

from .test_map import open_map, query_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Zoom 10 over the four census subdivisions west of Ottawa (tests/…/table_data.py): census
# subdivisions are the finest level with areas drawn at that zoom.
OTTAWA_VIEW = "z=10&lat=45.05&lon=-75.8"
INCOME = "test-median-income"
ROWS = "#areas-table tbody tr"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1000}}


@pytest.fixture
def areas():
    return build_table_areas()


def open_areas(log_in, user, query="", language="en"):
    return open_map(log_in, user, f"{OTTAWA_VIEW}&panel=areas&{query}", language)


def names(page):
    return page.locator(f"{ROWS} th").all_inner_texts()


def expect_names(page, expected):
    expect(page.locator(f"{ROWS} th")).to_have_text(expected)


def heading(page, column):
    return page.locator(f'#areas-table th[data-sort="{column}"]')


def test_the_panel_lists_the_areas_in_view_with_their_values(log_in, analyst, areas):
    page = open_areas(log_in, analyst, f"areas_indicator={INCOME}")
    expect(page.get_by_role("tab", name="Areas")).to_have_attribute("aria-selected", "true")
    expect_names(page, ["Alpha", "Beta", "Éden", "Gamma"])
    expect(page.locator("#areas-about")).to_have_text("Census subdivisions, census of 2021")
    expect(page.locator("#areas-count")).to_have_text("1–4 of 4 areas in view")
    expect(heading(page, "value")).to_have_text("Median income (test) (2021)")
    expect(heading(page, "name")).to_have_attribute("aria-sort", "ascending")
    rows = page.locator(ROWS)
    expect(rows.nth(0)).to_contain_text("3506001")
    expect(rows.nth(0).locator("td.num")).to_have_text("$50,000")
    # Not available: the status in words, never 0.
    expect(rows.nth(1).locator("td.num")).to_have_text("Suppressed (confidentiality)")
    expect(page.get_by_label("Indicator in the table")).to_have_value(INCOME)


def test_sorting_by_clicking_changes_the_order_and_aria_sort(log_in, analyst, areas):
    page = open_areas(log_in, analyst, f"areas_indicator={INCOME}")
    expect_names(page, ["Alpha", "Beta", "Éden", "Gamma"])
    heading(page, "value").get_by_role("button").click()
    expect_names(page, ["Éden", "Alpha", "Gamma", "Beta"])
    expect(heading(page, "value")).to_have_attribute("aria-sort", "ascending")
    expect(heading(page, "name")).not_to_have_attribute("aria-sort", re.compile(".*"))
    heading(page, "value").get_by_role("button").click()
    # Descending, and the area without a value still last.
    expect_names(page, ["Gamma", "Alpha", "Éden", "Beta"])
    expect(heading(page, "value")).to_have_attribute("aria-sort", "descending")
    assert query_of(page)["areas_sort"] == "-value"
    # The order is in the address: a reload keeps it, Back undoes it.
    page.reload()
    expect_names(page, ["Gamma", "Alpha", "Éden", "Beta"])
    page.go_back()
    expect_names(page, ["Éden", "Alpha", "Gamma", "Beta"])


def test_sorting_from_the_keyboard(log_in, analyst, areas):
    page = open_areas(log_in, analyst, f"areas_indicator={INCOME}")
    expect_names(page, ["Alpha", "Beta", "Éden", "Gamma"])
    heading(page, "name").get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect_names(page, ["Gamma", "Éden", "Beta", "Alpha"])
    expect(heading(page, "name")).to_have_attribute("aria-sort", "descending")
    page.keyboard.press("Tab")
    expect(heading(page, "code").get_by_role("button")).to_be_focused()
    page.keyboard.press("Space")
    expect_names(page, ["Alpha", "Beta", "Gamma", "Éden"])
    expect(heading(page, "code")).to_have_attribute("aria-sort", "ascending")


def test_export_links_carry_the_table_state(log_in, analyst, areas):
    page = open_areas(log_in, analyst, f"areas_indicator={INCOME}&areas_sort=-value")
    expect_names(page, ["Gamma", "Alpha", "Éden", "Beta"])
    csv_link = page.get_by_role("link", name="Areas as CSV (spreadsheet)")
    xlsx_link = page.get_by_role("link", name="Areas as Excel (XLSX)")
    href = csv_link.get_attribute("href")
    assert href.startswith("/api/layers/areas/export.csv?")
    query = dict(pair.split("=", 1) for pair in href.split("?", 1)[1].split("&"))
    assert query["level"] == "csd"
    assert query["indicator"] == INCOME
    assert query["sort"] == "-value"
    west, south, east, north = map(float, query["bbox"].replace("%2C", ",").split(","))
    assert west < -76.0 and east > -75.6 and south < 45.0 and north > 45.1
    assert xlsx_link.get_attribute("href") == href.replace("export.csv", "export.xlsx")
    # The file holds the rows in the table's order, with the words for a missing value.
    response = page.request.get(href)
    assert response.status == 200
    rows = list(csv.reader(io.StringIO(response.text().removeprefix("\ufeff"))))
    assert [row[1] for row in rows[1:]] == ["Gamma", "Alpha", "Éden", "Beta"]
    assert rows[4][4] == "Suppressed (confidentiality)"
    # Another indicator changes the links.
    page.get_by_label("Indicator in the table").select_option("test-population")
    expect(csv_link).to_have_attribute("href", re.compile("indicator=test-population"))


def test_panning_changes_the_rows(log_in, analyst, areas):
    page = open_areas(log_in, analyst, f"areas_indicator={INCOME}")
    expect_names(page, ["Alpha", "Beta", "Éden", "Gamma"])
    page.evaluate("window.serviceNetworkMap.map.setView([49.25, -123.15], 10)")
    expect_names(page, ["Vancouver"])
    expect(page.locator(f"{ROWS} td.num")).to_have_text("$90,000")
    assert query_of(page)["lon"].startswith("-123.1")
    # Only Gamma and Éden on the east side of a closer view.
    page.evaluate("window.serviceNetworkMap.map.setView([45.05, -75.65], 13)")
    expect_names(page, ["Éden", "Gamma"])


def test_the_layer_state_in_the_address_chooses_level_and_indicator(log_in, analyst, areas):
    page = open_areas(log_in, analyst, "layer=test-population")
    expect(page.get_by_label("Indicator in the table")).to_have_value("test-population")
    # Population has values of 2016 only: the column says which year it shows.
    expect(heading(page, "value")).to_have_text("Population (test) (2016)")
    expect(page.locator(ROWS).nth(3).locator("td.num")).to_have_text("Not available")  # Gamma
    page.goto(page.url + "&layer_level=cd")
    expect_names(page, ["Ottawa"])
    expect(page.locator("#areas-about")).to_have_text("Census divisions, census of 2021")
    page.goto(page.url.replace("layer_level=cd", "layer_year=2016"))
    expect_names(page, ["Alpha 2016"])


def test_keyboard_only(log_in, analyst, areas):
    page = open_map(log_in, analyst, f"{OTTAWA_VIEW}&areas_indicator={INCOME}")
    page.get_by_role("tab", name="List").focus()
    page.keyboard.press("End")  # the last tab is the What-if panel's, Areas before it
    expect(page.get_by_role("tab", name="What-if")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="Areas")).to_be_focused()
    expect(page.locator("#panel-areas")).to_be_visible()
    expect_names(page, ["Alpha", "Beta", "Éden", "Gamma"])
    page.keyboard.press("Tab")
    expect(page.get_by_label("Indicator in the table")).to_be_focused()
    page.keyboard.press("Tab")
    expect(heading(page, "name").get_by_role("button")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(heading(page, "value").get_by_role("button")).to_be_focused()
    page.keyboard.press("Enter")
    expect_names(page, ["Éden", "Alpha", "Gamma", "Beta"])
    # The pager (one page: both disabled, skipped) and then the export links.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Areas as CSV (spreadsheet)")).to_be_focused()


def test_paging_through_the_areas(log_in, analyst, areas):
    # 26 more small squares north of the row: 30 areas in view, two pages of 25.
    for number in range(26):
        add_area(
            "csd", f"35061{number:02d}", f"Zone {number:02d}", f"Zone {number:02d}",
            square(-76.0 + 0.015 * number, 45.2, 0.01),
        )  # fmt: skip
    page = open_areas(log_in, analyst, f"areas_indicator={INCOME}")
    expect(page.locator("#areas-count")).to_have_text("1–25 of 30 areas in view")
    expect(page.locator(ROWS)).to_have_count(25)
    pager = page.get_by_role("navigation", name="Pages of the table of areas")
    expect(pager.get_by_role("button", name="Previous page")).to_be_disabled()
    pager.get_by_role("button", name="Next page").click()
    expect(page.locator("#areas-count")).to_have_text("26–30 of 30 areas in view")
    expect_names(page, [f"Zone {number:02d}" for number in range(21, 26)])
    expect(pager).to_contain_text("Page 2 of 2")
    assert query_of(page)["areas_page"] == "2"
    # Sorting starts again at the first page.
    heading(page, "value").get_by_role("button").click()
    expect(page.locator("#areas-count")).to_have_text("1–25 of 30 areas in view")
    expect(page.locator(ROWS).first.locator("th")).to_have_text("Éden")
    # Zooming in on the row of four: the table goes back to its one page.
    pager.get_by_role("button", name="Next page").click()
    expect(pager).to_contain_text("Page 2 of 2")
    page.evaluate("window.serviceNetworkMap.map.setView([45.05, -75.8], 12)")
    expect(page.locator("#areas-count")).to_have_text("1–4 of 4 areas in view")
    assert "areas_page" not in query_of(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_panel_is_accessible(log_in, analyst, areas, assert_accessible, language):
    page = open_areas(log_in, analyst, f"areas_indicator={INCOME}", language)
    expect(page.locator(ROWS)).to_have_count(4)
    if language == "fr":
        expect_names(page, ["Alpha-FR", "Bêta", "Éden", "Gamma-FR"])
        expect(page.locator(ROWS).nth(0).locator("td.num")).to_contain_text("50")
        expect(page.locator(ROWS).nth(1).locator("td.num")).to_have_text(
            "Supprimé (confidentialité)"
        )
    heading(page, "value").get_by_role("button").click()
    expect(heading(page, "value")).to_have_attribute("aria-sort", "ascending")
    assert_accessible(page)
