"""Small boundary files made for the tests: a grid of adjacent squares near Ottawa."""

import json
import subprocess
import zipfile

import pytest


def square(x, y, size=0.1):
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def csd_feature(number, x=-75.9, y=45.3, **properties):
    return {
        "type": "Feature",
        "properties": {
            "CSDUID": f"35060{number:02d}",
            "CSDNAME": f"Place {number}",
            "DGUID": f"2021A000535060{number:02d}",
            "PRUID": "35",
            **properties,
        },
        "geometry": {"type": "Polygon", "coordinates": square(x + 0.1 * number, y)},
    }


@pytest.fixture
def write_geojson(tmp_path):
    def write(features, name="csd_2021.geojson"):
        path = tmp_path / name
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
        return path

    return write


@pytest.fixture
def grid_features():
    """Three rows of four adjacent squares: 12 census subdivisions."""
    return [
        csd_feature(row * 4 + column, x=-75.9 + 0.1 * column - 0.1 * (row * 4 + column),
                    y=45.0 + 0.1 * row)
        for row in range(3)
        for column in range(4)
    ]  # fmt: skip


@pytest.fixture
def shapefile_zip(tmp_path, write_geojson, grid_features):
    """The grid as a zipped Shapefile in Statistics Canada Lambert (EPSG:3347), by ogr2ogr."""
    source = write_geojson(grid_features, "grid.geojson")
    folder = tmp_path / "shp"
    folder.mkdir()
    subprocess.run(
        ["ogr2ogr", "-q", "-f", "ESRI Shapefile", "-t_srs", "EPSG:3347",
         str(folder / "csd.shp"), str(source)],
        check=True,
    )  # fmt: skip
    path = tmp_path / "lcsd000b21a_e.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, part.name)
    return path


@pytest.fixture(autouse=True)
def _empty_payload_cache():
    """The API's payloads are cached by data version, which each test's rollback resets: two
    tests could otherwise meet at the same version with different data."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
