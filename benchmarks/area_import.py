"""Import of 57,000 generated census areas (dissemination-area sized), beside ogr2ogr.

The file is a GeoJSON grid of adjacent polygons over southern Canada (lon -120 to -70,
lat 43 to 50: 300 × 190 cells, each side cut in four so each polygon has 17 vertices and
shares its edges' vertices with its neighbours), written to a temporary folder.

- *reference*: `ogr2ogr` loading the same file into a new PostGIS table (COPY, GiST index).
- `import_areas` (read with the point import's readers, COPY to a staging table, checks in
  SQL, one INSERT … ON CONFLICT), display shapes left out; then the display shapes of the
  57,000 areas built on their own (`shapes.build`, two bands for the DA level), then the same
  import again (nothing changed).

The generated areas (codes 99…, a province code that does not exist) are deleted before and
after.
"""

import json
import subprocess
import tempfile
import time
from pathlib import Path

COLUMNS, ROWS = 300, 190
WEST, SOUTH, EAST, NORTH = -120.0, 43.0, -70.0, 50.0
YEAR = 2021
ROOT = Path(__file__).resolve().parents[1]


def cell(column, row):
    width, height = (EAST - WEST) / COLUMNS, (NORTH - SOUTH) / ROWS
    x0, y0 = WEST + column * width, SOUTH + row * height
    corners = [(x0, y0), (x0 + width, y0), (x0 + width, y0 + height), (x0, y0 + height)]
    ring = []
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True):
        ring += [
            [round(ax + (bx - ax) * i / 4, 7), round(ay + (by - ay) * i / 4, 7)] for i in range(4)
        ]
    return ring + [ring[0]]


def write_grid(path):
    features = [
        {
            "type": "Feature",
            "properties": {
                "DAUID": f"99{row:03d}{column:03d}",
                "DGUID": f"2021S0512990{row:03d}{column:03d}",
            },
            "geometry": {"type": "Polygon", "coordinates": [cell(column, row)]},
        }
        for row in range(ROWS)
        for column in range(COLUMNS)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def _clean():
    from servicepoints.layers.models import Area

    Area.objects.filter(level__code="da", year=YEAR, code__startswith="99").delete()


def run():
    from django.db import connection

    from servicepoints.layers.importing import import_areas
    from servicepoints.layers.models import AreaLevel
    from servicepoints.layers.shapes import build

    _clean()
    folder = Path(tempfile.mkdtemp(prefix="snm-bench-areas-"))
    path = folder / "da_2021.geojson"
    write_grid(path)
    size_mb = path.stat().st_size / 1e6
    socket = (ROOT / ".pgdata").resolve() / "run"
    database = connection.settings_dict["NAME"]
    start = time.perf_counter()
    subprocess.run(
        ["ogr2ogr", "-f", "PostgreSQL", f"PG:host={socket} dbname={database} user=postgres",
         str(path), "-nln", "bench_ogr_areas", "-nlt", "MULTIPOLYGON", "-overwrite"],
        check=True, cwd=ROOT,
    )  # fmt: skip
    ogr = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_ogr_areas")
        ogr_rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_ogr_areas")
    start = time.perf_counter()
    first = import_areas(path, "da", shapes=False)
    imported = time.perf_counter() - start
    assert not first.refused and first.created == ogr_rows == COLUMNS * ROWS, first.issues[:3]
    start = time.perf_counter()
    build(AreaLevel.objects.get(code="da"), YEAR)
    shaped = time.perf_counter() - start
    start = time.perf_counter()
    again = import_areas(path, "da", shapes=False)
    second = time.perf_counter() - start
    assert again.unchanged == COLUMNS * ROWS
    _clean()
    path.unlink()
    folder.rmdir()
    count = COLUMNS * ROWS
    return [
        (
            "import 57,000 areas",
            f"ogr2ogr of the GeoJSON grid ({size_mb:.1f} MB) into a new PostGIS table",
            f"{ogr:.2f} s",
            "—",
            "1×",
            "—",
        ),
        (
            "import 57,000 areas",
            "`import_areas` (read, stage with COPY, checks in SQL, one INSERT), no shapes",
            f"{imported:.2f} s ({count / imported:,.0f} areas/s)",
            f"ogr2ogr {ogr:.2f} s",
            f"{imported / ogr:.2f}×",
            "< 60 s",
        ),
        (
            "import 57,000 areas",
            "display shapes (bands 9 and 10, shared edges simplified once)",
            f"{shaped:.2f} s",
            f"ogr2ogr {ogr:.2f} s",
            f"{shaped / ogr:.2f}×",
            "—",
        ),
        (
            "re-import, nothing changed",
            "`import_areas` of the same file again (57,000 unchanged)",
            f"{second:.2f} s",
            f"first import {imported:.2f} s",
            f"{second / imported:.2f}×",
            "—",
        ),
    ]
