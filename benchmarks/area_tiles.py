"""Vector tiles of census areas, zoom by zoom, through the Django endpoint beside the raw
ST_AsMVT SQL of the same tiles (issue 12: "first build p50 ≤ 1.5× the raw ST_AsMVT SQL of the
same tile in the same run, p95 < 50 ms at every zoom, tile size < 500 KB").

For each level and each zoom the map draws it at (the forward sortation areas from their
`min_zoom` to 14, the dissemination areas from theirs; BENCH_DA_FROM=Z starts them at Z), the
tiles holding three dense places (Toronto, Montréal, Vancouver) and two sparse ones (the
Prairies, northern Ontario):

- raw SQL: the statement `servicepoints.tiles.areas.area_tile_sql` builds, run on the raw
  psycopg cursor (no Django cursor wrapper, no cache, no HTTP);
- first build: `/tiles/areas-LEVEL/z/x/y.pbf` through Django's test client, the tile cache
  emptied before each request (interleaved with the raw SQL, so drift weighs on both alike);
- cached: the same request again, answered from the tile cache.

p50 / p95 pool the five tiles of a zoom; the size is the largest tile's. Below a level's
`min_zoom` the endpoint serves an empty tile: only the raw SQL (what the tile would cost)
is shown.

Sets: the real forward sortation areas of 2016 (1,620; `load_layers` loads them into the
benchmark database from ../shared/data the first time); the ~57,000 generated
dissemination-area-sized polygons of benchmarks/da_grid.py (imported with their shapes the
first time, deleted at the end unless BENCH_KEEP_AREAS=1).
"""

from benchmarks.common import analyst_client, interleaved, ms, p50, p95, sample, tile_of

PLACES = {
    "Toronto": (-79.38, 43.65),
    "Montréal": (-73.57, 45.50),
    "Vancouver": (-123.12, 49.28),
    "Prairies": (-106.0, 51.0),
    "northern Ontario": (-84.5, 48.5),
}
MAX_ZOOM = 14
REPEAT = 10
LIMIT_MS, SIZE_KB, RATIO = 50, 500, 1.5


def _empty_cache():
    from servicepoints.models import TileCache

    TileCache.objects.all().delete()


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def zoom_row(client, level, year, z, min_zoom, level_id):
    import mapbox_vector_tile
    from django.db import connection
    from django.utils import translation

    from servicepoints.tiles.areas import area_tile_sql

    raw_times, cold_times, cached_times = [], [], []
    biggest, features, worst = 0, 0, ""
    for place, (lon, lat) in PLACES.items():
        x, y = tile_of(lon, lat, z)
        with translation.override("en"):
            sql, params = area_tile_sql(level_id, year, z, x, y)

        def raw(sql=sql, params=params):
            connection.ensure_connection()
            with connection.connection.cursor() as cursor:
                cursor.execute(sql, params)
                return bytes(cursor.fetchone()[0] or b"")

        tile = raw()
        if len(tile) > biggest:
            biggest, worst = len(tile), place
            decoded = mapbox_vector_tile.decode(tile) if tile else {}
            features = len(decoded["areas"]["features"]) if decoded else 0
        if z < min_zoom:
            raw_times += sample(raw, REPEAT, warmup=1)
            continue
        url = f"/tiles/areas-{level}/{z}/{x}/{y}.pbf?year={year}"
        headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
        _empty_cache()
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content[:300]
        assert response.content == tile, "the endpoint and the raw SQL differ"

        def cold(url=url, headers=headers):
            assert client.get(url, **headers).status_code == 200

        reference, first = interleaved([raw, cold], repeat=REPEAT, warmup=1, reset=_empty_cache)
        raw_times += reference
        cold_times += first
        client.get(url, **headers)
        cached_times += sample(lambda url=url, h=headers: client.get(url, **h), REPEAT, warmup=1)
    size_kb = biggest / 1024
    label = f"{level} z{z}"
    size = f"{size_kb:.1f} KB ({features:,} areas, {worst})"
    raw_text = f"{ms(p50(raw_times))} / {ms(p95(raw_times))}"
    if not cold_times:
        return (label, "below min_zoom: empty tile", raw_text, "—", "—", "—", size,
                f"would be: p95 {_verdict(p95(raw_times) * 1000 < LIMIT_MS)}, "
                f"size {_verdict(size_kb < SIZE_KB)}")  # fmt: skip
    ratio = p50(cold_times) / p50(raw_times)
    goals = [
        f"ratio {_verdict(ratio <= RATIO)}",
        f"p95 {_verdict(p95(cold_times) * 1000 < LIMIT_MS)}",
        f"size {_verdict(size_kb < SIZE_KB)}",
    ]
    if p95(raw_times) * 1000 >= LIMIT_MS:
        goals.append("floor: raw SQL p95 ≥ 50 ms")
    if ratio > RATIO and p50(cached_times) > (RATIO - 1) * p50(raw_times):
        # A first build costs the raw SQL plus at least what a cache hit costs (the request,
        # session, data version, cache lookup): above 0.5× raw, 1.5× cannot be met.
        goals.append("floor: request overhead (cache hit) > 0.5× raw")
    return (label, f"from z{min_zoom}", raw_text,
            f"{ms(p50(cold_times))} / {ms(p95(cold_times))}", f"{ratio:.2f}×",
            ms(p50(cached_times)), size, ", ".join(goals))  # fmt: skip


def level_rows(level, year, first_zoom):
    from servicepoints.tiles.areas import level_and_years

    client, _user = analyst_client()
    level_id, min_zoom, _years = level_and_years(level)
    start = min_zoom if first_zoom is None else first_zoom
    rows = [
        zoom_row(client, level, year, z, min_zoom, level_id) for z in range(start, MAX_ZOOM + 1)
    ]
    _empty_cache()
    return rows


HEADER = (
    "| level, zoom | drawn | raw SQL p50 / p95 | first build p50 / p95 | first ÷ raw (p50) "
    "| cached p50 | largest tile | goals: ≤ 1.5×, p95 < 50 ms, < 500 KB |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- |"
)


def table(rows):
    return "\n".join([HEADER, *("| " + " | ".join(row) + " |" for row in rows)])


def run():
    import os
    from pathlib import Path

    from django.core.management import call_command

    from benchmarks import da_grid
    from servicepoints.layers.models import AreaLevel, AreaShape

    rows = []
    if not AreaShape.objects.filter(area__level__code="fsa", area__year=2016).exists():
        folder = Path(os.environ.get("SHARED_DATA_DIR", "../shared/data"))
        if (folder / "fsa_boundaries_2016").exists():
            call_command("load_layers", data_dir=folder, verbosity=0)
    if AreaShape.objects.filter(area__level__code="fsa", area__year=2016).exists():
        rows += level_rows("fsa", 2016, None)
    count = da_grid.load()
    da_min = AreaLevel.objects.get(code="da").min_zoom
    if os.environ.get("BENCH_DA_FROM"):
        # What a lower minimum zoom would cost (the generated areas need shapes from there:
        # BENCH_DA_FROM=9 with a fresh set built while the level's min_zoom was 9).
        da_min = int(os.environ["BENCH_DA_FROM"])
    rows += level_rows("da", da_grid.YEAR, da_min)
    if os.environ.get("BENCH_KEEP_AREAS") != "1":
        da_grid.clean()
    print(f"\nArea tiles ({count:,} generated dissemination areas), {REPEAT} requests per tile:")
    print(table(rows), flush=True)
    return [("area tiles", "see the table above", "—", "—", "—", "—")]
