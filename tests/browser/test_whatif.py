"""The what-if panel in a real browser: a site added by keyboard (coordinates) and by a click
on the map, a point closed from its details, the figures and the change by province updated
at once, the scenario saved and opened by its share link by another user; axe-core clean."""

import re

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.cache import cache
from playwright.sync_api import expect

from servicepoints import roles
from servicepoints.analysis.models import Scenario
from servicepoints.layers.models import Area, AreaLevel, Indicator, IndicatorValue
from servicepoints.models import PopulatedPlace, ServicePoint

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LAT = 45.4215
VIEW = f"z=7&lat={LAT}&lon=-75.7&panel=whatif"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def fsa(code, lon, people):
    box = Polygon.from_bbox((lon - 0.01, LAT - 0.01, lon + 0.01, LAT + 0.01))
    area = Area.objects.create(
        level=AreaLevel.objects.get(code="fsa"), year=2016, code=code, name_en=code,
        name_fr=code, geometry=MultiPolygon(box, srid=4326), province_code="35",
    )  # fmt: skip
    IndicatorValue.objects.create(
        area=area, indicator=Indicator.objects.get(code="population"), year=2016, value=people
    )


@pytest.fixture
def ottawa(ontario_point, ontario):
    """Ottawa (1,000 people at the point), Eastville 94 km east (300), Westville 94 km west
    (200): 1,000 of 1,500 within 50 km."""
    fsa("K1P", -75.6972, 1000)
    fsa("K0E", -74.5, 300)
    fsa("K0W", -76.9, 200)
    for name, lon, people in (("Eastville", -74.5, 300), ("Westville", -76.9, 200)):
        PopulatedPlace.objects.create(
            name=name, province=ontario, location=Point(lon, LAT, srid=4326),
            population=people, gazetteer="test", external_id=name,
        )  # fmt: skip
    return ontario_point


def open_panel(page, url):
    page.goto(url)
    expect(page.locator("#whatif-national")).to_contain_text("1,000 of 1,500 people")


def test_add_close_save_and_share(log_in, page, make_user, ottawa, assert_accessible, browser):
    analyst = make_user("whatif-analyst", roles.ANALYSTS)
    log_in(analyst, "/en/")
    open_panel(page, f"/en/map/?{VIEW}")
    expect(page.locator("#whatif-underserved")).to_contain_text("Eastville")
    # The underserved communities as a map layer: Eastville and Westville.
    page.get_by_label("Show the underserved communities on the map").check()
    expect(page.locator("path.underserved-marker")).to_have_count(2)
    # A site by keyboard: coordinates typed, Enter.
    page.get_by_label("Name of the site").focus()
    page.keyboard.type("East office")
    page.keyboard.press("Tab")
    page.keyboard.type("-74.5")
    page.keyboard.press("Tab")
    page.keyboard.type(str(LAT))
    page.keyboard.press("Enter")
    expect(page.locator("#whatif-sites")).to_contain_text("East office")
    expect(page.locator("#whatif-change")).to_contain_text("Newly covered: 300 people")
    expect(page.locator("#whatif-national")).to_contain_text("1,300 of 1,500 people")
    expect(page.locator('#whatif-provinces tr[data-province="35"]')).to_contain_text("300")
    expect(page.locator("#whatif-underserved")).not_to_contain_text("Eastville")
    expect(page.locator("path.underserved-marker")).to_have_count(1)
    assert "wi_site=-74.5" in page.url
    # A site by a click on the map, on Westville.
    position = page.evaluate(
        f"""() => {{
            const map = window.serviceNetworkMap.map;
            const p = map.latLngToContainerPoint([{LAT}, -76.9]);
            return {{x: p.x, y: p.y}};
        }}"""
    )
    page.locator("#map").click(position=position)
    expect(page.locator("#whatif-sites li")).to_have_count(2)
    expect(page.locator("#whatif-national")).to_contain_text("1,500 of 1,500 people")
    expect(page.locator("#whatif-underserved")).to_have_count(0)
    # The Ottawa point closed from its details: its 1,000 people are no longer covered.
    page.evaluate(
        "(id) => window.serviceNetworkMap.store.update({point: id, panel: 'details'})", ottawa.id
    )
    page.get_by_role("button", name="Close in the what-if").click()
    expect(page.locator("#whatif-closed")).to_contain_text(ottawa.name_en)
    expect(page.locator("path.closed-marker")).to_have_count(1)
    expect(page.locator("#whatif-change")).to_contain_text("no longer covered: 1,000")
    expect(page.locator("#whatif-national")).to_contain_text("500 of 1,500 people")
    assert f"wi_close={ottawa.id}" in page.url
    assert ServicePoint.objects.get(pk=ottawa.pk).status == "open"  # the registry untouched
    assert_accessible(page)
    # Saved under a name; its share link.
    page.get_by_label("Name of the scenario").fill("Two offices, Ottawa closed")
    page.get_by_label("Name of the scenario").press("Enter")
    share = page.get_by_label("Share link (for anyone signed in)")
    expect(share).to_have_value(re.compile(r"\?scenario=[\w-]{20,}$"))
    scenario = Scenario.objects.get()
    assert scenario.name == "Two offices, Ottawa closed" and scenario.owner == analyst
    assert [site.name for site in scenario.sites.all()] == ["East office", "Site 2"]
    assert list(scenario.closed_points.values_list("id", flat=True)) == [ottawa.id]
    link = share.input_value()
    expect(page.locator("#whatif-mine")).to_contain_text("Two offices, Ottawa closed")
    # Another analyst opens the link: the same scenario and figures.
    other = make_user("whatif-other", roles.ANALYSTS)
    context = browser.new_context(base_url=page.url.split("/en/")[0])
    second = context.new_page()
    second.route(re.compile(r"^(?!https?://(localhost|127\.0\.0\.1))"), lambda r: r.abort())
    second.goto("/en/accounts/login/?next=/en/")
    second.get_by_label("Username").fill(other.get_username())
    second.get_by_label("Password").fill("correct horse battery staple")
    second.get_by_role("button", name="Sign in").click()
    second.wait_for_url("**/en/")
    second.goto(link)
    expect(second.locator("#whatif-sites li")).to_have_count(2)
    expect(second.locator("#whatif-national")).to_contain_text("500 of 1,500 people")
    expect(second.locator("#whatif-closed")).to_contain_text(ottawa.name_en)
    context.close()


def test_the_panel_in_french_is_accessible(log_in, page, make_user, ottawa, assert_accessible):
    log_in(make_user("whatif-fr", roles.ANALYSTS), "/en/")
    page.goto(f"/fr/carte/?{VIEW}&wi_site=-74.5,{LAT},Est")
    expect(page.locator("#whatif-sites")).to_contain_text("Est")
    expect(page.locator("#whatif-national")).to_contain_text("1 500")
    assert_accessible(page)


def test_suggested_sites_are_listed_and_added_to_the_scenario(log_in, page, make_user, ottawa,
                                                              assert_accessible):  # fmt: skip
    log_in(make_user("whatif-suggest", roles.ANALYSTS), "/en/")
    open_panel(page, f"/en/map/?{VIEW}")
    page.get_by_label("How many sites").fill("1")
    page.get_by_label("Candidates").select_option("places")
    target = "And the fewest sites reaching this share, in per cent (optional)"
    page.get_by_label(target).fill("100")
    page.get_by_role("button", name="Suggest", exact=True).click()
    # Eastville's 300 people beat Westville's 200; both are needed for 100 %.
    expect(page.locator("#whatif-suggest-list li")).to_have_count(1)
    expect(page.locator("#whatif-suggest-list")).to_contain_text("Eastville")
    expect(page.locator("#whatif-suggest-total")).to_contain_text("300 people newly covered")
    expect(page.locator("#whatif-suggest-total")).to_contain_text("optimality gap 0.0 %")
    expect(page.locator("#whatif-minimum")).to_contain_text("The fewest sites reaching 100.0 %: 2")
    assert_accessible(page)
    page.get_by_role("button", name="Add Eastville to the scenario").click()
    expect(page.locator("#whatif-sites")).to_contain_text("Eastville")
    expect(page.locator("#whatif-national")).to_contain_text("1,300 of 1,500 people")
