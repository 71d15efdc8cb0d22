"""Base maps and the street-level link on the analyst map, in a real browser: the switcher
swaps the base layer, its choice lives in the address and survives a reload, it works from the
keyboard alone and in French; a point's details link to a street-level view."""

import re

import pytest
from playwright.sync_api import expect

from servicepoints.models import ServicePoint

from .test_map import EAST_VIEW, open_map, query_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The tile layer drawn (outside tile hosts are refused by the page fixture: only the addresses
# the tiles were asked from are seen, which is what says which base map is shown).
TILES = ".leaflet-tile-pane .leaflet-layer img.leaflet-tile"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1000}}


def tile_hosts(page):
    return page.eval_on_selector_all(
        TILES, "images => [...new Set(images.map((image) => new URL(image.src).host))]"
    )


def expect_base(page, host):
    page.wait_for_function(
        """([selector, host]) => {
          const images = [...document.querySelectorAll(selector)];
          return images.length > 0 && images.every((image) => new URL(image.src).host === host);
        }""",
        arg=[TILES, host],
    )


def test_switcher_changes_the_base_map_and_the_address_keeps_it(
    log_in, analyst, ontario_point, assert_accessible
):
    page = open_map(log_in, analyst, EAST_VIEW)
    expect_base(page, "tile.openstreetmap.org")
    street = page.get_by_role("radio", name="Street map")
    imagery = page.get_by_role("radio", name="Satellite imagery")
    expect(street).to_be_checked()
    assert "base" not in query_of(page)

    imagery.check()
    expect_base(page, "server.arcgisonline.com")
    assert query_of(page)["base"] == "imagery"
    expect(page.locator("#map")).to_have_attribute("data-base", "imagery")
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Esri")
    expect(page.locator(".leaflet-control-attribution")).not_to_contain_text("OpenStreetMap")

    page.reload()
    expect(page.get_by_role("radio", name="Satellite imagery")).to_be_checked()
    expect_base(page, "server.arcgisonline.com")
    assert_accessible(page)

    # Back returns to the street map, like every other change of the map's state.
    page.go_back()
    expect(page.get_by_role("radio", name="Street map")).to_be_checked()
    expect_base(page, "tile.openstreetmap.org")


def test_unknown_base_in_the_address_is_ignored(log_in, analyst, ontario_point):
    page = open_map(log_in, analyst, f"{EAST_VIEW}&base=<script>")
    expect(page.get_by_role("radio", name="Street map")).to_be_checked()
    expect_base(page, "tile.openstreetmap.org")
    # The next address written carries no trace of it.
    page.get_by_role("checkbox", name=re.compile("^Populated places")).check()
    page.wait_for_url(re.compile(r"layers="))
    assert "base" not in query_of(page)


def test_keyboard_alone_switches_the_base_map(log_in, analyst, ontario_point):
    page = open_map(log_in, analyst, EAST_VIEW)
    expect_base(page, "tile.openstreetmap.org")
    page.evaluate("document.activeElement.blur()")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "base":
            break
    street = page.get_by_role("radio", name="Street map")
    expect(street).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Satellite imagery")).to_be_checked()
    expect_base(page, "server.arcgisonline.com")
    assert query_of(page)["base"] == "imagery"
    page.keyboard.press("ArrowUp")
    expect(street).to_be_checked()
    expect_base(page, "tile.openstreetmap.org")


def test_details_link_to_a_street_level_view(log_in, analyst, ontario_point):
    page = open_map(log_in, analyst, f"{EAST_VIEW}&point={ontario_point.pk}")
    expect(page.get_by_role("heading", level=3)).to_have_text(ontario_point.name_en)
    link = page.get_by_role("link", name="Street-level view (opens another site in a new tab)")
    expect(link).to_have_attribute(
        "href",
        "https://www.google.com/maps/@?api=1&map_action=pano&viewpoint=45.4215,-75.6972",
    )
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))


def test_no_street_level_link_at_community_precision(log_in, analyst, ontario_point):
    ServicePoint.objects.filter(pk=ontario_point.pk).update(location_precision="community")
    page = open_map(log_in, analyst, f"{EAST_VIEW}&point={ontario_point.pk}")
    expect(page.get_by_role("heading", level=3)).to_have_text(ontario_point.name_en)
    expect(page.locator(".point-details")).to_contain_text("Close details")
    expect(page.locator("a.street-view")).to_have_count(0)


def test_no_street_level_link_when_the_setting_is_empty(log_in, analyst, ontario_point, settings):
    settings.STREET_VIEW_URL = ""
    page = open_map(log_in, analyst, f"{EAST_VIEW}&point={ontario_point.pk}")
    expect(page.get_by_role("heading", level=3)).to_have_text(ontario_point.name_en)
    expect(page.locator(".point-details")).to_contain_text("Close details")
    expect(page.locator("a.street-view")).to_have_count(0)


def test_french_labels(log_in, analyst, ontario_point, assert_accessible):
    page = open_map(log_in, analyst, f"{EAST_VIEW}&point={ontario_point.pk}&base=imagery", "fr")
    expect(page.get_by_role("heading", level=3)).to_have_text(ontario_point.name_fr)
    expect(page.get_by_role("radio", name="Imagerie satellite")).to_be_checked()
    expect(page.get_by_role("radio", name="Plan des rues")).not_to_be_checked()
    expect_base(page, "server.arcgisonline.com")
    expect(page.locator("a.street-view")).to_have_count(1)
    assert_accessible(page)


def test_french_labels_of_the_new_messages(log_in, analyst, ontario_point):
    page = open_map(log_in, analyst, f"{EAST_VIEW}&point={ontario_point.pk}", "fr")
    expect(page.get_by_role("group", name="Style du fond de carte")).to_be_visible(timeout=3000)
    name = "Vue au niveau de la rue (ouvre un autre site dans un nouvel onglet)"
    expect(page.get_by_role("link", name=name)).to_be_visible(timeout=3000)
