"""Throughput of the tile endpoint under concurrent load on loopback (issue 3).

A real server: gunicorn as in production (DEBUG off), 2 worker processes × 2 threads
(gthread), pinned to core 0 with taskset (the load generator has core 1). Two processes, as
many as the machine has cores, so that one can run Python while the other waits on PostgreSQL
(one process would serialise everything on its GIL); two threads each so that the 4 clients'
keep-alive connections each have a handler (gunicorn's sync workers close the connection after
every request and would queue two clients behind the others). PostgreSQL is not pinned: it
runs on either core, as it would beside an application server.

The load: 4 clients (Python threads, `http.client` keep-alive, pinned to core 1) for 20 s, each
sending the next request as soon as the previous one is answered: a closed loop, so the
latencies suffer from coordinated omission (a slow answer delays the requests behind it instead
of being measured against them). The tiles: a fixed random mix (seeded) of z10–z14 tiles around
the 32 largest places, as an analyst signed in with a session cookie; the tile cache is emptied
first, so the run includes every first build of the mix's tiles (some are requested only once).

Reference, same run: the raw tile SQL (`tile_sql`) of the same request list, from 4 threads on
their own psycopg connections (no Django, no HTTP, no cache: every request builds its tile).
"""

import http.client
import os
import random
import threading
import time
from urllib.parse import urlsplit

from benchmarks.common import gunicorn, ms, p50, p95, session_cookie, tile_of

CLIENTS = 4
DURATION = 20.0
ZOOMS = range(10, 15)
REQUESTS = 5000  # the length of the request list, cycled through by the clients
SEED = 20261128


def tile_paths():
    """(z, x, y) of each request: a zoom and a place among the 32 largest, jittered like the
    generated points around it."""
    from servicepoints.models import PopulatedPlace

    places = [p.location.coords for p in PopulatedPlace.objects.order_by("-population")[:32]]
    rng = random.Random(SEED)  # noqa: S311 (a reproducible mix, not a secret)
    tiles = []
    for _ in range(REQUESTS):
        lon, lat = rng.choice(places)
        z = rng.choice(ZOOMS)
        x, y = tile_of(lon + rng.gauss(0, 0.05), lat + rng.gauss(0, 0.035), z)
        tiles.append((z, x, y))
    return tiles


def closed_loop(work_factory, count, duration):
    """Run `count` threads, each calling its work function until `duration` has passed.

    `work_factory(i)` returns (work, close); work() returns True for a good answer. Returns
    (latencies of good and bad answers, errors, elapsed seconds)."""
    results = [None] * count
    start_line = threading.Barrier(count + 1)

    def client(i):
        work, close = work_factory(i)
        latencies, errors = [], 0
        start_line.wait()
        deadline = start + duration
        try:
            while time.perf_counter() < deadline:
                begin = time.perf_counter()
                ok = work()
                latencies.append(time.perf_counter() - begin)
                errors += not ok
        finally:
            close()
        results[i] = (latencies, errors, time.perf_counter())

    threads = [threading.Thread(target=client, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    start_line.wait()
    for thread in threads:
        thread.join()
    latencies = [t for result in results for t in result[0]]
    errors = sum(result[1] for result in results)
    return latencies, errors, max(result[2] for result in results) - start


def http_work(base, paths, cookie):
    host = urlsplit(base)
    headers = {"Cookie": cookie, "Accept-Language": "en"}
    statuses = {}
    lock = threading.Lock()

    def factory(i):
        state = {"connection": http.client.HTTPConnection(host.hostname, host.port, timeout=30)}
        position = iter(range(i, 10**9, CLIENTS))

        def work():
            path = paths[next(position) % len(paths)]
            try:
                state["connection"].request("GET", path, headers=headers)
                response = state["connection"].getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                state["connection"].close()
                state["connection"] = http.client.HTTPConnection(
                    host.hostname, host.port, timeout=30
                )
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
            return status in (200, 304)

        return work, lambda: state["connection"].close()

    return factory, statuses


def sql_work(statements):
    import psycopg
    from django.db import connection

    settings = connection.settings_dict

    def factory(i):
        database = psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"] or None,
            dbname=settings["NAME"],
            user=settings["USER"],
            options=settings["OPTIONS"].get("options", ""),
            autocommit=True,
        )
        position = iter(range(i, 10**9, CLIENTS))

        def work():
            with database.cursor() as cursor:
                cursor.execute(statements[next(position) % len(statements)])
                cursor.fetchone()
            return True

        return work, database.close

    return factory


def run():
    from django.db import connection
    from django.http import QueryDict
    from django.utils import translation

    from benchmarks.common import analyst_client
    from servicepoints.filters import PointFilter
    from servicepoints.models import TileCache
    from servicepoints.tiles.points import tile_sql

    _client, user = analyst_client()
    tiles = tile_paths()
    paths = [f"/tiles/servicepoints/{z}/{x}/{y}.pbf" for z, x, y in tiles]
    filters = PointFilter.from_query(QueryDict(""))
    assert filters.is_valid()
    composed = {}
    with translation.override("en"):
        for tile in set(tiles):
            sql, params = tile_sql(*tile, filters.cleaned_data, user)
            composed[tile] = connection.ops.compose_sql(sql, params)
    statements = [composed[tile] for tile in tiles]
    cookie = session_cookie(user)

    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    try:
        if affinity and len(affinity) > 1:
            # This thread and the client threads it starts: core 1 (the server has core 0).
            os.sched_setaffinity(0, {sorted(affinity)[1]})
        with gunicorn(workers=2, threads=2, cpu=0) as base:
            # Warm-up outside the mix: every worker thread imports the views and connects.
            warm, _ = http_work(base, ["/tiles/servicepoints/5/8/11.pbf"], cookie)
            closed_loop(warm, CLIENTS, 1.0)
            TileCache.objects.all().delete()
            factory, statuses = http_work(base, paths, cookie)
            latencies, errors, elapsed = closed_loop(factory, CLIENTS, DURATION)
            built = TileCache.objects.count()
        reference, _errors, reference_elapsed = closed_loop(
            sql_work(statements), CLIENTS, DURATION
        )
    finally:
        if affinity and len(affinity) > 1:
            os.sched_setaffinity(0, affinity)
    TileCache.objects.all().delete()

    count, rate = len(latencies), len(latencies) / elapsed
    reference_rate = len(reference) / reference_elapsed
    label = f"load: {CLIENTS} clients × {DURATION:.0f} s, z10–z14 tiles"
    mix = (
        f"{len(set(tiles)):,} distinct tiles in a list of {len(tiles):,}; cache emptied first, "
        f"{built:,} built during the run"
    )
    other = {status: n for status, n in statuses.items() if status not in (200, 304)}
    return [
        (
            label,
            f"requests/s through gunicorn (2 workers × 2 threads, core 0) from 4 closed-loop "
            f"keep-alive clients (core 1); {mix}",
            f"{rate:,.0f} req/s ({count:,} requests)",
            f"raw tile SQL, 4 psycopg threads, no cache: {reference_rate:,.0f} req/s",
            f"{rate / reference_rate:.2f}×",
            "—",
        ),
        (
            label,
            "latency p50 / p95 (closed loop: coordinated omission hides queueing)",
            f"{ms(p50(latencies))} / {ms(p95(latencies))}",
            f"raw tile SQL {ms(p50(reference))} / {ms(p95(reference))}",
            f"{p50(latencies) / p50(reference):.2f}×",
            "—",
        ),
        (
            label,
            "errors (not 200/304, or no answer)" + (f": {other}" if other else ""),
            f"{errors} of {count:,}",
            "—",
            "—",
            "0 errors",
        ),
    ]
