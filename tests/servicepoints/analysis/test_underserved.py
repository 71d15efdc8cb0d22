"""Underserved communities: beyond the distance, ranked by population × vulnerability rank."""

import csv
import io

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from openpyxl import load_workbook

from servicepoints.analysis.underserved import underserved
from servicepoints.filters import PointFilter
from servicepoints.layers.models import Area, AreaLevel, Indicator, IndicatorValue
from servicepoints.models import Jurisdiction, PopulatedPlace, ServicePoint

pytestmark = pytest.mark.django_db

URL = "/api/analysis/underserved/"
LAT = 45.4215


def csd(code, west, east, index):
    """A census subdivision of 2021 from `west` to `east` (degrees) with an index value."""
    box = Polygon.from_bbox((west, LAT - 0.5, east, LAT + 0.5))
    area = Area.objects.create(
        level=AreaLevel.objects.get(code="csd"), year=2021, code=code, name_en=f"CSD {code}",
        name_fr=f"SDR {code}", geometry=MultiPolygon(box, srid=4326), province_code="35",
    )  # fmt: skip
    IndicatorValue.objects.create(
        area=area, indicator=Indicator.objects.get(code="digital_vulnerability_index"),
        year=2021, value=index, status="" if index is not None else "..",
    )  # fmt: skip


def place(name, lon, people, province):
    PopulatedPlace.objects.create(
        name=name, province=province, location=Point(lon, LAT, srid=4326),
        population=people, gazetteer="test", external_id=name,
    )  # fmt: skip


@pytest.fixture
def communities(ontario_point, ontario):
    """East of the Ottawa point: a near town, then three far CSDs of rising vulnerability
    (one without an index), each with a community; one community without a population."""
    csd("3501", -75.9, -75.0, -1.0)  # holds Ottawa and "Near"
    csd("3502", -75.0, -74.5, 0.2)  # least vulnerable of the far ones
    csd("3503", -74.5, -74.0, 1.5)  # most vulnerable
    csd("3504", -74.0, -73.5, None)  # no index
    place("Near", -75.6, 5000, ontario)  # 8 km: covered
    place("Big", -74.7, 1000, ontario)  # ~78 km, rank 2/3
    place("Small", -74.3, 600, ontario)  # ~109 km, rank 1
    place("Unknown", -74.2, None, ontario)  # in 3503, no population
    place("Unindexed", -73.8, 9000, ontario)  # in 3504: no index


def params(**given):
    form = PointFilter(given)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_communities_beyond_the_distance_ranked_by_population_times_vulnerability(communities):
    result = underserved(params(), within_km=50)
    names = [c.name for c in result.communities]
    # Big: 1000 × 2/3 ≈ 667 (the rank among the 3 areas with an index); Small: 600 × 1.
    assert names[:2] == ["Big", "Small"]
    big, small = result.communities[:2]
    assert big.score == pytest.approx(1000 * 2 / 3, abs=0.1) and big.rank == 1
    assert small.score == pytest.approx(600.0) and small.vulnerability_rank == 1.0
    assert small.area_code == "3503" and small.vulnerability == 1.5
    assert big.nearest_point == "ServiceOntario Ottawa City Hall"
    assert 75 < big.distance_km < 82
    # Not scored, listed after, never 0: no population, or an area without an index.
    assert set(names[2:]) == {"Unknown", "Unindexed"}
    assert all(c.score is None and c.rank is None for c in result.communities[2:])
    assert "Near" not in names
    assert (result.total, result.scored, result.without_index, result.without_population) == (
        4,
        2,
        1,
        1,
    )
    assert (result.index_level, result.index_year) == ("csd", 2021)


def test_a_wider_distance_leaves_fewer_and_a_limit_cuts_the_list(communities):
    assert [c.name for c in underserved(params(), within_km=90).communities] == [
        "Small",
        "Unindexed",  # unscored: the most populous first
        "Unknown",
    ]
    shortened = underserved(params(), within_km=50, limit=1)
    assert [c.name for c in shortened.communities] == ["Big"] and shortened.total == 4


def test_without_selected_points_every_community_is_far(communities, service_canada):
    result = underserved(params(organization=["service-canada"]), within_km=50)
    assert result.points == 0 and result.total == 5
    assert all(c.distance_km is None for c in result.communities)


def test_the_api_json_csv_and_xlsx(client, analyst, communities):
    client.force_login(analyst)
    data = client.get(URL, {"within": "50", "limit": "3"}).json()
    assert [c["name"] for c in data["communities"]][:2] == ["Big", "Small"]
    assert data["method"] == "straight-line distance on the sphere" and data["total"] == 4
    response = client.get(URL, {"within": "50", "format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="underserved-50km-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][1] == "Community" and rows[1][1] == "Big"
    assert {row[1]: row[12] for row in rows[1:]}["Unindexed"] == "not available"
    response = client.get(URL, {"within": "50", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == "Big"
    assert sheet.cell(row=3, column=13).value == pytest.approx(600.0)


def test_the_api_refuses_bad_parameters_in_both_languages(client, analyst, communities):
    client.force_login(analyst)
    response = client.get(URL, {"within": "far", "limit": "0", "index_level": "zz"})
    assert response.status_code == 400
    errors = response.json()["parameters"]
    assert set(errors) == {"within", "limit", "index_level"}
    assert "kilometres" in errors["within"][0]
    french = client.get(URL, {"within": "far"}, HTTP_ACCEPT_LANGUAGE="fr").json()["parameters"]
    assert "kilomètres" in french["within"][0]


def test_the_api_needs_a_signed_in_user(client):
    assert client.get(URL).status_code == 401


def test_staff_count_only_the_points_they_may_read(
    client, communities, analyst, new_brunswick_editor, ontario_point
):
    # A second ServiceOntario point, at "Big": analysts see it, so Big is covered for them;
    # New Brunswick's staff see no Ontario point, so for them Big is still far from service.
    ontario_point.pk = None
    ontario_point.location = Point(-74.7, LAT, srid=4326)
    ontario_point.save()
    client.force_login(analyst)
    assert "Big" not in [c["name"] for c in client.get(URL).json()["communities"]]
    client.force_login(new_brunswick_editor)
    data = client.get(URL).json()
    assert data["points"] == 0 and "Big" in [c["name"] for c in data["communities"]]


def test_the_coverage_command_lists_them(communities, capsys):
    import json

    from django.core.management import CommandError, call_command

    # The coverage figures need population by area: give the CSDs theirs.
    for area in Area.objects.filter(level__code="csd"):
        IndicatorValue.objects.create(
            area=area, indicator=Indicator.objects.get(code="population"), year=2021, value=100
        )
    call_command("coverage", "--underserved", "2", "--json")
    listed = json.loads(capsys.readouterr().out)["underserved"]
    assert [c["name"] for c in listed["communities"]] == ["Big", "Small"]
    call_command("coverage", "--underserved", "1")
    text = capsys.readouterr().out
    assert "scored of 4" in text and "1 | Big (ON) | 1,000 |" in text
    with pytest.raises(CommandError, match="--underserved is between"):
        call_command("coverage", "--underserved", "-1")


def test_the_nearest_point_is_the_nearest_on_the_sphere_not_in_degrees(service_canada):
    """At 70° N a degree of longitude is a third of a degree of latitude: the point 1° east
    (38 km) is nearer than the one 0.6° north (67 km), though farther in degrees."""
    nunavut = Jurisdiction.objects.get(code="NU")
    place("Arctic", -90.0, 800, nunavut)
    PopulatedPlace.objects.filter(name="Arctic").update(location=Point(-90.0, 70.0, srid=4326))
    for name, lon, lat in (("East", -89.0, 70.0), ("North", -90.0, 70.6)):
        ServicePoint.objects.create(
            name_en=name, name_fr=name, organization=service_canada, province=nunavut,
            location=Point(lon, lat, srid=4326),
        )  # fmt: skip
    (community,) = underserved(params(), within_km=10).communities
    assert community.nearest_point == "East"
    assert community.distance_km == pytest.approx(38.0, abs=0.2)
    assert underserved(params(), within_km=40).communities == []
