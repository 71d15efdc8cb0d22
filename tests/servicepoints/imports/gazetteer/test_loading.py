"""`load_places`: the CGNDB's CSV and GeoNames' CA.txt in their published layouts, upserted in
one transaction, refused whole when a row is wrong."""

import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from servicepoints.imports.gazetteer import detect_format, load_places
from servicepoints.imports.gazetteer.geonames import alternate_names
from servicepoints.imports.issues import ImportFileError
from servicepoints.models import Gazetteer, PlaceName, PopulatedPlace

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "gazetteer"
CGNDB = FIXTURES / "cgn_on_nb_csv_eng.csv"
GEONAMES = FIXTURES / "CA.txt"


def snapshot():
    """Every place and name, to show that a refused or repeated load changed nothing."""
    return (
        sorted(PopulatedPlace.objects.values_list("gazetteer", "external_id", "name", "location")),
        sorted(PlaceName.objects.values_list("place__external_id", "name", "kind", "language")),
    )


def place(gazetteer, name):
    return PopulatedPlace.objects.get(gazetteer=gazetteer, name=name)


def rewrite(tmp_path, source, change, name=None):
    """A copy of a fixture with `change(lines)` applied to its lines."""
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / (name or source.name)
    path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8-sig")
    return path


# The CGNDB


def test_cgndb_populated_places_with_english_and_french_names():
    counts, issues = load_places(CGNDB)

    assert issues == []
    # 14 rows: the two names of Greater Sudbury and of Grand Falls are one place each, and
    # Ramsey Lake is not a populated place.
    assert counts["places"] == {"total": 11, "created": 11, "updated": 0, "unchanged": 0}
    assert counts["skipped"] == 1
    sudbury = place(Gazetteer.CGNDB, "Greater Sudbury")
    assert (sudbury.name_fr, sudbury.generic_term, sudbury.province.code) == (
        "Grand Sudbury",
        "City",
        "ON",
    )
    assert sudbury.population is None and sudbury.relevance_at_scale == 7_500_000
    assert sudbury.location.coords == pytest.approx((-80.99, 46.49))
    assert sudbury.external_id == "2d2e0d14a7bd11d892e2080020a0f4c9-ON"
    assert sorted(sudbury.names.values_list("name", "language", "kind")) == [
        ("Grand Sudbury", "fr", "official"),
        ("Greater Sudbury", "en", "official"),
    ]
    falls = place(Gazetteer.CGNDB, "Grand Falls")
    assert (falls.name_fr, falls.province.code, falls.generic_term) == (
        "Grand-Sault",
        "NB",
        "Town",
    )
    with translation.override("fr"):
        assert str(falls) == "Grand-Sault (NB)"
    assert str(falls) == "Grand Falls (NB)"
    # One name for both languages: no French form of its own.
    assert place(Gazetteer.CGNDB, "Kingsville").name_fr == ""
    assert not PopulatedPlace.objects.filter(name="Ramsey Lake").exists()
    assert set(
        PopulatedPlace.objects.filter(name="Elgin").values_list("province__code", flat=True)
    ) == {"ON", "NB"}
    normalized = PlaceName.objects.get(name="St. Catharines").normalized
    assert normalized == "st catharines"


def test_loading_the_same_file_again_changes_nothing():
    load_places(CGNDB)
    before = snapshot()

    counts, issues = load_places(CGNDB)

    assert issues == []
    assert counts["places"] == {"total": 11, "created": 0, "updated": 0, "unchanged": 11}
    assert counts["names"]["created"] == counts["names"]["removed"] == 0
    assert snapshot() == before


def test_a_changed_row_is_updated_and_a_dropped_name_removed(tmp_path):
    load_places(CGNDB)
    moved = rewrite(
        tmp_path,
        CGNDB,
        lambda lines: [
            line.replace("42.039,-82.739", "42.04,-82.74")
            for line in lines
            if "Grand-Sault" not in line
        ],
    )

    counts, issues = load_places(moved)

    assert issues == []
    assert counts["places"]["updated"] == 2, "Kingsville moved, Grand Falls lost its French name"
    assert counts["names"]["removed"] == 1
    assert place(Gazetteer.CGNDB, "Kingsville").location.coords == pytest.approx((-82.74, 42.04))
    assert place(Gazetteer.CGNDB, "Grand Falls").name_fr == ""


def test_older_layout_without_iso_language_code(tmp_path):
    def drop_third_column(lines):
        return [",".join(line.split(",")[:2] + line.split(",")[3:]) for line in lines]

    counts, issues = load_places(rewrite(tmp_path, CGNDB, drop_third_column))

    assert issues == []
    assert counts["places"]["created"] == 11
    assert place(Gazetteer.CGNDB, "Greater Sudbury").name_fr == "Grand Sudbury"


def test_one_province_only_and_a_dry_run():
    counts, issues = load_places(CGNDB, province="NB", dry_run=True)

    assert issues == []
    assert counts["places"]["created"] == 3  # Moncton, Elgin, Grand Falls
    assert not PopulatedPlace.objects.exists(), "a dry run saves nothing"
    load_places(CGNDB, province="nb")
    assert set(PopulatedPlace.objects.values_list("province__code", flat=True)) == {"NB"}


def test_a_zipped_file_is_read(tmp_path):
    archive = tmp_path / "cgn_on_nb_csv_eng.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(CGNDB, "cgn_on_nb_csv_eng.csv")
    counts, issues = load_places(archive)
    assert issues == [] and counts["places"]["created"] == 11


def test_missing_column_is_refused_naming_it(tmp_path):
    def drop_concise_code(lines):
        return [",".join(line.split(",")[:7] + line.split(",")[8:]) for line in lines]

    path = rewrite(tmp_path, CGNDB, drop_concise_code)
    counts, issues = load_places(path)

    assert [(i.code, i.file, i.row, i.column) for i in issues] == [
        ("missing_column", "cgn_on_nb_csv_eng.csv", 1, "Concise Code")
    ]
    assert issues[0].text() == "The file has no “Concise Code” column."
    with translation.override("fr"):
        assert issues[0].text() == "Le fichier n’a pas de colonne « Concise Code »."
    assert counts["places"]["created"] == 0
    assert not PopulatedPlace.objects.exists()


def test_bad_rows_refuse_the_whole_file_and_change_nothing(tmp_path):
    load_places(GEONAMES)
    before = snapshot()

    def spoil(lines):
        lines[3] = lines[3].replace(",42.039,", ",forty-two,")  # Kingsville's latitude
        lines[11] = lines[11].replace("New Brunswick", "Acadia")  # Moncton's province
        lines[5] = lines[5].replace("Wellington", "Wellington (changed)")  # a valid change
        return lines

    counts, issues = load_places(rewrite(tmp_path, CGNDB, spoil))

    assert [(i.code, i.row, i.column, i.value) for i in issues] == [
        ("not_a_number", 4, "Latitude", "forty-two"),
        ("unknown_province", 12, "Province - Territory", "Acadia"),
    ]
    assert issues[0].text() == "“forty-two” is not a number."
    assert issues[1].text() == "Unknown province or territory “Acadia”."
    with translation.override("fr"):
        assert issues[1].text() == "Province ou territoire inconnu : « Acadia »."
    assert counts["places"]["created"] == 0
    assert snapshot() == before


def test_a_location_outside_canada_is_refused(tmp_path):
    path = rewrite(tmp_path, CGNDB, lambda lines: [lines[0], lines[3].replace("-82.739", "2.35")])
    _counts, issues = load_places(path)
    assert [(i.code, i.row, i.column) for i in issues] == [("outside_canada", 2, "Latitude")]


def test_an_unknown_file_or_a_wrong_format_is_refused(tmp_path):
    other = tmp_path / "offices.csv"
    other.write_text("name,latitude,longitude\nServiceOntario,45.4,-75.7\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as refused:
        load_places(other)
    assert refused.value.issue.code == "unknown_gazetteer"
    assert "offices.csv is neither a CSV of the Canadian Geographical Names" in str(refused.value)
    with pytest.raises(ImportFileError) as refused:
        load_places(GEONAMES, format="cgndb")
    assert refused.value.issue.code == "wrong_format"
    with pytest.raises(ImportFileError) as refused:
        load_places(CGNDB, province="XX")
    assert refused.value.issue.code == "unknown_province"


def test_detect_format():
    assert detect_format(CGNDB.read_text(encoding="utf-8-sig").splitlines()[0]) == "cgndb"
    assert detect_format(GEONAMES.read_text(encoding="utf-8").splitlines()[0]) == "geonames"
    assert detect_format("id,name,latitude,longitude") is None


# GeoNames


def test_geonames_populated_places_with_their_alternate_names():
    counts, issues = load_places(GEONAMES)

    assert issues == []
    # 10 rows: Ramsey Lake (H) and Ontario (A) are not populated places.
    assert counts["places"] == {"total": 8, "created": 8, "updated": 0, "unchanged": 0}
    assert counts["skipped"] == 2
    sudbury = place(Gazetteer.GEONAMES, "Greater Sudbury")
    assert (sudbury.external_id, sudbury.generic_term, sudbury.population) == (
        "5964700",
        "PPLA2",
        166004,
    )
    assert sudbury.timezone == "America/Toronto" and not sudbury.is_section
    # Kept: Latin-script names; left out: the name itself, the airport code, an automatic
    # transliteration (all lower case), Cyrillic and Japanese.
    assert sorted(sudbury.names.values_list("name", "kind")) == [
        ("Bol'shoj Sadberi", "alternate"),
        ("Grand Sudbury", "alternate"),
        ("Greater Sudbury", "official"),
        ("Sudbury", "alternate"),
    ]
    ottawa = place(Gazetteer.GEONAMES, "Ottawa")
    assert set(ottawa.names.values_list("name", flat=True)) == {
        "Ottawa",
        "Atava",
        "Otava",
        "Ottava",
    }
    # Sections of Ottawa: found by their name, "former"; part of Ottawa; not on the map.
    nepean = place(Gazetteer.GEONAMES, "Nepean")
    assert nepean.is_section and nepean.population is None
    assert nepean.part_of == ottawa
    assert place(Gazetteer.GEONAMES, "Kanata").part_of == ottawa
    assert set(nepean.names.values_list("name", "kind")) == {
        ("Nepean", "former"),
        ("Nepin", "alternate"),
    }
    assert place(Gazetteer.GEONAMES, "Moncton").province.code == "NB"
    on_map = set(PopulatedPlace.objects.on_map().values_list("name", flat=True))
    assert on_map == {"Ottawa", "Greater Sudbury", "Kingsville", "Wellington", "Moncton"}


def test_geonames_reload_and_zip(tmp_path):
    load_places(GEONAMES)
    before = snapshot()
    archive = tmp_path / "CA.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(GEONAMES, "CA.txt")
        zipped.writestr("readme.txt", "GeoNames CA extract")

    counts, issues = load_places(archive)

    assert issues == []
    assert counts["places"] == {"total": 8, "created": 0, "updated": 0, "unchanged": 8}
    assert snapshot() == before


def test_geonames_malformed_rows(tmp_path):
    def spoil(lines):
        lines[0] = lines[0].replace("45.41117", "north")
        lines[4] = lines[4].replace("\t08\t", "\t99\t")  # Kingsville's admin1 code
        lines[7] = "\t".join(lines[7].split("\t")[:18])  # Moncton without its last column
        return lines

    _counts, issues = load_places(rewrite(tmp_path, GEONAMES, spoil))

    assert [(i.code, i.row, i.column) for i in issues] == [
        ("not_a_number", 1, "latitude (5)"),
        ("unknown_province", 5, "admin1 code (11)"),
        ("wrong_cell_count", 8, ""),
    ]
    assert issues[2].text() == "The row has 18 tab-separated columns; a GeoNames file has 19."
    assert not PopulatedPlace.objects.exists()


def test_alternate_names_worth_keeping():
    assert alternate_names(
        "Moncton", ["Moncton", "MONCTON", "YQM", "CYQM", "mwnktwn", "Монктон", "Monkton", " "]
    ) == ["Monkton"]
    assert alternate_names("Trois-Rivières", ["Trois-Rivieres", "Three Rivers"]) == [
        "Three Rivers"
    ]


# The command


def test_command_reports_counts_then_nothing_changed():
    out = StringIO()
    call_command("load_places", str(CGNDB), stdout=out)
    assert "Canadian Geographical Names Database (Natural Resources Canada" in out.getvalue()
    assert "11 places (11 created, 0 updated, 0 unchanged)" in out.getvalue()
    out = StringIO()
    call_command("load_places", str(CGNDB), "--format", "cgndb", stdout=out)
    assert "11 places (0 created, 0 updated, 11 unchanged)" in out.getvalue()


def test_command_refuses_a_bad_file_with_each_error(tmp_path):
    path = rewrite(
        tmp_path, CGNDB, lambda lines: [lines[0], lines[3].replace(",42.039,", ",forty-two,")]
    )
    err = StringIO()
    with pytest.raises(CommandError, match="1 errors: nothing was loaded"):
        call_command("load_places", str(path), stderr=err)
    assert "cgn_on_nb_csv_eng.csv, row 2, Latitude: “forty-two” is not a number." in err.getvalue()


def test_command_dry_run():
    out = StringIO()
    call_command("load_places", str(GEONAMES), "--dry-run", "--province", "NB", stdout=out)
    assert "1 places (1 created" in out.getvalue()
    assert "Dry run: nothing was saved." in out.getvalue()
    assert not PopulatedPlace.objects.exists()
