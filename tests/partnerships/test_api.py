"""GET /api/partnerships/: sites and links as GeoJSON, a point's partnerships, refusals."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/api/partnerships/"


def test_the_address():
    assert reverse("partnerships_api:partnership_features") == URL


def test_sites_and_the_line_between_them(client, analyst, ottawa_partnership, ontario_point):
    client.force_login(analyst)
    response = client.get(URL)
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    kinds = sorted(f["properties"]["kind"] for f in features)
    assert kinds == ["link", "site", "site"]
    link = next(f for f in features if f["properties"]["kind"] == "link")
    assert link["geometry"]["type"] == "LineString"
    assert link["properties"]["parties"] == "Service Canada; ServiceOntario"
    assert link["properties"]["status"] == "proposed"


def test_filters_by_type_and_status(client, analyst, ottawa_partnership):
    client.force_login(analyst)
    assert client.get(URL, {"type": "virtual-service"}).json()["features"] == []
    assert client.get(URL, {"status": "pilot"}).json()["features"] == []
    assert len(client.get(URL, {"status": "proposed,pilot"}).json()["features"]) == 3
    response = client.get(URL, {"status": "dreaming"})
    assert response.status_code == 400
    assert "status" in response.json()["parameters"]


def test_the_partnerships_of_a_point(client, analyst, ottawa_partnership, ontario_point):
    client.force_login(analyst)
    found = client.get(URL, {"point": ontario_point.pk}).json()["partnerships"]
    assert [p["title"] for p in found] == ["Ottawa shared office"]
    assert found[0]["url"] == f"/en/partnerships/{ottawa_partnership.pk}/"
    assert "ServiceOntario (lead)" in found[0]["parties"]


def test_refused_without_a_role_or_signed_out(client, make_user, ottawa_partnership):
    assert client.get(URL).status_code == 401
    client.force_login(make_user("nobody"))
    assert client.get(URL).status_code == 403


def test_the_map_offers_the_layer_only_to_those_who_read_partnerships(client, analyst, make_user):
    client.force_login(analyst)
    page = client.get(reverse("maps:servicepoint_map"))
    assert page.context["map_config"]["partnerships"] == URL
    assert 'value="partnerships"' in page.text
    # A user who may read points but not partnerships: no checkbox, no address.
    from django.contrib.auth.models import Permission

    reader = make_user("points-only")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_servicepoint", "view_all_jurisdictions"])
    )
    client.force_login(reader)
    page = client.get(reverse("maps:servicepoint_map"))
    assert page.context["map_config"]["partnerships"] is None
    assert 'value="partnerships"' not in page.text
