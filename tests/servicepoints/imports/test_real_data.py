"""Files no one here wrote (../shared/data, see its README), imported end to end."""

import pytest
from django.contrib.gis.gdal import DataSource as OGRDataSource
from django.contrib.gis.geos import GEOSGeometry
from django.core.management import call_command

from servicepoints.imports import pipeline
from servicepoints.models import (
    DataSource,
    ImportRun,
    Jurisdiction,
    LocationPrecision,
    Organization,
    PostalArea,
    ServicePoint,
)
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db

# Points may sit this far outside the generalised outlines (coasts, the Yukon-Alaska border).
OUTLINE_MARGIN_DEGREES = 0.1
PROVINCE_NAMES = {"Yukon Territory": "YT"}


@pytest.fixture
def postal_areas():
    call_command("load_postal_areas", str(shared_file("canada_fsa_centroids.csv")))
    return PostalArea.objects.count()


@pytest.fixture
def province_outlines():
    """{code: MultiPolygon} from canada_provinces.geojson."""
    layer = OGRDataSource(str(shared_file("canada_provinces.geojson")))[0]
    names = {p.name_en: p.code for p in Jurisdiction.objects.provinces_and_territories()}
    names.update(PROVINCE_NAMES)
    return {
        names[feature.get("name")]: GEOSGeometry(feature.geom.wkb, srid=4326) for feature in layer
    }


def test_service_canada_addresses_placed_at_postal_area_precision(
    postal_areas, province_outlines, service_canada, data_admin
):
    assert postal_areas == 1619
    source = DataSource.objects.create(name="service-canada-offices", title="Service Canada")
    run = pipeline.create_run(
        shared_file("service_canada_addresses_bc_ab_2024-02.csv"),
        data_source=source,
        user=data_admin,
        mapping={"external_id": "link", "name_en": "page-header"},
        defaults={"organization": "service-canada"},
    )
    pipeline.validate_run(run)
    assert run.status == ImportRun.Status.VALIDATED, pipeline.issues_of(run)[:3]
    assert run.mapping["street_address"] == "address" and run.mapping["province"] == "region"
    assert run.counts["rows"] == 113 and run.counts["errors"] == 0
    placed = [i for i in pipeline.issues_of(run) if i.code == "placed_at_postal_area"]
    assert len(placed) == 113, "every row says its location is only the postal area's"
    assert {issue.column for issue in placed} == {"address"}, "where the postal code was read"
    pipeline.apply_run(run, data_admin)
    points = ServicePoint.objects.filter(data_source=source).select_related("province")
    assert points.count() == 113
    assert {p.location_precision for p in points} == {LocationPrecision.POSTAL_AREA}
    assert {p.province.code for p in points} == {"BC", "AB"}
    abbotsford = points.get(name_en="Abbotsford Service Canada Centre")
    assert abbotsford.postal_code == "V2T 6T6" and abbotsford.community == "Abbotsford"
    assert abbotsford.street_address.startswith("32525 Simon Avenue, Suite 100\n")
    assert abbotsford.location.equals_exact(PostalArea.objects.get(code="V2T").location, 1e-9)
    for point in points:
        outline = province_outlines[point.province.code]
        assert outline.distance(point.location) <= OUTLINE_MARGIN_DEGREES, point


def test_dfrp_buildings_rows_abroad_and_protected_are_reported_not_crashed_on(
    data_admin, province_outlines
):
    pspc = Organization.objects.create(
        code="pspc",
        name_en="Public Services and Procurement Canada",
        name_fr="Services publics et Approvisionnement Canada",
        jurisdiction=Jurisdiction.objects.get(code="CA"),
    )
    source = DataSource.objects.create(name="dfrp", title="Directory of Federal Real Property")
    run = pipeline.create_run(
        shared_file("dfrp_office_buildings_2023-01.csv"),
        data_source=source,
        user=data_admin,
        mapping={"organization": ""},  # custodians are not organizations here
        defaults={"organization": pspc.code},
    )
    pipeline.validate_run(run)
    issues = pipeline.issues_of(run)
    assert run.status == ImportRun.Status.VALIDATED, [i.text() for i in issues if i.is_error]
    assert run.mapping["external_id"] == "Structure Number (TEXT data)"
    assert run.mapping["name_en"] == "Structure Name"
    assert run.mapping["latitude"] == "Latitude" and run.mapping["community"] == "Municipality"
    abroad = [i for i in issues if i.code == "abroad"]
    withheld = [i for i in issues if i.code == "location_withheld"]
    assert len(abroad) == 72
    assert len(withheld) == 7, "36 rows are protected, 29 of them abroad"
    assert run.counts["rows"] == 2227
    assert run.counts["skipped"] == 79 and run.counts["valid"] == 2148
    pipeline.apply_run(run, data_admin)
    assert ServicePoint.objects.filter(data_source=source).count() == 2148
    points = list(ServicePoint.objects.filter(data_source=source).select_related("province"))
    # The Little Gold Creek border-crossing rows sit just west of -141 and are kept.
    assert len([p for p in points if p.location.x < -141]) == 5
    # Small islands (Ramea, NL; Grand Manan, NB) are missing from the generalised outlines:
    # a few points sit off them, none far.
    distances = sorted(
        province_outlines[point.province.code].distance(point.location) for point in points
    )
    assert distances[-1] < 0.5, distances[-5:]
    assert sum(distance > 0.05 for distance in distances) <= 20
