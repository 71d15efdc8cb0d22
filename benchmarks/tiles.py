"""Vector tiles of the service points at z4, z8 and z12, centred on Toronto (the densest
tiles), through the Django endpoint beside the raw ST_AsMVT SQL of the same tiles (issue 3).

- raw SQL: the statement `servicepoints.tiles.points.tile_sql` builds, composed once, then executed
  and fetched on Django's connection: PostgreSQL's work and the transfer of the bytes, nothing
  else (no ORM compilation, no cache, no HTTP).
- endpoint, first build: `/tiles/servicepoints/z/x/y.pbf` through Django's test client (the
  whole middleware stack, session and user read from the database, no socket), with the tile
  cache emptied before every timed request: the tile SQL, the cache look-up and the insert.
- endpoint, from the cache: the same request again, answered from `TileCache`.
- endpoint, 304: the request with If-None-Match set to the tile's ETag (no tile SQL at all).

Goals: the first build within 1.5× the raw SQL at p50; p95 under 50 ms at every zoom.
"""

from benchmarks.common import analyst_client, interleaved, ms, p50, p95, sample, tile_of

TORONTO = (-79.38, 43.65)
ZOOMS = (4, 8, 12)
REPEAT = 50


def _stats(times):
    return f"{ms(p50(times))} / {ms(p95(times))}"


def _empty_cache():
    from servicepoints.models import TileCache

    TileCache.objects.all().delete()


def run():
    import mapbox_vector_tile
    from django.db import connection
    from django.http import QueryDict
    from django.utils import translation

    from servicepoints.filters import PointFilter
    from servicepoints.models import TileCache
    from servicepoints.tiles.points import tile_sql

    client, user = analyst_client()
    filters = PointFilter.from_query(QueryDict(""))
    assert filters.is_valid(), filters.errors
    rows = []
    for z in ZOOMS:
        x, y = tile_of(*TORONTO, z)
        with translation.override("en"):
            sql, params = tile_sql(z, x, y, filters.cleaned_data, user)

        def raw(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return bytes(cursor.fetchone()[0])

        url = f"/tiles/servicepoints/{z}/{x}/{y}.pbf"
        headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content[:300]
        assert response.content == raw(), "the endpoint and the raw SQL differ"
        layer = mapbox_vector_tile.decode(response.content)["servicepoints"]
        features = len(layer["features"])
        points = sum(f["properties"]["count"] for f in layer["features"])
        size = f"{len(response.content) / 1024:.1f} KB"
        etag = response["ETag"]

        def cold(url=url, headers=headers):
            response = client.get(url, **headers)
            assert response.status_code == 200

        def revalidate(url=url, headers=headers, etag=etag):
            response = client.get(url, HTTP_IF_NONE_MATCH=etag, **headers)
            assert response.status_code == 304, response.status_code

        # The raw SQL and the first build in turn, so that the machine's drift weighs on both.
        # The cache is emptied before each (outside the time taken): every one is a first build.
        reference, first = interleaved([raw, cold], repeat=REPEAT, reset=_empty_cache)
        client.get(url, **headers)
        cached = sample(lambda url=url, headers=headers: client.get(url, **headers), REPEAT)
        not_modified = sample(revalidate, repeat=REPEAT)
        reference_text = f"raw SQL {_stats(reference)}"
        label = f"tile z{z} ({z}/{x}/{y}, Toronto)"
        what = f"{features:,} features ({points:,} points with buffer), {size}"
        rows += [
            (label, f"raw ST_AsMVT SQL, {what}, p50 / p95", _stats(reference), "—", "1×", "—"),
            (
                label,
                "endpoint, first build (cache emptied before each), p50 / p95",
                _stats(first),
                reference_text,
                f"{p50(first) / p50(reference):.2f}×",
                "≤ 1.5× raw at p50; p95 < 50 ms",
            ),
            (
                label,
                "endpoint, from the tile cache, p50 / p95",
                _stats(cached),
                reference_text,
                f"{p50(cached) / p50(reference):.2f}×",
                "p95 < 50 ms",
            ),
            (
                label,
                "endpoint, If-None-Match → 304, p50 / p95",
                _stats(not_modified),
                reference_text,
                f"{p50(not_modified) / p50(reference):.2f}×",
                "—",
            ),
        ]
    TileCache.objects.all().delete()
    return rows
