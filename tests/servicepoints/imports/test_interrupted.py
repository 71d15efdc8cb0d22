"""A process killed in the middle of an apply leaves the data as it was before."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from servicepoints.imports import pipeline
from servicepoints.models import ImportRun, ServicePoint

from .conftest import ontario_row, snapshot

ROOT = Path(__file__).resolve().parents[3]

# Applies the run, and once every point has been written (inside the transaction) says so
# and waits to be killed.
APPLY_AND_WAIT = """
import sys, time, django
django.setup()
from django.contrib.auth import get_user_model
from servicepoints.imports import pipeline
from servicepoints.models import ImportRun, ServicePoint

run = ImportRun.objects.get(pk=int(sys.argv[1]))
user = get_user_model().objects.get(pk=int(sys.argv[2]))

class Progress(pipeline.Progress):
    def __call__(self, message, percent):
        super().__call__(message, percent)
        if percent >= 70:
            written = ServicePoint.objects.filter(data_source=run.data_source).count()
            print(f"written {written}", flush=True)
            time.sleep(600)

pipeline.apply_run(run, user, progress=Progress(run))
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killing_an_apply_midway_changes_nothing(run_import, data_admin, tmp_path, settings):
    run_import([ontario_row(1), ontario_row(2)])
    before = snapshot()
    run = run_import(
        [ontario_row(1, phone="613-555-0100"), ontario_row(3), ontario_row(4)],
        apply=False,
        missing="close",
    )
    assert run.status == ImportRun.Status.VALIDATED
    env = {
        **os.environ,
        "PGDATABASE_NAME": connection.settings_dict["NAME"],
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", APPLY_AND_WAIT, str(run.pk), str(data_admin.pk)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        # Inside its transaction the process sees its own writes: 2 points + 2 new ones.
        assert line.strip() == "written 4", line
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    # PostgreSQL rolls the dead session's transaction back once it notices the lost client.
    deadline = time.monotonic() + 30
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%%'"
            )
            if cursor.fetchone()[0] == 0 or time.monotonic() > deadline:
                break
        time.sleep(0.1)
    assert snapshot() == before
    assert ServicePoint.objects.count() == 2
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLYING, "what others saw while it ran"
    # The interrupted run is recognised and can be applied again.
    assert pipeline.recover_interrupted(run)
    assert run.status == ImportRun.Status.VALIDATED
    pipeline.apply_run(run, data_admin)
    assert ServicePoint.objects.count() == 4
    assert ServicePoint.objects.get(external_id="SO-2").status == "closed"


@pytest.mark.django_db
def test_a_check_whose_worker_stopped_can_be_run_again(run_import):
    run = run_import([ontario_row(1)], apply=False)
    # What a worker killed in the middle of a check leaves: the status, and no lock held.
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.VALIDATING)
    run.refresh_from_db()
    assert pipeline.recover_interrupted(run)
    assert run.status == ImportRun.Status.FAILED
    assert "check the file again" in run.error
    pipeline.validate_run(run)
    assert run.status == ImportRun.Status.VALIDATED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_check_at_work_is_not_taken_for_an_interrupted_one(run_import):
    run = run_import([ontario_row(1)], apply=False)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.VALIDATING)
    run.refresh_from_db()
    # Another session holds the lock, as a worker checking the file does.
    from django.db import connections

    worker = connections.create_connection("default")
    try:
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext('validate'), %s)", [run.pk])
        assert not pipeline.recover_interrupted(run)
        assert run.status == ImportRun.Status.VALIDATING
    finally:
        worker.close()
    assert pipeline.recover_interrupted(run)
