"""The foundation's pages in a real browser: sign-in, language switch, accessibility, CSP."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

# The live server answers from another thread, so data must be committed: transactional
# tests, which restore the migrations' rows (jurisdictions, role groups) before each test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def change_url(point):
    return f"/en/admin/servicepoints/servicepoint/{point.pk}/change/"


def test_anonymous_visitor_is_sent_to_sign_in(page, live_server):
    page.goto("/en/")

    expect(page).to_have_url(f"{live_server.url}/en/accounts/login/?next=/en/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_sign_in_with_the_keyboard_alone(page, analyst):
    page.goto("/en/accounts/login/?next=/en/")
    skip_link = page.get_by_role("link", name="Skip to main content")
    # Django's login form puts the focus in the user name field (autofocus, applied once the
    # page has rendered: wait for it, or it can land after the move below); then start where
    # a visitor arriving from the address bar does, at the top of the document.
    expect(page.get_by_label("Username")).to_be_focused()
    page.evaluate("document.body.tabIndex = -1; document.body.focus()")
    page.evaluate("document.body.removeAttribute('tabindex')")

    left = "document.querySelector('.skip-link').getBoundingClientRect().left"
    assert page.evaluate(left) < 0  # off-screen until focused (site.css is loaded)

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    assert page.evaluate(left) >= 0
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(analyst.get_username())
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    # The redirect keeps the skip link's #main.
    expect(page).to_have_url(re.compile(r"/en/(#main)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Service Network Map")
    expect(page.get_by_role("button", name=f"Sign out ({analyst.get_username()})")).to_be_visible()


def test_language_switch_on_the_site(log_in, analyst):
    page = log_in(analyst)

    page.get_by_role("button", name="Français").click()
    page.wait_for_url("**/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_language_switch_in_the_admin(log_in, data_admin):
    page = log_in(data_admin, "/en/admin/")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("button", name="Français").click()
    page.wait_for_url("**/fr/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # Django's own French catalogue.
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/en/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.mark.parametrize(("language", "password"), [("en", "Password"), ("fr", "Mot de passe")])
def test_sign_in_page_is_accessible(page, assert_accessible, language, password):
    page.goto(f"/{language}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The field's label comes from Django's own catalogue.
    expect(page.get_by_label(password, exact=True)).to_be_visible()

    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_home_page_is_accessible(
    log_in, assert_accessible, ontario_editor, ontario_point, language
):
    page = log_in(ontario_editor, f"/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)

    assert_accessible(page)


def test_admin_pages_are_accessible(log_in, assert_accessible, data_admin, ontario_point):
    page = log_in(data_admin, "/en/admin/")
    assert_accessible(page)

    page.goto("/en/admin/servicepoints/servicepoint/")
    expect(page.get_by_role("link", name=ontario_point.name_en)).to_be_visible()
    assert_accessible(page)

    page.goto(change_url(ontario_point))
    expect(page.locator(".leaflet-container")).to_be_visible()
    # Django's SelectFilter2.js (the services' filter_horizontal widget) puts aria-label on a
    # bare <span> icon, which ARIA forbids; the input it decorates is labelled properly.
    assert_accessible(page, exclude=[".selector .help-tooltip.search-label-icon"])

    page.goto(f"/en/admin/servicepoints/servicepoint/{ontario_point.pk}/history/")
    expect(page.locator("#change-history")).to_be_visible()
    assert_accessible(page)


def test_map_widget_draws_without_csp_violations(log_in, csp_reports, data_admin, ontario_point):
    page = log_in(data_admin, "/en/admin/")
    static_files = []
    page.on(
        "response",
        lambda response: (
            static_files.append((response.url, response.status))
            if "/static/" in response.url
            else None
        ),
    )

    page.goto(change_url(ontario_point))

    expect(page.locator(".leaflet-container")).to_be_visible()
    geojson = json.loads(page.locator("textarea#id_location").input_value())
    assert geojson["type"] == "Point"
    assert geojson["coordinates"] == pytest.approx([-75.6972, 45.4215])
    assert csp_reports == []
    # The live server serves static files from the apps: Leaflet's script and our admin.css.
    loaded = {url.rsplit("/static/", 1)[1] for url, status in static_files if status < 400}
    assert {"leaflet/leaflet.js", "css/admin.css"} <= loaded, static_files


def test_editor_gets_no_form_for_another_jurisdiction(log_in, ontario_editor, new_brunswick_point):
    page = log_in(ontario_editor, "/en/admin/")

    response = page.goto(change_url(new_brunswick_point))

    assert response.status == 403 or not page.url.endswith(change_url(new_brunswick_point))
    expect(page.locator("input[name=name_en]")).to_have_count(0)
    expect(page.get_by_text(new_brunswick_point.name_en)).to_have_count(0)
