"""A second `make run` on a machine already set up: time until the server answers.

Reference: `python manage.py check`, the bare cost of starting Django with GeoDjango, timed in
the same run. Goal (issue 2): serving in under 20 s.
"""

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 3


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed(command, env=None):
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def time_to_serving():
    """Start `make run` on a free port and poll /healthz until it answers 200."""
    port = free_port()
    env = {**os.environ, "PORT": str(port)}
    start = time.perf_counter()
    process = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.perf_counter() - start < 120:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("make run did not answer within 120 s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()


def run():
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    reference = statistics.median(
        timed([sys.executable, "manage.py", "check"], env) for _ in range(REPEAT)
    )
    setup = statistics.median(timed(["make", "setup"]) for _ in range(REPEAT))
    serving = statistics.median(time_to_serving() for _ in range(REPEAT))
    return [
        (
            "warm start",
            "`make setup`, already set up",
            f"{setup:.2f} s",
            f"`manage.py check` {reference:.2f} s",
            f"{setup / reference:.1f}×",
            "—",
        ),
        (
            "warm start",
            "`make run` until /healthz answers",
            f"{serving:.2f} s",
            f"`manage.py check` {reference:.2f} s",
            f"{serving / reference:.1f}×",
            "< 20 s",
        ),
    ]
