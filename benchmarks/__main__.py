"""Run every benchmark and print one table (markdown, ready for docs/benchmarks.md).

`python -m benchmarks [NAME ...]` runs some of them. The start-up benchmark times `make`
against the development database; the others use the benchmark database
(benchmarks/dataset.py: the demonstration data plus 100,000 generated points), in this process
or, for the load and browser benchmarks, through a gunicorn server they start on loopback.
"""

import importlib
import os
import platform
import secrets
import sys

# (module, needs the benchmark database)
BENCHMARKS = [
    ("warm_start", False),
    ("api_geojson", True),
    ("tiles", True),
    ("load", True),
    ("browser", True),
    ("imports", True),
    ("area_import", True),
    ("area_tiles", True),
    ("indicator_import", True),
    ("coverage", True),
    ("site_suggestion", True),
    ("dashboard", True),
    ("whatif", True),
    ("colocation", True),
    ("surveys", True),
    ("guide_pdf", True),
    # The database of the environment (PGDATABASE_NAME): it needs the census areas only.
    ("choropleth", False),
    # The database of the environment too, with the real contact-centre file imported.
    ("forecast", False),
]


def machine():
    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    return (
        f"{platform.node()}: {os.cpu_count()} cores, {total_kb / 1024 / 1024:.0f} GiB, "
        f"{platform.platform()}, Python {platform.python_version()}"
    )


def main():
    # Servers started by the benchmarks run with DEBUG off, which refuses the checkout's
    # development key: one key of this run for them and for this process (sessions made here
    # are signed with it), unless the environment gives a real one.
    if os.environ.get("SECRET_KEY", "django-insecure").startswith("django-insecure"):
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    only = set(sys.argv[1:])
    chosen = [(name, db) for name, db in BENCHMARKS if not only or name in only]
    print(f"Machine: {machine()}")
    rows = []
    for name, _db in [b for b in chosen if not b[1]]:
        rows += importlib.import_module(f"benchmarks.{name}").run()
    if any(db for _name, db in chosen):
        from benchmarks import dataset

        print(f"Benchmark database: {dataset.prepare()} service points", flush=True)
        for name, _db in [b for b in chosen if b[1]]:
            rows += importlib.import_module(f"benchmarks.{name}").run()
    print("| benchmark | measure | result | reference (same run) | ratio | goal |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")


if __name__ == "__main__":
    main()
