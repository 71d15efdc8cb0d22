"""Reading import files: every format's happy path, the malformed-file corpus, the real files."""

import datetime
import json
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from servicepoints.imports.issues import ImportFileError
from servicepoints.imports.readers import read_table
from tests.conftest import shared_file

CORPUS = Path(__file__).resolve().parent / "corpus"
VICTORIA = (-123.3656, 48.4284)
TORONTO = (-79.3832, 43.6532)
OTTAWA = (-75.6972, 45.4215)
# "Within a few metres": 5e-5 degrees is about 5.5 m of latitude, 4 m of longitude here.
TOLERANCE = 5e-5


def refused(path, **kwargs):
    with pytest.raises(ImportFileError) as caught:
        read_table(path, **kwargs)
    return caught.value


def codes(table):
    return [(issue.code, issue.row, issue.column) for issue in table.issues]


def points_collection(*places):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "visits": index * 1000},
                "geometry": {"type": "Point", "coordinates": list(lonlat)},
            }
            for index, (name, lonlat) in enumerate(places, start=1)
        ],
    }


def ogr2ogr(source, target, *args):
    subprocess.run(
        ["ogr2ogr", "-q", str(target), str(source), *args],
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "PROJ_NETWORK": "OFF"},
    )
    return target


def zipped_shapefile(tmp_path, collection, srid, *, name="offices"):
    """A zipped Shapefile of the collection reprojected to EPSG:srid, made by ogr2ogr."""
    source = tmp_path / "source.geojson"
    source.write_text(json.dumps(collection))
    folder = tmp_path / "shp"
    folder.mkdir()
    ogr2ogr(source, folder / f"{name}.shp", "-f", "ESRI Shapefile", "-t_srs", f"EPSG:{srid}")
    archive = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for part in sorted(folder.iterdir()):
            out.write(part, f"{name}/{part.name}")
    return archive


def assert_near(geometry, lonlat):
    assert geometry.srid == 4326
    assert geometry.x == pytest.approx(lonlat[0], abs=TOLERANCE)
    assert geometry.y == pytest.approx(lonlat[1], abs=TOLERANCE)


# CSV ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_any_delimiter(tmp_path, delimiter):
    path = tmp_path / "offices.csv"
    rows = [["name", "community", "note"], ["Office A", "Ottawa", "a, b; c"], ["B", "Hull", ""]]
    path.write_text(
        "\n".join(
            delimiter.join(f'"{cell}"' if any(d in cell for d in ",;") else cell for cell in row)
            for row in rows
        )
        + "\n"
    )
    table = read_table(path)
    assert (table.format, table.delimiter, table.encoding) == ("csv", delimiter, "utf-8")
    assert table.headers == ["name", "community", "note"]
    assert table.rows == rows[1:]
    assert table.line_numbers == [2, 3]
    assert table.geometries is None and table.source_srid is None and table.issues == []


def test_csv_with_bom_and_spaces_in_headers(tmp_path):
    path = tmp_path / "offices.csv"
    path.write_bytes("\ufeff name , community \r\nOffice A,Montréal\r\n".encode())
    table = read_table(path)
    assert table.encoding == "utf-8-sig"
    assert table.headers == ["name", "community"]
    assert table.rows == [["Office A", "Montréal"]]


def test_csv_in_windows_1252_is_read_and_said(tmp_path):
    path = tmp_path / "bureaux.csv"
    path.write_bytes("nom;localité\nCentre;Montréal\n".encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "cp1252"
    assert table.headers == ["nom", "localité"]
    assert table.rows == [["Centre", "Montréal"]]
    assert codes(table) == [("encoding_guessed", None, "")]
    assert "Windows-1252" in table.issues[0].text()
    assert table.issues[0].severity == "warning"


def test_csv_multi_line_fields_keep_the_line_where_each_record_starts(tmp_path):
    path = tmp_path / "offices.csv"
    path.write_text(
        "name,address,community\n"
        'A,"Suite 100\n1 Main St",Ottawa\n'
        "\n"
        'B,"2 King St\nFloor 3\nRoom 4",Hull\n'
        "C,3 Elm St,Gatineau\n"
    )
    table = read_table(path)
    assert table.line_numbers == [2, 5, 8]
    assert table.rows[0][1] == "Suite 100\n1 Main St"
    assert table.rows[1][1] == "2 King St\nFloor 3\nRoom 4"


def test_csv_short_rows_are_padded_silently_unless_the_file_is_cut_off(tmp_path):
    path = tmp_path / "offices.csv"
    path.write_text("name,community,postal_code\nA,Ottawa\nB,Hull,J8X 1A1\n")
    table = read_table(path)
    assert table.rows == [["A", "Ottawa", ""], ["B", "Hull", "J8X 1A1"]]
    assert table.issues == []


def test_csv_single_column(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("name\nOffice A\nOffice B\n")
    table = read_table(path)
    assert table.headers == ["name"] and table.rows == [["Office A"], ["Office B"]]


def test_csv_row_limit_comes_from_settings(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 2
    path = tmp_path / "offices.csv"
    path.write_text("name\nA\nB\nC\n")
    error = refused(path)
    assert error.issue.code == "too_many_rows"
    assert "offices.csv" in str(error)


def test_the_name_the_user_knows_is_used_in_messages(tmp_path):
    path = tmp_path / "upload-3f9a.tmp"
    path.write_text("name,community\n")
    error = refused(path, name="Bureaux du Québec.csv")
    assert error.issue.file == "Bureaux du Québec.csv"
    assert str(error).startswith("Bureaux du Québec.csv has no rows")


def test_messages_are_rendered_in_the_readers_language(tmp_path):
    path = tmp_path / "offices.csv"
    path.write_text("name,community\n")
    error = refused(path)
    with translation.override("fr"):
        assert str(error) == (
            "offices.csv ne contient aucune ligne : il y a des noms de colonnes, "
            "mais aucune donnée en dessous."
        )


# XLSX ---------------------------------------------------------------------------------------


def test_xlsx_values_become_faithful_text(tmp_path):
    book = openpyxl.Workbook()
    blank = book.active
    blank.title = "Cover"
    sheet = book.create_sheet("Offices")
    sheet.append([])
    sheet.append([" name ", "opened", "staff", "area", "open_now", "updated", "formula"])
    sheet.append(["Office A", datetime.date(2024, 2, 1), 12, 123.5, True, None, "=1+2"])
    sheet.append([])
    sheet.append(["Office B", datetime.datetime(2024, 2, 1, 9, 30), 7.0, 0.1, False, "x", "=A3"])
    path = tmp_path / "offices.xlsx"
    book.save(path)
    table = read_table(path)
    assert (table.format, table.sheet) == ("xlsx", "Offices")
    assert table.headers == ["name", "opened", "staff", "area", "open_now", "updated", "formula"]
    # Formulas are never evaluated: openpyxl wrote no cached value, so the cell is empty.
    assert table.rows == [
        ["Office A", "2024-02-01", "12", "123.5", "true", "", ""],
        ["Office B", "2024-02-01 09:30:00", "7", "0.1", "false", "x", ""],
    ]
    assert table.line_numbers == [3, 5]
    assert table.issues == []


def test_xlsx_unnamed_column_with_data_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["name", "community"])
    book.active.append(["Office A", "Ottawa", "stray"])
    path = tmp_path / "offices.xlsx"
    book.save(path)
    error = refused(path)
    assert error.issue.code == "empty_header"
    assert "column C" in str(error)


# GeoJSON ------------------------------------------------------------------------------------


def test_geojson_points_polygons_and_properties(tmp_path):
    collection = points_collection(("Victoria", VICTORIA), ("Ottawa", OTTAWA))
    collection["features"].append(
        {
            "type": "Feature",
            "properties": {"name": "Area", "extra": {"a": [1, 2]}, "visits": None},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-76, 45], [-75, 45], [-75, 46], [-76, 46], [-76, 45]]],
            },
        }
    )
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps(collection))
    table = read_table(path)
    assert (table.format, table.source_srid) == ("geojson", 4326)
    assert table.headers == ["name", "visits", "extra"]
    assert table.rows == [
        ["Victoria", "1000", ""],
        ["Ottawa", "2000", ""],
        ["Area", "", '{"a": [1, 2]}'],
    ]
    assert table.line_numbers == [1, 2, 3]
    assert_near(table.geometries[0], VICTORIA)
    assert table.geometries[2].geom_type == "Polygon"
    assert table.issues == []


def test_geojson_legacy_crs_member_naming_an_epsg_code_is_reprojected(tmp_path):
    source = tmp_path / "source.geojson"
    source.write_text(json.dumps(points_collection(("Ottawa", OTTAWA))))
    path = ogr2ogr(source, tmp_path / "ottawa.geojson", "-t_srs", "EPSG:3347")
    assert "EPSG::3347" in path.read_text()
    table = read_table(path)
    assert table.source_srid == 3347
    assert_near(table.geometries[0], OTTAWA)


def test_zipped_geojson(tmp_path):
    path = tmp_path / "places.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/places.geojson", json.dumps(points_collection(("V", VICTORIA))))
    table = read_table(path)
    assert table.format == "geojson" and table.name == "places.zip"
    assert_near(table.geometries[0], VICTORIA)


# GeoPackage and Shapefile -------------------------------------------------------------------


def test_geopackage_in_statistics_canada_lambert_is_reprojected(tmp_path):
    source = tmp_path / "source.geojson"
    source.write_text(json.dumps(points_collection(("Ottawa", OTTAWA), ("Victoria", VICTORIA))))
    path = ogr2ogr(source, tmp_path / "offices.gpkg", "-t_srs", "EPSG:3347", "-nln", "offices")
    table = read_table(path)
    assert (table.format, table.source_srid, table.layer) == ("gpkg", 3347, "offices")
    assert table.headers == ["name", "visits"]
    assert table.rows == [["Ottawa", "1000"], ["Victoria", "2000"]]
    assert_near(table.geometries[0], OTTAWA)
    assert_near(table.geometries[1], VICTORIA)


def test_geopackage_first_layer_with_features_is_read_and_the_others_named(tmp_path):
    source = tmp_path / "source.geojson"
    source.write_text(json.dumps(points_collection(("Ottawa", OTTAWA))))
    path = tmp_path / "layers.gpkg"
    ogr2ogr(source, path, "-nln", "empty", "-where", "name = 'none'")
    ogr2ogr(source, path, "-update", "-nln", "ottawa")
    ogr2ogr(source, path, "-update", "-nln", "again")
    table = read_table(path)
    assert table.layer == "ottawa"
    assert codes(table) == [("other_layers_ignored", None, "")]
    assert "“ottawa”" in table.issues[0].text()


def test_zipped_shapefile_in_utm_17n_is_reprojected(tmp_path):
    path = zipped_shapefile(tmp_path, points_collection(("Toronto", TORONTO)), 32617)
    table = read_table(path)
    assert (table.format, table.source_srid, table.layer) == ("shp", 32617, "offices")
    assert table.rows == [["Toronto", "1000"]]
    assert_near(table.geometries[0], TORONTO)


def test_longitude_comes_first_victoria_stays_in_victoria(tmp_path):
    """GDAL 3 uses the authority's axis order (lat, lon for EPSG:4326) unless told otherwise."""
    path = zipped_shapefile(tmp_path, points_collection(("Victoria", VICTORIA)), 3005)
    geometry = read_table(path).geometries[0]
    assert -123.5 < geometry.x < -123.3 and 48.3 < geometry.y < 48.5


def test_archive_member_count_comes_from_settings(tmp_path, settings):
    settings.IMPORT_MAX_ARCHIVE_MEMBERS = 3
    path = zipped_shapefile(tmp_path, points_collection(("Toronto", TORONTO)), 32617)
    assert refused(path).issue.code == "too_many_members"


# The malformed-file corpus -------------------------------------------------------------------

# file -> ("refused", issue code) or ("table", [(issue code, row, column), ...])
CASES = {
    "empty.csv": ("refused", "empty_file"),
    "whitespace_only.csv": ("refused", "empty_file"),
    "header_only.csv": ("refused", "no_rows"),
    "header_then_blank_rows.csv": ("refused", "no_rows"),
    "unterminated_quote.csv": ("refused", "unterminated_quote"),
    "truncated_last_row.csv": ("table", [("truncated_row", 3, "")]),
    "binary_garbage.csv": ("refused", "binary_file"),
    "control_characters.csv": ("refused", "binary_file"),
    "image_renamed.csv": ("refused", "unsupported_format"),
    "windows_1252.csv": ("table", [("encoding_guessed", None, "")]),
    "latin1_not_cp1252.csv": ("table", [("encoding_guessed", None, "")]),
    "utf16.csv": ("refused", "unsupported_encoding"),
    "duplicate_headers.csv": ("refused", "duplicate_headers"),
    "unnamed_column_with_data.csv": ("refused", "empty_header"),
    "unnamed_empty_column.csv": ("table", []),
    "extra_cells.csv": ("table", [("extra_cells", 3, "")]),
    "formula_injection.csv": (
        "table",
        [
            ("formula_like", 2, "note"),
            ("formula_like", 3, "phone"),
            ("formula_like", 4, "note"),
            ("formula_like", 5, "phone"),
        ],
    ),
    "geojson_named.csv": ("refused", "format_mismatch"),
    "csv_named.geojson": ("refused", "format_mismatch"),
    "workbook_named.csv": ("refused", "format_mismatch"),
    "legacy_excel.xls": ("refused", "unsupported_format"),
    "report.pdf": ("refused", "unsupported_format"),
    "over_limit.csv": ("refused", "too_large"),
    "invalid_json.geojson": ("refused", "invalid_json"),
    "single_feature.geojson": ("refused", "not_feature_collection"),
    "bare_geometry.geojson": ("refused", "not_feature_collection"),
    "json_array.json": ("refused", "not_feature_collection"),
    "no_features.geojson": ("refused", "no_rows"),
    "invalid_geometries.geojson": (
        "table",
        [
            ("invalid_geometry", 2, "geometry"),
            ("invalid_geometry", 3, "geometry"),
            ("invalid_geometry", 4, "geometry"),
        ],
    ),
    "nan_coordinates.geojson": (
        "table",
        [
            ("non_finite_coordinates", 2, "geometry"),
            ("non_finite_coordinates", 3, "geometry"),
            ("non_finite_coordinates", 4, "geometry"),
        ],
    ),
    "projected_without_crs.geojson": ("table", [("out_of_range", 1, "geometry")]),
    "crs_file_path.geojson": ("refused", "srs_unknown"),
    "not_a_feature.geojson": ("table", [("not_a_feature", 2, "")]),
    "latin1.geojson": ("refused", "unsupported_encoding"),
    "header_only.xlsx": ("refused", "no_rows"),
    "blank_sheet.xlsx": ("refused", "empty_file"),
    "formula_cells.xlsx": ("table", [("formula_like", 2, "note"), ("formula_like", 3, "phone")]),
    "damaged.xlsx": ("refused", "damaged_archive"),
    "zip_bomb.xlsx": ("refused", "archive_too_large"),
    "shapefile_missing_dbf.zip": ("refused", "shapefile_incomplete"),
    "shapefile_missing_shx.zip": ("refused", "shapefile_incomplete"),
    "shapefile_missing_prj.zip": ("refused", "missing_crs"),
    "shapefile_custom_crs.zip": ("refused", "srs_unknown"),
    "shapefile_prj_not_wkt.zip": ("refused", "srs_not_wkt"),
    "shapefile_no_features.zip": ("refused", "no_rows"),
    "shapefile_nan_point.zip": ("table", [("non_finite_coordinates", 1, "geometry")]),
    "zip_slip.zip": ("refused", "unsafe_archive"),
    "absolute_member.zip": ("refused", "unsafe_archive"),
    "shapefile_zip_bomb.zip": ("refused", "archive_too_large"),
    "overlapping_members.zip": ("refused", "archive_too_large"),
    "lying_sizes.zip": ("refused", "damaged_archive"),
    "no_data_inside.zip": ("refused", "unsupported_format"),
    "word_document.zip": ("refused", "unsupported_format"),
    "lone.shp": ("refused", "unsupported_format"),
    "geopackage_custom_crs.gpkg": ("refused", "srs_unknown"),
    "sqlite_not_geopackage.gpkg": ("refused", "not_geopackage"),
    # Readable: the import itself refuses their rows (test_corpus_pipeline.py).
    "swapped_coordinates.csv": ("table", []),
    "other_jurisdiction.csv": ("table", []),
}
# Read with a small limit to stand for a file over IMPORT_MAX_BYTES.
OPTIONS = {"over_limit.csv": {"max_bytes": 200}}


def test_every_corpus_file_has_a_case_and_a_readme_line():
    files = {path.name for path in CORPUS.iterdir()} - {"README.md", "make_corpus.py"}
    assert files == set(CASES)
    readme = (CORPUS / "README.md").read_text()
    assert [name for name in CASES if f"`{name}`" not in readme] == []


@pytest.mark.parametrize("name", CASES)
def test_corpus(name):
    outcome, expected = CASES[name]
    path = CORPUS / name
    if outcome == "refused":
        error = refused(path, **OPTIONS.get(name, {}))
        assert error.issue.code == expected
        assert error.issue.file == name and error.issue.row is None
        assert str(error).startswith(name)
        with translation.override("fr"):
            assert str(error).startswith(name) and str(error) != error.issue.message % {
                **error.issue.params
            }
    else:
        table = read_table(path, **OPTIONS.get(name, {}))
        assert codes(table) == expected
        for issue in table.issues:
            assert issue.file == name and name in issue.text()
        assert all(len(row) == len(table.headers) for row in table.rows)
        assert len(table.line_numbers) == len(table.rows)


def test_corpus_details():
    """What the row issues keep beside their code: values, and rows that stay readable."""
    table = read_table(CORPUS / "extra_cells.csv")
    assert table.rows == [["Office A", "Ottawa"], ["Office B", "Hull"], ["Office C", "Gatineau"]]
    assert table.issues[0].value == "Quebec,J8X"
    table = read_table(CORPUS / "formula_injection.csv")
    assert [issue.value for issue in table.issues][:2] == [
        '=HYPERLINK("http://evil.example","click")',
        "@SUM(A1:A9)",
    ]
    table = read_table(CORPUS / "invalid_geometries.geojson")
    assert table.geometries[0] is not None and table.geometries[1:] == [None] * 4
    assert table.issues[0].value.startswith("Self-intersection")
    table = read_table(CORPUS / "unnamed_empty_column.csv")
    assert table.headers == ["name", "community"]
    error = refused(CORPUS / "shapefile_missing_dbf.zip")
    assert ".dbf" in str(error)
    error = refused(CORPUS / "duplicate_headers.csv")
    assert "“Name”, “Street Address”" in str(error)
    error = refused(CORPUS / "unterminated_quote.csv")
    assert "line 3" in str(error)
    table = read_table(CORPUS / "formula_cells.xlsx")
    assert table.rows[1] == ["Office B", "@SUM(A1)", ""]  # the formula =1+2 is not evaluated


# Real public files ---------------------------------------------------------------------------


def test_real_bc_census_divisions_zipped_shapefile_in_bc_albers():
    table = read_table(shared_file("bc_census_divisions_2011_bcalbers_shp.zip"))
    assert (table.format, table.source_srid) == ("shp", 3005)
    assert table.headers == ["CDUID", "CDNAME", "CDTYPE", "PRUID", "PRNAME"]
    assert len(table.rows) == 29 and table.issues == []
    extents = [geometry.extent for geometry in table.geometries]
    west, south = min(e[0] for e in extents), min(e[1] for e in extents)
    east, north = max(e[2] for e in extents), max(e[3] for e in extents)
    # British Columbia: lon -139.1 to -114.0, lat 48.2 to 60.0.
    assert -139.1 <= west < -138.9 and -114.2 < east <= -114.0
    assert 48.2 <= south < 48.4 and 59.9 < north <= 60.001


def test_real_service_canada_addresses_keep_their_multi_line_addresses():
    table = read_table(shared_file("service_canada_addresses_bc_ab_2024-02.csv"))
    assert table.headers == ["region", "page-header", "link", "address"]
    assert len(table.rows) == 113 and table.issues == []
    addresses = [row[3] for row in table.rows]
    assert all("\n" in address for address in addresses)
    assert table.line_numbers[0] == 2 and table.line_numbers[-1] > 113 + 1


def test_real_dfrp_office_buildings():
    table = read_table(shared_file("dfrp_office_buildings_2023-01.csv"))
    assert len(table.rows) == 2227 and len(table.headers) == 30
    for header in ("Structure Number (TEXT data)", "Street Address", "Latitude", "Longitude"):
        assert header in table.headers
    latitude = table.headers.index("Latitude")
    assert sum(row[latitude] == "Protected" for row in table.rows) == 36


def test_real_canada_provinces_geojson():
    table = read_table(shared_file("canada_provinces.geojson"))
    assert len(table.rows) == 13 and table.issues == []
    assert {geometry.geom_type for geometry in table.geometries} <= {"MultiPolygon", "Polygon"}
