"""Answering the partnership questionnaire in a real browser: no account, axe-clean on every
kind of page (start, a section, its errors, a grid, review, the read-only copy), keyboard
alone, a phone-sized screen, both languages; the results page as an analyst."""

import pytest
from playwright.sync_api import expect

from surveys.generate import generate_responses
from surveys.models import Invitation, QuestionnaireVersion, Response
from surveys.seed import QUESTIONNAIRE_CODE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def version():
    return QuestionnaireVersion.objects.get(questionnaire__code=QUESTIONNAIRE_CODE, number=1)


@pytest.fixture
def token(version, serviceontario):
    _invitation, raw = Invitation.create(
        version=version,
        organization=serviceontario,
        contact_name="Alex Tremblay",
        email="alex@serviceontario.example",
    )
    return raw


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_answer_with_the_keyboard_alone_on_a_phone(page, assert_accessible, csp_reports, token):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/en/questionnaire/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Service delivery partnerships questionnaire"
    )
    assert_accessible(page)
    assert no_horizontal_scroll(page)
    page.get_by_role("link", name="Start").click()

    # Submitting the first page empty: the error summary, each field's message, nothing saved.
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Some answers need your attention")
    expect(page.locator(".errorlist").first).to_contain_text("This question is required.")
    assert_accessible(page)
    assert Response.objects.get().answers.count() == 0

    # Now with the keyboard alone: focus the first field, type, move with Tab and arrows.
    page.get_by_label("What is your role in your organization?").focus()
    page.keyboard.type("Director, service delivery")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.keyboard.press("Tab")  # into the service model radios
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to the yes/no radios
    page.keyboard.press("Space")  # "Yes"
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()
    page.get_by_role("button", name="Save and continue").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/2/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership types")
    assert_accessible(page)  # a grid: a fieldset per row
    assert no_horizontal_scroll(page)
    assert csp_reports == []


def test_switch_to_french_mid_way_then_review_submit_and_read_only(page, assert_accessible, token):
    page.goto(f"/en/questionnaire/{token}/section/1/")
    page.get_by_label("What is your role in your organization?").fill("Director")
    page.get_by_label("How many in-person service offices").fill("4")
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Enregistrer et continuer en français").click()
    page.wait_for_url("**/fr/questionnaire/**/section/1/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_label("Quel est votre rôle dans votre organisation\u202f?")).to_have_value(
        "Director"
    )
    assert_accessible(page)

    page.goto(f"/en/questionnaire/{token}/review/")
    expect(page.get_by_text("Required, not answered").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Not submitted")
    assert Response.objects.get().submitted_at is None

    # Answer the rest through the model (the page flow is tested without a browser), submit.
    response = Response.objects.get()
    response.answers.all().delete()
    Response.objects.filter(pk=response.pk).delete()
    invitation = Invitation.objects.get()
    done = generate_responses(invitation.version, [invitation.organization], seed=5)[0]
    # The generated response has its own invitation; look at it through a fresh link.
    fresh = done.invitation.new_token()
    page.goto(f"/en/questionnaire/{fresh}/")
    expect(page.get_by_role("status")).to_contain_text("This is a read-only copy.")
    expect(page.locator("form.survey-form")).to_have_count(0)
    assert_accessible(page)


def test_refusal_pages_are_clear_and_accessible(page, assert_accessible):
    page.goto("/en/questionnaire/not-a-token/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not valid")
    assert_accessible(page)


def test_results_page_as_an_analyst(page, log_in, assert_accessible, analyst, version):
    from servicepoints.models import Jurisdiction, Organization

    organizations = [
        Organization.objects.create(
            code=code, name_en=code, name_fr=code, jurisdiction=Jurisdiction.objects.get(code=j)
        )
        for code, j in [("so-test", "ON"), ("snb-test", "NB"), ("sc-test", "CA")]
    ]
    generate_responses(version, organizations, seed=9)
    log_in(analyst, f"/en/surveys/{version.pk}/results/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    expect(page.locator("figure.chart svg").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Break down by").select_option("level")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**?by=level")
    assert_accessible(page)


def test_interviews_themes_and_coding_pages(page, log_in, assert_accessible, data_admin, version):
    import datetime

    from servicepoints.models import Jurisdiction, Organization
    from surveys.models import Interview, Theme

    organization = Organization.objects.create(
        code="so-int", name_en="ServiceOntario", name_fr="ServiceOntario",
        jurisdiction=Jurisdiction.objects.get(code="ON"),
    )  # fmt: skip
    generate_responses(version, [organization], seed=11)
    interview = Interview.objects.create(
        date=datetime.date(2027, 2, 3), organization=organization, interviewer=data_admin,
        participants="Regional director", quotes="Clients like one stop.",
    )  # fmt: skip
    interview.themes.set([Theme.objects.get(code="one-stop")])
    log_in(data_admin, "/en/surveys/interviews/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up interviews")
    assert_accessible(page)
    page.goto("/en/surveys/themes/")
    expect(page.locator("tbody tr")).to_have_count(Theme.objects.count())
    assert_accessible(page)
    page.goto(f"/en/surveys/{version.pk}/answers/respondent_role/")
    page.get_by_role("checkbox", name="Clients like the one-stop aspect of co-location").check()
    page.get_by_role("button", name="Save themes").click()
    expect(page.get_by_role("status")).to_contain_text("Themes saved")
    assert_accessible(page)
