"""Partnerships in a real browser: create → propose → pilot approved by the partner →
evaluated, a third jurisdiction refused; axe-core on every page, both languages."""

import re

import pytest
from playwright.sync_api import expect

from partnerships.models import ChangeRequest, Partnership, Status
from servicepoints import roles
from servicepoints.models import Jurisdiction, Organization

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def federal_editor(make_user):
    return make_user("editor-ca-test", roles.EDITORS, ["CA"])


def _switch_user(page, log_in, user, path):
    page.context.clear_cookies()
    return log_in(user, path)


def _edit_status(page, partnership, status):
    page.goto(f"/en/partnerships/{partnership.pk}/edit/")
    page.get_by_label("Status", exact=True).select_option(status)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/en/partnerships/{partnership.pk}/")


def _approve_with_the_keyboard(page, note):
    page.get_by_label("Note", exact=True).focus()
    page.keyboard.type(note)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Approve")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Approved: the change is applied.")).to_be_visible()


def test_create_propose_approve_pilot_evaluate_and_refuse_a_third(
    log_in,
    assert_accessible,
    csp_reports,
    ontario_editor,
    federal_editor,
    new_brunswick_editor,
    serviceontario,
    service_canada,
    ontario_point,
    federal_point,
):
    page = log_in(ontario_editor, "/en/partnerships/new/")
    assert_accessible(page)
    page.get_by_label("Title (English)").fill("Ottawa shared office")
    page.get_by_label("Title (French)").fill("Bureau partagé d’Ottawa")
    page.get_by_label("Type", exact=True).select_option("co-location")
    page.get_by_label("Sites (service point ids)").fill(f"{ontario_point.pk}, {federal_point.pk}")
    page.locator('[name="parties-0-organization"]').select_option("serviceontario")
    page.locator('[name="parties-0-role"]').select_option("lead")
    page.locator('[name="parties-1-organization"]').select_option("service-canada")
    # A mistake first: dates out of order are refused on their field, nothing saved.
    page.get_by_label("Start date").fill("2024-06-01")
    page.get_by_label("End date").fill("2024-01-01")
    page.get_by_role("button", name="Create the partnership").click()
    expect(page.get_by_text("The end date comes before the start date.")).to_be_visible()
    assert not Partnership.objects.exists()
    assert_accessible(page)
    page.get_by_label("End date").fill("2026-12-31")
    page.get_by_role("button", name="Create the partnership").click()
    partnership = Partnership.objects.get()
    page.wait_for_url(f"**/en/partnerships/{partnership.pk}/")
    assert_accessible(page)

    # Propose: still a draft, applied at once.
    _edit_status(page, partnership, "proposed")
    partnership.refresh_from_db()
    assert partnership.status == Status.PROPOSED

    # Pilot: past "proposed", it waits for Service Canada.
    _edit_status(page, partnership, "pilot")
    expect(page.get_by_text("waits for the approval of")).to_be_visible()
    partnership.refresh_from_db()
    assert partnership.status == Status.PROPOSED
    assert_accessible(page)

    # A third jurisdiction can neither edit nor decide.
    _switch_user(page, log_in, new_brunswick_editor, "/en/partnerships/")
    response = page.goto(f"/en/partnerships/{partnership.pk}/edit/")
    assert response.status == 403
    page.goto(f"/en/partnerships/{partnership.pk}/")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)

    # The partner approves, with the keyboard: the pilot starts.
    _switch_user(page, log_in, federal_editor, f"/en/partnerships/{partnership.pk}/")
    assert_accessible(page)
    _approve_with_the_keyboard(page, "Signed on both sides")
    partnership.refresh_from_db()
    assert partnership.status == Status.PILOT
    expect(page.get_by_text("by editor-ca-test").first).to_be_visible()

    # Evaluated, proposed by Ontario and approved by Service Canada.
    _switch_user(page, log_in, ontario_editor, f"/en/partnerships/{partnership.pk}/")
    _edit_status(page, partnership, "evaluated")
    _switch_user(page, log_in, federal_editor, f"/en/partnerships/{partnership.pk}/")
    _approve_with_the_keyboard(page, "Evaluation received")
    partnership.refresh_from_db()
    assert partnership.status == Status.EVALUATED
    assert ChangeRequest.objects.filter(state="applied").count() == 2
    assert list(partnership.status_changes.values_list("status", flat=True)) == [
        "idea",
        "proposed",
        "pilot",
        "evaluated",
    ]
    assert csp_reports == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_inventory_is_accessible_in_both_languages(
    log_in,
    assert_accessible,
    analyst,
    serviceontario,
    service_canada,
    service_new_brunswick,
    language,
):
    from partnerships.seed import load_partnerships

    Organization.objects.create(
        code="gnwt",
        name_en="Government of the Northwest Territories",
        name_fr="Gouvernement des Territoires du Nord-Ouest",
        jurisdiction=Jurisdiction.objects.get(code="NT"),
    )
    assert load_partnerships()["partnerships"]["created"] == 8
    page = log_in(analyst, f"/{language}/partnerships/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("table caption")).to_have_count(3)
    assert_accessible(page)
    page.locator("tbody th a").first.click()
    page.wait_for_load_state()
    assert_accessible(page)


MAP = "/en/map/?z=15&lat=45.4203&lon=-75.6961&layers=points,partnerships"


@pytest.fixture
def ottawa(ontario_editor, serviceontario, service_canada, ontario_point, federal_point):
    from partnerships import approval

    return approval.create(
        ontario_editor,
        {"title_en": "Ottawa shared office", "title_fr": "Bureau partagé d’Ottawa"},
        {
            "type": "co-location",
            "status": "proposed",
            "start_date": None,
            "end_date": None,
            "objectives_en": "",
            "objectives_fr": "",
            "parties": [
                [serviceontario.pk, "lead", "government"],
                [service_canada.pk, "partner", "government"],
            ],
            "sites": [ontario_point.pk, federal_point.pk],
        },
    )


def test_the_partnerships_layer_draws_sites_and_the_line_and_filters(
    log_in, assert_accessible, csp_reports, analyst, ottawa
):
    page = log_in(analyst, "/en/")
    page.goto(MAP)
    expect(page.locator("input[name=layer][value=partnerships]")).to_be_checked()
    expect(page.locator("#map")).to_have_attribute("data-partnership-features", "3")
    panel = page.locator("#partnership-layer")
    expect(panel.get_by_role("link", name="Ottawa shared office")).to_have_attribute(
        "href", f"/en/partnerships/{ottawa.pk}/"
    )
    assert_accessible(page)
    # Filtered by status with the keyboard: nothing is a pilot yet.
    page.locator("#partnership-status").focus()
    page.keyboard.press("End")  # the last status, "withdrawn"
    expect(page.locator("#map")).to_have_attribute("data-partnership-features", "0")
    expect(panel.get_by_role("status")).to_have_text("0 partnerships with sites")
    expect(page.locator("#partnership-status")).to_be_focused()
    page.locator("#partnership-status").select_option("proposed")
    expect(page.locator("#map")).to_have_attribute("data-partnership-features", "3")
    # The choice is in the address: a copied link draws the same selection.
    expect(page).to_have_url(re.compile(r"pa_status=proposed"))
    page.locator("#partnership-type").select_option("virtual-service")
    expect(page.locator("#map")).to_have_attribute("data-partnership-features", "0")
    expect(page).to_have_url(re.compile(r"pa_type=virtual-service"))
    page.goto(page.url)
    expect(page.locator("#partnership-type")).to_have_value("virtual-service")
    expect(page.locator("#partnership-status")).to_have_value("proposed")
    expect(page.locator("#map")).to_have_attribute("data-partnership-features", "0")
    page.go_back()  # the type chosen before: any
    expect(page.locator("#map")).to_have_attribute("data-partnership-features", "3")
    expect(page.locator("#partnership-type")).to_have_value("")
    assert csp_reports == []


def test_a_points_details_list_its_partnerships(log_in, analyst, ottawa, ontario_point):
    page = log_in(analyst, "/en/")
    page.goto(f"{MAP}&point={ontario_point.pk}")
    section = page.locator(".point-partnerships")
    expect(section.get_by_role("link", name="Ottawa shared office")).to_be_visible()
    expect(section).to_contain_text("ServiceOntario (lead)")
