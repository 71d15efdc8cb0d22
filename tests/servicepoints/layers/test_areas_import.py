"""import_areas: formats, detected fields, validation refusing the whole file, idempotence."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from servicepoints.layers.importing import import_areas
from servicepoints.layers.models import Area, AreaShape

from .conftest import csd_feature, square

pytestmark = pytest.mark.django_db


def texts(result):
    return [issue.text() for issue in result.issues]


def test_geojson_creates_areas_with_detected_fields(write_geojson, grid_features):
    result = import_areas(write_geojson(grid_features), "csd")
    assert not result.refused, texts(result)
    assert (result.created, result.updated, result.unchanged, result.year) == (12, 0, 0, 2021)
    area = Area.objects.get(code="3506005")
    assert (area.name_en, area.dguid, area.province_code) == (
        "Place 5", "2021A00053506005", "35"
    )  # fmt: skip
    assert area.geometry.geom_type == "MultiPolygon" and area.geometry.srid == 4326


def test_reimport_changes_nothing_and_a_change_is_counted(write_geojson, grid_features):
    path = write_geojson(grid_features)
    import_areas(path, "csd")
    stamps = dict(Area.objects.values_list("code", "imported_at"))
    again = import_areas(path, "csd")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)
    assert dict(Area.objects.values_list("code", "imported_at")) == stamps
    grid_features[0]["properties"]["CSDNAME"] = "Renamed"
    grid_features[1]["geometry"]["coordinates"] = square(-75.5, 46.0, 0.05)
    changed = import_areas(write_geojson(grid_features), "csd")
    assert (changed.created, changed.updated, changed.unchanged) == (0, 2, 10)
    assert Area.objects.get(code="3506000").name_en == "Renamed"


def test_projected_shapefile_zip_is_reprojected(shapefile_zip):
    result = import_areas(shapefile_zip, "csd")
    assert not result.refused, texts(result)
    assert result.created == 12
    xmin, ymin, xmax, ymax = Area.objects.get(code="3506000").geometry.extent
    assert xmin == pytest.approx(-75.9, abs=1e-6) and ymin == pytest.approx(45.0, abs=1e-6)


def test_topojson_is_read_through_gdal(tmp_path):
    topology = {
        "type": "Topology",
        "arcs": [[[0, 0], [10, 0], [0, 10], [-10, 0], [0, -10]]],
        "transform": {"scale": [0.01, 0.01], "translate": [-75.9, 45.3]},
        "objects": {
            "fsa": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0]], "properties": {"CFSAUID": "K1A"}}
                ],
            }
        },
    }
    path = tmp_path / "fsa.json"
    path.write_text(json.dumps(topology))
    result = import_areas(path, "fsa", year=2016)
    assert not result.refused, texts(result)
    area = Area.objects.get(code="K1A")
    assert area.province_code == "35" and area.geometry.extent == pytest.approx(
        (-75.9, 45.3, -75.8, 45.4)
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda f: f[3]["properties"].update(CSDUID=""),
            "feature 4, field “code”: the code is empty",
        ),
        (
            lambda f: f[5]["properties"].update(CSDUID="3506000"),
            "feature 6, field “code”: the code “3506000” is already used by feature 1",
        ),
        (lambda f: f[2].update(geometry=None), "feature 3, field “geometry”: the feature has no"),
        (
            lambda f: f[2].update(geometry={"type": "Point", "coordinates": [-75.7, 45.4]}),
            "feature 3, field “geometry”: the geometry is a POINT, not a polygon",
        ),
        (
            lambda f: f[7].update(geometry={"type": "Polygon", "coordinates": square(2.3, 48.8)}),
            "feature 8, field “geometry”: the area (2.3 48.8 2.4 48.9) lies outside Canada",
        ),
    ],
)
def test_any_error_refuses_the_whole_file(write_geojson, grid_features, change, expected):
    import_areas(write_geojson(grid_features[:1], "first_2021.geojson"), "csd")
    before = list(Area.objects.values_list("code", "name_en", "imported_at"))
    grid_features[0]["properties"]["CSDNAME"] = "Would be renamed"
    change(grid_features)
    result = import_areas(write_geojson(grid_features), "csd")
    assert result.refused
    assert any(expected in text and "csd_2021.geojson" in text for text in texts(result))
    assert list(Area.objects.values_list("code", "name_en", "imported_at")) == before


def test_invalid_polygon_is_repaired_with_a_warning(write_geojson, grid_features):
    bowtie = [[[-75.0, 45.0], [-74.9, 45.1], [-74.9, 45.0], [-75.0, 45.1], [-75.0, 45.0]]]
    grid_features[4]["geometry"]["coordinates"] = bowtie
    result = import_areas(write_geojson(grid_features), "csd")
    assert not result.refused, texts(result)
    [issue] = [issue for issue in result.issues if issue.code == "invalid_geometry"]
    assert not issue.is_error and issue.row == 5 and "repaired" in issue.text()
    area = Area.objects.get(code="3506004")
    assert area.geometry.valid and area.geometry.area == pytest.approx(0.005)


def test_unknown_level_missing_code_field_and_year(write_geojson, grid_features):
    path = write_geojson(grid_features, "places.geojson")
    assert "level “county” is unknown" in texts(import_areas(path, "county"))[0]
    assert "no column with the areas’ codes" in texts(import_areas(path, "da"))[0]
    for feature in grid_features:
        del feature["properties"]["DGUID"]
    path = write_geojson(grid_features, "places.geojson")
    assert "give it with --year" in texts(import_areas(path, "csd"))[0]
    assert import_areas(path, "csd", year=2021).created == 12
    assert "no column “CODE”" in texts(import_areas(path, "csd", code_field="CODE"))[0]


def test_provinces_without_codes_get_them_from_names_and_french_is_split(write_geojson):
    features = [
        {
            "type": "Feature",
            "properties": {"name": "Yukon Territory"},
            "geometry": {"type": "Polygon", "coordinates": square(-135.0, 62.0, 1)},
        },
        {
            "type": "Feature",
            "properties": {"PRUID": "24", "PRNAME": "Quebec / Québec"},
            "geometry": {"type": "Polygon", "coordinates": square(-72.0, 47.0, 1)},
        },
    ]
    import_areas(write_geojson(features[:1], "provinces.geojson"), "province", year=2021)
    import_areas(write_geojson(features[1:], "pr_2021.geojson"), "province")
    assert set(Area.objects.values_list("code", "name_en", "name_fr")) == {
        ("60", "Yukon", "Yukon"),
        ("24", "Quebec", "Québec"),
    }


def test_shapes_per_band_keep_neighbours_touching(write_geojson, grid_features):
    import_areas(write_geojson(grid_features), "csd")  # csd: drawn from zoom 6
    assert sorted(set(AreaShape.objects.values_list("min_zoom", flat=True))) == [6, 7, 10]
    assert AreaShape.objects.count() == 36
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM layers_areashape a JOIN layers_areashape b "
            "ON a.min_zoom = b.min_zoom AND a.area_id < b.area_id "
            "WHERE ST_Area(ST_Intersection(a.geometry, b.geometry)) > 1 "
        )
        assert cursor.fetchone()[0] == 0  # no overlaps
        cursor.execute(
            "SELECT min_zoom, abs(ST_Area(ST_Union(geometry)) - ST_Area(ST_Envelope("
            "ST_Union(geometry)))) / ST_Area(ST_Union(geometry)) FROM layers_areashape "
            "GROUP BY min_zoom"
        )
        for _zoom, gap_share in cursor.fetchall():
            assert gap_share < 1e-6  # the grid's shapes still tile its rectangle


def test_command_reports_counts_and_refuses_with_an_error(write_geojson, grid_features, capsys):
    path = write_geojson(grid_features)
    call_command("import_areas", str(path), "--level", "csd")
    assert "12 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    grid_features.append(csd_feature(0))
    with pytest.raises(CommandError, match="was refused; nothing was changed"):
        call_command("import_areas", str(write_geojson(grid_features)), "--level", "csd")
    assert "feature 13" in capsys.readouterr().err
