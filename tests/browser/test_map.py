"""The analyst map in a real browser: tiles drawn on canvas, toggles and filters, the state in
the address, the keyboard path through the list, both languages, axe-core."""

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from django.utils import formats, translation
from playwright.sync_api import expect

from servicepoints.models import Jurisdiction, Kind, Level, Organization, ServicePoint

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Ontario and New Brunswick in one window of the size set below (zoom 5).
EAST_VIEW = "z=5&lat=45.5&lon=-72.5"
# Toronto's municipal kiosk, alone in its part of the map.
TORONTO = (43.6535, -79.3839)
MUNICIPAL_PURPLE = (0x7A, 0x3E, 0x9D)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Wide enough for the side panel, the map and the result panels side by side.
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1000}}


@pytest.fixture
def toronto_kiosk(ontario):
    toronto = Jurisdiction.objects.create(
        code="ON-TORONTO",
        name_en="City of Toronto",
        name_fr="Ville de Toronto",
        level=Level.MUNICIPAL,
        parent=ontario,
    )
    city = Organization.objects.create(
        code="toronto-311", name_en="Toronto 311", name_fr="Toronto 311", jurisdiction=toronto
    )
    # A self-service kiosk at Toronto City Hall, 100 Queen Street West; English only.
    return ServicePoint.objects.create(
        name_en="Toronto City Hall kiosk",
        name_fr="Borne de l'hôtel de ville de Toronto",
        organization=city,
        kind=Kind.KIOSK,
        location=Point(TORONTO[1], TORONTO[0], srid=4326),
        community="Toronto",
        province=ontario,
        postal_code="M5H 2N2",
        languages=["en"],
    )


@pytest.fixture
def points(ontario_point, federal_point, new_brunswick_point, toronto_kiosk):
    """Four points: provincial and federal in Ottawa, provincial in Fredericton, municipal in
    Toronto."""
    return {
        "ontario": ontario_point,
        "federal": federal_point,
        "new_brunswick": new_brunswick_point,
        "toronto": toronto_kiosk,
    }


@pytest.fixture
def tile_responses(page):
    """(url, status) of every point tile the page fetched."""
    responses = []
    page.on(
        "response",
        lambda response: (
            responses.append((response.url, response.status))
            if "/tiles/servicepoints/" in response.url
            else None
        ),
    )
    return responses


def open_map(log_in, user, query="", language="en"):
    page = log_in(user, f"/{language}/")
    page.goto(f"/{language}/{'carte' if language == 'fr' else 'map'}/?{query}")
    return page


def query_of(page):
    return {name: values[0] for name, values in parse_qs(urlsplit(page.url).query).items()}


def expect_drawn(page, count):
    """The canvas tiles in view hold `count` points (groups count their points)."""
    expect(page.locator("#map")).to_have_attribute("data-drawn-points", str(count))


PIXEL_AT = """([lat, lon]) => {
  const { map } = window.serviceNetworkMap;
  const spot = map.latLngToContainerPoint([lat, lon]);
  const box = map.getContainer().getBoundingClientRect();
  const x = box.left + spot.x;
  const y = box.top + spot.y;
  for (const canvas of document.querySelectorAll(".leaflet-points-pane canvas")) {
    const r = canvas.getBoundingClientRect();
    if (x < r.left || x >= r.right || y < r.top || y >= r.bottom) continue;
    const scale = canvas.width / r.width;
    const data = canvas.getContext("2d")
      .getImageData(Math.floor((x - r.left) * scale), Math.floor((y - r.top) * scale), 1, 1).data;
    if (data[3] > 0) return [data[0], data[1], data[2], data[3]];
  }
  return null;
}"""


def pixel_at(page, lat, lon):
    """The colour the point tiles painted at a place, or None where they painted nothing."""
    return page.evaluate(PIXEL_AT, [lat, lon])


def wait_for_tiles(page):
    page.wait_for_function(
        "() => { const m = window.serviceNetworkMap; return m && !m.points.isLoading(); }"
    )


def test_anonymous_visitor_is_sent_to_sign_in(page, live_server):
    page.goto("/en/map/")
    expect(page).to_have_url(f"{live_server.url}/en/accounts/login/?next=/en/map/")
    page.goto("/fr/carte/")
    expect(page).to_have_url(f"{live_server.url}/fr/accounts/login/?next=/fr/carte/")


def test_map_draws_the_points_from_tiles_without_the_base_map(
    log_in, analyst, points, tile_responses, csp_reports
):
    outside = []
    page = log_in(analyst, "/en/")
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not re.match(r"https?://(localhost|127\.0\.0\.1)[:/]", request.url)
            else None
        ),
    )

    page.goto(f"/en/map/?{EAST_VIEW}")

    expect(page.locator("#map-status")).to_have_text("4 points in view")
    expect(page.locator("#list-count")).to_have_text("1–4 of 4 points in view")
    expect_drawn(page, 4)
    assert tile_responses and all(status == 200 for _url, status in tile_responses)
    # The base map's tiles cannot load here (outside hosts are cut off): the points still draw,
    # the municipal kiosk in its level's colour, on the map's plain background.
    assert outside and all(url.startswith("https://tile.openstreetmap.org/") for url in outside)
    page.evaluate("window.serviceNetworkMap.map.setView([43.6535, -79.3839], 12)")
    wait_for_tiles(page)
    colour = pixel_at(page, *TORONTO)
    assert colour is not None
    assert colour[:3] == pytest.approx(MUNICIPAL_PURPLE, abs=2)
    assert pixel_at(page, 43.62, -79.45) is None  # next to it: nothing painted
    assert csp_reports == []

    # A click on the drawn point finds it in the tile's features and opens its details.
    box = page.locator("#map").bounding_box()
    spot = page.evaluate(
        "([lat, lon]) => window.serviceNetworkMap.map.latLngToContainerPoint([lat, lon])",
        list(TORONTO),
    )
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    expect(page.get_by_role("heading", level=3)).to_have_text("Toronto City Hall kiosk")
    expect(page.get_by_role("tab", name="Details")).to_have_attribute("aria-selected", "true")
    assert query_of(page)["point"] == str(points["toronto"].pk)


def test_toggles_and_filters_change_the_drawing_and_the_address(
    log_in, analyst, points, tile_responses
):
    page = open_map(log_in, analyst, EAST_VIEW)
    expect(page.locator("#map-status")).to_have_text("4 points in view")
    expect_drawn(page, 4)

    # A level toggle: the municipal kiosk goes, from the tiles, the list and the address.
    before = len(tile_responses)
    page.get_by_role("checkbox", name="Municipal").uncheck()
    expect(page.locator("#map-status")).to_have_text("3 points in view")
    expect_drawn(page, 3)
    assert query_of(page)["level"] == "federal,provincial,territorial"
    refetched = [url for url, _status in tile_responses[before:]]
    assert refetched and all("level=federal%2Cprovincial%2Cterritorial" in u for u in refetched)
    expect(page.get_by_role("button", name="Toronto City Hall kiosk")).to_have_count(0)

    # A kind toggle (shape): the kiosk was the only kiosk, so nothing changes but the address.
    page.get_by_role("checkbox", name="Self-service kiosk").uncheck()
    assert "kiosk" not in query_of(page)["kind"].split(",")
    expect(page.locator("#map-status")).to_have_text("3 points in view")
    wait_for_tiles(page)

    # A filter: one jurisdiction.
    before = len(tile_responses)
    page.get_by_label("Jurisdiction").select_option(label="New Brunswick")
    expect(page.locator("#map-status")).to_have_text("1 point in view")
    expect_drawn(page, 1)
    assert query_of(page)["jurisdiction"] == "NB"
    assert all("jurisdiction=NB" in url for url, _status in tile_responses[before:])
    expect(page.get_by_role("button", name=points["new_brunswick"].name_en)).to_be_visible()

    # Back and Forward step through those changes.
    page.go_back()
    expect(page.locator("#map-status")).to_have_text("3 points in view")
    expect(page.get_by_label("Jurisdiction")).to_have_value("")
    page.go_back()
    page.go_back()
    expect(page.locator("#map-status")).to_have_text("4 points in view")
    expect(page.get_by_role("checkbox", name="Municipal")).to_be_checked()
    expect_drawn(page, 4)
    page.go_forward()
    expect(page.locator("#map-status")).to_have_text("3 points in view")
    expect(page.get_by_role("checkbox", name="Municipal")).not_to_be_checked()


def test_a_copied_address_opens_the_same_view(log_in, analyst, points, context):
    page = open_map(log_in, analyst, EAST_VIEW)
    expect(page.locator("#map-status")).to_have_text("4 points in view")
    page.get_by_role("checkbox", name="Federal").uncheck()
    page.get_by_role("checkbox", name="Bilingual (English and French) only").check()
    page.get_by_role("checkbox", name="Populated places (sized by population)").check()
    expect(page.locator("#map-status")).to_have_text("2 points in view")
    page.get_by_role("button", name=points["ontario"].name_en).click()
    expect(page.get_by_role("heading", level=3)).to_have_text(points["ontario"].name_en)
    page.evaluate("window.serviceNetworkMap.map.setZoom(7)")
    page.wait_for_url(re.compile(r"[?&]z=7(&|$)"))
    copied = page.url

    shared = context.new_page()
    shared.route(re.compile(r"^(?!http://(localhost|127\.0\.0\.1))"), lambda r: r.abort())
    shared.goto(copied)

    expect(shared.get_by_role("heading", level=3)).to_have_text(points["ontario"].name_en)
    expect(shared.get_by_role("tab", name="Details")).to_have_attribute("aria-selected", "true")
    expect(shared.get_by_role("checkbox", name="Federal")).not_to_be_checked()
    expect(shared.get_by_role("checkbox", name="Provincial")).to_be_checked()
    expect(
        shared.get_by_role("checkbox", name="Bilingual (English and French) only")
    ).to_be_checked()
    expect(
        shared.get_by_role("checkbox", name="Populated places (sized by population)")
    ).to_be_checked()
    view = shared.evaluate(
        "() => { const m = window.serviceNetworkMap.map; const c = m.getCenter();"
        " return [m.getZoom(), c.lat, c.lng]; }"
    )
    original = page.evaluate(
        "() => { const m = window.serviceNetworkMap.map; const c = m.getCenter();"
        " return [m.getZoom(), c.lat, c.lng]; }"
    )
    assert view == pytest.approx(original, abs=1e-4)
    expect(shared.locator("#map-status")).to_have_text(
        re.compile(r"^(Details of .*|\d+ points? in view)$")
    )
    expect_drawn(shared, int(page.locator("#map").get_attribute("data-drawn-points")))
    assert query_of(shared) == query_of(page)


def test_keyboard_reaches_a_point_through_the_list(log_in, analyst, points):
    page = open_map(log_in, analyst, EAST_VIEW)
    expect(page.locator("#map-status")).to_have_text("4 points in view")
    ontario = points["ontario"]
    page.evaluate("document.activeElement.blur()")

    # From the top of the page: Tab to the skip link to the list, then on into the list.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Skip to the list of points":
            break
    page.keyboard.press("Enter")
    expect(page.locator("#panel-list")).to_be_focused()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.id") == str(ontario.pk):
            break
    expect(page.get_by_role("button", name=ontario.name_en)).to_be_focused()
    page.keyboard.press("Enter")

    heading = page.get_by_role("heading", level=3)
    expect(heading).to_have_text(ontario.name_en)
    expect(heading).to_be_focused()
    today = page.locator(".hours-table tr[aria-current='date']")
    expect(today).to_have_count(1)
    expect(today).to_have_class(re.compile(r"\btoday\b"))
    local_today = datetime.now(ZoneInfo("America/Toronto")).date()
    with translation.override("en"):
        weekday = formats.date_format(local_today, "l")
    expect(today).to_contain_text(f"{weekday}")
    expect(today).to_contain_text("(today)")
    expect(today).to_contain_text(re.compile(r"08:30–17:00|Closed"))
    # The map came to the point (panning takes a quarter of a second). Measured in screen
    # pixels: Leaflet pans by whole pixels, which at zoom 5 is about 0.04 degrees.
    page.wait_for_function(
        """([lat, lon]) => {
          const map = window.serviceNetworkMap.map;
          const here = map.latLngToContainerPoint([lat, lon]);
          const centre = map.getSize().divideBy(2);
          return here.distanceTo(centre) <= 2;
        }""",
        arg=[45.4215, -75.6972],
    )
    assert query_of(page)["point"] == str(ontario.pk)


def test_language_switch_keeps_the_map_state(log_in, analyst, points):
    ontario = points["ontario"]
    page = open_map(log_in, analyst, f"{EAST_VIEW}&level=provincial&point={ontario.pk}")
    expect(page.get_by_role("heading", level=3)).to_have_text(ontario.name_en)
    english = query_of(page)

    page.get_by_role("button", name="Français").click()

    page.wait_for_url(re.compile(r"/fr/carte/\?"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert query_of(page) == english
    expect(page.get_by_role("heading", level=3)).to_have_text(ontario.name_fr)
    expect(page.get_by_role("tab", name="Détails")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("checkbox", name="Fédéral")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Provincial")).to_be_checked()
    expect(page.locator("#list-count")).to_have_text("1–2 sur 2 points dans la vue")
    expect(page.get_by_role("heading", name="Heures d’ouverture")).to_be_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_url(re.compile(r"/en/map/\?"))
    assert query_of(page) == english


def test_summary_near_here_and_exports(log_in, analyst, points):
    page = open_map(log_in, analyst, EAST_VIEW)
    expect(page.locator("#map-status")).to_have_text("4 points in view")

    page.get_by_role("tab", name="Summary").click()
    assert query_of(page)["panel"] == "summary"
    expect(page.locator("#summary-total")).to_have_text("4 points in view")
    by_level = page.get_by_role("table", name="By level of government")
    expect(by_level.get_by_role("row", name=re.compile(r"^Provincial"))).to_contain_text("2")
    expect(by_level.get_by_role("row", name=re.compile(r"^Municipal"))).to_contain_text("1")

    page.get_by_role("checkbox", name="Provincial").uncheck()
    expect(page.locator("#summary-total")).to_have_text("2 points in view")
    csv = page.get_by_role("link", name="CSV (spreadsheet)")
    expect(csv).to_have_attribute("href", re.compile(r"export\.csv\?level=federal%2C"))

    # Near here, from the centre of the map put on Ottawa: the federal centre comes first.
    page.evaluate("window.serviceNetworkMap.map.setView([45.4190, -75.6950], 12)")
    page.get_by_role("tab", name="Near here").click()
    page.get_by_role("button", name="Use the centre of the map").click()
    results = page.locator("#near-results li")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text(points["federal"].name_en)
    expect(results.first.locator(".distance")).to_have_text(re.compile(r"^\d+ m$"))
    expect(results.nth(1)).to_contain_text(points["toronto"].name_en)
    expect(results.nth(1).locator(".distance")).to_have_text(re.compile(r"^\d{3}(\.\d)? km$"))
    assert query_of(page)["near"].startswith("-75.69")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_map_page_is_accessible(log_in, assert_accessible, analyst, points, language):
    ontario = points["ontario"]
    page = open_map(log_in, analyst, f"{EAST_VIEW}&point={ontario.pk}", language)
    name = ontario.name_fr if language == "fr" else ontario.name_en
    expect(page.get_by_role("heading", level=3)).to_have_text(name)
    expect(page.locator(".hours-table")).to_be_visible()
    assert_accessible(page)

    page.locator("#tab-list").click()
    expect(page.locator("#list-table tbody tr")).to_have_count(4)
    assert_accessible(page)
