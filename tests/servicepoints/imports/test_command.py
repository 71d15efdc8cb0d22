"""`manage.py import_servicepoints`: the same pipeline, its report, its exit status."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from servicepoints.models import ImportRun, ServicePoint

from .conftest import ontario_row, snapshot

pytestmark = pytest.mark.django_db


def run_command(*args, **options):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_servicepoints", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_dry_run_reports_and_changes_nothing(write_csv, source, serviceontario):
    path = write_csv([ontario_row(1), ontario_row(2)])
    before = snapshot()
    out, err = run_command(str(path), "--source", source.name, "--dry-run")
    assert "Rows: 2; errors: 0; warnings: 0. New: 2, changed: 0, unchanged: 0" in out
    assert "Dry run: nothing was changed." in out
    assert "100%" in err, "a progress line"
    assert snapshot() == before
    assert not ImportRun.objects.exists(), "a dry run leaves no run behind"


def test_apply_then_nothing_changed(write_csv, source, serviceontario):
    path = write_csv([ontario_row(1), ontario_row(2)])
    out, _err = run_command(str(path), "--source", source.name)
    assert "2 created, 0 updated, 0 closed" in out
    assert ServicePoint.objects.filter(data_source=source).count() == 2
    out, _err = run_command(str(path), "--source", source.name)
    assert "unchanged: 2" in out and "0 created, 0 updated, 0 closed" in out


def test_errors_exit_non_zero_and_apply_nothing(write_csv, source, serviceontario, tmp_path):
    path = write_csv([ontario_row(1), ontario_row(2, phone="call us")])
    before = snapshot()
    report = tmp_path / "report.csv"
    with pytest.raises(SystemExit) as exit_:
        run_command(str(path), "--source", source.name, "--report", str(report))
    assert exit_.value.code == 1
    assert snapshot() == before
    assert "points.csv,3,phone,call us,error," in report.read_text(encoding="utf-8-sig")


def test_mapping_and_defaults_from_the_command_line(write_csv, source, serviceontario):
    path = write_csv([{"code": "A-1", "titre": "Bureau", "lat": "45.42", "lon": "-75.69"}])
    out, _err = run_command(
        str(path),
        "--source",
        source.name,
        "--map",
        "external_id=code",
        "--map",
        "name_en=titre",
        "--default",
        "organization=serviceontario",
        "--default",
        "province=ON",
    )
    point = ServicePoint.objects.get(external_id="A-1")
    assert point.name_en == point.name_fr == "Bureau" and point.province.code == "ON"


def test_french_report(write_csv, source, serviceontario):
    from io import StringIO

    path = write_csv([ontario_row(1, phone="call us")])
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import_servicepoints",
            str(path),
            "--source",
            source.name,
            "--language",
            "fr",
            "--dry-run",
            stdout=out,
            stderr=StringIO(),
        )
    text = out.getvalue()
    assert "erreur : points.csv, ligne 2, phone : « call us » n’est pas un numéro" in text
    assert "Lignes : 1; erreurs : 1; avertissements : 0." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "nope"], "No data source named “nope”"),
        (["--source", "serviceontario-file", "--jurisdiction", "ZZ"], "No jurisdiction"),
        (["--source", "serviceontario-file", "--map", "colour=red"], "FIELD=VALUE"),
        (["--source", "serviceontario-file", "--user", "nobody"], "No user"),
    ],
)
def test_bad_arguments_are_clear(write_csv, source, args, message):
    path = write_csv([ontario_row(1)])
    with pytest.raises(CommandError, match=message):
        run_command(str(path), *args)


def test_create_source_when_missing(write_csv, serviceontario):
    from servicepoints.models import DataSource

    path = write_csv([ontario_row(1)])
    out, _err = run_command(
        str(path), "--source", "so-offices", "--create-source", "ServiceOntario offices"
    )
    assert "Data source “so-offices” created." in out
    source = DataSource.objects.get(name="so-offices")
    assert source.title == "ServiceOntario offices"
    assert ServicePoint.objects.filter(data_source=source).count() == 1
    with pytest.raises(CommandError, match="Enter a valid"):
        run_command(str(path), "--source", "not a slug", "--create-source", "Bad")
    with pytest.raises(CommandError, match="dry run does not create"):
        run_command(str(path), "--source", "new-one", "--create-source", "New", "--dry-run")
    assert not DataSource.objects.filter(name="new-one").exists()
