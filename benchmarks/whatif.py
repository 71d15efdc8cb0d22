"""What-if on 57,000 demand areas and the benchmark database's ~100,000 points (issue 13).

The areas are coverage.py's benchmark grid (dissemination-area-sized cells over southern
Canada, level `da`, 2021, codes 99…, deleted afterwards). The network of every open in-person
point is built once (`whatif.network`: each area's and populated place's nearest point, cached
in the UNLOGGED tables of migration analysis 0005); then, end to end through `evaluate` (the
network looked up by its key, the delta, the figures by province and band, the underserved
list):

- one site added (a different place each round, in the south where the areas are);
- one point closed (a different one each round, among those nearest to the most areas);

each against `full_recompute` of the same scenario in the same run (a network of the
remaining points and the site built from nothing: every area's nearest found again).
"""

import random
import time

from benchmarks.common import analyst_client, p50
from benchmarks.coverage import _clean, _generate

ROUNDS = 5


def run():
    from django.db import connection

    from servicepoints.analysis.whatif import Site, evaluate, full_recompute, tables
    from servicepoints.filters import PointFilter
    from servicepoints.layers.models import AreaLevel, Indicator
    from servicepoints.models import ServicePoint

    level = AreaLevel.objects.get(code="da")
    indicator = Indicator.objects.get(code="population")
    with connection.cursor() as cursor:
        _clean(cursor, level.pk)
        _generate(cursor, level.pk, indicator.pk)
    params = PointFilter.no_filters()
    points = ServicePoint.objects.filter_by(params)
    try:
        start = time.perf_counter()
        cold = evaluate(points, params, "all")
        build = time.perf_counter() - start
        assert not cold.network_cached and cold.coverage["level"] == "da", cold.coverage
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(id) FROM analysis_whatif_network")
            reach = tables(cursor.fetchone()[0])[1]
            cursor.execute(
                f"""SELECT nearest_id FROM {reach}
                   WHERE unit = 'a' AND nearest_id IS NOT NULL
                   GROUP BY nearest_id ORDER BY count(*) DESC, nearest_id LIMIT %s""",  # noqa: S608
                [ROUNDS],
            )
            busiest = [row[0] for row in cursor.fetchall()]
        generator = random.Random(13)  # noqa: S311 (places, not secrets)
        sites = [
            Site(f"Site {n}", generator.uniform(-123, -65), generator.uniform(43, 54))
            for n in range(ROUNDS)
        ]
        added, closed, full_added, full_closed, http = [], [], [], [], []
        changed = {"added": 0, "closed": 0}
        for site, point in zip(sites, busiest, strict=True):
            start = time.perf_counter()
            delta = evaluate(points, params, "all", sites=[site])
            added.append(time.perf_counter() - start)
            assert delta.network_cached
            changed["added"] = max(changed["added"], delta.areas_changed)
            start = time.perf_counter()
            full = full_recompute(points, params, sites=[site])
            full_added.append(time.perf_counter() - start)
            assert delta.coverage["national"] == full.coverage["national"]
            start = time.perf_counter()
            delta = evaluate(points, params, "all", closed=[point])
            closed.append(time.perf_counter() - start)
            changed["closed"] = max(changed["closed"], delta.areas_changed)
            start = time.perf_counter()
            full = full_recompute(points, params, closed=[point])
            full_closed.append(time.perf_counter() - start)
            assert delta.coverage["national"] == full.coverage["national"]
            assert delta.underserved == full.underserved
        # Through HTTP, as the map asks: GET /api/analysis/whatif/ with one site.
        client, _user = analyst_client()
        for site in sites:
            start = time.perf_counter()
            response = client.get(
                "/api/analysis/whatif/", {"site": f"{site.lon},{site.lat},{site.name}"}
            )
            http.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content[:300]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM analysis_whatif_network")
            for (network_id,) in cursor.fetchall():
                cursor.execute("DROP TABLE IF EXISTS {}, {}".format(*tables(network_id)))
            cursor.execute("DELETE FROM analysis_whatif_network")
            _clean(cursor, level.pk)
    areas = cold.coverage["national"]["areas"]
    points_count = cold.coverage["points"]
    add, close = p50(added), p50(closed)
    full_add, full_close = p50(full_added), p50(full_closed)
    return [
        (
            "what-if, 57,000 areas",
            f"network of {points_count:,} points built once: nearest point of {areas:,} areas "
            "and every populated place, cached",
            f"{build * 1000:.0f} ms",
            "—",
            "—",
            "—",
        ),
        (
            "what-if, 57,000 areas",
            f"one site added, end to end (`evaluate`: figures, bands, by province, underserved; "
            f"up to {changed['added']:,} areas changed), p50 of {ROUNDS}",
            f"{add * 1000:.0f} ms",
            f"full recompute {full_add * 1000:.0f} ms",
            f"{add / full_add:.3f}×",
            "< 300 ms",
        ),
        (
            "what-if, 57,000 areas",
            f"one point closed (among the busiest; up to {changed['closed']:,} areas changed), "
            f"end to end, p50 of {ROUNDS}",
            f"{close * 1000:.0f} ms",
            f"full recompute {full_close * 1000:.0f} ms",
            f"{close / full_close:.3f}×",
            "< 300 ms",
        ),
        (
            "what-if, 57,000 areas",
            "`GET /api/analysis/whatif/?site=…` (one site, signed in as an analyst; the first "
            f"request may build the analyst's network), p50 of the last {ROUNDS - 1}",
            f"{p50(http[1:]) * 1000:.0f} ms",
            f"full recompute {full_add * 1000:.0f} ms",
            f"{p50(http[1:]) / full_add:.3f}×",
            "< 300 ms",
        ),
    ]
