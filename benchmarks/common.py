"""Timing helpers shared by the benchmarks."""

import contextlib
import statistics
import time


def sample(function, repeat=30, warmup=3):
    """Seconds taken by each of `repeat` calls, after `warmup` untimed ones."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def interleaved(functions, repeat=30, warmup=3, reset=None):
    """Seconds taken by each call of each function, called in turn (a, b, c, a, b, c, ...) so
    that the machine's drift during the run weighs on all of them alike: a ratio between
    two of them is then steadier than between two runs of `sample` one after the other.
    `reset`, if given, is called before each call, outside the time taken."""
    for _ in range(warmup):
        for function in functions:
            function()
    times = [[] for _ in functions]
    for _ in range(repeat):
        for function, taken in zip(functions, times, strict=True):
            if reset is not None:
                reset()
            start = time.perf_counter()
            function()
            taken.append(time.perf_counter() - start)
    return times


def p50(times):
    return statistics.median(times)


def p95(times):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def analyst_client():
    """A Django test client signed in as an analyst (reads every jurisdiction)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from servicepoints import roles

    user, _ = get_user_model().objects.get_or_create(username="bench-analyst", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.ANALYSTS))
    client = Client()
    client.force_login(user)
    return client, user


def raw_text(sql, params=()):
    """Run SQL returning one text value (the reference: no Django in the way)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def tile_of(lon, lat, zoom):
    """(x, y) of the Web Mercator tile holding a place at a zoom."""
    import math

    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pinned(cpu):
    """The command prefix that pins a process to one core (empty without taskset)."""
    import os
    import shutil

    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(cpu)]
    return []


@contextlib.contextmanager
def gunicorn(*, workers=2, threads=2, cpu=0, env=None):
    """Serve the project on a free loopback port as in production: gunicorn, DEBUG off, on
    the benchmark database; yields the base URL. Pinned to core `cpu` unless it is None. The
    server is stopped (its whole process group) whatever happens."""
    import os
    import signal
    import subprocess
    import sys
    import tempfile
    import urllib.request
    from pathlib import Path

    from django.conf import settings

    root = Path(__file__).resolve().parents[1]
    port = free_port()
    environment = {
        **os.environ,
        "PGDATABASE_NAME": settings.DATABASES["default"]["NAME"],
        "DJANGO_DEBUG": "0",
        # The benchmark's own key: sessions it creates are valid on the server.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    command = [
        *(pinned(cpu) if cpu is not None else []),
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--log-level=warning",
    ]
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        command, cwd=root, env=environment, stdout=log, stderr=log, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.perf_counter() + 60
        while True:
            if process.poll() is not None or time.perf_counter() > deadline:
                log.seek(0)
                raise RuntimeError(f"gunicorn did not start:\n{log.read().decode()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
        log.close()


def session_cookie(user):
    """A session of `user` stored in the database, as a Cookie header for another process."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
