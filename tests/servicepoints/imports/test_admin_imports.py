"""The admin's import screens: upload, validation report, mapping, preview, apply, undo, and
the refusals for other jurisdictions and roles, all on the server."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from servicepoints.models import ImportRun, ServicePoint

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
UPLOAD = reverse("admin:servicepoints_importrun_add")
CHANGELIST = reverse("admin:servicepoints_importrun_changelist")
HEADER = "external_id,name_en,name_fr,organization,latitude,longitude,postal_code,community\n"
# Two ServiceOntario offices (Ottawa City Hall, Kingston) and one row whose latitude is
# outside Canada.
ONTARIO_CSV = (
    HEADER + "ON-1,ServiceOntario Ottawa,ServiceOntario Ottawa,serviceontario,45.4215,-75.6972,"
    "K1P 1J1,Ottawa\n"
    + "ON-2,ServiceOntario Kingston,ServiceOntario Kingston,serviceontario,44.2312,-76.4860,"
    "K7L 2Z1,Kingston\n"
)
BAD_ROW = "ON-3,ServiceOntario Nowhere,,serviceontario,12.5,-75.0,,\n"


def run_url(run, name="change"):
    return reverse(f"admin:servicepoints_importrun_{name}", args=[run.pk])


def csv_file(text, name="offices.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def upload(client, source, text=ONTARIO_CSV, jurisdiction=None, missing="keep", **extra):
    data = {
        "file": csv_file(text),
        "data_source": source.pk,
        "jurisdiction": jurisdiction.pk if jurisdiction else "",
        "missing": missing,
        **extra,
    }
    return client.post(UPLOAD, data)


@pytest.fixture
def validated_run(client, data_admin, ontario_source, serviceontario):
    client.force_login(data_admin)
    response = upload(client, ontario_source)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.get()
    assert response["Location"] == run_url(run)
    assert run.status == ImportRun.Status.VALIDATED
    return run


def test_upload_page_says_the_limit(client, data_admin, settings):
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(data_admin)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    assert "2.0\xa0MB" in response.content.decode()


def test_upload_validates_and_the_run_page_shows_counts_issues_and_preview(
    client, data_admin, ontario_source, serviceontario, ontario
):
    client.force_login(data_admin)
    response = upload(client, ontario_source, ONTARIO_CSV + BAD_ROW, jurisdiction=ontario)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.INVALID
    assert run.created_by == data_admin and run.jurisdiction == ontario
    assert run.counts["rows"] == 3 and run.counts["errors"] == 1
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Refused: the file has errors" in html
    assert "is outside Canada" in html
    assert "Download the report (CSV)" in html
    # The file can be checked again with another mapping; nothing to apply.
    assert 'name="map_external_id"' in html
    assert "Apply" not in page.context["title"] and not page.context["can_apply"]


def test_validated_run_shows_preview_and_apply_creates_points(client, validated_run):
    page = client.get(run_url(validated_run))
    html = page.content.decode()
    assert page.context["can_apply"]
    assert "Points created: 2; changed: 0; closed: 0." in html
    assert "ServiceOntario Kingston" in html  # the "new" tab
    points = page.context["map_config"]["points"]
    assert {point["action"] for point in points} == {"new"} and len(points) == 2
    response = client.post(run_url(validated_run, "apply"))
    assert response.status_code == 302
    validated_run.refresh_from_db()
    assert validated_run.status == ImportRun.Status.APPLIED
    assert validated_run.counts["created"] == 2
    assert set(
        ServicePoint.objects.filter(data_source=validated_run.data_source).values_list(
            "external_id", flat=True
        )
    ) == {"ON-1", "ON-2"}
    html = client.get(run_url(validated_run)).content.decode()
    assert "Points created" in html and "Undo this import" in html


def test_changed_points_show_before_and_after(client, validated_run, data_admin, ontario_source):
    client.post(run_url(validated_run, "apply"))
    moved = ONTARIO_CSV.replace("ServiceOntario Kingston,ServiceOntario Kingston", "SO K,SO K")
    upload(client, ontario_source, moved, missing="close")
    run = ImportRun.objects.exclude(pk=validated_run.pk).get()
    page = client.get(run_url(run), {"tab": "changed"})
    assert page.context["preview"]["rows"][0]["changes"][0][1:] == (
        "ServiceOntario Kingston",
        "SO K",
    )
    assert "<del>ServiceOntario Kingston</del> → <ins>SO K</ins>" in page.content.decode()


def test_apply_is_refused_unless_validated(client, validated_run):
    ImportRun.objects.filter(pk=validated_run.pk).update(status=ImportRun.Status.INVALID)
    response = client.post(run_url(validated_run, "apply"), follow=True)
    assert "Only a validated import can be applied." in response.content.decode()
    assert not ServicePoint.objects.filter(external_id="ON-1").exists()
    assert client.get(run_url(validated_run, "apply")).status_code == 405


def test_mapping_change_validates_again(client, validated_run):
    page = client.get(run_url(validated_run))
    form = page.context["mapping_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    # No column for the French name; every point's kind from the defaults.
    data.update({"map_name_fr": "", "default_kind": "kiosk", "default_languages": "en, fr"})
    response = client.post(run_url(validated_run, "mapping"), data)
    assert response.status_code == 302
    validated_run.refresh_from_db()
    assert validated_run.status == ImportRun.Status.VALIDATED
    assert "name_fr" not in validated_run.mapping
    assert validated_run.defaults == {"kind": "kiosk", "languages": "en, fr"}
    client.post(run_url(validated_run, "apply"))
    point = ServicePoint.objects.get(external_id="ON-1")
    assert point.kind == "kiosk" and point.name_fr == "ServiceOntario Ottawa"


def test_mapping_form_errors_are_shown(client, validated_run):
    page = client.get(run_url(validated_run))
    form = page.context["mapping_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["default_languages"] = "klingon"
    response = client.post(run_url(validated_run, "mapping"), data)
    assert response.status_code == 200
    assert response.context["mapping_form"].errors["default_languages"]


def test_a_mapping_without_external_id_refuses_the_file(client, validated_run):
    form = client.get(run_url(validated_run)).context["mapping_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["map_external_id"] = ""
    client.post(run_url(validated_run, "mapping"), data)
    validated_run.refresh_from_db()
    assert validated_run.status == ImportRun.Status.INVALID
    assert (
        "No column is mapped to the external id"
        in client.get(run_url(validated_run)).content.decode()
    )


@pytest.mark.parametrize(
    ("language", "header", "reason"),
    [
        ("en", "file,row,column,value,severity,reason", "is outside Canada"),
        ("fr", "fichier,ligne,colonne,valeur,gravité,motif", "est hors du Canada"),
    ],
)
def test_report_csv_in_the_readers_language(
    client, data_admin, ontario_source, serviceontario, language, header, reason
):
    client.force_login(data_admin)
    upload(client, ontario_source, ONTARIO_CSV + BAD_ROW)
    run = ImportRun.objects.get()
    url = f"/{language}/admin/servicepoints/importrun/{run.pk}/report.csv"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="import-run-{run.pk}-report.csv"'
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ",".join(rows[0]) == header
    assert rows[1][1] == "4" and reason in rows[1][5]


def test_undo_restores_and_refusals_are_shown(client, validated_run, data_admin):
    client.post(run_url(validated_run, "apply"))
    point = ServicePoint.objects.get(external_id="ON-1")
    point.phone = "613-555-0100"
    point.save()
    response = client.post(run_url(validated_run, "undo"), follow=True)
    assert "These points changed after the import" in response.content.decode()
    validated_run.refresh_from_db()
    assert validated_run.status == ImportRun.Status.APPLIED
    point.phone = ""
    point.save()
    # Saving again changed only the update time, which undo does not compare.
    response = client.post(run_url(validated_run, "undo"), follow=True)
    assert "Import undone" in response.content.decode()
    validated_run.refresh_from_db()
    assert validated_run.status == ImportRun.Status.UNDONE
    assert not ServicePoint.objects.filter(data_source=validated_run.data_source).exists()


def test_change_list_and_deletion_rules(client, validated_run):
    html = client.get(CHANGELIST).content.decode()
    assert "offices.csv" in html and "Import service points" in html
    assert client.get(run_url(validated_run, "delete")).status_code == 200
    client.post(run_url(validated_run, "apply"))
    assert client.get(run_url(validated_run, "delete")).status_code == 403
    assert ImportRun.objects.filter(pk=validated_run.pk).exists()


def test_deleting_a_run_never_applied_removes_its_file(client, validated_run):
    path = Path(validated_run.file.path)
    assert path.exists()
    response = client.post(run_url(validated_run, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not ImportRun.objects.exists() and not path.exists()


def test_runs_are_not_edited_as_model_forms(client, validated_run):
    before = dict(ImportRun.objects.filter(pk=validated_run.pk).values().get())
    response = client.post(run_url(validated_run), {"status": "applied", "mapping": "{}"})
    assert response.status_code == 200  # the run page again, nothing taken from the post
    assert dict(ImportRun.objects.filter(pk=validated_run.pk).values().get()) == before


# Roles and jurisdictions


def test_editor_imports_for_their_own_jurisdiction(
    client, ontario_editor, ontario_source, serviceontario, ontario
):
    client.force_login(ontario_editor)
    form = client.get(UPLOAD).context["form"]
    assert list(form.fields["jurisdiction"].queryset) == [ontario]
    assert upload(client, ontario_source, jurisdiction=ontario).status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.VALIDATED
    client.post(run_url(run, "apply"))
    assert ServicePoint.objects.filter(external_id="ON-2").exists()


def test_editor_forged_upload_for_another_jurisdiction_is_refused(
    client, ontario_editor, ontario_source, serviceontario, new_brunswick
):
    client.force_login(ontario_editor)
    response = upload(client, ontario_source, jurisdiction=new_brunswick)
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert "jurisdiction" in response.context["form"].errors
    response = upload(client, ontario_source)  # no jurisdiction: required for editors
    assert response.status_code == 200 and "jurisdiction" in response.context["form"].errors
    assert not ImportRun.objects.exists()


def test_editor_cannot_see_or_undo_another_jurisdictions_runs(
    client, data_admin, ontario_editor, new_brunswick_editor, validated_run, ontario
):
    client.post(run_url(validated_run, "apply"))
    client.force_login(new_brunswick_editor)
    assert "offices.csv" not in client.get(CHANGELIST).content.decode()
    for name in ("change", "progress", "report"):
        assert client.get(run_url(validated_run, name)).status_code == 404
    assert client.post(run_url(validated_run, "apply")).status_code == 404
    # An Ontario run: Ontario's editor sees it, and still may not undo it.
    ImportRun.objects.filter(pk=validated_run.pk).update(jurisdiction=ontario)
    client.force_login(ontario_editor)
    assert client.get(run_url(validated_run)).status_code == 200
    assert client.post(run_url(validated_run, "undo")).status_code == 403
    validated_run.refresh_from_db()
    assert validated_run.status == ImportRun.Status.APPLIED


def test_editor_does_not_see_runs_without_a_jurisdiction(client, ontario_editor, validated_run):
    client.force_login(ontario_editor)
    assert client.get(run_url(validated_run)).status_code == 404


def test_analyst_cannot_reach_the_imports(client, analyst, validated_run):
    client.force_login(analyst)
    assert client.get(UPLOAD).status_code == 403
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(run_url(validated_run, "progress")).status_code in (403, 404)


def test_progress_endpoint(client, validated_run, ontario_editor):
    response = client.get(run_url(validated_run, "progress"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "validated",
        "status_label": "validated, ready to apply",
        "progress": 100,
        "message": "",
        "at_work": False,
    }
    client.force_login(ontario_editor)
    assert client.get(run_url(validated_run, "progress")).status_code == 404


def test_run_page_polls_while_the_run_waits(client, validated_run):
    ImportRun.objects.filter(pk=validated_run.pk).update(status=ImportRun.Status.QUEUED)
    html = client.get(run_url(validated_run)).content.decode()
    assert '<progress id="import-progress-bar"' in html
    assert 'id="import-progress-config"' in html and "js/import_progress.js" in html
    assert 'role="status"' in html


# The real task backend


@pytest.fixture(scope="session")
def migrations_rows_restored(django_db_blocker):
    """After the session, put back the rows the migrations made (jurisdictions, roles): a
    transactional test empties every table, and `--reuse-db` keeps the database."""
    yield
    with django_db_blocker.unblock():
        for wrapper in connections.all():
            contents = getattr(wrapper, "_test_serialized_contents", None)
            if contents:
                wrapper.creation.deserialize_db_from_string(contents)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upload_is_validated_by_the_database_worker(
    migrations_rows_restored, client, settings, data_admin, ontario_source, serviceontario
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports"],
        }
    }
    client.force_login(data_admin)
    upload(client, ontario_source)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.QUEUED
    task = DBTaskResult.objects.get()
    assert task.queue_name == "imports" and str(task.id) == run.task_id
    env = {
        **os.environ,
        "PGDATABASE_NAME": connection.settings_dict["NAME"],
        "DJANGO_DEBUG": "1",
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--queue-name", "imports,default"]
        + ["--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    run.refresh_from_db()
    assert run.status == ImportRun.Status.VALIDATED, (run.error, result.stdout, result.stderr)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # Validation changes no point: nothing is applied before someone asks.
    assert not ServicePoint.objects.filter(data_source=ontario_source).exists()
