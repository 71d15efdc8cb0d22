"""The dashboard in a real browser: charts drawn beside their tables, axe-core in both
languages, the cards reordered with the keyboard alone, the map's link keeping its filters."""

import pytest
from playwright.sync_api import expect

from tests.servicepoints.analysis.test_coverage import fsa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def no_card_cache(settings):
    """Every test's data starts from the same data versions: no card cached between them."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.mark.parametrize(
    ("language", "path"), [("en", "/en/dashboard/"), ("fr", "/fr/dashboard/")]
)
def test_dashboard_is_accessible_with_its_charts(
    log_in, assert_accessible, csp_reports, analyst, ontario_point, federal_point,
    new_brunswick_point, language, path,
):  # fmt: skip
    fsa("K1P", -75.6972, 45.4215, 1000)  # Ottawa, at the points
    fsa("K0B", -74.67, 45.4215, 30)  # 80 km east: beyond the standard's 50 km
    page = log_in(analyst, path)
    expect(page.locator("html")).to_have_attribute("lang", language)
    # Three "points by" charts and coverage's (completeness and underserved: tables alone).
    expect(page.locator("body")).to_have_attribute("data-charts-drawn", "4")
    expect(page.locator("#card-coverage tfoot")).to_contain_text("Canada")
    for key in ("jurisdictions", "levels", "kinds", "coverage"):
        card = page.locator(f"#card-{key}")
        expect(card.locator("canvas[role=img]")).to_have_attribute("data-drawn", "true")
        # The chart's table follows it, every figure as text.
        expect(card.locator("table caption")).to_have_count(1)
    jurisdictions = page.locator("#card-jurisdictions tbody tr")
    expect(jurisdictions).to_have_count(3)
    expect(page.locator("#card-channels")).to_contain_text("No channel statistics loaded yet")
    assert_accessible(page)
    assert csp_reports == []


def test_cards_are_reordered_and_hidden_with_the_keyboard_alone(log_in, analyst, ontario_point):
    page = log_in(analyst, "/en/dashboard/")
    cards = page.locator(".dashboard-cards > section")
    expect(cards.first).to_have_id("card-jurisdictions")
    page.evaluate("document.body.tabIndex = -1; document.body.focus()")
    page.evaluate("document.body.removeAttribute('tabindex')")
    target = page.get_by_role("button", name="Move down: Points by jurisdiction")
    for _step in range(120):
        page.keyboard.press("Tab")
        if target.evaluate("button => button === document.activeElement"):
            break
    expect(target).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/dashboard/#card-choice-jurisdictions")
    expect(cards.first).to_have_id("card-levels")
    expect(cards.nth(1)).to_have_id("card-jurisdictions")
    # The next Tab goes on from the card moved: its box, then its buttons.
    page.keyboard.press("Tab")
    box = page.locator("#card-choice-jurisdictions input[type=checkbox]")
    expect(box).to_be_focused()
    page.keyboard.press("Space")  # untick: hide it
    expect(box).not_to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Move up: Points by jurisdiction")).to_be_focused()
    page.get_by_role("button", name="Save the cards").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/dashboard/#customise")
    expect(page.locator("#card-jurisdictions")).to_have_count(0)
    expect(cards.first).to_have_id("card-levels")
    # Kept for the next visit.
    page.goto("/en/dashboard/")
    expect(page.locator("#card-jurisdictions")).to_have_count(0)


def test_the_maps_link_keeps_its_filters(log_in, analyst, ontario_point, federal_point):
    page = log_in(analyst)
    page.goto("/en/map/?organization=serviceontario")
    link = page.locator("a[data-keeps-filters]")
    expect(link).to_have_attribute("href", "/en/dashboard/?organization=serviceontario")
    link.click()
    page.wait_for_url("**/en/dashboard/?organization=serviceontario")
    expect(page.locator(".filter-list")).to_contain_text("ServiceOntario")
    rows = page.locator("#card-jurisdictions tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ontario (ON)")
