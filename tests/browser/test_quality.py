"""The data-quality pages in a real browser: both languages, axe-core, the keyboard alone."""

import pytest
from playwright.sync_api import expect

from servicepoints.models import DataSource, ServicePoint

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    ("language", "index", "page_path", "heading"),
    [
        ("en", "/en/quality/", "/en/quality/ON/", "Data quality: Ontario"),
        ("fr", "/fr/qualite/", "/fr/qualite/ON/", "Qualité des données\xa0: Ontario"),
    ],
)
def test_quality_pages_are_accessible(
    log_in,
    assert_accessible,
    csp_reports,
    analyst,
    ontario_point,
    federal_point,
    language,
    index,
    page_path,
    heading,
):
    # Every table of the page: the point has a data source (never refreshed by import).
    source = DataSource.objects.create(
        name="serviceontario-locations", title="ServiceOntario locations", licence="OGL – Ontario"
    )
    ServicePoint.objects.filter(pk=ontario_point.pk).update(data_source=source)
    page = log_in(analyst, index)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("table caption")).to_have_count(1)
    assert_accessible(page)

    page.locator(f'a[href="{page_path}"]').click()
    page.wait_for_url(f"**{page_path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("table caption")).to_have_count(5)
    assert_accessible(page)
    assert csp_reports == []


def test_keyboard_alone_reaches_the_table_links(log_in, ontario_editor, ontario_point):
    page = log_in(ontario_editor, "/en/quality/ON/")
    # Start where a visitor arriving from the address bar does, at the top of the document.
    page.evaluate("document.body.tabIndex = -1; document.body.focus()")
    page.evaluate("document.body.removeAttribute('tabindex')")
    target = page.get_by_role("link", name=ontario_point.name_en)

    for _step in range(40):
        page.keyboard.press("Tab")
        if target.evaluate("link => link === document.activeElement"):
            break
    expect(target).to_be_focused()

    # The editor may change the point: Enter opens it in the administration.
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/en/admin/servicepoints/servicepoint/{ontario_point.pk}/change/")
    expect(page.locator("input[name=name_en]")).to_have_value(ontario_point.name_en)
