"""The admin's import screens in a real browser: upload, progress, report, preview map, apply
with the keyboard, both languages, axe-core, no CSP violation."""

import re

import pytest
from playwright.sync_api import expect

from servicepoints.imports import pipeline
from servicepoints.models import ImportRun, ServicePoint

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

UPLOAD = "/{language}/admin/servicepoints/importrun/add/"
# Two ServiceOntario offices (Ottawa City Hall, Kingston) with coordinates; BAD_CSV adds a
# third (Nepean) whose phone number is not one.
CSV = (
    "external_id,name_en,name_fr,organization,latitude,longitude,postal_code,phone\n"
    "ON-1,ServiceOntario Ottawa,ServiceOntario Ottawa,serviceontario,45.4215,-75.6972,"
    "K1P 1J1,613-555-0100\n"
    "ON-2,ServiceOntario Kingston,ServiceOntario Kingston,serviceontario,44.2312,-76.4860,"
    "K7L 2Z1,\n"
)
BAD_CSV = CSV + "ON-3,ServiceOntario Nowhere,,serviceontario,45.3,-75.9,K2H 1A1,call us\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(page, language, text, source):
    page.goto(UPLOAD.format(language=language))
    page.locator("#id_file").set_input_files(
        {"name": "offices.csv", "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.locator("#id_data_source").select_option(label=source.title)
    page.locator("#import-upload-form input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/servicepoints/importrun/\d+/change/$"))


def test_upload_check_preview_and_apply_with_the_keyboard(
    log_in, assert_accessible, csp_reports, data_admin, ontario_source, serviceontario
):
    page = log_in(data_admin, UPLOAD.format(language="en"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import service points")
    expect(page.get_by_text("at most 50.0 MB")).to_be_visible()
    assert_accessible(page)

    upload(page, "en", CSV, ontario_source)
    expect(page.locator(".import-status")).to_have_text("Validated, ready to apply")
    report = page.locator(".import-report")
    expect(report.get_by_role("link", name="Download the report (CSV)")).to_be_visible()
    # The preview: two new points, drawn on the map with a legend that names their shape.
    expect(page.get_by_role("link", name="New (2)")).to_have_attribute("aria-current", "page")
    expect(page.locator(".import-diff")).to_contain_text("ServiceOntario Kingston")
    expect(page.locator(".import-legend")).to_contain_text("New point: green circle with +")
    expect(page.locator("#import-map .import-symbol-new")).to_have_count(2)
    expect(page.locator("#apply-confirmation")).to_contain_text(
        "Points created: 2; changed: 0; closed: 0."
    )
    assert_accessible(page)

    # The keyboard alone reaches Apply (Tab from the top of the page) and presses it.
    apply = page.get_by_role("button", name="Apply")
    page.locator("body").focus()
    for _press in range(120):  # the header's links, the report's, the preview's map
        page.keyboard.press("Tab")
        if apply.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("Apply cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    expect(page.locator(".import-status")).to_have_text("Applied")
    expect(page.locator(".import-counts")).to_contain_text("Points created")
    assert ServicePoint.objects.filter(data_source=ontario_source).count() == 2
    assert csp_reports == []


def test_refused_file_in_french(
    log_in, assert_accessible, data_admin, ontario_source, serviceontario
):
    page = log_in(data_admin, UPLOAD.format(language="fr"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des points de service")
    assert_accessible(page)

    upload(page, "fr", BAD_CSV, ontario_source)
    expect(page.locator(".import-status")).to_have_text(
        "Refusée : le fichier contient des erreurs"
    )
    issues = page.locator(".import-issues")
    expect(issues).to_contain_text("n’est pas un numéro de téléphone")
    page.get_by_role("link", name="Erreurs seulement").click()
    expect(page.get_by_role("link", name="Erreurs seulement")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("#id_map_external_id")).to_have_value("external_id")
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_progress_follows_the_run_then_the_page_reloads(
    log_in, assert_accessible, tmp_path, data_admin, ontario_source, serviceontario, language
):
    path = tmp_path / "offices.csv"
    path.write_text(CSV)
    run = pipeline.create_run(path, data_source=ontario_source, user=data_admin)
    page = log_in(data_admin, f"/{language}/admin/servicepoints/importrun/{run.pk}/change/")
    bar = page.locator("progress#import-progress-bar")
    expect(bar).to_be_visible()
    expect(page.locator("#import-progress-message")).to_have_attribute("role", "status")
    assert_accessible(page)

    # The worker's progress shows without a reload...
    ImportRun.objects.filter(pk=run.pk).update(progress=40, progress_message="Checking row 1")
    expect(bar).to_have_attribute("value", "40")
    expect(page.locator("#import-progress-message")).to_have_text("Checking row 1")
    # ...and the page reloads once the run is validated.
    pipeline.validate_run(run)
    expect(page.locator("#import-map")).to_be_visible()
    expect(bar).to_have_count(0)
    assert_accessible(page)


def test_unknown_values_mapped_with_the_keyboard_in_both_languages(
    log_in, assert_accessible, csp_reports, data_admin, serviceontario
):
    """The province's directory as it comes: its labels refused once each, mapped in the
    "Unknown values" step with the keyboard alone, checked again and applied."""
    from django.core.management import call_command

    from servicepoints.models import DataSource
    from tests.servicepoints.imports.conftest import DIRECTORY, GAZETTEER

    call_command("load_places", str(GAZETTEER))
    source = DataSource.objects.create(name="so-directory", title="ServiceOntario directory")
    page = log_in(data_admin, UPLOAD.format(language="fr"))
    upload_file(page, "fr", DIRECTORY, source)
    expect(page.locator(".import-status")).to_have_text(
        "Refusée : le fichier contient des erreurs"
    )
    values = page.locator(".import-values")
    expect(values.get_by_role("heading", level=2)).to_have_text("Valeurs inconnues")
    expect(page.locator(".import-issues")).to_contain_text(
        "« ServiceOntario Centre » n’est pas un type de point de service (38 lignes"
    )
    assert_accessible(page)

    page.goto(page.url.replace("/fr/", "/en/"))
    centre = page.get_by_label("What “ServiceOntario Centre” stands for")
    expect(centre).to_have_value("")
    expect(page.locator(".import-values")).to_contain_text("in-person service centre (centre)")
    # The keyboard reaches the selects: Tab from the column's "ignore" box, then the arrow
    # keys choose (past "not mapped" and "no value", the first kind: centre).
    page.get_by_label("Ignore the column “Type”").focus()
    page.keyboard.press("Tab")
    assert centre.evaluate("select => select === document.activeElement")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(centre).to_have_value("centre")
    page.get_by_label("What “ServiceOntario Kiosk” stands for").select_option("kiosk")
    page.get_by_label("What “Service Partner” stands for").select_option("partner_site")
    page.get_by_label("What “Sudbury” stands for").select_option(index=1)
    page.get_by_label("What “Kingsvile” stands for").select_option(index=1)
    moose = page.locator(".import-values tr", has_text="Moose Factory")
    moose.get_by_label("or a place of the gazetteer, or latitude,longitude").fill(
        "51.2611,-80.6117"
    )
    submit = page.get_by_role("button", name="Check the file again with these values")
    submit.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".import-status")).to_have_text("Validated, ready to apply")
    expect(page.locator(".import-counts")).to_contain_text("46 of 46 checked (100 %)")
    assert_accessible(page)
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".import-status")).to_have_text("Applied")
    assert ServicePoint.objects.filter(data_source=source, kind="kiosk").count() == 7
    assert csp_reports == []


def upload_file(page, language, path, source):
    page.goto(UPLOAD.format(language=language))
    page.locator("#id_file").set_input_files(str(path))
    page.locator("#id_data_source").select_option(label=source.title)
    page.locator("#import-upload-form input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/servicepoints/importrun/\d+/change/$"))
