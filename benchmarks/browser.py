"""The analyst map's national view in headless Chromium (issue 3): the time from navigation to
the 100,000 points drawn, and the page's JavaScript heap.

The app is served as in production (gunicorn, DEBUG off, WhiteNoise serving a fresh
`collectstatic`) on the benchmark database; Debian's /usr/bin/chromium, driven by Playwright
(never downloaded), 1600×1000, signs in through the real login form once, then opens `/en/map/`
in a new browser context for each run (no HTTP cache carried over). Requests to any host but
the local server are aborted (the base map's tiles cannot load offline).

"Drawn" is the time, from the navigation's start (`performance.now()`), of the last update of
the map's own drawn signal (`data-tile-loads`, set when the point layer has loaded and painted
every tile in view), once the layer has nothing loading and nothing changes for a second;
every tile response has ended by then. Three runs with the tile cache emptied before each, then
three with the tiles in the server's cache; medians.

Reference, same run: the same page with the point layer off (`?layers=basemap`), its `load`
event and its heap.
"""

import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import gunicorn

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
OUTSIDE_URL = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?/)")
VIEWPORT = {"width": 1600, "height": 1000}
REPEAT = 3

# Before the page's scripts: note when the map's drawn signal changes.
RECORD_DRAWN = """
window.__drawnAt = [];
new MutationObserver(() => window.__drawnAt.push(performance.now())).observe(document, {
  attributes: true, subtree: true, attributeFilter: ["data-tile-loads"],
});
"""
DRAWN = """() => {
  const m = window.serviceNetworkMap;
  const element = document.getElementById("map");
  return Boolean(m && window.__drawnAt.length && !m.points.isLoading()
    && Number(element.dataset.drawnFeatures) > 0);
}"""
MEASURES = """() => {
  const element = document.getElementById("map");
  const navigation = performance.getEntriesByType("navigation")[0];
  const tiles = performance.getEntriesByType("resource")
    .filter((entry) => entry.name.includes("/tiles/servicepoints/"));
  return {
    drawn: window.__drawnAt.length ? window.__drawnAt[window.__drawnAt.length - 1] : null,
    changes: window.__drawnAt.length,
    loading: window.serviceNetworkMap.points.isLoading(),
    points: Number(element.dataset.drawnPoints || 0),
    features: Number(element.dataset.drawnFeatures || 0),
    zoom: window.serviceNetworkMap.map.getZoom(),
    tiles: tiles.length,
    lastTile: Math.max(0, ...tiles.map((entry) => entry.responseEnd)),
    tileBytes: tiles.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
    contentLoaded: navigation.domContentLoadedEventEnd,
    load: navigation.loadEventEnd,
  };
}"""


def in_thread(function):
    """Run ORM work outside Playwright's event loop (Django refuses it inside)."""
    result = {}
    thread = threading.Thread(target=lambda: result.update(value=function()))
    thread.start()
    thread.join()
    return result.get("value")


def empty_tile_cache():
    from django.db import connection

    from servicepoints.models import TileCache

    TileCache.objects.all().delete()
    connection.close()


def collectstatic(static_root):
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "STATIC_ROOT": str(static_root),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def open_map(browser, base, storage, query=""):
    """One run in a new context: (measures from the page, heap used, heap used after GC)."""
    context = browser.new_context(viewport=VIEWPORT, base_url=base, storage_state=storage)
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.route(OUTSIDE_URL, lambda route: route.abort())
        page.add_init_script(RECORD_DRAWN)
        cdp = context.new_cdp_session(page)
        page.goto(f"/en/map/{query}", wait_until="load")
        if "layers=" in query:
            page.wait_for_function("() => Boolean(window.serviceNetworkMap)")
            page.wait_for_load_state("networkidle")
        else:
            while True:
                page.wait_for_function(DRAWN)
                before = page.evaluate("window.__drawnAt.length")
                time.sleep(1.0)
                if page.evaluate("window.__drawnAt.length") == before and page.evaluate(DRAWN):
                    break
        measures = page.evaluate(MEASURES)
        used = cdp.send("Runtime.getHeapUsage")["usedSize"]
        cdp.send("HeapProfiler.collectGarbage")
        after_gc = cdp.send("Runtime.getHeapUsage")["usedSize"]
        return measures, used, after_gc
    finally:
        context.close()


def log_in(browser, base, username, password):
    context = browser.new_context(viewport=VIEWPORT, base_url=base)
    try:
        page = context.new_page()
        page.route(OUTSIDE_URL, lambda route: route.abort())
        page.goto("/en/accounts/login/?next=/en/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/en/")
        return context.storage_state()
    finally:
        context.close()


def _mb(size):
    return f"{size / 1024 / 1024:.1f} MB"


def run():
    from playwright.sync_api import sync_playwright

    from benchmarks.common import analyst_client

    if not CHROMIUM.exists():
        return [("map in Chromium", f"{CHROMIUM} is missing", "—", "—", "—", "—")]
    _client, user = analyst_client()
    password = secrets.token_urlsafe(16)
    user.set_password(password)
    user.save()
    empty_tile_cache()

    runs = {"cold": [], "warm": [], "off": []}
    with tempfile.TemporaryDirectory(prefix="snm-bench-static-") as static_root:
        collectstatic(static_root)
        env = {"STATIC_ROOT": static_root, "ALLOWED_HOSTS": "127.0.0.1"}
        with gunicorn(workers=2, threads=2, cpu=None, env=env) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                storage = log_in(browser, base, user.get_username(), password)
                open_map(browser, base, storage, "?layers=basemap")  # warm-up, not counted
                for _ in range(REPEAT):
                    runs["off"].append(open_map(browser, base, storage, "?layers=basemap"))
                    in_thread(empty_tile_cache)
                    runs["cold"].append(open_map(browser, base, storage))
                for _ in range(REPEAT):
                    runs["warm"].append(open_map(browser, base, storage))
            finally:
                browser.close()
    empty_tile_cache()

    def median(kind, pick):
        return statistics.median(pick(result) for result in runs[kind])

    for measures, _used, _gc in runs["cold"] + runs["warm"]:
        assert measures["lastTile"] <= measures["drawn"], measures
    reference_load = median("off", lambda r: r[0]["load"])
    reference_heap = median("off", lambda r: r[1])
    last = runs["cold"][-1][0]
    what = (
        f"z{last['zoom']}, {last['tiles']} tiles, {last['tileBytes'] / 1024:.0f} KB, "
        f"{last['features']:,} symbols for {last['points']:,} points"
    )
    rows = []
    for kind, text in (("cold", "tile cache empty"), ("warm", "tiles in the server's cache")):
        drawn = median(kind, lambda r: r[0]["drawn"]) / 1000
        loaded = median(kind, lambda r: r[0]["load"]) / 1000
        rows.append(
            (
                "map in Chromium, national view",
                f"navigation → points drawn ({text}; {what}), median of {REPEAT}; "
                f"`load` event at {loaded:.2f} s",
                f"{drawn:.2f} s",
                f"points off: `load` at {reference_load / 1000:.2f} s",
                f"{drawn / (reference_load / 1000):.1f}×",
                "< 2 s",
            )
        )
    used = median("cold", lambda r: r[1])
    after_gc = median("cold", lambda r: r[2])
    rows.append(
        (
            "map in Chromium, national view",
            f"JS heap used once drawn (CDP Runtime.getHeapUsage; {_mb(after_gc)} after a "
            f"garbage collection), median of {REPEAT}",
            _mb(used),
            f"points off: {_mb(reference_heap)}",
            f"{used / reference_heap:.1f}×",
            "< 150 MB",
        )
    )
    return rows
