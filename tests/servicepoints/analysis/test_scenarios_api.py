"""The what-if API: evaluate, save, read by link, change by the owner only, suggest."""

import pytest

from servicepoints import roles
from servicepoints.analysis.models import Scenario
from servicepoints.analysis.whatif import Site, evaluate
from servicepoints.filters import PointFilter
from servicepoints.models import DataVersion, ServicePoint

pytestmark = pytest.mark.django_db

LIST = "/api/analysis/scenarios/"
WHATIF = "/api/analysis/whatif/"


@pytest.fixture
def other_analyst(make_user):
    return make_user("other-analyst", roles.ANALYSTS)


def body(network, **changes):
    data = {
        "name": "Two new centres",
        "filters": {"organization": "serviceontario"},
        "within_km": 50,
        "sites": [
            {"name": "North", "lon": -77.0, "lat": 46.9, "kind": "centre"},
            {"name": "West", "lon": -79.6, "lat": 44.4},
        ],
        "closed": [network[0].id],
    }
    return {**data, **changes}


def create(client, data):
    return client.post(LIST, data, content_type="application/json")


def test_signed_out_requests_are_refused(client, network):
    assert client.get(WHATIF).status_code == 401
    assert client.get(LIST).status_code == 401
    assert create(client, body(network)).status_code == 401
    assert Scenario.objects.count() == 0


def test_a_saved_scenario_never_touches_the_registry(client, analyst, network):
    client.force_login(analyst)
    version, statuses = DataVersion.current(), list(ServicePoint.objects.values_list("status"))
    response = create(client, body(network))
    assert response.status_code == 201, response.json()
    saved = response.json()
    assert saved["mine"] and saved["name"] == "Two new centres"
    assert [site["name"] for site in saved["sites"]] == ["North", "West"]
    assert saved["closed"] == [{"id": network[0].id, "name": "Point 0"}]
    assert saved["share_url"].endswith(f"?scenario={saved['share_token']}")
    assert len(saved["share_token"]) >= 20
    assert DataVersion.current() == version
    assert list(ServicePoint.objects.values_list("status")) == statuses
    assert ServicePoint.objects.count() == len(network)
    assert [s["id"] for s in client.get(LIST).json()["scenarios"]] == [saved["id"]]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"closed": [999999]}, "closed", "Unknown point: 999999"),
        ({"sites": [{"name": "Paris", "lon": 2.35, "lat": 48.85}]}, "sites[1]", "outside Canada"),
        ({"sites": [{"name": "", "lon": -75, "lat": 45}]}, "sites[1].name", "name"),
        ({"sites": [{"name": "X", "lon": "east", "lat": 45}]}, "sites[1].lon", "number"),
        ({"within_km": 0}, "within_km", "between 0.1 and 2000"),
        ({"within_km": "far"}, "within_km", "kilometres"),
        ({"name": " "}, "name", "name"),
        ({"filters": {"kind": "castle"}}, "filters.kind", "Unknown value: castle"),
    ],
)
def test_a_bad_scenario_is_refused_naming_the_field(client, analyst, network, changes, field,
                                                    words):  # fmt: skip
    client.force_login(analyst)
    response = create(client, body(network, **changes))
    assert response.status_code == 400
    assert words in " ".join(response.json()["parameters"][field])
    assert Scenario.objects.count() == 0


def test_refusals_are_in_french_too(client, analyst, network):
    client.force_login(analyst)
    data = body(network, closed=[999999], sites=[{"name": "Paris", "lon": 2.35, "lat": 48.85}])
    errors = client.post(
        LIST, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr"
    ).json()["parameters"]
    # (The new messages' French is in the catalogue once merged: /tmp/fr/whatif.json.)
    assert "999999" in errors["closed"][0]
    assert "hors du Canada" in errors["sites[1]"][0]


def test_only_the_owner_reads_by_id_and_changes_others_read_by_link(
    client, analyst, other_analyst, network
):
    client.force_login(analyst)
    saved = create(client, body(network)).json()
    detail = f"{LIST}{saved['id']}/"
    client.force_login(other_analyst)
    assert client.get(detail).status_code == 404
    for method in (client.put, client.patch):
        refused = method(detail, {"name": "Mine now"}, content_type="application/json")
        assert refused.status_code == 404
    assert client.delete(detail).status_code == 404
    assert Scenario.objects.get().name == "Two new centres"
    assert client.get(LIST).json()["scenarios"] == []
    shared = client.get(f"{LIST}shared/{saved['share_token']}/")
    assert shared.status_code == 200 and not shared.json()["mine"]
    assert client.get(f"{LIST}shared/not-a-token/").status_code == 404
    evaluated = client.get(WHATIF, {"scenario": saved["share_token"]})
    assert evaluated.status_code == 200
    assert [s["name"] for s in evaluated.json()["sites"]] == ["North", "West"]
    # The owner changes and deletes it.
    client.force_login(analyst)
    changed = client.patch(detail, {"name": "Renamed"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["name"] == "Renamed"
    assert changed.json()["closed"][0]["id"] == network[0].id  # the rest kept
    bad = client.put(
        detail, {"name": "No sites", "within_km": -1}, content_type="application/json"
    )
    assert bad.status_code == 400 and Scenario.objects.get().within_km == 50
    assert client.delete(detail).status_code == 204
    assert Scenario.objects.count() == 0


def test_an_unsaved_scenario_is_evaluated_from_parameters(client, analyst, network):
    client.force_login(analyst)
    closed = network[1].id
    response = client.get(
        WHATIF,
        {"site": ["-77.0,46.9,North", "-79.6,44.4"], "close": str(closed), "within": "50"},
    )
    assert response.status_code == 200, response.json()
    answer = response.json()
    form = PointFilter({})
    assert form.is_valid()
    expected = evaluate(
        ServicePoint.objects.all(), form.cleaned_data, "all", within_km=50,
        sites=[Site("North", -77.0, 46.9), Site("Site 2", -79.6, 44.4)], closed=[closed],
    ).as_dict()  # fmt: skip
    assert answer["coverage"]["national"] == expected["coverage"]["national"]
    assert answer["national_change"] == expected["national_change"]
    assert answer["underserved"] == expected["underserved"]
    assert [p["code"] for p in answer["province_changes"]] == ["35"]
    refused = client.get(WHATIF, {"site": "200,45", "close": "999999", "within": "0"}).json()
    assert set(refused["parameters"]) == {"site", "close", "within"}


def test_site_suggestion_lists_the_picks_and_the_gap(client, analyst, network, ontario):
    client.force_login(analyst)
    response = client.get("/api/analysis/suggest/", {"k": 2, "candidates": "places"})
    assert response.status_code == 200, response.json()
    answer = response.json()["maximal_covering"]
    assert len(answer["picks"]) == 2 and answer["optimality_gap"] is not None
    assert answer["total_gain"] == pytest.approx(sum(p["gain"] for p in answer["picks"]))
    assert answer["picks"][0]["candidate"]["kind"] == "place"
    assert client.get("/api/analysis/suggest/", {"k": 0}).status_code == 400
    # And the fewest sites reaching a share: set covering, its answer beside.
    both = client.get("/api/analysis/suggest/", {"k": 1, "candidates": "places", "minimum": 50})
    minimum = both.json()["minimum_sites"]
    assert minimum["target_share"] == 50
    assert not minimum["reachable"] or minimum["national"]["share_after"] >= 50


def test_a_point_the_user_cannot_read_cannot_be_closed(client, ontario_editor, network,
                                                       new_brunswick_point):  # fmt: skip
    client.force_login(ontario_editor)
    response = create(client, body(network, filters={}, closed=[new_brunswick_point.id]))
    assert response.status_code == 400
    assert str(new_brunswick_point.id) in response.json()["parameters"]["closed"][0]
