"""The partnership guide and the roadmap in a real browser: keyboard, axe-core, EN and FR,
and the PDF download."""

import pytest
from playwright.sync_api import expect

from partnerships import approval
from partnerships.models import Role, Sector, Status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def ottawa_partnership(ontario_editor, serviceontario, service_canada):
    return approval.create(
        ontario_editor,
        {"title_en": "Ottawa shared office", "title_fr": "Bureau partagé d’Ottawa"},
        {
            "type": "co-location",
            "status": Status.PROPOSED,
            "start_date": None,
            "end_date": None,
            "objectives_en": "One office for both.",
            "objectives_fr": "Un bureau pour les deux.",
            "parties": [
                [serviceontario.pk, Role.LEAD, Sector.GOVERNMENT],
                [service_canada.pk, Role.PARTNER, Sector.GOVERNMENT],
            ],
            "sites": [],
        },
    )


def test_guide_chapter_pdf_and_roadmap_by_keyboard(
    log_in, assert_accessible, csp_reports, analyst, ottawa_partnership
):
    page = log_in(analyst, "/en/partnerships/guide/")
    expect(page.get_by_role("heading", name="Partnership guide", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Partnership guide")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)

    # Keyboard: focus the first type's link and follow it with Enter.
    link = page.get_by_role("link", name="Co-location", exact=True)
    link.focus()
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/partnerships/guide/co-location/")
    expect(page.get_by_role("heading", name="Checklist of practices")).to_be_visible()
    expect(page.get_by_text("Adjoining counter design")).to_be_visible()
    expect(page.get_by_role("link", name="Ottawa shared office")).to_be_visible()
    expect(page.get_by_text("Clients like the one-stop aspect of co-location")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download “Co-location” (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.goto("/en/partnerships/roadmap/")
    expect(page.get_by_role("img", name="Roadmap timeline")).to_be_visible()
    expect(page.get_by_role("cell", name="Gradual implementation", exact=True)).to_be_visible()
    assert_accessible(page)

    for path in ("/fr/partnerships/guide/", "/fr/partnerships/guide/co-location/",
                 "/fr/partnerships/roadmap/"):  # fmt: skip
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        assert_accessible(page)
    expect(page.get_by_text("Mise en œuvre progressive").first).to_be_visible()
    assert csp_reports == []
