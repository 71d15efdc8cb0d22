"""The choropleth in a real browser: an indicator chosen from the panel paints its classes on
the canvas, the legend matches the API, a not-available area is hatched grey, the choice
survives a reload and Back, the controls work from the keyboard, axe-core in EN and FR."""

import pytest
from playwright.sync_api import expect

from servicepoints.layers.models import Indicator, IndicatorValue
from tests.servicepoints.test_area_tiles import add_area, square

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Five FSAs in a row west of Ottawa, 0.2° wide, seen at zoom 8 (drawn from zoom 6).
VIEW = "z=8&lat=45.4&lon=-76.0&layers=basemap"
POPULATIONS = [100, 200, 300, 400]  # the fifth is suppressed ("x")
BLUES_4 = ["#deebf7", "#9ecae1", "#2171b5", "#08306b"]  # palettes.coloursOf("blues", 4)
HATCH = {(0xE6, 0xE6, 0xE6), (0x8C, 0x8C, 0x8C)}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1000}}


@pytest.fixture
def fsas():
    areas = [
        add_area("fsa", f"K{n}A", f"Area {n}", f"Zone {n}", square(-76.5 + 0.2 * n, 45.3, 0.2),
                 year=2016)
        for n in range(5)
    ]  # fmt: skip
    population = Indicator.objects.get(code="population")
    for area, value in zip(areas, POPULATIONS, strict=False):
        IndicatorValue.objects.create(area=area, indicator=population, year=2016, value=value)
    IndicatorValue.objects.create(
        area=areas[4], indicator=population, year=2016, value=None, status="x"
    )
    return areas


PIXEL_AT = """([lat, lon]) => {
  const { map } = window.serviceNetworkMap;
  const spot = map.latLngToContainerPoint([lat, lon]);
  const box = map.getContainer().getBoundingClientRect();
  const x = box.left + spot.x, y = box.top + spot.y;
  for (const canvas of document.querySelectorAll(".leaflet-areas-pane canvas")) {
    const r = canvas.getBoundingClientRect();
    if (x < r.left || x >= r.right || y < r.top || y >= r.bottom) continue;
    const scale = canvas.width / r.width;
    const d = canvas.getContext("2d")
      .getImageData(Math.floor((x - r.left) * scale), Math.floor((y - r.top) * scale), 1, 1).data;
    if (d[3] > 0) return [d[0], d[1], d[2]];
  }
  return null;
}"""


def centre(n):
    return (45.4, -76.5 + 0.2 * n + 0.1)


def rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def wait_drawn(page, text):
    page.wait_for_function(
        """(text) => {
          const m = window.serviceNetworkMap;
          return m && (document.getElementById("map").dataset.choropleth || "").includes(text)
            && !m.choropleth.layer.isLoading();
        }""",
        arg=text,
    )


def choose_population(page):
    page.locator("#layer-indicator option[value=population]").wait_for(state="attached")
    page.select_option("#layer-indicator", "population")
    page.select_option("#layer-k", "4")
    wait_drawn(page, "classes=4")


def test_choosing_an_indicator_paints_its_classes(log_in, analyst, fsas, csp_reports):
    page = log_in(analyst, "/en/")
    page.goto(f"/en/map/?{VIEW}")
    choose_population(page)
    for n, colour in enumerate(BLUES_4):
        assert page.evaluate(PIXEL_AT, list(centre(n))) == pytest.approx(rgb(colour), abs=2), n
    # The suppressed area: grey hatching, never a class colour.
    hatched = tuple(page.evaluate(PIXEL_AT, list(centre(4))))
    assert hatched in HATCH
    assert all(hatched != rgb(colour) for colour in BLUES_4)
    # The legend says what the API says.
    api = page.evaluate(
        """async () => (await fetch("/api/layers/values/?indicator=population&year=2016"
             + "&level=fsa&classification=quantiles&classes=4")).json()"""
    )
    rows = page.locator("#layer-legend tbody tr")
    expect(rows).to_have_count(len(api["classes"]) + 1)
    for index, entry in enumerate(api["classes"]):
        expect(rows.nth(index).locator("td").nth(2)).to_have_text(str(entry["count"]))
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("100 to 175")
    expect(rows.last).to_contain_text("Not available")
    expect(rows.last.locator("td").nth(2)).to_have_text("1")
    assert csp_reports == []


def test_the_choice_is_in_the_address_and_restored(log_in, analyst, fsas):
    page = log_in(analyst, "/en/")
    page.goto(f"/en/map/?{VIEW}")
    choose_population(page)
    page.select_option("#layer-palette", "ylorrd")
    wait_drawn(page, "|ylorrd")
    page.select_option("#layer-level", "fsa")
    wait_drawn(page, "|ylorrd")
    url = page.url
    assert "layer=population" in url and "layer_k=4" in url
    assert "layer_palette=ylorrd" in url and "layer_level=fsa" in url
    # Back, in the page: the automatic level, then the blue palette again.
    page.go_back()
    expect(page.locator("#layer-level")).to_have_value("")
    page.go_back()
    wait_drawn(page, "|blues")
    expect(page.locator("#layer-palette")).to_have_value("blues")
    assert page.evaluate(PIXEL_AT, list(centre(3))) == pytest.approx(rgb(BLUES_4[3]), abs=2)
    # The link opens the same choice.
    page.goto("/en/")
    page.goto(url)
    wait_drawn(page, "classes=4|ylorrd")
    expect(page.locator("#layer-indicator")).to_have_value("population")
    expect(page.locator("#layer-palette")).to_have_value("ylorrd")
    expect(page.locator("#layer-level")).to_have_value("fsa")
    assert page.evaluate(PIXEL_AT, list(centre(3))) == pytest.approx(rgb("#800026"), abs=2)


def test_keyboard_only(log_in, analyst, fsas):
    page = log_in(analyst, "/en/")
    page.goto(f"/en/map/?{VIEW}")
    page.locator("#layer-indicator option[value=population]").wait_for(state="attached")
    page.locator("#layer-indicator").focus()
    # A native select: what the keyboard picks in it is the browser's; choose the option.
    page.locator("#layer-indicator").select_option("population")
    wait_drawn(page, "indicator=population")
    page.locator("#layer-areas-group summary").focus()
    page.keyboard.press("Enter")
    first = page.locator("#layer-areas button").first
    expect(first).to_be_visible()
    first.focus()
    expect(page.locator("#layer-info")).to_have_text("Area 0: 100")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#layer-info")).to_have_text("Area 1: 200")
    page.locator("#layer-areas button", has_text="Area 4").focus()
    expect(page.locator("#layer-info")).to_have_text("Area 4: suppressed (confidentiality)")
    assert page.evaluate("window.serviceNetworkMap.choropleth.layer.highlighted") == fsas[4].pk


def test_hover_names_the_area_and_its_value(log_in, analyst, fsas):
    page = log_in(analyst, "/en/")
    page.goto(f"/en/map/?{VIEW}&layer=population")
    wait_drawn(page, "indicator=population")
    spot = page.evaluate(
        "([lat, lon]) => { const m = window.serviceNetworkMap.map; "
        "const p = m.latLngToContainerPoint([lat, lon]); "
        "const b = m.getContainer().getBoundingClientRect(); "
        "return [b.left + p.x, b.top + p.y]; }",
        list(centre(2)),
    )
    page.mouse.move(*spot)
    expect(page.locator("#layer-info")).to_have_text("Area 2: 300")
    expect(page.locator(".area-tooltip")).to_have_text("Area 2: 300")


@pytest.mark.parametrize("language, path", [("en", "/en/map/"), ("fr", "/fr/carte/")])
def test_the_choropleth_is_accessible(log_in, analyst, fsas, assert_accessible, language, path):
    page = log_in(analyst, "/en/")
    page.goto(f"{path}?{VIEW}&layer=population")
    wait_drawn(page, "indicator=population")
    page.locator("#layer-areas-group summary").click()
    expect(page.locator("#layer-areas button").first).to_be_visible()
    # Leaflet's attribution links and zoom buttons are checked by the map's own tests.
    assert_accessible(page)
