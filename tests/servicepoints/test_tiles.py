"""The vector tiles: decoded features at each zoom, filters, visibility, ETags and errors."""

import math
from datetime import timedelta

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from servicepoints import roles
from servicepoints.filters import PointFilter
from servicepoints.models import (
    DataVersion,
    Jurisdiction,
    Membership,
    Organization,
    Service,
    ServicePoint,
    TileCache,
)
from servicepoints.tiles import cache as tile_cache
from servicepoints.tiles import points as tiles
from servicepoints.tiles import scope as tile_scope

pytestmark = pytest.mark.django_db

MVT = "application/vnd.mapbox-vector-tile"
OTTAWA = (-75.6972, 45.4215)  # the ontario_point fixture


def tile_of(lon, lat, z):
    """(x, y) of the tile holding a place, and the place in that tile's units (0-4096)."""
    n = 2**z
    fx = (lon + 180) / 360 * n
    fy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    x, y = int(fx), int(fy)
    return (x, y), ((fx - x) * 4096, (fy - y) * 4096)


def url(z, x, y, query=""):
    path = reverse("tiles:servicepoint_tile", kwargs={"z": z, "x": x, "y": y})
    return f"{path}?{query}" if query else path


def features(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == MVT
    decoded = mapbox_vector_tile.decode(response.content, default_options={"y_coord_down": True})
    if not decoded:
        return []
    layer = decoded["servicepoints"]
    assert layer["extent"] == 4096
    return layer["features"]


def point_ids(response):
    return {f["properties"]["id"] for f in features(response) if f["properties"]["count"] == 1}


def get(client, user, z, x, y, query="", **headers):
    client.force_login(user)
    return client.get(url(z, x, y, query), **headers)


@pytest.fixture
def ottawa_z12():
    (x, y), _position = tile_of(*OTTAWA, 12)
    return 12, x, y


# Features at each zoom


def test_a_point_is_in_its_z12_tile_with_its_properties(client, analyst, ontario_point):
    (x, y), (px, py) = tile_of(*OTTAWA, 12)
    [feature] = features(get(client, analyst, 12, x, y))
    assert feature["properties"] == {
        "count": 1,
        "id": ontario_point.pk,
        "kind": "centre",
        "level": "provincial",
        "organization": "serviceontario",
        "status": "open",
        "bilingual": True,
        "name": "ServiceOntario Ottawa City Hall",
    }
    gx, gy = feature["geometry"]["coordinates"]
    assert abs(gx - px) <= 1 and abs(gy - py) <= 1
    # The neighbours' tiles do not have it (it is more than a buffer away from their edges).
    assert features(get(client, analyst, 12, x - 1, y)) == []
    assert features(get(client, analyst, 12, x, y + 1)) == []


def test_names_follow_the_requests_language(client, analyst, ontario_point, ottawa_z12):
    english = get(client, analyst, *ottawa_z12, HTTP_ACCEPT_LANGUAGE="en")
    french = get(client, analyst, *ottawa_z12, HTTP_ACCEPT_LANGUAGE="fr")
    assert features(french)[0]["properties"]["name"] == "ServiceOntario Hôtel de ville d'Ottawa"
    assert features(english)[0]["properties"]["name"] == "ServiceOntario Ottawa City Hall"
    assert english["ETag"] != french["ETag"]


def test_low_zooms_group_points_at_their_centroid(client, analyst, ontario_point, federal_point):
    # Both Ottawa points fall in one grid cell at z4 (about 150 km wide).
    (x, y), _position = tile_of(*OTTAWA, 4)
    [group] = features(get(client, analyst, 4, x, y))
    assert group["properties"] == {
        "count": 2,
        "level": "federal",  # a tie goes to the first level
        "federal": 1,
        "provincial": 1,
        "territorial": 0,
        "municipal": 0,
    }
    lon = (ontario_point.location.x + federal_point.location.x) / 2
    lat = (ontario_point.location.y + federal_point.location.y) / 2
    _tile, (cx, cy) = tile_of(lon, lat, 4)
    gx, gy = group["geometry"]["coordinates"]
    assert abs(gx - cx) <= 1 and abs(gy - cy) <= 1


def test_a_group_counts_every_point_of_its_cell(client, analyst, serviceontario, ontario):
    # 30 points spread over about 5 km around Toronto City Hall, all in one z6 cell.
    ServicePoint.objects.bulk_create(
        ServicePoint(
            name_en=f"Point {i}",
            name_fr=f"Point {i}",
            organization=serviceontario,
            location=Point(-79.3832 + (i % 6) * 0.01, 43.6532 + (i // 6) * 0.01, srid=4326),
            province=ontario,
        )
        for i in range(30)
    )
    (x, y), _position = tile_of(-79.36, 43.67, 6)
    [group] = features(get(client, analyst, 6, x, y))
    assert group["properties"]["count"] == 30
    assert group["properties"]["provincial"] == 30
    assert group["properties"]["level"] == "provincial"
    # One zoom below the points, groups are still made; at POINTS_MIN_ZOOM each point shows.
    z = tiles.POINTS_MIN_ZOOM
    (x, y), _position = tile_of(-79.36, 43.67, z - 1)
    assert sum(f["properties"]["count"] for f in features(get(client, analyst, z - 1, x, y))) == 30
    (x, y), _position = tile_of(-79.36, 43.67, z)
    tile = features(get(client, analyst, z, x, y))
    assert len(tile) == 30 and {f["properties"]["count"] for f in tile} == {1}


def test_a_lone_point_at_a_low_zoom_carries_its_properties(client, analyst, new_brunswick_point):
    (x, y), _position = tile_of(new_brunswick_point.location.x, new_brunswick_point.location.y, 5)
    [feature] = features(get(client, analyst, 5, x, y))
    assert feature["properties"] == {
        "count": 1,
        "level": "provincial",
        "federal": 0,
        "provincial": 1,
        "territorial": 0,
        "municipal": 0,
        "id": new_brunswick_point.pk,
        "kind": "centre",
        "organization": "service-new-brunswick",
        "status": "open",
        "bilingual": True,
        "name": "Service New Brunswick Fredericton",
    }


def test_an_empty_tile_is_an_empty_200_with_an_etag(client, analyst, ontario_point):
    (x, y), _position = tile_of(-140.0, 30.0, 8)  # the Pacific
    response = get(client, analyst, 8, x, y)
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"]
    assert features(response) == []


def test_the_benchmark_sql_builds_the_same_tile(client, analyst, ontario_point, federal_point):
    for z in (4, 12):
        (x, y), _position = tile_of(*OTTAWA, z)
        form = PointFilter.from_query(QueryDict("kind=centre"))
        assert form.is_valid()
        sql, params = tiles.tile_sql(z, x, y, form.cleaned_data, analyst)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            raw = bytes(cursor.fetchone()[0])
        assert raw and raw == get(client, analyst, z, x, y, "kind=centre").content


# Filters


@pytest.fixture
def ottawa_points(ontario_point, federal_point):
    federal_point.kind = "passport_office"
    federal_point.languages = ["en"]
    federal_point.save()
    # Deterministic "open now": the federal point open around the clock, the other closed.
    federal_point.opening_hours = "24/7"
    federal_point.save()
    ServicePoint.objects.get(pk=ontario_point.pk).opening_periods.delete()
    return ontario_point.pk, federal_point.pk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"on", "ca"}),
        ("kind=passport_office", {"ca"}),
        ("kind=centre,outreach", {"on"}),
        ("jurisdiction=ON", {"on"}),
        ("level=federal", {"ca"}),
        ("organization=serviceontario", {"on"}),
        ("bilingual=true", {"on"}),
        ("bilingual=false", {"ca"}),
        ("open_now=true", {"ca"}),
        ("open_now=false", {"on"}),
        ("status=closed", set()),
        ("q=city hall", {"on"}),
        ("bbox=-75.6960,45.40,-75.69,45.42", {"ca"}),
    ],
)
def test_filters_select_the_points(client, analyst, ottawa_points, ottawa_z12, query, expected):
    on, ca = ottawa_points
    ids = {"on": on, "ca": ca}
    assert point_ids(get(client, analyst, *ottawa_z12, query)) == {ids[k] for k in expected}


def test_filters_apply_before_grouping(client, analyst, ottawa_points):
    (x, y), _position = tile_of(*OTTAWA, 4)
    [both] = features(get(client, analyst, 4, x, y))
    [one] = features(get(client, analyst, 4, x, y, "kind=passport_office"))
    assert both["properties"]["count"] == 2
    assert one["properties"]["count"] == 1
    assert one["properties"]["federal"] == 1 and one["properties"]["provincial"] == 0


# Who sees what


def test_an_editor_sees_only_their_jurisdictions_points(
    client, ontario_editor, analyst, ontario_point, federal_point, new_brunswick_point
):
    (x, y), _position = tile_of(*OTTAWA, 12)
    assert point_ids(get(client, ontario_editor, 12, x, y)) == {ontario_point.pk}
    assert point_ids(get(client, analyst, 12, x, y)) == {ontario_point.pk, federal_point.pk}
    # Nor in the groups of the national view: New Brunswick and federal points are not counted.
    for z in (2, 4):
        groups = features(get(client, ontario_editor, z, *tile_of(*OTTAWA, z)[0]))
        assert sum(f["properties"]["count"] for f in groups) == 1
        assert all(f["properties"]["federal"] == 0 for f in groups)
    (x, y), _position = tile_of(new_brunswick_point.location.x, new_brunswick_point.location.y, 5)
    assert features(get(client, ontario_editor, 5, x, y)) == []


def test_a_user_of_no_jurisdiction_gets_empty_tiles(client, make_user, ontario_point):
    nobody = make_user("nobody")
    for z in (4, 12):
        assert features(get(client, nobody, z, *tile_of(*OTTAWA, z)[0])) == []


def test_users_who_see_different_points_never_share_a_tile(
    client, make_user, ontario_editor, analyst, ontario_point, federal_point
):
    (x, y), _position = tile_of(*OTTAWA, 4)
    # The analyst's tile is built and cached first; the editor must not be given it.
    for_analyst = get(client, analyst, 4, x, y)
    for_editor = get(client, ontario_editor, 4, x, y)
    assert features(for_analyst)[0]["properties"]["count"] == 2
    assert features(for_editor)[0]["properties"]["count"] == 1
    assert for_analyst["ETag"] != for_editor["ETag"]
    # Nor an ETag: the editor's copy of the analyst's tile is not "not modified".
    response = get(client, ontario_editor, 4, x, y, HTTP_IF_NONE_MATCH=for_analyst["ETag"])
    assert response.status_code == 200
    # Users who see the same points do share them.
    other_editor = make_user("editor-on-2", roles.EDITORS, ["ON"])
    assert get(client, other_editor, 4, x, y)["ETag"] == for_editor["ETag"]


class GrantsEveryJurisdiction:
    """An authentication backend of another kind: it grants permissions of its own."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm, obj=None):
        return perm == "servicepoints.view_all_jurisdictions"


def test_the_scope_is_read_with_the_data_version_by_the_same_rules(
    make_user, django_user_model, ontario_point
):
    """`scope_and_version` (one SQL query) agrees with `visibility_scope` (`has_perm` and the
    memberships through the ORM) for every kind of user."""
    from django.contrib.auth.models import Permission

    direct = make_user("direct-permission", None, ["ON", "NB"])
    direct.user_permissions.add(Permission.objects.get(codename="view_all_jurisdictions"))
    users = [
        make_user("analyst-scope", roles.ANALYSTS),
        make_user("admin-scope", roles.DATA_ADMINISTRATORS),
        make_user("editor-scope", roles.EDITORS, ["NB", "ON"]),
        make_user("member-scope", None, ["ON"]),
        make_user("nobody-scope"),
        make_user("inactive-scope", roles.ANALYSTS, ["ON"], is_active=False),
        django_user_model.objects.create_superuser("root-scope", password="x"),
        direct,
    ]
    expected = {
        "analyst-scope": "all",
        "admin-scope": "all",
        "editor-scope": ",".join(
            str(pk)
            for pk in sorted(
                Jurisdiction.objects.filter(code__in=["ON", "NB"]).values_list("pk", flat=True)
            )
        ),
        "member-scope": str(Jurisdiction.objects.get(code="ON").pk),
        "nobody-scope": "",
        "inactive-scope": "",
        "root-scope": "all",
        "direct-permission": "all",
    }
    for user in users:
        user = django_user_model.objects.get(pk=user.pk)  # no permission cache
        expected_pair = (expected[user.username], DataVersion.current())
        assert tile_scope.scope_and_version(user) == expected_pair
        user = django_user_model.objects.get(pk=user.pk)
        assert tile_scope.visibility_scope(user) == expected[user.username]


def test_other_authentication_backends_keep_the_django_permission_check(make_user, settings):
    member = make_user("member-backend", None, ["ON"])
    assert tile_scope.scope_and_version(member)[0] != "all"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        f"{__name__}.GrantsEveryJurisdiction",
    ]
    assert tile_scope.scope_and_version(member)[0] == "all"


def test_a_membership_change_counts_from_the_next_request(
    client, make_user, ontario_point, federal_point
):
    (x, y), _position = tile_of(*OTTAWA, 12)
    editor = make_user("editor-moving", roles.EDITORS, ["ON"])
    before = get(client, editor, 12, x, y)
    assert point_ids(before) == {ontario_point.pk}
    federal = Membership.objects.create(
        user=editor, jurisdiction=Jurisdiction.objects.get(code="CA")
    )
    after = client.get(url(12, x, y), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200  # not the old tile's 304
    assert point_ids(after) == {ontario_point.pk, federal_point.pk}
    Membership.objects.filter(user=editor, jurisdiction__code="ON").delete()
    assert point_ids(client.get(url(12, x, y))) == {federal_point.pk}
    federal.delete()
    assert features(client.get(url(12, x, y))) == []
    # Every tile was kept under its own key: none was handed to the next scope.
    assert TileCache.objects.count() == 4  # ON, ON and CA, CA, none


def test_a_permission_change_counts_from_the_next_request(
    client, make_user, ontario_point, federal_point
):
    from django.contrib.auth.models import Group

    (x, y), _position = tile_of(*OTTAWA, 12)
    member = make_user("member-promoted", None, ["ON"])
    before = get(client, member, 12, x, y)
    assert point_ids(before) == {ontario_point.pk}
    member.groups.add(Group.objects.get(name=roles.ANALYSTS))
    promoted = client.get(url(12, x, y), HTTP_IF_NONE_MATCH=before["ETag"])
    assert promoted.status_code == 200
    assert point_ids(promoted) == {ontario_point.pk, federal_point.pk}
    member.groups.clear()
    demoted = client.get(url(12, x, y), HTTP_IF_NONE_MATCH=promoted["ETag"])
    assert demoted.status_code == 200
    assert point_ids(demoted) == {ontario_point.pk}


def test_an_editor_never_gets_another_jurisdictions_points_from_the_cache(
    client, analyst, ontario_editor, ontario_point, federal_point, new_brunswick_point
):
    """Tiles built for users who see more are cached first; the editor's come from their own
    key, at every zoom (groups and points)."""
    for z in (4, 8, 12):
        (x, y), _position = tile_of(*OTTAWA, z)
        TileCache.objects.all().delete()
        assert get(client, analyst, z, x, y).status_code == 200
        assert TileCache.objects.count() == 1
        for_editor = features(get(client, ontario_editor, z, x, y))
        assert sum(f["properties"]["count"] for f in for_editor) == 1
        assert {f["properties"].get("id") for f in for_editor} == {ontario_point.pk}
        assert TileCache.objects.count() == 2
        # And again from the cache.
        again = features(client.get(url(z, x, y)))
        assert {f["properties"].get("id") for f in again} == {ontario_point.pk}


def test_the_compiled_sql_kept_for_a_filter_set_is_the_sql_compiled_afresh(
    analyst, ontario_editor, make_user
):
    """`tile_sql` compiles the ORM part once per zoom range, language, filters and scope and
    puts each tile's bounds in it: the same SQL and parameters as compiling for the tile."""
    from django.utils import translation

    other_editor = make_user("editor-on-template", roles.EDITORS, ["ON"])
    on = str(Jurisdiction.objects.get(code="ON").pk)
    queries = ["", "kind=centre,kiosk&province=ON", "bbox=-80,43,-79,44&open_now=true", "q=ottawa"]
    for language in ("en", "fr"):
        for query in queries:
            form = PointFilter.from_query(QueryDict(query))
            assert form.is_valid(), form.errors
            for user, scope in ((analyst, "all"), (ontario_editor, on), (other_editor, on)):
                for z, x, y in ((2, 1, 1), (8, 71, 93), (8, 72, 92), (12, 1144, 1494), (16, 1, 2)):
                    points = z >= tiles.POINTS_MIN_ZOOM
                    bounds = tiles.tile_bounds(
                        z, x, y, tiles.POINT_BUFFER if points else tiles.CLUSTER_BUFFER
                    )
                    with translation.override(language):
                        fresh = tiles._compiled_rows(
                            points, form.cleaned_data, user, scope, bounds
                        )
                        kept = tiles._rows(points, form.cleaned_data, user, scope, bounds)
                        sql, params = tiles.tile_sql(z, x, y, form.cleaned_data, user, scope=scope)
                    assert kept[0] == fresh[0] and kept[2:] == fresh[2:]
                    assert list(kept[1]) == list(fresh[1])
                    assert fresh[0] in sql and tuple(params) == (*fresh[1], *fresh[3])
                    if scope != "all":  # the user's own id, not a kept template's user
                        assert user.pk in fresh[1]
    assert tiles._templates


def test_tile_requests_carry_no_history_context(client, analyst, ontario_point):
    (x, y), _position = tile_of(*OTTAWA, 12)
    with CaptureQueriesContext(connection) as queries:
        assert get(client, analyst, 12, x, y).status_code == 200
    assert [q for q in queries if "INSERT" in q["sql"]]
    assert not [q for q in queries if "pghistory" in q["sql"]]


# ETags, caching and changes


def test_a_repeat_request_is_not_modified_without_tile_sql(client, analyst, ontario_point):
    (x, y), _position = tile_of(*OTTAWA, 12)
    first = get(client, analyst, 12, x, y)
    assert first["Cache-Control"] == "private, no-cache"
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in first["Vary"].split(",")}
    assert first["ETag"].startswith('"')
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url(12, x, y), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert second.content == b""
    assert second["ETag"] == first["ETag"]
    assert not [q for q in queries if "ST_AsMVT" in q["sql"] or "tilecache" in q["sql"]]


def test_saving_a_point_changes_the_etag_and_the_tile(client, analyst, ontario_point):
    (x, y), _position = tile_of(*OTTAWA, 12)
    before = get(client, analyst, 12, x, y)
    ontario_point.name_en = "ServiceOntario Laurier"
    ontario_point.save()
    after = client.get(url(12, x, y), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert features(after)[0]["properties"]["name"] == "ServiceOntario Laurier"


@pytest.mark.parametrize(
    "change",
    [
        lambda point, _service: ServicePoint.objects.filter(pk=point.pk).update(status="closed"),
        lambda point, _service: Organization.objects.filter(pk=point.organization_id).update(
            code="so"
        ),
        lambda point, _service: Jurisdiction.objects.filter(code="ON").update(level="federal"),
        lambda point, _service: ServicePoint.objects.get(pk=point.pk).opening_periods.delete(),
        lambda point, service: point.services.add(service),
        lambda point, service: Service.objects.filter(pk=service.pk).update(code="sante"),
    ],
    ids=["bulk update", "organization", "jurisdiction", "opening periods", "link", "service"],
)
def test_any_write_the_filters_read_bumps_the_data_version(ontario_point, change):
    service = Service.objects.create(code="health", name_en="Health", name_fr="Santé")
    before = DataVersion.current()
    change(ontario_point, service)
    assert DataVersion.current() > before


def test_a_cached_tile_is_served_until_the_data_changes(client, analyst, ontario_point):
    (x, y), _position = tile_of(*OTTAWA, 4)
    first = get(client, analyst, 4, x, y)
    assert bytes(TileCache.objects.get().tile) == first.content
    # The repeat is answered from the cache, not built again: whatever the cache holds under
    # the tile's key is what is sent (the statement carries the tile's SQL, run only on a miss).
    TileCache.objects.update(tile=b"kept")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url(4, x, y))
    assert again.content == b"kept"
    assert again["ETag"] == first["ETag"]
    assert TileCache.objects.count() == 1
    tile_statements = [q for q in queries if "ST_AsMVT" in q["sql"]]
    assert len(tile_statements) == 1 and "tilecache" in tile_statements[0]["sql"]
    TileCache.objects.all().delete()
    assert client.get(url(4, x, y)).content == first.content
    # A bulk update (no save(), no signal) still makes the cached tile unreachable.
    ServicePoint.objects.filter(pk=ontario_point.pk).update(kind="kiosk")
    changed = client.get(url(4, x, y))
    assert changed.content != first.content
    assert features(changed)[0]["properties"]["kind"] == "kiosk"
    # The tiles of the older version were pruned when the new ones were stored.
    assert not TileCache.objects.filter(version__lt=DataVersion.current()).exists()


def test_open_now_tiles_change_with_the_minute(
    client, analyst, ottawa_points, ottawa_z12, monkeypatch
):
    now = timezone.now()
    monkeypatch.setattr(tile_cache.timezone, "now", lambda: now)
    first = get(client, analyst, *ottawa_z12, "open_now=true")
    assert point_ids(first) == {ottawa_points[1]}
    assert get(client, analyst, *ottawa_z12, "open_now=true")["ETag"] == first["ETag"]
    monkeypatch.setattr(tile_cache.timezone, "now", lambda: now + timedelta(minutes=1))
    assert get(client, analyst, *ottawa_z12, "open_now=true")["ETag"] != first["ETag"]
    # Other filters do not depend on the time.
    assert (
        get(client, analyst, *ottawa_z12, "kind=centre")["ETag"]
        == (get(client, analyst, *ottawa_z12, "kind=centre")["ETag"])
    )


def test_equivalent_filters_share_an_etag(client, analyst, ontario_point, ottawa_z12):
    one = get(client, analyst, *ottawa_z12, "kind=centre,kiosk&province=ON")
    other = get(client, analyst, *ottawa_z12, "province=ON&kind=kiosk&kind=centre")
    assert one["ETag"] == other["ETag"]
    assert get(client, analyst, *ottawa_z12, "kind=centre")["ETag"] != one["ETag"]


# Errors and access


@pytest.mark.parametrize(
    ("address", "query", "parameter", "message"),
    [
        ("21/0/0", "", "z", "from 0 to 20"),
        ("-1/0/0", "", "z", "from 0 to 20"),
        ("a/0/0", "", "z", "from 0 to 20"),
        ("+1/0/0", "", "z", "from 0 to 20"),
        ("4/16/0", "", "x", "At zoom 4, give a whole number from 0 to 15"),
        ("4/0/16", "", "y", "At zoom 4, give a whole number from 0 to 15"),
        ("0/0/99999999999999999999", "", "y", "from 0 to 0"),
        ("4/x/0", "", "x", "whole number"),
        ("4/1.5/0", "", "x", "whole number"),
        ("4/0/-3", "", "y", "whole number"),
        ("4/4/5", "kind=castle", "kind", "castle"),
        ("4/4/5", "bilingual=maybe", "bilingual", "true or false"),
        ("4/4/5", "open_now=soon", "open_now", "true or false"),
        ("4/4/5", "bbox=1,2,3", "bbox", "four numbers"),
        ("4/4/5", "jurisdiction=XX", "jurisdiction", "XX"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, analyst, address, query, parameter, message):
    client.force_login(analyst)
    response = client.get(f"/tiles/servicepoints/{address}.pbf?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body["parameters"]) == [parameter]
    assert message in body["parameters"][parameter][0]
    assert parameter in body["error"]


def test_every_bad_parameter_is_named_at_once(client, analyst):
    client.force_login(analyst)
    response = client.get("/tiles/servicepoints/30/x/0.pbf?kind=castle")
    assert response.status_code == 400
    assert set(response.json()["parameters"]) == {"z", "x", "kind"}


def test_errors_follow_the_requests_language(client, analyst):
    client.force_login(analyst)
    response = client.get(url(4, 4, 5, "bilingual=maybe"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["parameters"]["bilingual"] == ["Utilisez true ou false."]


def test_anonymous_requests_get_a_401(client, ontario_point):
    response = client.get(url(12, *tile_of(*OTTAWA, 12)[0]))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_only_get_is_accepted(client, analyst):
    client.force_login(analyst)
    response = client.post(url(4, 4, 5))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "address",
    [
        ("0", "0", "0"),
        ("12", "1144", "1494"),
        ("20", str(2**20 - 1), "0"),
        ("21", "0", "0"),
        ("3", "8", "0"),
        ("3", "0", "8"),
        ("+1", "0", "0"),
        ("1", " 1", "0"),
        ("1", "1_0", "0"),
        ("1", "\u0661", "0"),  # an Arabic-Indic one
        ("1", "-1", "0"),
        ("1", "99999999999", "0"),
        ("", "0", "0"),
        ("1.0", "0", "0"),
    ],
)
def test_the_quick_tile_address_check_accepts_what_the_form_accepts(address):
    form = tiles.TileAddress(dict(zip("zxy", address, strict=True)))
    numbers = tiles.tile_numbers(*address)
    assert (numbers is not None) == form.is_valid(), form.errors
    if numbers is not None:
        assert numbers == tuple(form.cleaned_data[name] for name in "zxy")


def test_no_filters_are_an_empty_querys_filters():
    form = PointFilter.from_query(QueryDict(""))
    assert form.is_valid()
    assert PointFilter.no_filters() == form.cleaned_data
    PointFilter.no_filters()["kind"].append("kiosk")  # a copy: the next one is still empty
    assert PointFilter.no_filters() == form.cleaned_data


def test_url_round_trip():
    assert url(4, 4, 5) == "/tiles/servicepoints/4/4/5.pbf"
    match = resolve("/tiles/servicepoints/4/4/5.pbf")
    assert match.view_name == "tiles:servicepoint_tile"
    assert match.kwargs == {"z": "4", "x": "4", "y": "5"}
