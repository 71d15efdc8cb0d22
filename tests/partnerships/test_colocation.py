"""The co-location finder: which pairs, in which order, for whom; its page and exports."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from partnerships import approval, colocation
from partnerships.models import Role, Sector, Status
from servicepoints.models import Kind, PopulatedPlace, Service, ServicePoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def services():
    return {
        code: Service.objects.create(code=code, name_en=code.title(), name_fr=code.title())
        for code in ("sin", "health-card", "drivers-licence", "passport")
    }


@pytest.fixture
def next_door(service_canada, ontario, ontario_point, services):
    """A Service Canada centre about 60 m from ServiceOntario's Ottawa City Hall office."""
    point = ServicePoint.objects.create(
        name_en="Service Canada Laurier",
        name_fr="Service Canada Laurier",
        organization=service_canada,
        location=Point(-75.6965, 45.4219, srid=4326),
        community="Ottawa",
        province=ontario,
    )
    point.services.set([services["sin"], services["passport"]])
    ontario_point.services.set([services["health-card"], services["drivers-licence"]])
    return point


def _ids(pairs):
    return [(pair.a_id, pair.b_id) for pair in pairs]


def test_points_of_different_organizations_nearby_are_paired(
    analyst, ontario_point, next_door, federal_point
):
    pairs = colocation.find_pairs(analyst)
    assert _ids(pairs) == [(ontario_point.pk, next_door.pk)]
    pair = colocation.describe(pairs)[0]
    assert 40 < pair.metres < 80
    assert (pair.a_only, pair.b_only) == (2, 2)
    assert pair.a_offers == ["Drivers-Licence", "Health-Card"]
    # Farther: the other Service Canada centre, ~330 m away, comes in.
    assert len(colocation.find_pairs(analyst, metres=400)) == 2


def test_the_same_community_counts_when_asked(analyst, ontario_point, federal_point):
    assert colocation.find_pairs(analyst) == []
    pairs = colocation.find_pairs(analyst, metres=10, same_community=True)
    assert _ids(pairs) == [(ontario_point.pk, federal_point.pk)]


def test_ranked_by_services_only_one_offers_then_population(
    analyst, ontario, ontario_point, next_door, federal_point, services, serviceontario
):
    PopulatedPlace.objects.create(
        gazetteer="geonames",
        external_id="6094817",
        name="Ottawa",
        province=ontario,
        location=Point(-75.6981, 45.4112, srid=4326),
        population=812129,
    )
    # A pair offering fewer different services ranks after.
    federal_point.services.set([services["sin"]])
    pairs = colocation.find_pairs(analyst, metres=400)
    assert [pair.score for pair in pairs] == [4, 3]
    assert pairs[0].population == 812129


def test_a_partnership_between_them_removes_the_pair(
    analyst, ontario_editor, ontario_point, next_door, serviceontario, service_canada
):
    approval.create(
        ontario_editor,
        {"title_en": "Laurier", "title_fr": "Laurier"},
        {
            "type": "co-location",
            "status": Status.IDEA,
            "start_date": None,
            "end_date": None,
            "objectives_en": "",
            "objectives_fr": "",
            "parties": [
                [serviceontario.pk, Role.LEAD, Sector.GOVERNMENT],
                [service_canada.pk, Role.PARTNER, Sector.GOVERNMENT],
            ],
            "sites": [ontario_point.pk],
        },
    )
    assert colocation.find_pairs(analyst) == []


def test_the_same_organization_closed_points_and_kiosks_are_left_out(
    analyst, ontario_point, next_door
):
    ServicePoint.objects.filter(pk=next_door.pk).update(kind=Kind.KIOSK)
    assert colocation.find_pairs(analyst) == []
    ServicePoint.objects.filter(pk=next_door.pk).update(kind=Kind.CENTRE, status="closed")
    assert colocation.find_pairs(analyst) == []
    ServicePoint.objects.filter(pk=next_door.pk).update(
        status="open", organization=ontario_point.organization
    )
    assert colocation.find_pairs(analyst) == []


def test_editors_see_only_pairs_with_a_point_of_theirs(
    ontario_editor, new_brunswick_editor, ontario_point, next_door
):
    assert len(colocation.find_pairs(ontario_editor)) == 1
    assert colocation.find_pairs(new_brunswick_editor) == []


def test_the_page_lists_pairs_with_a_propose_link(client, data_admin, ontario_point, next_door):
    client.force_login(data_admin)
    response = client.get(reverse("partnerships:colocation_finder"))
    assert response.status_code == 200
    assert "Service Canada Laurier" in response.text
    propose = response.context["page"].object_list[0].propose_url
    assert propose.endswith(
        f"?sites={ontario_point.pk},{next_door.pk}&organizations=serviceontario,service-canada"
    )
    draft = client.get(propose)
    assert draft.context["form"].initial["sites"] == f"{ontario_point.pk}, {next_door.pk}"
    assert draft.context["form"].initial["type"] == "co-location"


def test_the_exports_hold_every_pair(client, analyst, ontario_point, next_door):
    client.force_login(analyst)
    text = client.get(reverse("partnerships:colocation_export", args=["csv"])).content.decode(
        "utf-8-sig"
    )
    lines = text.splitlines()
    assert lines[0].startswith("rank,point_a")
    assert f"1,{ontario_point.pk}," in lines[1]
    response = client.get(reverse("partnerships:colocation_export", args=["xlsx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_a_bad_distance_is_refused_by_name(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("partnerships:colocation_finder"), {"distance": "90000"})
    assert "Distance (metres)" in response.text
    assert response.context["page"] is None
    response = client.get(
        reverse("partnerships:colocation_export", args=["csv"]), {"distance": "-3"}
    )
    assert response.status_code == 400


def test_anyone_without_a_role_is_refused(client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get(reverse("partnerships:colocation_finder")).status_code == 403
