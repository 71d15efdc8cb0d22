"""Coverage by road: the network import and pgRouting's distances on a small generated one.

The network: two north-south roads 0.1° of longitude apart (about 7.8 km at Ottawa's
latitude), one on each bank of a river, joined by a single bridge at 45.50°N, every road cut
into 0.01° segments; and a road of its own far east, joined to nothing."""

import json

import pytest
from django.core.management import CommandError, call_command

from servicepoints.analysis.coverage import coverage
from servicepoints.analysis.models import RoadNetwork, RoadSegment
from servicepoints.analysis.roads import RoadsUnavailable, import_roads, road_coverage
from servicepoints.filters import PointFilter

from .test_coverage import fsa

pytestmark = pytest.mark.django_db

WEST, EAST, LAT = -75.70, -75.60, 45.4215


def chain(lon_from, lat_from, lon_to, lat_to, steps):
    """A road from one end to the other as `steps` segments."""
    points = [
        (lon_from + (lon_to - lon_from) * i / steps, lat_from + (lat_to - lat_from) * i / steps)
        for i in range(steps + 1)
    ]
    return [[list(a), list(b)] for a, b in zip(points, points[1:], strict=False)]


def network(tmp_path, *, extra=()):
    lines = chain(WEST, 45.40, WEST, 45.50, 10) + chain(EAST, 45.40, EAST, 45.50, 10)
    lines += chain(WEST, 45.50, EAST, 45.50, 5)  # the bridge
    lines += chain(-74.0, 45.40, -74.0, 45.45, 5)  # far away, joined to nothing
    features = [
        {
            "type": "Feature",
            "properties": {"n": i},
            "geometry": {"type": "LineString", "coordinates": c},
        }
        for i, c in enumerate(lines)
    ] + list(extra)
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def params(**given):
    form = PointFilter(given)
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.fixture
def demand():
    # A point on the west bank (the Ottawa point of the fixtures, at -75.6972, 45.4215).
    fsa("K1P", WEST + 0.001, LAT, 100)  # beside it
    fsa("K1E", EAST - 0.001, LAT, 30)  # across the river: 7.8 km straight, ~25 km by road
    fsa("K0Z", -74.0, 45.42, 5)  # on the far road: unreachable by road


def test_the_import_builds_the_network_and_a_reimport_changes_nothing(tmp_path):
    path = network(tmp_path)
    result = import_roads(path)
    assert not result.refused, result.issues
    assert result.segments == 30 and RoadSegment.objects.count() == 30
    # 11 + 11 junctions on the banks, the bridge's 4 inner ones, 6 on the far road.
    assert result.nodes == 32
    assert 7.7 * 1 + 2 * 11.1 < result.length_km < 7.9 + 2 * 11.2 + 5.6
    again = import_roads(path)
    assert again.unchanged and RoadNetwork.objects.count() == 1


def test_a_file_without_lines_is_refused_and_changes_nothing(tmp_path):
    import_roads(network(tmp_path))
    before = RoadSegment.objects.count()
    bad = tmp_path / "bad.geojson"
    point = {"type": "Point", "coordinates": [-75.7, 45.4]}
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": point}]}))  # fmt: skip
    result = import_roads(bad)
    assert result.refused
    texts = [issue.text() for issue in result.issues]
    assert any("bad.geojson, feature" in t and "lines only" in t for t in texts), texts
    assert RoadSegment.objects.count() == before
    assert RoadNetwork.objects.get().name == "roads.geojson"


def test_by_road_the_river_puts_the_far_bank_beyond_10_km(tmp_path, demand, ontario_point):
    import_roads(network(tmp_path))
    straight = coverage(params(), within_km=10)
    assert straight.national.covered == 130  # both banks within 10 km in a straight line
    by_road = road_coverage(params(), within_km=10)
    assert by_road.method == "road distance (pgRouting)"
    assert by_road.national.covered == 100
    assert by_road.national.bands["25"] == 100  # ~25.6 km round by the bridge
    assert by_road.national.bands["50"] == 130
    # The far road is joined to nothing: no distance, beyond every band, still counted.
    assert by_road.national.bands["100"] == 130 and by_road.national.population == 135


def test_without_a_network_the_command_says_how_to_load_one(demand, ontario_point):
    with pytest.raises(RoadsUnavailable):
        road_coverage(params())
    with pytest.raises(CommandError, match="import_roads"):
        call_command("coverage", "--by-road")


def test_the_commands(tmp_path, demand, ontario_point, capsys):
    call_command("import_roads", str(network(tmp_path)))
    assert "30 road segments" in capsys.readouterr().out
    call_command("coverage", "--by-road", "--within", "10", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "road distance (pgRouting)"
    assert data["national"]["covered"] == 100
    with pytest.raises(CommandError, match="missing.geojson"):
        call_command("import_roads", str(tmp_path / "missing.geojson"))
