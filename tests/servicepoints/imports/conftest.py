"""Fixtures for imports: uploaded files in a temporary media folder, a data source, CSV files."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from servicepoints.imports import pipeline
from servicepoints.models import DataSource, PostalArea, ServicePoint


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def source():
    return DataSource.objects.create(name="serviceontario-file", title="ServiceOntario locations")


@pytest.fixture
def write_csv(tmp_path):
    def write(rows, name="points.csv", headers=None):
        headers = headers or list(rows[0])
        path = tmp_path / name
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            for row in rows:
                writer.writerow([row.get(header, "") for header in headers])
        return path

    return write


def ontario_row(number, **changes):
    """A valid ServiceOntario row in Ottawa, `number` metres-ish east of City Hall."""
    row = {
        "id": f"SO-{number}",
        "name": f"ServiceOntario Ottawa {number}",
        "nom": f"ServiceOntario Ottawa {number}",
        "organization": "serviceontario",
        "address": f"{100 + number} Laurier Avenue West",
        "city": "Ottawa",
        "province": "ON",
        "postal code": "K1P 1J1",
        "phone": "613-555-0199",
        "latitude": f"{45.4215 + number * 0.01:.5f}",
        "longitude": "-75.6972",
        "hours": "Mo-Fr 08:30-17:00; PH off",
        "languages": "en;fr",
    }
    row.update(changes)
    return row


@pytest.fixture
def run_import(source, data_admin, serviceontario, write_csv):
    """Create, validate and (unless told otherwise) apply an import of these rows."""

    def run(rows, *, apply=True, user=data_admin, missing="keep", **options):
        path = write_csv(rows)
        import_run = pipeline.create_run(
            path, data_source=source, user=user, missing=missing, **options
        )
        pipeline.validate_run(import_run)
        if apply and import_run.status == "validated":
            pipeline.apply_run(import_run, user)
        import_run.refresh_from_db()
        return import_run

    return run


def snapshot():
    """Every service point, every column, with its services: to compare before and after."""
    return sorted(
        (
            {**values, "location": values["location"].wkt, "services": services}
            for values, services in (
                (
                    {k: v for k, v in point.__dict__.items() if not k.startswith("_")},
                    sorted(point.services.values_list("pk", flat=True)),
                )
                for point in ServicePoint.objects.all()
            )
        ),
        key=lambda values: values["id"],
    )


@pytest.fixture
def ottawa_postal_area(ontario):
    return PostalArea.objects.create(
        code="K1P", province=ontario, location=Point(-75.6995, 45.4205, srid=4326)
    )


# A province's location directory as it comes, and a gazetteer of its communities, written for
# the tests in the published layouts (see tests/servicepoints/imports/test_value_mapping.py).
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DIRECTORY = FIXTURES / "serviceontario_directory.csv"
GAZETTEER = FIXTURES / "geonames_ontario_CA.txt"


@pytest.fixture
def ontario_gazetteer(ontario):
    call_command("load_places", str(GAZETTEER), stdout=StringIO())


@pytest.fixture
def directory_source(serviceontario, ontario_gazetteer):
    return DataSource.objects.create(
        name="serviceontario-directory", title="ServiceOntario location directory"
    )
