"""The dashboard in headless Chromium with every card shown (issue 14): the time from
navigation to the page usable, on the benchmark database's ~100,000 points.

Demand for the coverage cards, in two sizes: the coverage benchmark's 57,000 generated
dissemination-area cells (benchmarks/coverage.py: a 300 × 190 grid over southern Canada,
level `da`, 2021), then the same extent in 1,600 cells (40 × 40, about as many as the forward
sortation areas `make setup` loads); each cell with a population and a digital vulnerability
index value (so underserved communities are ranked, not only listed); deleted afterwards.
The points and the 3,250 populated places are the benchmark database's.

"Usable" is the later of the page's `load` event and the moment its charts are drawn
(`data-charts-drawn` set on the body by static/js/dashboard.js), from the navigation's start:
every card is server-rendered, so by then every table and chart is on screen. The app is
served as in production (gunicorn, DEBUG off, a fresh `collectstatic`), as in
benchmarks/browser.py, whose login and Chromium set-up this reuses; each run opens a new
browser context.

- *cold*: a server with `DASHBOARD_CACHE_SECONDS=0`: every card computed for each view (the
  first view after any change to the data, or of new filters);
- *warm*: a server caching the cards (one worker, so that its cache serves every view after
  the first): the same view again while the data is unchanged.

Reference, same run: the raw SQL of the heaviest card (the coverage benchmark's one statement,
the population beyond 50 km of every open in-person point), in this process, p50 of 3; and
each heavy card's own build in this process.
"""

import secrets
import statistics
import tempfile
import time

import benchmarks.coverage as coverage_benchmark
from benchmarks import area_import, browser
from benchmarks.common import gunicorn, p50
from benchmarks.coverage import RAW, YEAR, _clean, _generate

# (columns, rows, name) of the demand grids
GRIDS = [
    (area_import.COLUMNS, area_import.ROWS, "57,000 areas"),
    (40, 40, "1,600 areas"),
]

REPEAT = 3
USABLE = """() => Boolean(document.body.dataset.chartsDrawn)
  && performance.getEntriesByType("navigation")[0].loadEventEnd > 0"""
RECORD_CHARTS = """
window.__chartsAt = null;
new MutationObserver(() => { window.__chartsAt = window.__chartsAt ?? performance.now(); })
  .observe(document, { attributes: true, subtree: true, attributeFilter: ["data-charts-drawn"] });
"""
MEASURES = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  return {
    charts: window.__chartsAt,
    load: navigation.loadEventEnd,
    response: navigation.responseEnd,
    cards: document.querySelectorAll(".dashboard-card").length,
    drawn: Number(document.body.dataset.chartsDrawn),
    rows: document.querySelectorAll(".dashboard-card tbody tr").length,
  };
}"""


def open_dashboard(pw_browser, base, storage):
    context = pw_browser.new_context(
        viewport=browser.VIEWPORT, base_url=base, storage_state=storage
    )
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.route(browser.OUTSIDE_URL, lambda route: route.abort())
        page.add_init_script(RECORD_CHARTS)
        page.goto("/en/dashboard/", wait_until="load")
        page.wait_for_function(USABLE)
        measures = page.evaluate(MEASURES)
        measures["usable"] = max(measures["charts"], measures["load"])
        return measures
    finally:
        context.close()


def _index_values(cursor, level_id, indicator_id):
    cursor.execute(
        """INSERT INTO layers_indicatorvalue (area_id, indicator_id, year, value, status,
                                              quality_flag)
           SELECT id, %s, %s, ((id * 104729) %% 1000) / 250.0 - 2, '', ''
           FROM layers_area WHERE level_id = %s AND year = %s AND code LIKE '99%%'""",
        [indicator_id, YEAR, level_id, YEAR],
    )
    cursor.execute("ANALYZE layers_indicatorvalue")


def _card_times(user):
    """Seconds each heavy card takes in this process (p50 of 3), and the raw SQL's."""
    from django.db import connection

    from servicepoints.analysis.dashboard import cards
    from servicepoints.filters import PointFilter
    from servicepoints.layers.models import AreaLevel

    level = AreaLevel.objects.get(code="da")
    times = {"raw": [], "coverage": [], "underserved": []}
    for _round in range(REPEAT):
        with connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute(RAW, {"level": level.pk, "year": YEAR})
            cursor.fetchone()
            times["raw"].append(time.perf_counter() - start)
        for key in ("coverage", "underserved"):
            selection = cards.Selection(user, PointFilter.no_filters())
            start = time.perf_counter()
            table = cards.BY_KEY[key].build(selection)
            times[key].append(time.perf_counter() - start)
            assert table.rows, key
    return {key: p50(values) for key, values in times.items()}


def _demand(cursor, columns, rows):
    """The grid of `columns` × `rows` cells with a population and an index value each."""
    from servicepoints.layers.models import AreaLevel, Indicator
    from servicepoints.layers.vulnerability.models import INDEX_CODE

    level = AreaLevel.objects.get(code="da")
    _clean(cursor, level.pk)
    saved = area_import.COLUMNS, area_import.ROWS
    # benchmarks.coverage._generate reads the grid's size from its module's names.
    coverage_benchmark.COLUMNS, coverage_benchmark.ROWS = columns, rows
    try:
        _generate(cursor, level.pk, Indicator.objects.get(code="population").pk)
    finally:
        coverage_benchmark.COLUMNS, coverage_benchmark.ROWS = saved
    _index_values(cursor, level.pk, Indicator.objects.get(code=INDEX_CODE).pk)
    return level


def _browser_runs(pw, static_root, user, password):
    """{"cold": [measures], "warm": [measures]} of the dashboard in Chromium."""
    env = {"STATIC_ROOT": static_root, "ALLOWED_HOSTS": "127.0.0.1"}
    runs = {"cold": [], "warm": []}
    chromium = pw.chromium.launch(
        executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS, headless=True
    )
    try:
        cold_env = {**env, "DASHBOARD_CACHE_SECONDS": "0"}
        with gunicorn(workers=2, threads=2, cpu=None, env=cold_env) as base:
            storage = browser.log_in(chromium, base, user.get_username(), password)
            open_dashboard(chromium, base, storage)  # warm-up, not counted
            for _ in range(REPEAT):
                runs["cold"].append(open_dashboard(chromium, base, storage))
        warm_env = {**env, "DASHBOARD_CACHE_SECONDS": "600"}
        with gunicorn(workers=1, threads=4, cpu=None, env=warm_env) as base:
            open_dashboard(chromium, base, storage)  # fills the cache
            for _ in range(REPEAT):
                runs["warm"].append(open_dashboard(chromium, base, storage))
    finally:
        chromium.close()
    return runs


def _rows(name, runs, in_process):
    last = runs["cold"][-1]
    assert last["cards"] == 7 and last["drawn"] == 4, last
    what = f"{last['cards']} cards, {last['drawn']} charts, {last['rows']} table rows"
    raw = in_process["raw"]
    reference = f"raw SQL of the coverage card: {raw:.2f} s"
    rows = []
    for kind, text in (
        ("cold", "every card computed"),
        ("warm", "cards from the cache, data unchanged"),
    ):
        usable = statistics.median(r["usable"] for r in runs[kind]) / 1000
        response = statistics.median(r["response"] for r in runs[kind]) / 1000
        rows.append(
            (
                f"dashboard in Chromium, {name}",
                f"navigation → usable ({text}; {what}), median of {REPEAT}; "
                f"HTML received at {response:.2f} s",
                f"{usable:.2f} s",
                reference,
                f"{usable / raw:.2f}×",
                "< 1.5 s",
            )
        )
    for key, text in (
        ("coverage", "coverage by province (one EXISTS per area)"),
        ("underserved", "underserved communities (KNN of 3,250 places)"),
    ):
        rows.append(
            (
                f"dashboard card in process, {name}",
                f"{text}, p50 of {REPEAT}",
                f"{in_process[key]:.2f} s",
                reference,
                f"{in_process[key] / raw:.2f}×",
                "—",
            )
        )
    return rows


def run():
    from django.db import connection
    from playwright.sync_api import sync_playwright

    from benchmarks.common import analyst_client
    from servicepoints.analysis.dashboard.preferences import DashboardPreference

    if not browser.CHROMIUM.exists():
        return [("dashboard in Chromium", f"{browser.CHROMIUM} is missing", "—", "—", "—", "—")]
    _client, user = analyst_client()
    password = secrets.token_urlsafe(16)
    user.set_password(password)
    user.save()
    DashboardPreference.objects.filter(user=user).delete()  # every card, in the first order
    rows = []
    with tempfile.TemporaryDirectory(prefix="snm-bench-static-") as static_root:
        browser.collectstatic(static_root)
        for columns, grid_rows, name in GRIDS:
            with connection.cursor() as cursor:
                level = _demand(cursor, columns, grid_rows)
            try:
                in_process = _card_times(user)
                with sync_playwright() as pw:
                    runs = _browser_runs(pw, static_root, user, password)
            finally:
                with connection.cursor() as cursor:
                    _clean(cursor, level.pk)
            rows += _rows(name, runs, in_process)
    return rows
