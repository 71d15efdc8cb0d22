"""`diff.diff_page`: the preview's rows, with each changed field's value before and after."""

import pytest

from servicepoints.imports import diff, pipeline
from servicepoints.models import DataSource

pytestmark = pytest.mark.django_db

CSV = (
    "external_id,name_en,organization,latitude,longitude,postal_code\n"
    "ON-1,{name},serviceontario,45.4215,-75.6972,K1P 1J1\n"  # Ottawa City Hall
)


def validated(tmp_path, source, name):
    path = tmp_path / "offices.csv"
    path.write_text(CSV.format(name=name))
    run = pipeline.validate_run(pipeline.create_run(path, data_source=source))
    assert run.status == "validated", run.report
    return run


def test_changed_rows_carry_values_before_and_after(tmp_path, serviceontario):
    source = DataSource.objects.create(name="on-offices", title="Ontario offices")
    pipeline.apply_run(validated(tmp_path, source, "ServiceOntario Ottawa"))
    run = validated(tmp_path, source, "ServiceOntario Ottawa City Hall")
    [row] = diff.diff_page(run, "changed")
    assert row["name"] == "ServiceOntario Ottawa City Hall"
    assert row["changes"] == [
        ("name_en", "ServiceOntario Ottawa", "ServiceOntario Ottawa City Hall")
    ]
    [new] = diff.diff_page(
        validated(tmp_path, DataSource.objects.create(name="x", title="X"), "A"), "new"
    )
    assert new["external_id"] == "ON-1" and new["changes"] == []
