"""The benchmark database: the demonstration data plus 100,000 generated points.

Kept in its own database (`snm_bench` on the local cluster, or the one `BENCH_DATABASE` names)
so benchmarks never touch the development data. Built once and reused; `BENCH_REBUILD=1`
rebuilds it.

Spread like the real network: 70 % of the points within a few kilometres of the 32 largest
places, the rest around every populated place; each copies the organization, kind, languages,
hours and province of a demonstration point nearby, so kinds and levels keep their mix.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATABASE = os.environ.get("BENCH_DATABASE", "snm_bench")
POINTS = 100_000
SOURCE = "benchmark"


def _psql(sql):
    socket = (ROOT / ".pgdata").resolve() / "run"
    return subprocess.run(
        ["psql", "-h", str(socket), "-U", "postgres", "-d", "postgres", "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def prepare():
    """Point Django at the benchmark database (before django.setup()) and fill it if needed."""
    if os.environ.get("DATABASE_URL"):
        sys.exit("make bench uses the local cluster; unset DATABASE_URL.")
    if not DATABASE.replace("_", "").isalnum():
        sys.exit(f"BENCH_DATABASE must be a plain name (letters, digits, _): {DATABASE!r}")
    os.environ["PGDATABASE_NAME"] = DATABASE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    # Endpoints are called in process through Django's test client.
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    rebuild = os.environ.get("BENCH_REBUILD") == "1"
    exists = _psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") == "1"  # noqa: S608
    if exists and rebuild:
        _psql(f"DROP DATABASE {DATABASE}")
        exists = False
    if not exists:
        _psql(f"CREATE DATABASE {DATABASE}")
    env = {**os.environ}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True, capture_output=True)

    import django

    django.setup()
    from servicepoints.models import ServicePoint

    if not ServicePoint.objects.filter(data_source__name=SOURCE).exists():
        generate()
    return ServicePoint.objects.count()


def generate(count=POINTS, seed=20261128):
    """Insert `count` points with COPY, then compute their opening periods."""
    from django.db import connection, transaction

    from servicepoints.models import DataSource, PopulatedPlace, ServicePoint

    rng = np.random.default_rng(seed)
    template_fields = [
        "pk", "organization_id", "kind", "status", "province_id", "languages",
        "opening_hours", "timezone", "name_en", "name_fr", "community", "postal_code",
    ]  # fmt: skip
    templates = list(
        ServicePoint.objects.demonstration().order_by("pk").values_list(*template_fields)
    )
    coords = np.array(
        [
            p.location.coords
            for p in ServicePoint.objects.demonstration().order_by("pk").only("location")
        ]
    )
    cities = np.array(
        [p.location.coords for p in PopulatedPlace.objects.order_by("-population")[:32]]
    )
    # Templates near a big city (within ~30 km) serve the urban 70 %.
    near = np.zeros(len(templates), dtype=bool)
    for lon, lat in cities:
        near |= (np.abs(coords[:, 0] - lon) < 0.4) & (np.abs(coords[:, 1] - lat) < 0.27)
    urban, everywhere = np.flatnonzero(near), np.arange(len(templates))
    n_urban = int(count * 0.7)
    picks = np.concatenate([rng.choice(urban, n_urban), rng.choice(everywhere, count - n_urban)])
    sigma = np.concatenate([np.full(n_urban, 0.05), np.full(count - n_urban, 0.02)])
    lon = coords[picks, 0] + rng.normal(0, 1, count) * sigma
    lat = coords[picks, 1] + rng.normal(0, 1, count) * sigma * 0.7
    lon, lat = np.clip(lon, -141.0, -52.6), np.clip(lat, 41.7, 83.0)

    source, _ = DataSource.objects.get_or_create(
        name=SOURCE,
        defaults={
            "title": "Benchmark data (generated)",
            "authority": "benchmarks/dataset.py",
            "is_demonstration": True,
        },
    )
    columns = [
        "organization_id", "kind", "status", "province_id", "languages", "opening_hours",
        "timezone", "name_en", "name_fr", "community", "postal_code", "location",
        "location_precision", "street_address", "phone", "website", "accessibility", "photo",
        "photo_description", "external_id", "data_source_id", "updated_at",
    ]  # fmt: skip
    table = ServicePoint._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # noqa: S608
        ) as copy:
            for i, index in enumerate(picks):
                t = templates[index]
                languages = "{" + ",".join(t[5]) + "}"
                copy.write_row(
                    (
                        t[1], t[2], t[3], t[4], languages, t[6], t[7],
                        f"{t[8]} #{i}", f"{t[9]} #{i}", t[10], t[11],
                        f"SRID=4326;POINT({lon[i]:.6f} {lat[i]:.6f})",
                        "community", "", "", "", "{}", "", "",
                        f"bench-{i}", source.pk, "now",
                    )
                )  # fmt: skip
        cursor.execute(f"ANALYZE {table}")  # noqa: S608
    ServicePoint.objects.filter(data_source=source).refresh_opening_periods()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE servicepoints_openingperiod")
