"""Site suggestion: maximal covering and the minimum number of sites, solved exactly."""

import json

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command

from servicepoints.analysis import solver
from servicepoints.analysis.suggest import SuggestionError, suggest_sites
from servicepoints.filters import PointFilter
from servicepoints.models import Kind, PopulatedPlace, ServicePoint
from tests.servicepoints.analysis.test_coverage import fsa

pytestmark = pytest.mark.django_db

LON = -80.0  # a meridian through northern Ontario, far from the Ottawa point


@pytest.fixture
def line(ontario_point):
    """Four areas 0.6° (~67 km) apart along a meridian, three places between them (~33 km
    from their two neighbours, ~100 km from the others): with 50 km, A reaches d1 and d2,
    C reaches d2 and d3, B reaches d3 and d4. Greedy takes C (1,000 people) and then A or B
    (+400): 1,400; the optimum with two sites is A and B: 1,800."""
    for code, lat, people in (("P1A", 50.0, 400), ("P2A", 50.6, 500), ("P3A", 51.2, 500),
                              ("P4A", 51.8, 400)):  # fmt: skip
        fsa(code, LON, lat, people)
    return {
        name: place(name, lat, people)
        for name, lat, people in (("A", 50.3, 100), ("C", 50.9, 5000), ("B", 51.5, 5000))
    }


def place(name, lat, people):
    from servicepoints.models import Jurisdiction

    return PopulatedPlace.objects.create(
        name=name, province=Jurisdiction.objects.get(code="ON"), population=people,
        location=Point(LON, lat, srid=4326), gazetteer="test", external_id=name,
    )  # fmt: skip


def params(**given):
    form = PointFilter(given)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def names(answer):
    return [pick.candidate.name for pick in answer.picks]


def test_the_exact_optimum_where_greedy_is_wrong(line):
    answer = suggest_sites(params(), k=2, candidates="places").maximal_covering
    assert sorted(names(answer)) == ["A", "B"]
    assert [pick.gain for pick in answer.picks] == [900, 900]
    assert answer.total_gain == 1800 and answer.greedy_value == 1400
    assert answer.status == "optimal" and answer.optimality_gap == 0
    assert answer.lp_bound == pytest.approx(1800)
    assert answer.solver.startswith("HiGHS")
    assert (answer.national.share_before, answer.national.share_after) == (0, 100)
    assert answer.picks[-1].covered_after == 1800
    one = suggest_sites(params(), k=1, candidates="places").maximal_covering
    assert names(one) == ["C"] and one.total_gain == 1000


def test_demand_the_network_covers_already_does_not_count(line, serviceontario, ontario):
    ServicePoint.objects.create(
        name_en="At d3", name_fr="À d3", organization=serviceontario, province=ontario,
        location=Point(LON, 51.2, srid=4326),
    )  # fmt: skip
    result = suggest_sites(params(), k=1, candidates="places")
    answer = result.maximal_covering
    assert names(answer) == ["A"] and answer.total_gain == 900  # C would add only 500
    assert answer.national.covered_before == 500 and result.setting.uncovered_areas == 3
    assert result.setting.network_points == 2


def test_the_candidates_modes(line, serviceontario, service_canada, ontario):
    ServicePoint.objects.create(
        name_en="Service Canada at C", name_fr="Service Canada à C", province=ontario,
        organization=service_canada, location=Point(LON, 50.9, srid=4326),
    )  # fmt: skip
    ServicePoint.objects.create(  # not a place anyone is served at a counter
        name_en="Call centre", name_fr="Centre d'appels", province=ontario, kind=Kind.CALL_CENTRE,
        organization=service_canada, location=Point(LON, 51.5, srid=4326),
    )  # fmt: skip
    network = params(organization=["serviceontario"])
    points = suggest_sites(network, k=1, candidates="points")
    assert points.setting.candidates == 1
    assert names(points.maximal_covering) == ["Service Canada at C"]
    assert points.maximal_covering.picks[0].candidate.kind == "point"
    assert suggest_sites(network, k=1, candidates="places").setting.candidates == 3
    assert suggest_sites(network, k=1, candidates="both").setting.candidates == 4
    big = suggest_sites(network, k=2, candidates="places", min_population=1000)
    assert big.setting.candidates == 2 and sorted(names(big.maximal_covering)) == ["B", "C"]
    # Co-location looks at the other organizations' points only: none outside the network.
    with pytest.raises(SuggestionError, match="no_candidates"):
        suggest_sites(params(), k=1, candidates="points")


def test_the_minimum_number_of_sites_reaching_the_target(line):
    answer = suggest_sites(params(), k=0, candidates="places", minimum=90).minimum_sites
    assert answer.sites == 2 and sorted(names(answer)) == ["A", "B"]  # 1,620 of 1,800 needed
    assert answer.reachable and answer.status == "optimal" and answer.optimality_gap == 0
    assert suggest_sites(params(), k=0, candidates="places", minimum=50).minimum_sites.sites == 1
    short = suggest_sites(
        params(), k=0, candidates="places", min_population=1000, minimum=90
    ).minimum_sites
    assert not short.reachable and short.picks == []
    assert short.best_share_reachable == pytest.approx(100 * 1400 / 1800, abs=0.01)


def test_per_province_names_the_provinces_the_candidates_cannot_bring_up(line):
    fsa("E3B", -66.6431, 45.9636, 4000, province="13")  # nothing within reach in NB
    # 15 % of 5,800 people: C alone (1,000) is enough nationally.
    national = suggest_sites(params(), k=0, candidates="places", minimum=15).minimum_sites
    assert national.reachable and national.sites == 1
    answer = suggest_sites(
        params(), k=0, candidates="places", minimum=15, per_province=True
    ).minimum_sites
    assert not answer.reachable
    assert answer.unreachable_provinces == [{"code": "13", "name": "New Brunswick"}]


def test_the_command_prints_progress_on_stderr_and_the_json_on_stdout(line, capsys):
    call_command("suggest_sites", "--k", "2", "--candidates", "places", "--minimum", "--json")
    captured = capsys.readouterr()
    assert "coverage pairs (SQL)" in captured.err and "maximal covering (solver)" in captured.err
    data = json.loads(captured.out)
    assert data["schema_version"] == 1
    assert data["standard"]["code"] == "service-canada-50km"
    assert data["setting"]["within_km"] == 50 and data["setting"]["candidates"] == 3
    best = data["maximal_covering"]
    assert best["total_gain"] == 1800 and best["optimality_gap"] == 0
    assert [pick["rank"] for pick in best["picks"]] == [1, 2]
    assert set(best["picks"][0]["candidate"]) == {
        "kind", "id", "name", "province", "population", "lon", "lat"
    }  # fmt: skip
    assert data["minimum_sites"]["sites"] == 2
    assert set(data["setting"]["timings"]) >= {"demand_sql", "pairs_sql", "maximal_covering"}
    call_command("suggest_sites", "--k", "2", "--candidates", "places")
    out = capsys.readouterr().out
    assert "optimal (proved)" in out and "greedy 1,400" in out
    assert "Newly covered: 1,800 people; share covered 0.00 % → 100.00 % / 90 %." in out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--k", "0"], "--k: "),
        (["--k", "many"], "--k: "),
        (["--candidates", "anywhere"], "--candidates: "),
        (["--within", "far"], "--within: "),
        (["--min-population", "-5"], "--min-population: "),
        (["--time-limit", "0"], "--time-limit: "),
        (["--standard", "nope"], "No coverage standard “nope”"),
        (["--organization", "nonsense"], "--organization: "),
    ],
)
def test_the_command_refuses_bad_options(line, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("suggest_sites", *options)


def test_without_demand_or_candidates_the_command_says_why(ontario_point, capsys):
    with pytest.raises(CommandError, match="import_indicators"):
        call_command("suggest_sites")
    fsa("K0B", -74.67, 45.4215, 30)
    with pytest.raises(CommandError, match="No candidates"):
        call_command("suggest_sites", "--candidates", "points")


def test_greedy_is_a_stated_fallback_only():
    # Classes d1..d4 as in `line`; candidates A=0 (d1, d2), C=1 (d2, d3), B=2 (d3, d4).
    problem = solver.Problem(
        weights=np.array([400.0, 500, 500, 400]), province=np.zeros(4, dtype=int),
        pair_class=np.array([0, 1, 1, 2, 2, 3]), pair_candidate=np.array([0, 0, 1, 1, 2, 2]),
        candidates=3, provinces=[""],
    )  # fmt: skip
    picks, gains, _met = solver.greedy(problem, k=2)
    assert picks[0] == 1 and sum(gains) == 1400
    exact = solver.maximal_covering(problem, 2)
    assert sorted(exact.picks) == [0, 2] and exact.value == 1800 and exact.status == "optimal"
    fewest = solver.minimum_sites(problem, {None: 1700})
    assert sorted(fewest.picks) == [0, 2] and fewest.status == "optimal"
    assert solver.minimum_sites(problem, {None: 1801}).status == "infeasible"
