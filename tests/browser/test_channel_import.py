"""The channel statistics import screen in a real browser: a refused file and its issues, a
good one imported with the keyboard, axe-core on each page."""

import pytest
from playwright.sync_api import expect

from servicepoints.analysis.models import ChannelStatistic
from tests.servicepoints.analysis.channel_data import HEADER, contact_centre  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

URL = "/en/admin/analysis/channelstatistic/import/"


def choose(page, text):
    page.locator("#id_file").set_input_files(
        {"name": "contact.csv", "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.locator("#id_organization").select_option("serviceontario")


def test_refused_then_imported_with_the_keyboard(
    log_in,
    assert_accessible,
    data_admin,
    contact_centre,  # noqa: F811
):
    page = log_in(data_admin, URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import channel statistics")
    assert_accessible(page)

    choose(page, HEADER + "General Inquiry queues,Jam,2016,100,0.5\n")
    page.get_by_role("button", name="Import").click()
    expect(
        page.get_by_role("heading", name="The file was refused; nothing was changed.")
    ).to_be_visible()
    expect(page.locator("#content-main table")).to_contain_text(
        "contact.csv, row 2, column “month”: “Jam” is not a month"
    )
    assert_accessible(page)
    assert not ChannelStatistic.objects.exists()

    choose(page, HEADER + "General Inquiry queues,Jan,2016,100,0.5\n")
    page.get_by_role("button", name="Import").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/analysis/channelstatistic/")
    expect(page.locator(".messagelist")).to_contain_text("1 created, 0 updated, 0 unchanged")
    assert_accessible(page)
    assert ChannelStatistic.objects.get().calls_handled == 100
