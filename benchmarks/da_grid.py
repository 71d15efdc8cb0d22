"""57,000 generated dissemination-area-sized polygons, as dense as the real ones where people
live (issue 12's area tile benchmark, benchmarks/area_tiles.py).

Real dissemination areas hold 400–700 people each, so they are a few hundred metres wide
downtown and tens of kilometres wide in the country; a uniform grid (benchmarks/area_import.py)
says nothing about the Toronto tile. Here a quadtree over southern Canada (lon -128 to -52,
lat 42 to 56, quarter-degree cells) splits every cell whose estimated population is above a
threshold, nine times at most (cells down to ~50 m): the population is the 2021 places of
../shared/data/simplemaps_canadacities_basic_2021.csv, each spread as a Gaussian whose width
grows with its population; the threshold is chosen so that the leaves number ~57,000
(56,576: 10,769 in the 65 × 67 km around Toronto, against ~7,800 in the real Toronto CMA).

Coordinates are dyadic fractions of a degree (exact in binary floating point) and every edge
is axis-aligned with 4 points per side (17 vertices), so neighbours of different sizes share
their boundaries exactly (no slivers for the shape builder). Codes start with 98.
"""

import csv
import json
import os
from pathlib import Path

import numpy as np

WEST, SOUTH, EAST, NORTH, BASE = -128.0, 42.0, -52.0, 56.0, 0.25
DEPTH = 9
TARGET = 57_000
YEAR = 2021
PREFIX = "98"


def _places():
    folder = Path(os.environ.get("SHARED_DATA_DIR", "../shared/data"))
    with open(folder / "simplemaps_canadacities_basic_2021.csv", encoding="utf-8") as file:
        rows = [
            (float(r["lng"]), float(r["lat"]), float(r["population"]))
            for r in csv.DictReader(file)
        ]
    inside = [r for r in rows if r[2] >= 2000 and WEST < r[0] < EAST and SOUTH < r[1] < NORTH]
    places = np.array(inside)
    # Width of a place's spread: ~15 km for Toronto's 5.4 million, 1 km for a town.
    sigma_km = np.maximum(1.0, 0.2 * np.sqrt(places[:, 2] / 1000))
    return places, sigma_km


def _population(cells, size, places, sigma_km):
    """Estimated people in each cell (x0, y0) of `size` degrees: density at its centre × area."""
    out = np.zeros(len(cells))
    km_lat = 111.2
    for start in range(0, len(cells), 4000):
        chunk = cells[start : start + 4000]
        cx, cy = chunk[:, 0:1] + size / 2, chunk[:, 1:2] + size / 2
        dx = (cx - places[:, 0]) * km_lat * np.cos(np.radians(cy))
        dy = (cy - places[:, 1]) * km_lat
        density = (
            places[:, 2] / (2 * np.pi * sigma_km**2) * np.exp(-(dx**2 + dy**2) / (2 * sigma_km**2))
        )
        area = (size * km_lat) ** 2 * np.cos(np.radians(cy[:, 0]))
        out[start : start + 4000] = density.sum(axis=1) * area
    return out


def quadtree(threshold, places, sigma_km):
    """The leaves [(x0, y0, size)] of the quadtree splitting cells above `threshold` people."""
    xs = np.arange(WEST, EAST, BASE)
    ys = np.arange(SOUTH, NORTH, BASE)
    cells = np.array([(x, y) for y in ys for x in xs])
    size, leaves = BASE, []
    for depth in range(DEPTH + 1):
        split = (_population(cells, size, places, sigma_km) > threshold) & (depth < DEPTH)
        leaves += [(x, y, size) for x, y in cells[~split]]
        half = size / 2
        parents = cells[split]
        cells = np.concatenate(
            [parents + offset for offset in ((0, 0), (half, 0), (0, half), (half, half))]
        )
        size = half
        if not len(cells):
            break
    return leaves


def leaves():
    places, sigma_km = _places()
    low, high = 10.0, 100_000.0
    for _ in range(14):
        middle = (low * high) ** 0.5
        count = len(quadtree(middle, places, sigma_km))
        if abs(count - TARGET) < 800:
            break
        low, high = (middle, high) if count > TARGET else (low, middle)
    return quadtree(middle, places, sigma_km)


def ring(x0, y0, size):
    corners = [(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size)]
    points = []
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True):
        points += [[ax + (bx - ax) * i / 4, ay + (by - ay) * i / 4] for i in range(4)]
    return points + [points[0]]


def write(path):
    """Write the GeoJSON file; returns the number of areas."""
    cells = leaves()
    features = [
        {
            "type": "Feature",
            "properties": {"DAUID": f"{PREFIX}{i:06d}", "DGUID": f"2021S0512{PREFIX}{i:06d}"},
            "geometry": {"type": "Polygon", "coordinates": [ring(float(x), float(y), size)]},
        }
        for i, (x, y, size) in enumerate(cells)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return len(features)


def load():
    """Import the generated areas and their display shapes unless they are there; their count."""
    import tempfile

    from servicepoints.layers.importing import import_areas
    from servicepoints.layers.models import Area, AreaLevel, AreaShape
    from servicepoints.layers.shapes import build

    ours = Area.objects.filter(level__code="da", year=YEAR, code__startswith=PREFIX)
    if AreaShape.objects.filter(area__in=ours).exists():
        return ours.count()
    with tempfile.TemporaryDirectory(prefix="snm-bench-da-") as folder:
        path = Path(folder) / "da_2021.geojson"
        write(path)
        result = import_areas(path, "da", shapes=False)
        assert not result.refused, result.issues[:3]
    build(AreaLevel.objects.get(code="da"), YEAR)
    return ours.count()


def clean():
    from servicepoints.layers.models import Area

    Area.objects.filter(level__code="da", year=YEAR, code__startswith=PREFIX).delete()
