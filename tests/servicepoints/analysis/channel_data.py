"""Fixtures of the channel statistics tests: a contact centre and small statistics files."""

import pytest
from django.contrib.gis.geos import Point

from servicepoints.models import Kind, ServicePoint

HEADER = "queue_group,month,year,calls_handled,avg_wait_minutes\n"
REAL_FILE = "serviceontario_contact_centre_wait_times_2016-2020.csv"


@pytest.fixture
def contact_centre(serviceontario, ontario):
    # ServiceOntario's contact centre, placed in Toronto (the demonstration data does the same).
    return ServicePoint.objects.create(
        name_en="ServiceOntario contact centre",
        name_fr="Centre de contact de ServiceOntario",
        organization=serviceontario,
        kind=Kind.CALL_CENTRE,
        location=Point(-79.3832, 43.6532, srid=4326),
        community="Toronto",
        province=ontario,
        external_id="so-contact-centre",
    )


def write(tmp_path, text, name="stats.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def monthly_rows(line, start_year, months, value):
    """CSV rows of `line` for `months` months from January of `start_year`, value(i) calls."""
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return "".join(
        f"{line},{names[i % 12]},{start_year + i // 12},{value(i)},1.5\n" for i in range(months)
    )
