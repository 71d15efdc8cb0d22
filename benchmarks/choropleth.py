"""The choropleth in headless Chromium (issue 12): the time from choosing an indicator to the
national view's areas drawn in class colours, with the 1,620 forward sortation areas of 2016
and their real 2016 population (../shared/data/census_2016_fsa_population_dwellings.csv).

Served as in production (gunicorn, DEBUG off, a fresh `collectstatic`; benchmarks/browser.py's
set-up), on the database of the environment (`PGDATABASE_NAME`, e.g. snm_choro; it needs the
census areas, not the 100,000 points): the FSAs are loaded with `load_layers` and their
population inserted the first time. Each run opens `/en/map/?layers=basemap` (points off:
only the choropleth is measured) in a new browser context, waits for the catalogue, then
selects "Population" in the indicator list. "Drawn" is the last change of the map's
`data-choropleth-draws` (set when every tile in view is loaded and painted with the values)
once it names the population and nothing changes for a second, from the `change` event.

Cold: the "layers" data version bumped before the run (the values' and tiles' caches miss);
warm: both cached on the server. Reference, same run and page: the values API call alone
(`fetch` of /api/layers/values/ for the same choice), cold and warm. Goal: drawn < 1.5 s.
"""

import csv
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OUTSIDE_URL,
    VIEWPORT,
    collectstatic,
    in_thread,
    log_in,
)
from benchmarks.common import gunicorn

REPEAT = 3
YEAR = 2016
# The map's own request for the choice (quantiles, 5 classes).
VALUES_URL = (
    "/api/layers/values/?indicator=population&year=2016&level=fsa"
    "&classification=quantiles&classes=5"
)

RECORD = """
window.__draws = [];
new MutationObserver(() => window.__draws.push(performance.now())).observe(document, {
  attributes: true, subtree: true, attributeFilter: ["data-choropleth-draws"],
});
document.addEventListener("change", (event) => {
  if (event.target.id === "layer-indicator") window.__chosenAt = performance.now();
}, true);
"""
DRAWN = """() => {
  const m = window.serviceNetworkMap;
  const element = document.getElementById("map");
  return Boolean(m && (element.dataset.choropleth || "").includes("indicator=population")
    && !m.choropleth.layer.isLoading());
}"""
MEASURES = """() => {
  const m = window.serviceNetworkMap;
  const tiles = performance.getEntriesByType("resource")
    .filter((entry) => entry.name.includes("/tiles/areas-"));
  return {
    chosen: window.__chosenAt,
    drawn: window.__draws[window.__draws.length - 1],
    zoom: m.map.getZoom(),
    tiles: tiles.length,
    tileBytes: tiles.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
    areas: m.choropleth.layer.areasInView().length,
  };
}"""
FETCH = """async (url) => {
  const start = performance.now();
  const response = await fetch(url, { credentials: "same-origin" });
  await response.json();
  return performance.now() - start;
}"""


def data_folder():
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    return Path(os.environ.get("SHARED_DATA_DIR", default))


def prepare():
    """The FSAs of 2016 with shapes and their population; None if the data is missing."""
    from django.core.management import call_command
    from django.db import connection

    from servicepoints.layers.models import AreaShape

    folder = data_folder()
    population = folder / "census_2016_fsa_population_dwellings.csv"
    if not population.exists():
        return f"no {population}"
    if not AreaShape.objects.filter(area__level__code="fsa", area__year=YEAR).exists():
        call_command("load_layers", data_dir=folder, verbosity=0)
    with population.open(encoding="utf-8") as handle:
        rows = [(row["Geographic code"], int(row["Population, 2016"]))
                for row in csv.DictReader(handle) if row["Geographic code"] != "01"]  # fmt: skip
    with connection.cursor() as cursor:
        # Real values; the same file again changes nothing.
        cursor.execute(
            """INSERT INTO layers_indicatorvalue (area_id, indicator_id, year, value, status,
                                                  quality_flag)
               SELECT a.id, i.id, %s, r.value, '', ''
               FROM unnest(%s::text[], %s::float8[]) AS r(code, value)
               JOIN layers_area a ON a.code = r.code AND a.year = %s
               JOIN layers_arealevel l ON l.id = a.level_id AND l.code = 'fsa'
               JOIN layers_indicator i ON i.code = 'population'
               ON CONFLICT (indicator_id, year, area_id) DO NOTHING""",
            [YEAR, [code for code, _ in rows], [value for _, value in rows], YEAR],
        )
    return None


def bump_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE servicepoints_dataversion SET version = version + 1 WHERE name = 'layers'"
        )
    connection.close()


def one_run(browser, base, storage):
    context = browser.new_context(viewport=VIEWPORT, base_url=base, storage_state=storage)
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.route(OUTSIDE_URL, lambda route: route.abort())
        page.add_init_script(RECORD)
        page.goto("/en/map/?layers=basemap", wait_until="load")
        page.wait_for_selector('#layer-indicator option[value="population"]', state="attached")
        page.wait_for_load_state("networkidle")
        page.select_option("#layer-indicator", "population")
        while True:
            page.wait_for_function(DRAWN)
            before = page.evaluate("window.__draws.length")
            time.sleep(1.0)
            if page.evaluate("window.__draws.length") == before and page.evaluate(DRAWN):
                break
        measures = page.evaluate(MEASURES)
        measures["values_warm"] = page.evaluate(FETCH, VALUES_URL)
        return measures
    finally:
        context.close()


def values_cold(browser, base, storage):
    context = browser.new_context(viewport=VIEWPORT, base_url=base, storage_state=storage)
    try:
        page = context.new_page()
        page.route(OUTSIDE_URL, lambda route: route.abort())
        page.goto("/en/")
        return page.evaluate(FETCH, VALUES_URL)
    finally:
        context.close()


def run():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    # The server runs with DEBUG off, which refuses the checkout's development key: a key of
    # this run's own, shared by this process and the server.
    if os.environ.get("SECRET_KEY", "django-insecure").startswith("django-insecure"):
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    django.setup()
    from playwright.sync_api import sync_playwright

    from benchmarks.common import analyst_client

    label = "choropleth in Chromium, national view"
    if not CHROMIUM.exists():
        return [(label, f"{CHROMIUM} is missing", "—", "—", "—", "—")]
    missing = prepare()
    if missing:
        return [(label, f"skipped: {missing}", "—", "—", "—", "—")]
    _client, user = analyst_client()
    password = secrets.token_urlsafe(16)
    user.set_password(password)
    user.save()
    runs = {"cold": [], "warm": [], "values_cold": []}
    with tempfile.TemporaryDirectory(prefix="snm-bench-static-") as static_root:
        collectstatic(static_root)
        env = {"STATIC_ROOT": static_root, "ALLOWED_HOSTS": "127.0.0.1"}
        with gunicorn(workers=2, threads=2, cpu=None, env=env) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                storage = log_in(browser, base, user.get_username(), password)
                one_run(browser, base, storage)  # warm-up, not counted
                for _ in range(REPEAT):
                    in_thread(bump_version)
                    runs["values_cold"].append(values_cold(browser, base, storage))
                    in_thread(bump_version)
                    runs["cold"].append(one_run(browser, base, storage))
                for _ in range(REPEAT):
                    runs["warm"].append(one_run(browser, base, storage))
            finally:
                browser.close()

    def median(values):
        return statistics.median(values)

    last = runs["cold"][-1]
    what = (f"z{last['zoom']}, {last['tiles']} tiles, {last['tileBytes'] / 1024:.0f} KB, "
            f"{last['areas']:,} areas in view")  # fmt: skip
    rows = []
    for kind, reference, text in (
        ("cold", median(runs["values_cold"]), "values and tiles not cached"),
        ("warm", median([r["values_warm"] for r in runs["warm"]]), "cached on the server"),
    ):
        drawn = median([r["drawn"] - r["chosen"] for r in runs[kind]])
        rows.append(
            (label, f"indicator chosen → choropleth drawn ({text}; {what}), median of {REPEAT}",
             f"{drawn:.0f} ms", f"values API call alone ({kind}): {reference:.0f} ms",
             f"{drawn / reference:.1f}×", "< 1.5 s")
        )  # fmt: skip
    return rows
