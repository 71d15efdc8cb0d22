"""The forecast of channel demand (issue 14): a 12-month forecast of every line of business of
the real ServiceOntario contact-centre file (../shared/data, imported into the database of
the environment, `PGDATABASE_NAME`, the first time), each in a new process so that its peak
RSS is its own (`resource.getrusage` in the child).

- *reference*, same run: a new process that reads the same series (`load_series`) and makes
  the seasonal-naive forecast of every line (the same month a year earlier);
- the forecast: a new process running `forecast_all(months=12)` (statsmodels ETS for every
  line, back-test included; statsmodels' import counted, Django's start-up not).

Goal: < 10 s in all, peak RSS < 500 MB. The back-test table (both MAPEs) is printed too.
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 3
FILE = "serviceontario_contact_centre_wait_times_2016-2020.csv"

CHILD = """
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
mode = sys.argv[1]
start, cpu = time.perf_counter(), time.process_time()
if mode == "naive":
    import pandas as pd
    from servicepoints.analysis.forecast.series import load_series
    lines = 0
    for series in load_series():
        last = series.calls.dropna()
        if len(last) >= 12:
            future = pd.date_range(last.index[-1], periods=13, freq="MS")[1:]
            naive = dict(zip(future, last.iloc[-12:].to_numpy()))
            lines += 1
    table = []
else:
    from servicepoints.analysis.forecast.predict import forecast_all
    results = [r.as_dict() for r in forecast_all(months=12)]
    lines = sum(1 for r in results if r["forecast"])
    table = [(r["line"], r["backtest"]["months"], r["backtest"]["mape_model"],
              r["backtest"]["mape_naive"]) for r in results]
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "cpu": cpu, "rss_kib": rss, "lines": lines,
                  "table": table}))
"""


def child(mode):
    output = subprocess.run(
        [sys.executable, "-c", CHILD, mode],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def prepare():
    """The real file imported (once); a reason to skip, or None."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from servicepoints.analysis.forecast.importer import import_channel_statistics

    shared = Path(os.environ.get("SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))
    path = shared / FILE
    if not path.exists():
        return f"{path} is missing"
    result = import_channel_statistics(path, organization="serviceontario")
    if result.refused:
        return "; ".join(issue.text() for issue in result.issues if issue.is_error)
    return None


def backtest_text(table):
    lines = [
        "",
        "Back-test of the forecast, last 12 known months (MAPE %, naive = same month a year "
        "earlier)",
        "| line | months | MAPE model | MAPE naive |",
        "| --- | ---: | ---: | ---: |",
    ]
    for line, months, model, naive in table:
        show = lambda value: "—" if value is None else f"{value:.1f}"  # noqa: E731
        lines.append(f"| {line} | {months} | {show(model)} | {show(naive)} |")
    return "\n".join(lines)


def run():
    label = "forecast, every line of the ServiceOntario file"
    missing = prepare()
    if missing:
        return [(label, f"skipped: {missing}", "—", "—", "—", "—")]
    naive, model = [], []
    for _ in range(REPEAT):
        naive.append(child("naive"))
        model.append(child("model"))
    naive_s = statistics.median(r["seconds"] for r in naive)
    model_s = statistics.median(r["seconds"] for r in model)
    naive_cpu = statistics.median(r["cpu"] for r in naive)
    model_cpu = statistics.median(r["cpu"] for r in model)
    naive_mib = max(r["rss_kib"] for r in naive) / 1024
    model_mib = max(r["rss_kib"] for r in model) / 1024
    print(backtest_text(model[-1]["table"]), flush=True)
    lines = model[-1]["lines"]
    return [
        (
            label,
            f"seasonal naive: read the series, same month a year earlier ({naive[-1]['lines']} "
            f"lines), p50 of {REPEAT}",
            f"{naive_s:.2f} s (CPU {naive_cpu:.2f} s), peak RSS {naive_mib:.0f} MiB",
            "—",
            "1×",
            "—",
        ),
        (
            label,
            f"ETS forecast of {lines} lines, 12 months, with back-test, new process, p50 of "
            f"{REPEAT}",
            f"{model_s:.2f} s (CPU {model_cpu:.2f} s), peak RSS {model_mib:.0f} MiB",
            f"naive {naive_s:.2f} s",
            f"{model_s / naive_s:.1f}×",
            "< 10 s, RSS < 500 MB",
        ),
    ]
