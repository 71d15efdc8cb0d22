"""What-if: the delta of adding sites and closing points equals a full recompute."""

import pytest
from django.contrib.gis.geos import Point

from servicepoints.analysis.coverage import coverage
from servicepoints.analysis.whatif import Site, evaluate, full_recompute
from servicepoints.filters import PointFilter
from servicepoints.models import ServicePoint

pytestmark = pytest.mark.django_db


def params(**given):
    form = PointFilter(given)
    assert form.is_valid(), form.errors
    return form.cleaned_data


SITES = [Site("North", -77.0, 46.9), Site("West", -79.6, 44.4, "centre")]


def assert_same(delta, full):
    assert delta.coverage["points"] == full.coverage["points"]
    for key in ("national", "provinces", "areas_not_placed", "population_not_placed"):
        assert delta.coverage[key] == full.coverage[key], key  # sums of whole people
    assert delta.underserved == full.underserved


@pytest.mark.parametrize(
    ("sites", "closing"),
    [(SITES, 0), ([], 2), (SITES, 2), ([Site("Far", -60.0, 47.0)], 1)],
    ids=["add", "close", "both", "add-far-close-one"],
)
def test_the_delta_equals_a_full_recompute(network, sites, closing):
    points = ServicePoint.objects.filter_by(params())
    closed = [point.id for point in network[:closing]]
    delta = evaluate(points, params(), "all", within_km=50, sites=sites, closed=closed)
    full = full_recompute(points, params(), within_km=50, sites=sites, closed=closed)
    assert_same(delta, full)
    # Something changed, and the difference is the change of the covered population.
    change = delta.national_change
    assert change.newly_covered + change.no_longer_covered > 0
    assert change.covered_after - change.covered_before == pytest.approx(
        change.newly_covered - change.no_longer_covered
    )
    assert delta.coverage["national"]["covered"] == pytest.approx(change.covered_after)


def test_the_current_network_measures_as_coverage_does(network):
    points = ServicePoint.objects.filter_by(params())
    delta = evaluate(points, params(), "all", within_km=25)
    figures = coverage(params(), within_km=25).as_dict()
    for key in ("national", "provinces", "points", "level", "year", "bands"):
        assert delta.coverage[key] == figures[key], key
    assert delta.national_change.newly_covered == delta.national_change.no_longer_covered == 0


def test_closing_a_point_leaves_its_areas_to_the_next_nearest(network):
    points = ServicePoint.objects.filter_by(params())
    before = evaluate(points, params(), "all", within_km=50)
    everything = [point.id for point in network]
    after = evaluate(points, params(), "all", within_km=50, closed=everything)
    # Every point closed: nobody is covered, every community is underserved.
    assert after.coverage["national"]["covered"] == 0 and after.coverage["points"] == 0
    assert after.national_change.no_longer_covered == before.coverage["national"]["covered"]
    assert after.underserved["total"] == 60
    assert all(c["distance_km"] is None for c in after.underserved["communities"])


def test_the_network_is_cached_until_the_registry_changes(network):
    points = ServicePoint.objects.filter_by(params())
    first = evaluate(points, params(), "all", within_km=50)
    again = evaluate(points, params(), "all", within_km=50, sites=SITES)
    assert not first.network_cached and again.network_cached
    moved = network[0]
    moved.location = Point(-60.0, 47.0, srid=4326)  # far out to sea, past every area
    moved.save()
    changed = evaluate(points, params(), "all", within_km=50)
    assert not changed.network_cached
    full = full_recompute(points, params(), within_km=50)
    assert_same(changed, full)
    assert changed.coverage["national"]["covered"] < first.coverage["national"]["covered"]


def test_a_site_names_the_communities_it_serves(network):
    points = ServicePoint.objects.filter_by(params())
    before = evaluate(points, params(), "all", within_km=50)
    far = next(c for c in before.underserved["communities"] if c["population"])
    site = Site("Here", far["lon"], far["lat"])
    after = evaluate(points, params(), "all", within_km=50, sites=[site])
    assert far["name"] in after.communities_no_longer_underserved
    assert far["name"] not in [c["name"] for c in after.underserved["communities"]]
    assert after.underserved["total"] < before.underserved["total"]


def test_areas_beyond_the_largest_band_are_not_searched_again(network):
    """With one band of 15 km most areas are beyond it: closing their points changes no
    figure, and the delta (which skips them) still equals the full recompute."""
    points = ServicePoint.objects.filter_by(params())
    closed = [point.id for point in network[:6]]
    delta = evaluate(points, params(), "all", within_km=15, bands=(), closed=closed)
    full = full_recompute(points, params(), within_km=15, bands=(), closed=closed)
    assert_same(delta, full)
    everything = evaluate(points, params(), "all", within_km=15, bands=(), closed=[])
    far = (
        everything.coverage["national"]["population"] - everything.coverage["national"]["covered"]
    )
    assert far > 0.5 * everything.coverage["national"]["population"]


def test_a_network_whose_tables_are_gone_is_built_again(network):
    from django.db import connection

    from servicepoints.analysis.whatif import tables

    points = ServicePoint.objects.filter_by(params())
    first = evaluate(points, params(), "all", within_km=50)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM analysis_whatif_network")
        cursor.execute("DROP TABLE {}, {}".format(*tables(cursor.fetchone()[0])))
    again = evaluate(points, params(), "all", within_km=50, sites=SITES)
    assert not again.network_cached
    assert_same(again, full_recompute(points, params(), within_km=50, sites=SITES))
    assert first.coverage["national"]["covered"] < again.coverage["national"]["covered"]
