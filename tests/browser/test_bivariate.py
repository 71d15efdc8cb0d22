"""The bivariate view in a real browser: opened from a link, each area painted with its class's
colour, the 3×3 legend equal to the API's counts with its tercile limits, an area without an
index hatched and never coloured as a class, the map's filters changing it, Back/Forward, the
keyboard path with each component of the index, hover and click, axe-core in EN and FR."""

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from playwright.sync_api import expect

from servicepoints.layers.models import Indicator, IndicatorValue
from servicepoints.layers.vulnerability.compute import compute_index
from servicepoints.layers.vulnerability.models import IndexComponent, IndexDefinition
from servicepoints.models import ServicePoint
from tests.browser.test_layers import PIXEL_AT, rgb
from tests.servicepoints.test_area_tiles import add_area, square

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Seven CSDs in a row west of Ottawa, 0.2° wide, seen at zoom 8; the point layer hidden (its
# symbols would cover the areas' pixels), its filters still in force.
VIEW = "z=8&lat=45.4&lon=-75.8&layers=basemap"
BIVARIATE_VIEW = f"{VIEW}&layer_view=bivariate"
# static/js/palettes.js BIVARIATE (Stevens' purple–gold).
COLOURS = {
    "A1": "#e8e8e8", "A2": "#e4d9ac", "A3": "#c8b35a",
    "B1": "#cbb8d7", "B2": "#c8ada0", "B3": "#af8e53",
    "C1": "#9972af", "C2": "#976b82", "C3": "#804d36",
}  # fmt: skip
HATCH = {(0xE6, 0xE6, 0xE6), (0x8C, 0x8C, 0x8C)}
# Both components get the same values, so the index (their z-scores' mean) ranks like them.
# Area 6 has neither: no index ("not available").
VALUES = [6, 1, 3, 2, 4, 5, None]
# Distances: a centre 0.2° west of area 0's middle and a postal outlet 0.25° east of area 6's
# (no two distances equal: a tie broken by rounding would move a class). Worked out by hand,
# terciles = ⌈3 × cume_dist⌉ over the six areas with an index:
WITH_BOTH = ["C1", "A1", "B2", "A3", "B3", "C2"]
# Postal outlets unticked: only the centre, distances grow eastwards.
CENTRE_ONLY = ["C1", "A1", "B2", "A2", "B3", "C3"]


@pytest.fixture(autouse=True)
def _fresh_payloads():
    # The live server shares the process's cache; each test's data restarts the versions.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def csds(serviceontario, ontario):
    areas = [
        add_area(
            "csd", f"35060{n:02d}", f"Area {n}", f"Zone {n}", square(-76.5 + 0.2 * n, 45.3, 0.2)
        )
        for n in range(7)
    ]  # fmt: skip
    definition = IndexDefinition.objects.create(name="browser", method="zscore")
    for code in ("seniors_share", "low_income_share"):
        indicator = Indicator.objects.get(code=code)
        IndexComponent.objects.create(definition=definition, indicator=indicator, weight=1)
        for area, value in zip(areas, VALUES, strict=True):
            IndicatorValue.objects.create(
                area=area, indicator=indicator, year=2021, value=value,
                status="" if value is not None else "..",
            )  # fmt: skip
    compute_index(definition, "csd", 2021)
    base = {"organization": serviceontario, "province": ontario, "status": "open"}
    ServicePoint.objects.create(
        name_en="West centre", name_fr="Centre ouest", kind="centre",
        location=Point(-76.6, 45.4), **base,
    )  # fmt: skip
    ServicePoint.objects.create(
        name_en="East post office", name_fr="Bureau de poste est", kind="postal_outlet",
        location=Point(-74.95, 45.4), **base,
    )  # fmt: skip
    return areas


def centre(n):
    return [45.4, -76.5 + 0.2 * n + 0.1]


def wait_drawn(page, text="bivariate|"):
    page.wait_for_function(
        """(text) => {
          const m = window.serviceNetworkMap;
          return m && (document.getElementById("map").dataset.choropleth || "").includes(text)
            && !m.choropleth.layer.isLoading();
        }""",
        arg=text,
    )


def expect_classes(page, classes):
    for n, code in enumerate(classes):
        page.wait_for_function(
            """([spot, colour]) => {
              const { map } = window.serviceNetworkMap;
              const p = map.latLngToContainerPoint(spot);
              const box = map.getContainer().getBoundingClientRect();
              const x = box.left + p.x, y = box.top + p.y;
              for (const canvas of document.querySelectorAll(".leaflet-areas-pane canvas")) {
                const r = canvas.getBoundingClientRect();
                if (x < r.left || x >= r.right || y < r.top || y >= r.bottom) continue;
                const s = canvas.width / r.width;
                const d = canvas.getContext("2d").getImageData(
                  Math.floor((x - r.left) * s), Math.floor((y - r.top) * s), 1, 1).data;
                if (d[3] > 0) return colour.every((c, i) => Math.abs(c - d[i]) <= 2);
              }
              return false;
            }""",
            arg=[centre(n), list(rgb(COLOURS[code]))],
        )
        assert page.evaluate(PIXEL_AT, centre(n)) == pytest.approx(rgb(COLOURS[code]), abs=2), n


HATCH_RUN = """([lat, lon]) => {
  // 16 pixels along a row of the area: hatching shows both of its colours, a fill one.
  const { map } = window.serviceNetworkMap;
  const spot = map.latLngToContainerPoint([lat, lon]);
  const box = map.getContainer().getBoundingClientRect();
  const seen = new Set();
  for (let i = 0; i < 16; i += 1) {
    const x = box.left + spot.x + i, y = box.top + spot.y;
    for (const canvas of document.querySelectorAll(".leaflet-areas-pane canvas")) {
      const r = canvas.getBoundingClientRect();
      if (x < r.left || x >= r.right || y < r.top || y >= r.bottom) continue;
      const s = canvas.width / r.width;
      const d = canvas.getContext("2d")
        .getImageData(Math.floor((x - r.left) * s), Math.floor((y - r.top) * s), 1, 1).data;
      if (d[3] > 0) seen.add([d[0], d[1], d[2]].join(","));
    }
  }
  return [...seen];
}"""


def assert_hatched(page, n):
    """Area n is drawn with the grey hatching: both of its colours along a row, and nothing
    but greys around them (anti-aliasing), never a class's flat fill."""
    seen = {tuple(map(int, c.split(","))) for c in page.evaluate(HATCH_RUN, centre(n))}
    assert HATCH <= seen, (n, seen)
    assert all(r == g == b for r, g, b in seen), (n, seen)


def km(value):
    """A distance as the legend writes it (one decimal at most)."""
    return f"{value:.1f}".removesuffix(".0")


def api_payload(page, query="level=csd&year=2021"):
    return page.evaluate("async (q) => (await fetch(`/api/layers/bivariate/?${q}`)).json()", query)


def legend_counts(page):
    cells = page.locator("#bivariate-table tbody td[data-class]")
    return {
        cells.nth(i).get_attribute("data-class"): int(
            cells.nth(i).locator(".bivariate-count").inner_text()
        )
        for i in range(cells.count())
    }


def test_a_link_opens_the_view_with_its_classes_and_legend(log_in, analyst, csds, csp_reports):
    page = log_in(analyst, "/en/")
    page.goto(f"/en/map/?{BIVARIATE_VIEW}")
    wait_drawn(page)
    expect(page.locator("#layer-view")).to_have_value("bivariate")
    expect(page.locator("#layer-class")).to_be_hidden()
    expect(page.locator("#layer-indicator")).to_be_hidden()
    expect_classes(page, WITH_BOTH)
    # The area without an index: grey hatching, both of its colours, never a class's flat fill.
    assert_hatched(page, 6)
    # The legend: the API's counts, cell by cell, rows low to high vulnerability.
    api = api_payload(page)
    assert legend_counts(page) == api["counts"]
    assert api["counts"] == {code: WITH_BOTH.count(code) for code in COLOURS}
    rows = page.locator("#bivariate-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("th")).to_contain_text("Low")
    expect(rows.nth(2).locator("th")).to_contain_text("High")
    first, second = api["breaks"]["dvi"]
    expect(rows.nth(0).locator("th")).to_have_text(f"Low: up to {first:.2f}")
    near, far = api["breaks"]["distance_km"]
    columns = page.locator("#bivariate-table thead tr").nth(1).locator("th")
    expect(columns.nth(1)).to_have_text(f"Near: up to {km(near)} km")
    expect(columns.nth(3)).to_have_text(f"Far: over {km(far)} km")
    expect(page.locator("#bivariate-table td.corner")).to_have_attribute("data-class", "C3")
    expect(page.locator("#bivariate-corner")).to_contain_text("C3, vulnerable and far:")
    expect(page.locator("#bivariate-corner")).to_contain_text("0 areas are in both")
    expect(page.locator("#bivariate-na")).to_have_text(
        "Not available (hatched): 1 area, never coloured as a class: 1 without an index."
    )
    # Why area 6 has no index, in words.
    summary = page.locator("#bivariate-summary")
    expect(summary).to_contain_text(
        "6 of 7 areas have a vulnerability index (6 computed, 0 imported)."
    )
    expect(summary).to_contain_text("1 area has too few components")
    assert csp_reports == []


def test_choosing_the_view_filters_and_history(log_in, analyst, csds):
    page = log_in(analyst, "/en/")
    page.goto(f"/en/map/?{VIEW}")
    page.locator("#layer-view option[value=bivariate]:not([disabled])").wait_for(state="attached")
    page.select_option("#layer-view", "bivariate")
    wait_drawn(page)
    assert "layer_view=bivariate" in page.url and "layer=" not in page.url.replace("layer_", "")
    expect_classes(page, WITH_BOTH)
    # The map's filters: without postal outlets, the east end is farther, area 5 becomes C3.
    page.get_by_role("checkbox", name="Postal outlet").uncheck()
    wait_drawn(page, "kind=")
    expect_classes(page, CENTRE_ONLY)
    kinds = page.evaluate("new URL(location.href).searchParams.get('kind')")
    assert legend_counts(page) == api_payload(page, f"level=csd&year=2021&kind={kinds}")["counts"]
    expect(page.locator("#bivariate-corner")).to_contain_text("1 area is in both")
    # Back: the outlets again; Back: the choropleth view; Forward: the bivariate view.
    page.go_back()
    expect(page.get_by_role("checkbox", name="Postal outlet")).to_be_checked()
    expect_classes(page, WITH_BOTH)
    page.go_back()
    expect(page.locator("#layer-view")).to_have_value("choropleth")
    expect(page.locator("#bivariate-legend")).to_be_hidden()
    page.go_forward()
    expect(page.locator("#layer-view")).to_have_value("bivariate")
    expect_classes(page, WITH_BOTH)


def test_no_point_matching_draws_every_area_hatched(log_in, analyst, csds):
    page = log_in(analyst, "/en/")
    page.goto(f"/en/map/?{BIVARIATE_VIEW}&kind=kiosk")
    wait_drawn(page)
    for n in range(7):
        assert_hatched(page, n)
    expect(page.locator("#bivariate-na")).to_contain_text(
        "7 areas, never coloured as a class: 1 without an index; "
        "7 without an in-person point that matches the filters."
    )


def test_keyboard_shows_each_area_and_its_components(log_in, analyst, csds):
    page = log_in(analyst, "/en/")
    page.goto(f"/en/map/?{BIVARIATE_VIEW}")
    wait_drawn(page)
    page.locator("#layer-areas-group summary").focus()
    page.keyboard.press("Enter")
    first = page.locator("#layer-areas button").first
    expect(first).to_be_visible()
    first.focus()
    info = page.locator("#layer-info")
    expect(info).to_contain_text("Area 0: index ")
    expect(info).to_contain_text(
        "km to the nearest in-person point, class C1 (high vulnerability, near)"
    )
    box = page.locator("#layer-components")
    expect(box).to_be_visible()
    expect(box.locator("h2")).to_contain_text("Vulnerability index of Area 0: ")
    expect(box.locator("#layer-components-origin")).to_contain_text(
        "Computed by the definition “browser”"
    )
    rows = box.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("th")).to_have_text("Population aged 65 and over (share)")
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("6%")
    expect(rows.nth(0).locator("td").nth(2)).to_have_text("1 (50%)")
    page.keyboard.press("ArrowDown")
    expect(info).to_contain_text("Area 1: index ")
    page.locator("#layer-areas button", has_text="Area 6").focus()
    expect(info).to_contain_text("Area 6: no index, ")
    expect(info).to_contain_text("km to the nearest in-person point, not available")
    expect(box.locator("#layer-components-origin")).to_contain_text(
        "but not available: the components present carry 0% of the weight, and 50% is needed."
    )
    expect(box.locator("tbody tr").nth(0).locator("td").nth(0)).to_have_text("not available")


def test_hover_and_click_name_the_area_and_its_class(log_in, analyst, csds):
    page = log_in(analyst, "/en/")
    page.goto(f"/en/map/?{BIVARIATE_VIEW}")
    wait_drawn(page)
    spot = page.evaluate(
        "([lat, lon]) => { const m = window.serviceNetworkMap.map; "
        "const p = m.latLngToContainerPoint([lat, lon]); "
        "const b = m.getContainer().getBoundingClientRect(); "
        "return [b.left + p.x, b.top + p.y]; }",
        centre(2),
    )
    page.mouse.move(*spot)
    expect(page.locator(".area-tooltip")).to_contain_text("Area 2: index ")
    expect(page.locator(".area-tooltip")).to_contain_text(
        "class B2 (middle vulnerability, middle distance)"
    )
    page.mouse.click(*spot)
    expect(page.locator("#layer-components h2")).to_contain_text("Vulnerability index of Area 2")


@pytest.mark.parametrize("language, path", [("en", "/en/map/"), ("fr", "/fr/carte/")])
def test_the_view_is_accessible(log_in, analyst, csds, assert_accessible, language, path):
    page = log_in(analyst, "/en/")
    page.goto(f"{path}?{BIVARIATE_VIEW}")
    wait_drawn(page)
    page.locator("#layer-areas-group summary").click()
    page.locator("#layer-areas button").first.focus()
    expect(page.locator("#layer-components tbody tr")).to_have_count(2)
    if language == "fr":
        expect(page.locator("#layer-areas button").first).to_contain_text("Zone 0")
        expect(page.locator("#bivariate-table caption")).to_contain_text(
            "Subdivisions de recensement"
        )
    assert_accessible(page)
