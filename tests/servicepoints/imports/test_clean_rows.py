"""The column-wise reading of clean rows (`clean_rows`) agrees with `check_row`, the definition:
the same records, the same issues, on valid rows and on every way a row can go wrong."""

import csv
import dataclasses
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point

from servicepoints.imports import validate as validating
from servicepoints.imports.mapping import auto_mapping
from servicepoints.imports.readers import read_table
from servicepoints.models import PostalArea, Service

from .conftest import ontario_row

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus"


def variants():
    """Valid rows of every shape, and rows with one problem each (all near Ottawa)."""
    rows = [ontario_row(n) for n in range(1, 6)]
    changes = [
        {"postal code": ""},  # no postal code
        {"postal code": "", "address": "1 Main St\nOttawa, ON\nK1P 1J1"},  # read from address
        {"postal code": "H2X 1Y4"},  # Quebec's letter in Ontario
        {"province": ""},  # the province from the postal code
        {"province": "", "postal code": ""},  # the province from the location
        {"province": "Ontario"},
        {"province": "Atlantis"},
        {"organization": "nobody"},
        {"organization": "service-canada"},  # another jurisdiction
        {"kind": "kiosk"},
        {"kind": "ServiceOntario Centre"},
        {"status": "closed"},
        {"status": "shut"},
        {"phone": "call us"},
        {"phone": ""},
        {"hours": "whenever"},
        {"hours": ""},
        {"languages": "klingon"},
        {"languages": "fr"},
        {"languages": ""},
        {"services": "sin;passport"},
        {"services": "sin;unknown"},
        {"accessibility": "step_free"},
        {"accessibility": "moat"},
        {"verified": "2020-01-02"},
        {"verified": "2999-01-01"},
        {"verified": "yesterday"},
        {"website": "www.ontario.ca"},
        {"website": "ftp://x"},
        {"latitude": "46.5", "longitude": "-75.6972"},  # still Ontario
        {"latitude": "60.5"},  # outside Ontario
        {"latitude": "12"},  # outside Canada
        {"latitude": "-75.69", "longitude": "45.42"},  # swapped
        {"latitude": "", "longitude": ""},  # placed at the postal area
        {"latitude": "Protected", "longitude": "Protected"},
        {"latitude": "45.5", "longitude": ""},
        {"country": "France"},
        {"country": "Canada"},
        {"name": "", "nom": ""},
        {"name": "x" * 300},
        {"id": ""},
        {"id": "SO-1"},  # a duplicate id
        {"city": ""},
        {"address": "y" * 301},
    ]
    for number, change in enumerate(changes, start=10):
        rows.append(ontario_row(number, **change))
    return rows


@pytest.fixture
def vocabulary(serviceontario, service_canada, ontario):
    Service.objects.create(code="sin", name_en="Social Insurance Number", name_fr="NAS")
    Service.objects.create(code="passport", name_en="Passports", name_fr="Passeports")
    PostalArea.objects.create(code="K1P", province=ontario, location=Point(-75.70, 45.42))


def both_ways(monkeypatch, table, mapping, defaults=None, values=None):
    """(records, issues) read column-wise where possible, and row by row only."""
    results = []
    for column_wise in (True, False):
        with monkeypatch.context() as patch:
            if not column_wise:
                patch.setattr(validating, "clean_records", lambda *args: {})
            validation = validating.validate(table, mapping, defaults, values=values)
        results.append(
            (
                [dataclasses.asdict(record) for record in validation.records],
                [issue.as_dict() for issue in validation.issues],
                dict(validation.placed),
            )
        )
    return results


def write(tmp_path, rows):
    path = tmp_path / "points.csv"
    headers = list(rows[0])
    headers += ["services", "accessibility", "verified", "website", "country", "kind", "status"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return read_table(path, name=path.name)


def test_valid_and_faulty_rows_give_the_same_records_and_issues(monkeypatch, tmp_path, vocabulary):
    table = write(tmp_path, variants())
    mapping = auto_mapping(table.headers)
    (records, issues, placed), (expected_records, expected_issues, expected_placed) = both_ways(
        monkeypatch, table, mapping
    )
    assert len(expected_records) > 20 and len(expected_issues) > 25, "the rows cover both"
    assert records == expected_records
    assert issues == expected_issues
    assert placed == expected_placed


@pytest.mark.parametrize(
    ("defaults", "values"),
    [
        ({"organization": "serviceontario", "kind": "outreach", "languages": "en"}, None),
        ({"province": "ON"}, {"kind": {"ServiceOntario Centre": "centre"}}),
        ({"kind": "kiosk"}, {"kind": {"ServiceOntario Centre": ""}, "services": {"sin": ""}}),
        (None, {"languages": {"klingon": "en;fr"}, "province": {"Atlantis": "ON"}}),
        ({"languages": "iu"}, {"languages": {"fr": ""}, "organization": {"nobody": ""}}),
    ],
)
def test_defaults_and_value_mappings_read_the_same(
    monkeypatch, tmp_path, vocabulary, defaults, values
):
    table = write(tmp_path, variants())
    mapping = auto_mapping(table.headers)
    if defaults and "organization" in defaults:
        del mapping["organization"]
    column_wise, row_by_row = both_ways(monkeypatch, table, mapping, defaults, values)
    assert column_wise == row_by_row


@pytest.mark.parametrize(
    "name", ["other_jurisdiction.csv", "swapped_coordinates.csv", "extra_cells.csv"]
)
def test_corpus_files_read_the_same(monkeypatch, vocabulary, name):
    table = read_table(CORPUS / name, name=name)
    column_wise, row_by_row = both_ways(monkeypatch, table, auto_mapping(table.headers))
    assert column_wise == row_by_row
