"""Staging writes every value exactly as validated, whatever characters it holds: the COPY
lines are built without escaping and checked, and a chunk that needs escaping is escaped."""

import datetime

import pytest

from servicepoints.imports import diff
from servicepoints.imports.validate import Record
from servicepoints.models import ImportRow, ImportRun

pytestmark = pytest.mark.django_db

# Values that COPY's text format would misread unescaped (tab, line ends, backslash, the NULL
# marker) and a text that looks like Python's None.
AWKWARD = ["Tab\there", "two\nlines", "carriage\rreturn", "back\\slash", "\\N", "None"]


def record(line, ontario, **values):
    return Record(
        **{
            "line": line,
            "external_id": f"SO-{line}",
            "organization_id": 1,
            "kind": "centre",
            "status": "open",
            "name_en": f"ServiceOntario Ottawa {line}",
            "name_fr": f"ServiceOntario Ottawa {line}",
            "lon": -75.6972,
            "lat": 45.4215 + line * 0.01,
            "location_precision": "exact",
            "province_id": ontario.pk,
            "languages": ["en", "fr"],
            "opening_hours": "Mo-Fr 08:30-17:00; PH off",
            "timezone": "America/Toronto",
            "fingerprint": f"{line:032d}",
            **values,
        }
    )


@pytest.fixture
def import_run(source):
    return ImportRun.objects.create(data_source=source, file_name="points.csv", checksum="0")


def staged(import_run):
    return {row["line"]: row for row in ImportRow.objects.filter(run=import_run).values()}


def test_plain_rows_are_written_as_the_escaping_would_write_them(ontario):
    records = [record(line, ontario, service_ids=[3, 1]) for line in range(2, 12)]
    unescaped = diff._copy_text(7, records, {})
    assert unescaped == "".join(diff._escaped_line(7, r) for r in records)


def test_awkward_values_are_staged_exactly(import_run, ontario):
    records = [record(2, ontario, last_verified=datetime.date(2026, 11, 30))]
    for line, text in enumerate(AWKWARD, start=3):
        records.append(record(line, ontario, name_fr=text, community=text, phone=text))
    diff.stage(import_run, records)
    rows = staged(import_run)
    assert rows[2]["last_verified"] == datetime.date(2026, 11, 30)
    assert rows[2]["languages"] == ["en", "fr"]
    for line, text in enumerate(AWKWARD, start=3):
        assert (rows[line]["name_fr"], rows[line]["community"], rows[line]["phone"]) == (
            text,
            text,
            text,
        )
        assert rows[line]["last_verified"] is None
        assert rows[line]["name_en"] == f"ServiceOntario Ottawa {line}"


def test_a_chunk_with_an_awkward_value_keeps_its_other_rows(import_run, ontario, monkeypatch):
    monkeypatch.setattr(diff, "CHUNK", 3)
    records = [record(line, ontario) for line in range(2, 10)]
    records[4].street_address = "Suite 5\\6"
    diff.stage(import_run, records)
    rows = staged(import_run)
    assert sorted(rows) == list(range(2, 10))
    assert rows[6]["street_address"] == "Suite 5\\6"
    assert {rows[line]["street_address"] for line in rows if line != 6} == {""}
