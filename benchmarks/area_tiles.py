"""Vector tiles of census areas through the Django endpoint beside the raw ST_AsMVT SQL of the
same tiles (issue 12), measured like the point tiles (benchmarks/tiles.py):

- raw SQL: the statement `servicepoints.tiles.areas.area_tile_sql` builds, executed and fetched
  on Django's connection (no cache, no HTTP);
- endpoint, first build: `/tiles/areas-LEVEL/z/x/y.pbf` through Django's test client, the tile
  cache emptied before each timed request; then from the cache, and If-None-Match → 304.

Sets: the real forward sortation areas of 2016 (1,620 areas; `load_layers` loads them into the
benchmark database from ../shared/data the first time), centred on Toronto; the 57,000
generated dissemination-area-sized polygons of benchmarks/area_import.py (its `run` calls
`tile_rows` while they exist), centred on the grid.

Goals: first build p50 ≤ 1.5× the raw SQL, p95 < 50 ms at every zoom, tiles < 500 KB.
"""

from benchmarks.common import analyst_client, interleaved, ms, p50, p95, sample, tile_of

TORONTO = (-79.38, 43.65)
REPEAT = 30


def _stats(times):
    return f"{ms(p50(times))} / {ms(p95(times))}"


def _empty_cache():
    from servicepoints.models import TileCache

    TileCache.objects.all().delete()


def tile_rows(level, year, place, zooms, label):
    import mapbox_vector_tile
    from django.db import connection
    from django.utils import translation

    from servicepoints.tiles.areas import area_tile_sql, level_and_years

    client, _user = analyst_client()
    level_id, _min_zoom, _years = level_and_years(level)
    rows = []
    for z in zooms:
        x, y = tile_of(*place, z)
        with translation.override("en"):
            sql, params = area_tile_sql(level_id, year, z, x, y)

        def raw(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return bytes(cursor.fetchone()[0])

        url = f"/tiles/areas-{level}/{z}/{x}/{y}.pbf?year={year}"
        headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
        _empty_cache()
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content[:300]
        assert response.content == raw(), "the endpoint and the raw SQL differ"
        decoded = mapbox_vector_tile.decode(response.content)
        features = len(decoded["areas"]["features"]) if decoded else 0
        size = f"{len(response.content) / 1024:.1f} KB"
        etag = response["ETag"]

        def cold(url=url, headers=headers):
            assert client.get(url, **headers).status_code == 200

        def revalidate(url=url, headers=headers, etag=etag):
            assert client.get(url, HTTP_IF_NONE_MATCH=etag, **headers).status_code == 304

        reference, first = interleaved([raw, cold], repeat=REPEAT, reset=_empty_cache)
        client.get(url, **headers)
        cached = sample(lambda url=url, headers=headers: client.get(url, **headers), REPEAT)
        not_modified = sample(revalidate, repeat=REPEAT)
        reference_text = f"raw SQL {_stats(reference)}"
        name = f"{label} z{z} ({z}/{x}/{y})"
        rows += [
            (name, f"raw ST_AsMVT SQL, {features:,} areas, {size}, p50 / p95",
             _stats(reference), "—", "1×", "tile < 500 KB"),
            (name, "endpoint, first build (cache emptied before each), p50 / p95",
             _stats(first), reference_text, f"{p50(first) / p50(reference):.2f}×",
             "≤ 1.5× raw at p50; p95 < 50 ms"),
            (name, "endpoint, from the tile cache, p50 / p95", _stats(cached), reference_text,
             f"{p50(cached) / p50(reference):.2f}×", "p95 < 50 ms"),
            (name, "endpoint, If-None-Match → 304, p50 / p95", _stats(not_modified),
             reference_text, f"{p50(not_modified) / p50(reference):.2f}×", "—"),
        ]  # fmt: skip
    _empty_cache()
    return rows


def run():
    import os
    from pathlib import Path

    from django.core.management import call_command

    from servicepoints.layers.models import AreaShape

    if not AreaShape.objects.filter(area__level__code="fsa", area__year=2016).exists():
        folder = Path(os.environ.get("SHARED_DATA_DIR", "../shared/data"))
        if not (folder / "fsa_boundaries_2016").exists():
            return [("area tiles, FSAs 2016", f"skipped: no {folder}/fsa_boundaries_2016",
                     "—", "—", "—", "—")]  # fmt: skip
        call_command("load_layers", data_dir=folder, verbosity=0)
    return tile_rows("fsa", 2016, TORONTO, (6, 8, 10, 12), "area tiles, FSAs 2016, Toronto")
