"""Validate, diff, apply and undo against real PostGIS: what each step does to the points."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from servicepoints.imports import pipeline
from servicepoints.imports.mapping import auto_mapping
from servicepoints.models import ImportChange, ImportRun, LocationPrecision, ServicePoint

from .conftest import ontario_row, snapshot

pytestmark = pytest.mark.django_db


def codes(run):
    return sorted({(issue.code, issue.row) for issue in pipeline.issues_of(run)})


def test_headers_in_english_and_french_are_recognised():
    english = auto_mapping(["Name", "Postal Code", "Lat", "Long", "Structure Number (TEXT data)"])
    assert english == {
        "name_en": "Name",
        "postal_code": "Postal Code",
        "latitude": "Lat",
        "longitude": "Long",
        "external_id": "Structure Number (TEXT data)",
    }
    french = auto_mapping(["Identifiant", "Nom", "Code postal", "Téléphone", "Municipalité"])
    assert french == {
        "external_id": "Identifiant",
        "name_fr": "Nom",
        "postal_code": "Code postal",
        "phone": "Téléphone",
        "community": "Municipalité",
    }


def test_first_import_creates_the_points_with_their_history(run_import, source, data_admin):
    run = run_import([ontario_row(1), ontario_row(2)])
    assert run.status == ImportRun.Status.APPLIED
    assert run.counts["new"] == 2 and run.counts["created"] == 2
    assert run.applied_by == data_admin and run.applied_at
    point = ServicePoint.objects.get(external_id="SO-1")
    assert point.data_source == source
    assert point.organization.code == "serviceontario"
    assert point.province.code == "ON"
    assert point.phone == "+1 613-555-0199"
    assert point.languages == ["en", "fr"]
    assert point.bilingual is True
    assert point.timezone == "America/Toronto"
    assert point.location_precision == LocationPrecision.EXACT
    assert (round(point.location.x, 4), round(point.location.y, 4)) == (-75.6972, 45.4315)
    assert point.opening_periods.exists(), "opening periods computed for 'open now'"
    events = ServicePoint.pgh_event_model.objects.filter(pgh_obj=point)
    assert [event.pgh_context.metadata["import_run"] for event in events] == [run.pk]
    assert ImportChange.objects.filter(run=run, action="created").count() == 2
    from servicepoints.history import history

    (entry,) = history(point)
    assert (entry.who, entry.via) == (data_admin.username, f"import run {run.pk}")


def test_reimport_reports_changes_field_by_field_and_updates_only_those(run_import):
    run_import([ontario_row(1), ontario_row(2), ontario_row(3)])
    first = ServicePoint.objects.get(external_id="SO-1")
    rows = [ontario_row(1, phone="613-555-0100"), ontario_row(2), ontario_row(4)]
    run = run_import(rows, apply=False)
    assert run.status == ImportRun.Status.VALIDATED
    assert {k: run.counts[k] for k in ("new", "changed", "unchanged", "missing")} == {
        "new": 1,
        "changed": 1,
        "unchanged": 1,
        "missing": 1,
    }
    from servicepoints.imports.diff import diff_page

    (changed,) = diff_page(run, "changed")
    assert changed["external_id"] == "SO-1"
    assert changed["changes"] == [("phone", "+1 613-555-0199", "+1 613-555-0100")]
    (missing,) = diff_page(run, "missing")
    assert missing["external_id"] == "SO-3"
    pipeline.apply_run(run, run.created_by)
    first.refresh_from_db()
    assert first.phone == "+1 613-555-0100"
    assert ServicePoint.objects.get(external_id="SO-3").status == "open", "kept by default"
    assert ServicePoint.objects.filter(external_id="SO-4").exists()


def test_missing_points_are_closed_when_asked(run_import):
    run_import([ontario_row(1), ontario_row(2)])
    run = run_import([ontario_row(1)], missing="close")
    assert run.counts["closed"] == 1
    assert ServicePoint.objects.get(external_id="SO-2").status == "closed"
    assert ServicePoint.objects.get(external_id="SO-1").status == "open"


def test_fields_the_file_does_not_give_are_left_alone(run_import):
    run_import([ontario_row(1)])
    ServicePoint.objects.filter(external_id="SO-1").update(website="https://example.ca/so1")
    row = ontario_row(1)
    del row["phone"]
    run = run_import([row])
    assert run.counts["unchanged"] == 1
    point = ServicePoint.objects.get(external_id="SO-1")
    assert point.phone == "+1 613-555-0199" and point.website == "https://example.ca/so1"


def test_second_import_uses_the_saved_preset(run_import, source, write_csv, data_admin):
    headers = {"code": "SO-1", "titre": "Bureau 1", "lat": "45.42", "lon": "-75.69"}
    path = write_csv([headers])
    run = pipeline.create_run(
        path,
        data_source=source,
        user=data_admin,
        mapping={"external_id": "code", "name_en": "titre", "latitude": "lat", "longitude": "lon"},
        defaults={"organization": "serviceontario", "province": "ON"},
    )
    pipeline.validate_run(run)
    pipeline.apply_run(run, data_admin)
    again = pipeline.create_run(path, data_source=source, user=data_admin)
    pipeline.validate_run(again)
    assert again.status == ImportRun.Status.VALIDATED
    assert again.mapping["external_id"] == "code" and again.defaults["province"] == "ON"
    assert again.counts["unchanged"] == 1


@pytest.mark.parametrize(
    ("changes", "code", "column"),
    [
        ({"latitude": "-75.6972", "longitude": "45.4215"}, "swapped_coordinates", "longitude"),
        ({"longitude": "75.6972"}, "swapped_coordinates", "longitude"),
        ({"latitude": "NaN"}, "not_finite", "latitude"),
        ({"latitude": "Infinity"}, "not_finite", "latitude"),
        ({"latitude": "north"}, "not_a_number", "latitude"),
        ({"latitude": "51.05", "longitude": "-114.07"}, "outside_province", "latitude"),
        ({"latitude": "48.85", "longitude": "2.35"}, "outside_canada", "latitude"),
        ({"postal code": "H2X 1Y4"}, "postal_code_province", "postal code"),
        ({"postal code": "123456"}, "invalid_postal_code", "postal code"),
        ({"phone": "call us"}, "invalid_phone", "phone"),
        ({"hours": "Mo-Fr 25:00-26:00"}, "invalid_opening_hours", "hours"),
        ({"languages": "klingon"}, "unknown_language", "languages"),
        ({"organization": "nobody"}, "unknown_organization", "organization"),
        ({"province": "Atlantis"}, "unknown_province", "province"),
        ({"id": ""}, "required", "id"),
        ({"name": "", "nom": ""}, "required", "name"),
    ],
)
def test_bad_rows_are_reported_with_row_column_and_reason(run_import, changes, code, column):
    before = snapshot()
    run = run_import([ontario_row(1), ontario_row(2, **changes)])
    assert run.status == ImportRun.Status.INVALID
    errors = [issue for issue in pipeline.issues_of(run) if issue.is_error]
    assert [(issue.code, issue.row, issue.column) for issue in errors] == [(code, 3, column)]
    assert errors[0].file == "points.csv"
    assert snapshot() == before, "a refused import changes nothing"


def test_duplicates_in_the_file(run_import):
    run = run_import([ontario_row(1), ontario_row(1, name="Other")], apply=False)
    assert ("duplicate_id", 3) in codes(run)
    near = ontario_row(2, latitude=ontario_row(1)["latitude"], longitude="-75.6975")
    near["name"] = ontario_row(1)["name"]
    run = run_import([ontario_row(1), near], apply=False)
    assert run.status == ImportRun.Status.VALIDATED, "a near duplicate is a warning"
    assert ("near_duplicate", 3) in codes(run)


def test_a_point_that_moved_more_than_5_km_is_a_warning(run_import):
    run_import([ontario_row(1)])
    run = run_import([ontario_row(1, latitude="45.5215")], apply=False)
    assert run.status == ImportRun.Status.VALIDATED
    (moved,) = [i for i in pipeline.issues_of(run) if i.code == "moved"]
    assert moved.params["km"] == pytest.approx(10.0, abs=0.2)


def test_address_only_rows_are_placed_at_their_postal_area(run_import, ottawa_postal_area):
    row = ontario_row(1, latitude="", longitude="")
    run = run_import([row])
    assert run.status == ImportRun.Status.APPLIED
    point = ServicePoint.objects.get(external_id="SO-1")
    assert point.location_precision == LocationPrecision.POSTAL_AREA
    assert point.location.equals_exact(ottawa_postal_area.location, 1e-9)
    assert ("placed_at_postal_area", 2) in codes(run)


def test_rows_with_no_location_at_all_are_errors(run_import):
    row = ontario_row(1, latitude="", longitude="", city="")
    run = run_import([row])
    assert ("no_location", 2) in codes(run) and run.status == ImportRun.Status.INVALID


def test_editor_may_refresh_only_their_jurisdiction(
    run_import, ontario_editor, ontario, new_brunswick, service_new_brunswick, source, write_csv
):
    with pytest.raises(PermissionDenied):
        pipeline.create_run(write_csv([ontario_row(1)]), data_source=source, user=ontario_editor)
    with pytest.raises(PermissionDenied):
        pipeline.create_run(
            write_csv([ontario_row(1)]),
            data_source=source,
            user=ontario_editor,
            jurisdiction=new_brunswick,
        )
    before = snapshot()
    foreign = ontario_row(2, organization="service-new-brunswick")
    run = run_import(
        [ontario_row(1), foreign], user=ontario_editor, jurisdiction=ontario, apply=True
    )
    assert run.status == ImportRun.Status.INVALID
    assert ("other_jurisdiction", 3) in codes(run)
    assert snapshot() == before
    run = run_import([ontario_row(1)], user=ontario_editor, jurisdiction=ontario)
    assert run.status == ImportRun.Status.APPLIED


def test_analyst_may_not_import(analyst, source, write_csv):
    with pytest.raises(PermissionDenied):
        pipeline.create_run(write_csv([ontario_row(1)]), data_source=source, user=analyst)


def test_undo_restores_the_previous_state_exactly(run_import, data_admin):
    run_import([ontario_row(1), ontario_row(2)])
    before = snapshot()
    run = run_import(
        [ontario_row(1, phone="613-555-0100", hours="Mo 09:00-10:00"), ontario_row(3)],
        missing="close",
    )
    assert run.counts == {**run.counts, "created": 1, "updated": 1, "closed": 1}
    assert snapshot() != before
    pipeline.undo_run(run, data_admin)
    assert snapshot() == before
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UNDONE and run.undone_by == data_admin
    point = ServicePoint.objects.get(external_id="SO-1")
    assert point.opening_periods.exists()


def test_undo_is_refused_when_points_changed_since_or_a_later_import_exists(
    run_import, data_admin, ontario_editor
):
    first = run_import([ontario_row(1)])
    second = run_import([ontario_row(1, phone="613-555-0100")])
    with pytest.raises(ValidationError, match="later import"):
        pipeline.undo_run(first, data_admin)
    point = ServicePoint.objects.get(external_id="SO-1")
    point.name_en = "Edited by hand"
    point.save()
    with pytest.raises(ValidationError, match="SO-1"):
        pipeline.undo_run(second, data_admin)
    with pytest.raises(PermissionDenied):
        pipeline.undo_run(second, ontario_editor)
    second.refresh_from_db()
    assert second.status == ImportRun.Status.APPLIED


def test_report_csv_is_in_the_readers_language(run_import):
    run = run_import([ontario_row(1, phone="call us")])
    english = pipeline.report_csv(run)
    assert english.startswith("\ufefffile,row,column,value,severity,reason")
    assert "points.csv,2,phone,call us,error," in english
    with translation.override("fr"):
        french = pipeline.report_csv(run)
    assert french.startswith("\ufefffichier,ligne,colonne,valeur,gravité,motif")
    assert "n’est pas un numéro de téléphone" in french


def test_formula_cells_are_neutralised_in_the_report(run_import):
    run = run_import([ontario_row(1, phone="=HYPERLINK(1)")])
    assert "'=HYPERLINK(1)" in pipeline.report_csv(run)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Structure Number (TEXT data)", "structure number"),
        ("Code postal", "code postal"),
        ("Montréal (Québec)", "montreal"),
        ("ÉCOLE—Saint-Jérôme", "ecole saint jerome"),
        ("Queen’s Park", "queen s park"),
        ("Queen's Park", "queen s park"),
        ("Sœurs de la Charité", "soeurs de la charite"),
        ("  Nom\u00a0de\tl’établissement ", "nom de l etablissement"),
    ],
)
def test_names_and_headers_compare_by_a_key_that_ignores_case_accents_and_punctuation(text, key):
    from servicepoints.imports.mapping import normalize_header

    assert normalize_header(text) == key


def test_the_marks_removed_are_exactly_unicodedatas_combining_characters():
    """`without_marks` (one regular expression) against the definition, character by
    character: every combining mark of the Basic Multilingual Plane and beyond, in words."""
    import unicodedata

    from servicepoints.imports.mapping import without_marks

    marks = [chr(c) for c in range(0x300, 0x110000) if unicodedata.combining(chr(c))]
    samples = [f"a{mark}b—c" for mark in marks] + ["Wekweètì", "Déline", "ᐃᓄᒃᑎᑐᑦ", "𝔄b\u0301"]
    for text in samples:
        decomposed = unicodedata.normalize("NFKD", text)
        expected = "".join(c for c in decomposed if not unicodedata.combining(c))
        assert without_marks(decomposed) == expected, ascii(text)


def test_undo_is_refused_when_channel_statistics_hang_on_a_created_point(
    run_import, data_admin, tmp_path
):
    from servicepoints.analysis.forecast.importer import import_channel_statistics
    from servicepoints.analysis.models import ChannelStatistic

    run = run_import([ontario_row(1, kind="call_centre")])
    assert ServicePoint.objects.get(external_id="SO-1").kind == "call_centre"
    statistics = tmp_path / "calls.csv"
    statistics.write_text("queue_group,month,year,calls_handled\nGeneral,Jan,2020,10\n")
    assert not import_channel_statistics(statistics, organization="serviceontario").refused
    with pytest.raises(ValidationError, match="SO-1"):
        pipeline.undo_run(run, data_admin)
    assert ChannelStatistic.objects.count() == 1
    ChannelStatistic.objects.all().delete()
    pipeline.undo_run(run, data_admin)
    assert not ServicePoint.objects.filter(external_id="SO-1").exists()
