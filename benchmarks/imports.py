"""Import of a 100,000-row CSV: validate + diff + apply, beside ogr2ogr loading the same file.

The CSV is written from the benchmark database's 100,000 generated points (their
organizations, provinces, postal codes, hours and languages; new external ids and a phone
number each), so every row is valid and all of them are new to the data source "bench-import".

- *import*: `manage.py import_servicepoints FILE --source bench-import` in a subprocess, timed
  from start to exit (Python and Django start-up included); its peak memory is the process's
  maximum resident set (wait4).
- *reference*: `ogr2ogr` loading the same CSV into a new PostGIS table (points built from the
  longitude/latitude columns, GiST index, COPY), timed the same way.
- *floor of the schema*: the rows ogr2ogr loaded, inserted into the service points with one
  `INSERT … SELECT` (their indexes, generated columns and foreign keys, checked at once) and
  their history events with another, then rolled back: what the database alone costs, with no
  reading, checking or diffing; the import cannot be faster than this.
- *re-import*: the same command and file again: every row unchanged.
Both runs are then undone (timed, for information), which leaves the database as it was.
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "bench-import"
ROWS = 100_000


def write_csv(path):
    from django.db import connection

    query = f"""
        SELECT 'imp-' || p.id AS id, p.name_en AS name, p.name_fr AS nom, o.code AS organization,
               p.street_address AS address, p.community AS city, j.code AS province,
               p.postal_code AS "postal code",
               '+1 613-555-' || lpad((p.id % 10000)::text, 4, '0') AS phone,
               round(ST_Y(p.location)::numeric, 6) AS latitude,
               round(ST_X(p.location)::numeric, 6) AS longitude,
               p.opening_hours AS hours, array_to_string(p.languages, ';') AS languages,
               p.kind AS kind
        FROM servicepoints_servicepoint p
        JOIN servicepoints_organization o ON o.id = p.organization_id
        JOIN servicepoints_jurisdiction j ON j.id = p.province_id
        JOIN servicepoints_datasource s ON s.id = p.data_source_id
        WHERE s.name = 'benchmark'
        ORDER BY p.id LIMIT {ROWS}
    """  # noqa: S608
    with open(path, "wb") as handle, connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for block in copy:
                handle.write(block)


def timed(command, env=None, steps=None):
    """(seconds, peak resident memory in bytes) of a command run to completion.

    With a list as `steps`, the command's progress lines on stderr (`import_servicepoints`
    writes "\\r 45% Adding new points") go into it as (seconds since the start, message),
    once per message, in order.
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    errors = []

    def read_stderr():
        seen = set()
        for chunk in iter(lambda: process.stderr.read1(4096), b""):
            at = time.perf_counter() - start
            errors.append(chunk)
            for line in chunk.decode(errors="replace").replace("\n", "\r").split("\r"):
                message = line.split("\033")[0].strip().partition("% ")[2]
                if steps is not None and message and message not in seen:
                    seen.add(message)
                    steps.append((at, message))

    reader = threading.Thread(target=read_stderr)
    reader.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    reader.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command[0:3]} failed: {b''.join(errors).decode()[-2000:]}")
    # ru_maxrss is in kilobytes on Linux.
    return seconds, usage.ru_maxrss * 1024


def where_time_goes(steps, seconds):
    """ "start-up 0.6 s, Reading the file 0.5 s, …": each step until the next, the last one
    until the process ended (for the apply's last step: the commit and the exit)."""
    marks = [(0.0, "start-up"), *steps]
    ends = [at for at, _message in steps] + [seconds]
    return ", ".join(
        f"{message} {end - at:.2f} s" for (at, message), end in zip(marks, ends, strict=True)
    )


POINT_TABLES = ("servicepoints_servicepoint", "servicepoints_servicepointevent")


def _vacuum(cursor):
    for table in POINT_TABLES:
        cursor.execute(f"VACUUM ANALYZE {table}")


class _RolledBack(Exception):
    pass


def _schema_floor(source):
    """Seconds to insert the rows ogr2ogr loaded as service points, with their history
    events and foreign-key checks, in SQL alone; rolled back."""
    from django.db import connection, transaction

    from servicepoints.imports import events

    columns = ", ".join(events.TRACKED)
    start = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cursor, events.triggers_off(cursor):
            cursor.execute(
                """INSERT INTO servicepoints_servicepoint (
                       external_id, organization_id, kind, status, name_en, name_fr, location,
                       location_precision, street_address, community, province_id,
                       postal_code, phone, website, languages, opening_hours, timezone,
                       accessibility, photo, photo_description, data_source_id, updated_at)
                   SELECT 'floor-' || b.id, o.id, b.kind, 'open', b.name, b.nom,
                          b.wkb_geometry, 'exact', b.address, b.city, j.id,
                          b."postal code", b.phone, '', string_to_array(b.languages, ';'),
                          b.hours, 'America/Toronto', '{}', '', '', %s, now()
                   FROM bench_ogr_import b
                   JOIN servicepoints_organization o ON o.code = b.organization
                   JOIN servicepoints_jurisdiction j ON j.code = b.province""",
                [source.pk],
            )
            cursor.execute(
                f"""INSERT INTO servicepoints_servicepointevent ({columns}, pgh_created_at,
                                                                pgh_label, pgh_obj_id)
                    SELECT {columns}, now(), 'insert', id FROM servicepoints_servicepoint
                    WHERE data_source_id = %s AND external_id LIKE 'floor-%%'""",  # noqa: S608
                [source.pk],
            )
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            raise _RolledBack
    except _RolledBack:
        pass
    return time.perf_counter() - start


def run():
    from django.db import connection

    from servicepoints.imports import pipeline
    from servicepoints.models import DataSource, ImportRun

    source, _ = DataSource.objects.get_or_create(
        name=SOURCE, defaults={"title": "Benchmark import (generated)", "is_demonstration": True}
    )
    for leftover in ImportRun.objects.filter(data_source=source, status="applied").order_by(
        "-applied_at"
    ):
        pipeline.undo_run(leftover)
    folder = Path(tempfile.mkdtemp(prefix="snm-bench-import-"))
    path = folder / "points.csv"
    write_csv(path)
    size_mb = path.stat().st_size / 1e6
    socket = (ROOT / ".pgdata").resolve() / "run"
    database = connection.settings_dict["NAME"]
    ogr, ogr_memory = timed(
        [
            "ogr2ogr",
            "-f",
            "PostgreSQL",
            f"PG:host={socket} dbname={database} user=postgres",
            str(path),
            "-oo",
            "X_POSSIBLE_NAMES=longitude",
            "-oo",
            "Y_POSSIBLE_NAMES=latitude",
            "-a_srs",
            "EPSG:4326",
            "-nln",
            "bench_ogr_import",
            "-overwrite",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_ogr_import")
        ogr_rows = cursor.fetchone()[0]
    floor = _schema_floor(source)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_ogr_import")
        # The floor's rolled-back rows are dead tuples in every index of the points and their
        # events: left there, autovacuum cleans them up while the import runs (on one of the
        # two cores) and the import's inserts wade through them. No real import meets them.
        _vacuum(cursor)
    command = [
        sys.executable,
        "manage.py",
        "import_servicepoints",
        str(path),
        "--source",
        SOURCE,
        "--missing",
        "keep",
    ]
    env = {**os.environ, "MEDIA_ROOT": str(folder / "media")}
    first_steps, second_steps = [], []
    first, memory = timed(command, env, first_steps)
    second, memory_again = timed(command, env, second_steps)
    runs = list(ImportRun.objects.filter(data_source=source, status="applied"))
    assert len(runs) == 2 and runs[0].counts["unchanged"] == ROWS, runs[0].counts
    assert runs[1].counts["created"] == ROWS, runs[1].counts
    undo_start = time.perf_counter()
    for applied in sorted(runs, key=lambda r: r.applied_at, reverse=True):
        pipeline.undo_run(applied)
    undo = time.perf_counter() - undo_start
    # 100,000 rows in and out leave dead tuples and bloated indexes behind, which would slow
    # the other benchmarks (index-only tile scans) in later runs.
    with connection.cursor() as cursor:
        for table in POINT_TABLES:
            cursor.execute(f"REINDEX TABLE {table}")
        _vacuum(cursor)
    assert ogr_rows == ROWS
    goal = "≤ 2× the floor; peak memory < 1 GB"
    return [
        (
            "import 100k-row CSV",
            f"ogr2ogr into a new PostGIS table ({size_mb:.1f} MB, {ROWS:,} rows), wall time; "
            f"peak memory {ogr_memory / 2**20:.0f} MiB",
            f"{ogr:.2f} s ({ROWS / ogr:,.0f} rows/s)",
            "—",
            "1×",
            "—",
        ),
        (
            "import 100k-row CSV",
            "floor of the schema: the same rows inserted as service points and history events "
            "in SQL alone (indexes, generated columns, foreign keys checked), rolled back",
            f"{floor:.2f} s",
            f"ogr2ogr {ogr:.2f} s",
            f"{floor / ogr:.2f}×",
            "—",
        ),
        (
            "import 100k-row CSV",
            "`import_servicepoints` (read, validate, diff, apply in one transaction, history, "
            f"opening hours), wall time; peak memory {memory / 2**20:.0f} MiB",
            f"{first:.2f} s ({ROWS / first:,.0f} rows/s)",
            f"floor {floor:.2f} s",
            f"{first / floor:.2f}×",
            goal,
        ),
        (
            "import 100k-row CSV",
            "where the import's time goes (its progress messages, each until the next; the "
            "last one includes the commit and the exit)",
            where_time_goes(first_steps, first),
            "—",
            "—",
            "—",
        ),
        (
            "re-import, nothing changed",
            f"the same command and file again ({ROWS:,} unchanged); peak memory "
            f"{memory_again / 2**20:.0f} MiB",
            f"{second:.2f} s",
            f"first import {first:.2f} s",
            f"{second / first:.2f}×",
            "≤ ⅓ of the first",
        ),
        (
            "re-import, nothing changed",
            "where the re-import's time goes",
            where_time_goes(second_steps, second),
            "—",
            "—",
            "—",
        ),
        (
            "undo both imports",
            "`undo_run` of the re-import then the first import (100,000 points deleted)",
            f"{undo:.2f} s",
            f"first import {first:.2f} s",
            f"{undo / first:.2f}×",
            "—",
        ),
    ]
