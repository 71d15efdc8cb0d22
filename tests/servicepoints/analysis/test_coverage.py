"""Coverage: population by straight-line distance to the nearest selected point."""

import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.management import CommandError, call_command
from django.utils import translation

from servicepoints.analysis.coverage import coverage
from servicepoints.filters import PointFilter
from servicepoints.layers.models import Area, AreaLevel, Indicator, IndicatorValue
from servicepoints.models import Kind, ServicePoint, Status

pytestmark = pytest.mark.django_db


def fsa(code, lon, lat, population, province="35"):
    box = Polygon.from_bbox((lon - 0.005, lat - 0.005, lon + 0.005, lat + 0.005))
    area = Area.objects.create(
        level=AreaLevel.objects.get(code="fsa"), year=2016, code=code, name_en=code,
        name_fr=code, geometry=MultiPolygon(box, srid=4326), province_code=province,
    )  # fmt: skip
    status = "" if population is not None else "x"
    IndicatorValue.objects.create(
        area=area, indicator=Indicator.objects.get(code="population"), year=2016,
        value=population, status=status,
    )  # fmt: skip
    return area


@pytest.fixture
def demand():
    """Ottawa (at the point), ~31 km and ~80 km east of it, one suppressed, one in NB."""
    fsa("K1P", -75.6972, 45.4215, 1000)
    fsa("K0A", -75.30, 45.4215, 200)
    fsa("K0B", -74.67, 45.4215, 30)
    fsa("K0C", -74.90, 45.4215, None)
    fsa("E3B", -66.6431, 45.9636, 4000, province="13")


def params(**given):
    form = PointFilter({name: value for name, value in given.items()})
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_population_by_band_nationally_and_by_province(demand, ontario_point, new_brunswick_point):
    result = coverage(params(), within_km=50)
    assert (result.level, result.year, result.points) == ("fsa", 2016, 2)
    national = result.national
    assert national.population == 5230 and national.covered == 5200
    assert national.bands == {"10": 5000, "25": 5000, "50": 5200, "100": 5230}
    assert national.share == pytest.approx(100 * 5200 / 5230, abs=0.01)
    assert national.areas_without_population == 1  # suppressed: reported, not counted as 0
    by_code = {reach.code: reach for reach in result.provinces}
    assert by_code["35"].name == "Ontario" and by_code["35"].covered == 1200
    assert by_code["13"].share == 100.0
    with translation.override("fr"):
        assert coverage(params()).provinces[0].name == "Nouveau-Brunswick"


def test_the_map_filters_choose_the_points(demand, ontario_point, new_brunswick_point):
    result = coverage(params(organization=["serviceontario"]))
    assert result.points == 1
    assert {r.code: r.covered for r in result.provinces} == {"13": 0, "35": 1200}


def test_closed_and_remote_channels_do_not_cover_anyone(
    demand, ontario_point, serviceontario, ontario
):
    ontario_point.status = Status.CLOSED
    ontario_point.save()
    ServicePoint.objects.create(
        name_en="Call centre", name_fr="Centre d'appels", organization=serviceontario,
        kind=Kind.CALL_CENTRE, location=Point(-75.30, 45.4215, srid=4326), province=ontario,
    )  # fmt: skip
    assert coverage(params()).national.covered == 0
    # Asked for by status, closed points count (to see what closing them changed).
    assert coverage(params(status=["closed"])).national.covered == 1200


def test_the_command_prints_the_figures_and_json(demand, ontario_point, capsys):
    call_command("coverage", "--within", "25", "--standard", "service-canada-50km")
    out = capsys.readouterr().out
    assert "straight-line distance on the sphere" in out
    assert "Canada | 5,230 | 1,000 | 19.1 % ✗" in out
    assert "Not counted: 1 areas without a population value" in out
    call_command("coverage", "--json", "--organization", "serviceontario")
    data = json.loads(capsys.readouterr().out)
    assert data["within_km"] == 50 and data["national"]["covered"] == 1200
    assert {p["code"]: p["share"] for p in data["provinces"]} == {"13": 0.0, "35": 97.56}


def test_the_command_refuses_bad_options(demand):
    with pytest.raises(CommandError, match="--kind: "):
        call_command("coverage", "--kind", "nonsense")
    with pytest.raises(CommandError, match="not a distance"):
        call_command("coverage", "--within", "far")
    with pytest.raises(CommandError, match="No coverage standard “nope”"):
        call_command("coverage", "--standard", "nope")


def test_without_population_the_command_says_what_to_load(ontario_point):
    with pytest.raises(CommandError, match="import_indicators"):
        call_command("coverage")


@pytest.mark.parametrize("bands", [(10, 25, 50, 100), ()], ids=["nearest", "within-only"])
def test_the_distance_is_the_one_on_the_sphere_within_one_percent_either_side_of_50_km(
    ontario_point, bands
):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p::geometry), ST_Y(p::geometry) FROM (SELECT ST_Project("
            "ST_SetSRID(ST_MakePoint(-75.6972, 45.4215), 4326)::geography, d, radians(a)) p"
            " FROM (VALUES (49500, 10), (50500, 200)) v(d, a)) q"
        )
        inside, outside = cursor.fetchall()
    for code, (lon, lat), people in (("K1A", inside, 7), ("K1B", outside, 11)):
        area = fsa(code, lon, lat, people)
        box = Polygon.from_bbox((lon - 1e-5, lat - 1e-5, lon + 1e-5, lat + 1e-5))
        area.geometry = MultiPolygon(box, srid=4326)
        area.save()
    result = coverage(params(), within_km=50, bands=bands)
    assert result.national.covered == 7 and result.national.population == 18


def test_populated_places_beyond_the_distance_most_populous_first(
    demand, ontario_point, ontario, capsys
):
    from servicepoints.models import PopulatedPlace

    for name, lon, people in (("Near", -75.70, 900), ("Far", -74.67, 50), ("Farther", -73.9, 5)):
        PopulatedPlace.objects.create(
            name=name, province=ontario, location=Point(lon, 45.4215, srid=4326),
            population=people, gazetteer="test", external_id=name,
        )  # fmt: skip
    call_command("coverage", "--places", "5", "--json")
    far = json.loads(capsys.readouterr().out)["places_beyond"]
    assert [place["name"] for place in far] == ["Far", "Farther"]
    assert far[0]["nearest_point"] == "ServiceOntario Ottawa City Hall"
    assert 75 < far[0]["distance_km"] < 85
    with pytest.raises(CommandError, match="--places is between"):
        call_command("coverage", "--places", "5000")


def test_one_distance_alone_gives_the_figures_of_the_bands(
    demand, ontario_point, new_brunswick_point, serviceontario, ontario
):
    # Without bands only "a point within 50 km?" is asked: the same covered population,
    # nationally and by province, the same filters and channels.
    ServicePoint.objects.create(
        name_en="Call centre", name_fr="Centre d'appels", organization=serviceontario,
        kind=Kind.CALL_CENTRE, location=Point(-74.67, 45.4215, srid=4326), province=ontario,
    )  # fmt: skip
    for given in ({}, {"organization": ["serviceontario"]}):
        full = coverage(params(**given), within_km=50)
        alone = coverage(params(**given), within_km=50, bands=())
        assert alone.bands == (50.0,) and alone.points == full.points
        assert alone.national.covered == full.national.covered
        assert alone.national.areas_without_population == 1
        assert {r.code: r.covered for r in alone.provinces} == {
            r.code: r.covered for r in full.provinces
        }
    assert coverage(params(), within_km=50, bands=()).national.covered == 5200
