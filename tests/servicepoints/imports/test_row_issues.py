"""Rows with bad values are reported row by row; they never stop the validation."""

import pytest

from servicepoints.imports import pipeline
from servicepoints.models import DataSource

pytestmark = pytest.mark.django_db


def test_value_errors_and_duplicate_ids_are_reported(tmp_path, serviceontario):
    path = tmp_path / "offices.csv"
    # Ottawa City Hall twice (same id), then a phone and a date that are not ones.
    path.write_text(
        "external_id,name_en,organization,latitude,longitude,postal_code,phone,last_verified\n"
        "ON-1,Ottawa,serviceontario,45.4215,-75.6972,K1P 1J1,,\n"
        "ON-1,Ottawa again,serviceontario,45.4215,-75.6972,K1P 1J1,,\n"
        "ON-2,Ottawa east,serviceontario,45.43,-75.66,K1N 5T5,call us,last week\n"
    )
    source = DataSource.objects.create(name="on-offices", title="Ontario offices")
    run = pipeline.validate_run(pipeline.create_run(path, data_source=source))
    assert run.status == "invalid", run.error
    found = {(issue.row, issue.code, issue.value) for issue in pipeline.issues_of(run)}
    assert {
        (3, "duplicate_id", "ON-1"),
        (4, "invalid_phone", "call us"),
        (4, "invalid_date", "last week"),
    } <= found
    texts = [issue.text() for issue in pipeline.issues_of(run)]
    assert "The external id “ON-1” is also on row 2." in texts
