"""A provincial directory as it comes: its own labels, its own community names.

`tests/fixtures/serviceontario_directory.csv` is shaped like the directory a province sends
(columns `Location ID, Name, Address, City, Province, Organization, Type`, no coordinates,
`Type` in the province's own words): 46 rows in real Ontario communities, written for these
tests. `tests/fixtures/geonames_ontario_CA.txt` is a gazetteer in GeoNames' published layout
(CA.txt) with those communities at their approximate real locations (ids made up), Nepean and
Scarborough as sections (PPLX), Greater Sudbury without the short name "Sudbury", a Woodstock
in New Brunswick and a lake.
"""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from servicepoints.imports import pipeline
from servicepoints.imports.issues import Issue, grouped
from servicepoints.imports.value_mapping import closest, parse_value_option
from servicepoints.imports.values import KIND_SYNONYMS, choice_lookup
from servicepoints.models import (
    ImportPreset,
    ImportRun,
    Kind,
    LocationPrecision,
    ServicePoint,
)

from .conftest import DIRECTORY, snapshot

pytestmark = pytest.mark.django_db

SOURCE = "serviceontario-directory"
# What a user types to take this directory as it comes.
MAPPING = [
    "--value",
    "kind:ServiceOntario Centre=centre",
    "--value",
    "kind:ServiceOntario Kiosk=kiosk",
    "--value",
    "kind:Service Partner=partner_site",
    "--place",
    "Sudbury=Greater Sudbury",
    "--place",
    "Kingsvile=Kingsville",
    "--place",
    "Moose Factory=51.2611,-80.6117",
]


def directory_rows():
    with open(DIRECTORY, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_command(*args, language="en"):
    out, err = StringIO(), StringIO()
    call_command(
        "import_servicepoints",
        str(DIRECTORY),
        "--source",
        SOURCE,
        "--language",
        language,
        *args,
        stdout=out,
        stderr=err,
    )
    return out.getvalue()


def refused(*args, language="en"):
    with pytest.raises(SystemExit) as exit_:
        run_command(*args, language=language)
    assert exit_.value.code == 1
    return exit_


def test_the_directory_as_it_comes_is_refused_with_one_line_per_unknown_value(
    directory_source, tmp_path, capsys
):
    rows = directory_rows()
    centre_rows = [
        n for n, row in enumerate(rows, start=2) if row["Type"] == "ServiceOntario Centre"
    ]
    before = snapshot()
    report = tmp_path / "report.csv"
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import_servicepoints",
            str(DIRECTORY),
            "--source",
            SOURCE,
            "--report",
            str(report),
            stdout=out,
            stderr=StringIO(),
        )
    text = out.getvalue()
    assert snapshot() == before, "a refused import changes nothing"
    first = ", ".join(str(n) for n in centre_rows[:10])
    assert (
        f"Type: “ServiceOntario Centre” is not a kind of service point ({len(centre_rows)} "
        f"rows: {first}, …). Accepted: centre, outreach, kiosk" in text
    )
    centre_line = next(line for line in text.splitlines() if "“ServiceOntario Centre”" in line)
    assert centre_line.endswith("Closest: centre, business_centre.")
    assert sum("“ServiceOntario Centre”" in line for line in text.splitlines()) == 1
    kiosk_line = next(line for line in text.splitlines() if "“ServiceOntario Kiosk”" in line)
    assert "(7 rows: " in kiosk_line and kiosk_line.endswith("Closest: kiosk.")
    # Communities: one line each, with the closest names of the same province.
    sudbury = next(line for line in text.splitlines() if "“Sudbury”" in line)
    assert "is not a place of the gazetteer in ON (2 rows: " in sudbury
    assert "Closest places: " in sudbury and "Greater Sudbury) (GeoNames)" in sudbury
    kingsvile = next(line for line in text.splitlines() if "“Kingsvile”" in line)
    assert "Kingsville (GeoNames)" in kingsvile
    moose = next(line for line in text.splitlines() if "“Moose Factory”" in line)
    assert "map it to a place or to latitude,longitude" in moose
    # The CSV keeps every row.
    with open(report, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert sum("ServiceOntario Centre" == line["value"] for line in lines) == len(centre_rows)
    # Nepean and Scarborough are sections of cities in the gazetteer: found by their name.
    assert not any(
        line["value"] in ("Nepean", "Scarborough") for line in lines if line["severity"] == "error"
    )


def test_the_grouped_lines_in_french(directory_source):
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import_servicepoints",
            str(DIRECTORY),
            "--source",
            SOURCE,
            "--language",
            "fr",
            stdout=out,
            stderr=StringIO(),
        )
    text = out.getvalue()
    assert (
        "Type : « ServiceOntario Centre » n’est pas un type de point de service (38 lignes : 2,"
        in text
    )
    assert (
        "Acceptés : centre, outreach" in text
        and "Le plus proche : centre, business_centre." in text
    )
    assert "« Sudbury » n’est pas un lieu du répertoire toponymique en ON" in text


def test_mapped_applied_then_refreshed_with_the_saved_preset(directory_source):
    out = run_command(*MAPPING)
    assert "Applied (import run" in out and "46 created, 0 updated, 0 closed" in out
    assert "Placed: 46 of 46 rows checked (100 %)" in out
    assert "community 42 (GeoNames 42)" in out and "community mapping 4" in out
    points = ServicePoint.objects.filter(data_source=directory_source)
    assert points.count() == 46
    assert {p.location_precision for p in points} == {LocationPrecision.COMMUNITY}
    assert points.filter(kind=Kind.KIOSK).count() == 7
    assert points.filter(kind=Kind.PARTNER_SITE).get().community == "Moose Factory"
    sudbury = points.filter(community="Sudbury").first()
    assert (round(sudbury.location.y, 2), round(sudbury.location.x, 2)) == (46.49, -80.99)
    nepean = points.get(community="Nepean")
    assert (round(nepean.location.y, 3), round(nepean.location.x, 3)) == (45.335, -75.724)
    preset = ImportPreset.objects.get(data_source=directory_source)
    assert preset.values["kind"] == {
        "ServiceOntario Centre": "centre",
        "ServiceOntario Kiosk": "kiosk",
        "Service Partner": "partner_site",
    }
    assert preset.values["community"]["Moose Factory"] == "51.2611,-80.6117"
    before = snapshot()
    # The next refresh of the source: no option, the preset does the mapping.
    out = run_command()
    assert "From the preset of “serviceontario-directory”: 6 value mappings" in out
    assert "unchanged: 46" in out and "0 created, 0 updated, 0 closed" in out
    assert snapshot() == before
    assert ImportRun.objects.filter(data_source=directory_source).latest("pk").values == (
        preset.values
    )


def test_save_preset_on_a_dry_run_keeps_the_mapping_and_changes_no_point(directory_source):
    before = snapshot()
    out = run_command(*MAPPING, "--dry-run", "--save-preset")
    assert "Dry run: nothing was changed." in out
    assert "Saved the mapping and values in the preset" in out
    assert snapshot() == before
    preset = ImportPreset.objects.get(data_source=directory_source)
    assert preset.values["community"]["Sudbury"] == "Greater Sudbury"
    assert "46 created" in run_command()


def test_an_ignored_column_takes_the_default(directory_source):
    places = ["--place", "Sudbury=Greater Sudbury", "--place", "Kingsvile=Kingsville"]
    places += ["--place", "Moose Factory=51.2611,-80.6117"]
    out = run_command("--ignore", "Type", "--default", "kind=outreach", *places)
    assert "46 created" in out
    kinds = ServicePoint.objects.filter(data_source=directory_source).values_list(
        "kind", flat=True
    )
    assert set(kinds) == {Kind.OUTREACH}
    assert ImportPreset.objects.get(data_source=directory_source).ignored == ["Type"]


def test_default_does_not_replace_a_value_the_file_gives(directory_source):
    refused("--default", "kind=centre")


def test_a_value_mapped_to_nothing_takes_the_default(directory_source):
    out = run_command(
        *MAPPING[:2],
        "--value",
        "kind:ServiceOntario Kiosk=",
        "--value",
        "kind:Service Partner=",
        "--default",
        "kind=outreach",
        *MAPPING[6:],
    )
    assert "46 created" in out
    points = ServicePoint.objects.filter(data_source=directory_source)
    assert points.filter(kind=Kind.OUTREACH).count() == 8


def test_wrong_codes_and_options_are_refused_before_the_file_is_read(directory_source):
    with pytest.raises(CommandError, match=r"“centr” is not a value of kind. Accepted: centre"):
        run_command("--value", "kind:ServiceOntario Centre=centr")
    with pytest.raises(CommandError, match=r"Closest: centre"):
        run_command("--value", "kind:ServiceOntario Centre=centr")
    with pytest.raises(CommandError, match=r"write FIELD:VALUE IN THE FILE=CODE"):
        run_command("--value", "colour:blue=red")
    with pytest.raises(CommandError, match=r"COMMUNITY=PLACE"):
        run_command("--place", "Sudbury")
    assert not ImportRun.objects.exists()


def test_a_place_mapping_that_finds_nothing_is_an_error_of_its_rows(directory_source):
    exit_ = refused(*MAPPING[:6], "--place", "Sudbury=Atlantis", *MAPPING[8:])
    assert exit_ is not None
    run = ImportRun.objects.get()
    errors = [i for i in pipeline.issues_of(run) if i.code == "place_mapping"]
    assert len(errors) == 2 and "Atlantis" in errors[0].text()


def test_ignoring_a_column_the_file_lacks_is_a_warning(directory_source):
    out = run_command(*MAPPING, "--ignore", "Colour", "--dry-run")
    assert "The column “Colour” is to be ignored, but the file has none." in out


def test_value_option_syntax():
    assert parse_value_option("kind:ServiceOntario Centre=centre") == (
        "kind",
        "ServiceOntario Centre",
        "centre",
    )
    assert parse_value_option("services:A=B=") == ("services", "A=B", "")
    for wrong in ("kind=centre", "colour:x=y", "kind:=centre", "kind:x"):
        with pytest.raises(ValueError):
            parse_value_option(wrong)


def test_closest_kinds():
    table = choice_lookup(Kind, KIND_SYNONYMS)
    assert closest("ServiceOntario Kiosk", table) == ["kiosk"]
    assert closest("Kisok", table) == ["kiosk"]
    assert closest("Zebra crossing", table) == []


def test_grouping_keeps_distinct_values_apart_and_counts_rows():
    issues = [
        Issue(
            "error",
            "invalid_phone",
            "“%(value)s” is not a phone number.",
            "f.csv",
            row,
            "phone",
            value,
            {"value": value},
        )
        for row, value in ((2, "x"), (3, "x"), (4, "y"))
    ]
    groups = grouped(issues)
    assert [(g.value, g.rows) for g in groups] == [("x", [2, 3]), ("y", [4])]
    with translation.override("en"):
        assert groups[0].text() == "2 rows (2, 3), phone: “x” is not a phone number."
        assert groups[1].text() == "row 4, phone: “y” is not a phone number."
