"""`import_indicators` of a 1,000,000-line Census Profile CSV in the 2021 layout.

The file is generated (no real profile that size is in the shared folder): 381 census
subdivisions × the 2021 profile's 2,631 characteristics (1,002,411 data lines, ~170 MB),
Windows-1252 as Statistics Canada ships the 2021 files, the catalogue's characteristics at
their places and the others as filler lines of the same shape; one value in seven is
suppressed (`x`, empty cell and its SYMBOL).

- *reference*: Python's `csv.reader` reading the same file to the end, doing nothing else
  (the floor of any importer that parses the file in Python), in the same run.
- `manage.py import_indicators FILE --level csd --create-areas` in a subprocess (time and peak
  resident memory), then the same command again (nothing changed).

The generated areas (codes 99…) and their values are deleted before and after.
"""

import csv
import os
import tempfile
import time
from pathlib import Path

from benchmarks.imports import timed

ROOT = Path(__file__).resolve().parents[1]
AREAS = 381
CHARACTERISTICS = 2631
HEADER = [
    "CENSUS_YEAR", "DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME", "TNR_SF", "TNR_LF",
    "DATA_QUALITY_FLAG", "CHARACTERISTIC_ID", "CHARACTERISTIC_NAME", "CHARACTERISTIC_NOTE",
    "C1_COUNT_TOTAL", "SYMBOL", "C2_COUNT_MEN+", "SYMBOL", "C3_COUNT_WOMEN+", "SYMBOL",
    "C10_RATE_TOTAL", "SYMBOL", "C11_RATE_MEN+", "SYMBOL", "C12_RATE_WOMEN+", "SYMBOL",
]  # fmt: skip
# The catalogue's characteristics at their 2021 numbers.
NAMED = {
    1: "Population, 2021",
    4: "Total private dwellings",
    5: "Private dwellings occupied by usual residents",
    6: "Population density per square kilometre",
    8: "Total - Age groups of the population - 100% data",
    24: "  65 years and over",
    113: "    Median total income in 2020 among recipients ($)",
    243: "  Median total income of household in 2020 ($)",
    345: "  Prevalence of low income based on the Low-income measure, after tax (LIM-AT) (%)",
    2014: "Total - Highest certificate, diploma or degree for the population aged 25 to 64 "
    "years in private households - 25% sample data",
    2015: "  No certificate, diploma or degree",
    2228: "  Participation rate",
    2229: "  Employment rate",
    2230: "  Unemployment rate",
}


def write_profile(path):
    with open(path, "w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        for area in range(AREAS):
            code = f"99{area:05d}"
            name = f"Municipalité de démonstration {area}"
            for number in range(1, CHARACTERISTICS + 1):
                label = NAMED.get(number, f"  Characteristic {number}")
                suppressed = (area + number) % 7 == 0
                value = "" if suppressed else str(1000 + (area * 37 + number) % 90000)
                writer.writerow(
                    [2021, f"2021A0005{code}", code, 2, name, 5.4, 6.1, 0, number, label, "",
                     value, "x" if suppressed else "", "", "...", "", "...", "", "...", "",
                     "...", "", "..."]
                )  # fmt: skip


def _clean():
    from servicepoints.layers.models import Area

    Area.objects.filter(level__code="csd", code__startswith="99", year=2021).delete()


def parse_only(path):
    start = time.perf_counter()
    with open(path, encoding="cp1252", newline="") as handle:
        lines = sum(1 for _row in csv.reader(handle))
    return time.perf_counter() - start, lines


def run():
    from servicepoints.layers.models import IndicatorValue

    _clean()
    folder = Path(tempfile.mkdtemp(prefix="snm-bench-profile-"))
    path = folder / "98-401-X2021006_English_CSV_data_demo.csv"
    write_profile(path)
    size_mb = path.stat().st_size / 1e6
    parsed, lines = parse_only(path)
    command = [
        str(ROOT / ".venv/bin/python"), "manage.py", "import_indicators", str(path),
        "--level", "csd", "--create-areas",
    ]  # fmt: skip
    env = dict(os.environ)
    first, memory = timed(command, env)
    values = IndicatorValue.objects.filter(area__code__startswith="99", area__year=2021).count()
    again, memory_again = timed(command, env)
    _clean()
    path.unlink()
    folder.rmdir()
    data_lines = lines - 1
    return [
        (
            "import_indicators, 1M-line profile",
            f"`csv.reader` alone over the file ({data_lines:,} lines, {size_mb:.0f} MB)",
            f"{parsed:.2f} s",
            "—",
            "1×",
            "—",
        ),
        (
            "import_indicators, 1M-line profile",
            f"first import, {AREAS} areas created, {values:,} values kept",
            f"{first:.2f} s ({data_lines / first:,.0f} lines/s), peak RSS "
            f"{memory / 2**20:.0f} MiB",
            f"csv.reader {parsed:.2f} s",
            f"{first / parsed:.2f}×",
            "< 30 s, RSS < 1 GB",
        ),
        (
            "import_indicators, 1M-line profile",
            "the same file again (every value unchanged)",
            f"{again:.2f} s, peak RSS {memory_again / 2**20:.0f} MiB",
            f"csv.reader {parsed:.2f} s",
            f"{again / parsed:.2f}×",
            "—",
        ),
    ]
