"""Area tiles: features and properties per band, minimum zoom, years, ETags, cache
invalidation by the "layers" data version, language and errors."""

import re

import mapbox_vector_tile
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from servicepoints.layers.models import Area, AreaLevel
from servicepoints.models import DataVersion, TileCache

from .test_tiles import MVT, tile_of

pytestmark = pytest.mark.django_db

OTTAWA = (-75.6972, 45.4215)


def url(level, z, x, y, query=""):
    path = reverse("tiles:area_tile", kwargs={"level": level, "z": z, "x": x, "y": y})
    return f"{path}?{query}" if query else path


def decoded(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == MVT
    layers = mapbox_vector_tile.decode(response.content)
    return layers["areas"]["features"] if layers else []


def square(lon, lat, size):
    return (
        f"SRID=4326;MULTIPOLYGON((({lon} {lat},{lon + size} {lat},{lon + size} {lat + size},"
        f"{lon} {lat + size},{lon} {lat})))"
    )


def add_area(level, code, name_en, name_fr, geometry, year=2021, bands=(0, 7)):
    """An area with a shape per band: the boundary itself at band 0, its outline with
    rounded corners (more vertices) at later bands, so that tests can tell the bands apart."""
    area = Area.objects.create(
        level=AreaLevel.objects.get(code=level),
        year=year,
        code=code,
        name_en=name_en,
        name_fr=name_fr,
        geometry=geometry,
    )
    with connection.cursor() as cursor:
        for band in bands:
            cursor.execute(
                """INSERT INTO layers_areashape (area_id, min_zoom, geometry)
                   SELECT id, %s, ST_Multi(CASE WHEN %s = 0 THEN ST_Transform(geometry, 3857)
                       ELSE ST_Buffer(ST_Transform(geometry, 3857), 2000, 'quad_segs=2') END)
                   FROM layers_area WHERE id = %s""",
                [band, band, area.pk],
            )
    return area


@pytest.fixture
def two_fsas():
    """Two adjacent FSAs around Ottawa (level drawn from zoom 6)."""
    west = add_area("fsa", "K1A", "Ottawa West", "Ottawa Ouest", square(-76.0, 45.2, 0.3))
    east = add_area("fsa", "K1B", "Ottawa East", "Ottawa Est", square(-75.7, 45.2, 0.3))
    return west, east


def get(client, user, level, z, x, y, query="", **headers):
    client.force_login(user)
    return client.get(url(level, z, x, y, query), **headers)


def test_areas_of_the_tile_with_their_properties(client, analyst, two_fsas):
    west, east = two_fsas
    (x, y), _ = tile_of(*OTTAWA, 8)
    features = decoded(get(client, analyst, "fsa", 8, x, y))
    by_id = {feature["id"]: feature["properties"] for feature in features}
    assert by_id == {
        west.pk: {"code": "K1A", "name": "Ottawa West", "level": "fsa"},
        east.pk: {"code": "K1B", "name": "Ottawa East", "level": "fsa"},
    }


def test_names_follow_the_language(client, analyst, two_fsas):
    (x, y), _ = tile_of(*OTTAWA, 8)
    with translation.override("fr"):
        client.force_login(analyst)
        response = client.get(url("fsa", 8, x, y), HTTP_ACCEPT_LANGUAGE="fr")
    names = {feature["properties"]["name"] for feature in decoded(response)}
    assert names == {"Ottawa Ouest", "Ottawa Est"}


def test_a_tile_elsewhere_has_no_area(client, analyst, two_fsas):
    (x, y), _ = tile_of(-123.1, 49.3, 8)  # Vancouver
    assert decoded(get(client, analyst, "fsa", 8, x, y)) == []


def test_each_zoom_draws_the_shape_of_its_band(client, analyst, two_fsas):
    def vertices(z):
        (x, y), _ = tile_of(*OTTAWA, z)
        # By code: the order of a tile's features is the plan's, not a given.
        features = decoded(get(client, analyst, "fsa", z, x, y))
        feature = next(f for f in features if f["properties"]["code"] == "K1A")
        return len(feature["geometry"]["coordinates"][0])

    # Band 0 (drawn from zoom 6, the level's minimum) is the plain square; band 7 rounded.
    assert vertices(6) < vertices(7)
    assert vertices(7) == vertices(9)


def test_below_the_levels_minimum_zoom_the_tile_is_empty(client, analyst, two_fsas):
    assert AreaLevel.objects.get(code="fsa").min_zoom == 6
    (x, y), _ = tile_of(*OTTAWA, 5)
    response = get(client, analyst, "fsa", 5, x, y)
    assert response.status_code == 200
    assert response.content == b""
    assert response.has_header("ETag")


def test_overview_draws_a_small_level_below_its_minimum_zoom(client, analyst, two_fsas):
    # Shapes only from band 6, as `shapes.build` makes them for a level drawn from zoom 6:
    # the overview draws their coarsest.
    add_area("fsa", "K1C", "Orléans", "Orléans", square(-75.4, 45.2, 0.3), bands=(6, 7))
    (x, y), _ = tile_of(*OTTAWA, 3)
    plain = get(client, analyst, "fsa", 3, x, y)
    assert plain.content == b""
    features = decoded(get(client, analyst, "fsa", 3, x, y, "overview=true"))
    assert {feature["properties"]["code"] for feature in features} == {"K1A", "K1B", "K1C"}
    assert get(client, analyst, "fsa", 3, x, y, "overview=true")["ETag"] != plain["ETag"]


def test_overview_leaves_a_large_level_empty(client, analyst, two_fsas, monkeypatch):
    from servicepoints.tiles import areas

    monkeypatch.setattr(areas, "OVERVIEW_MAX_AREAS", 1)
    (x, y), _ = tile_of(*OTTAWA, 3)
    assert get(client, analyst, "fsa", 3, x, y, "overview=true").content == b""


def test_dissemination_areas_are_drawn_from_zoom_10(client, analyst):
    # Layers migration 0006: a z9 tile of dense dissemination areas is too slow and heavy.
    # The area has a shape at band 9 (as built before 0006): the tile is empty all the same.
    add_area("da", "35060001", "Ottawa DA", "AD d'Ottawa", square(-75.70, 45.42, 0.01), bands=(9,))
    assert AreaLevel.objects.get(code="da").min_zoom == 10
    (x, y), _ = tile_of(*OTTAWA, 9)
    assert get(client, analyst, "da", 9, x, y).content == b""
    (x, y), _ = tile_of(*OTTAWA, 10)
    assert [f["properties"]["code"] for f in decoded(get(client, analyst, "da", 10, x, y))] == [
        "35060001"
    ]


def test_the_tile_query_uses_the_spatial_and_band_indexes(two_fsas):
    from servicepoints.tiles.areas import area_tile_sql, level_and_years

    from .layers.planning import crowd_level, explain

    level_id, _min_zoom, _years = level_and_years("fsa")
    (x, y), _ = tile_of(*OTTAWA, 8)
    sql, params = area_tile_sql(level_id, 2021, 8, x, y)
    with connection.cursor() as cursor:
        crowd_level(cursor, level_id)
        plan = explain(cursor, sql, params)
    assert "layers_area_geometry" in plan  # the GiST index of the boundaries
    # Each area's shape by an index on area_id ((area, min_zoom), or area_id's own).
    assert re.search(r"Index Scan (Backward )?using \w+ on layers_areashape", plan), plan
    assert "Seq Scan on layers_areashape" not in plan
    assert "Seq Scan on layers_area " not in plan


def test_the_year_chooses_the_areas(client, analyst, two_fsas):
    older = add_area("fsa", "K1A", "Ottawa 2016", "Ottawa 2016", square(-76.0, 45.2, 0.3), 2016)
    (x, y), _ = tile_of(*OTTAWA, 8)
    latest = {f["id"] for f in decoded(get(client, analyst, "fsa", 8, x, y))}
    assert latest == {area.pk for area in two_fsas}
    chosen = {f["id"] for f in decoded(get(client, analyst, "fsa", 8, x, y, "year=2016"))}
    assert chosen == {older.pk}


def test_etag_304_and_cache(client, analyst, two_fsas):
    (x, y), _ = tile_of(*OTTAWA, 8)
    first = get(client, analyst, "fsa", 8, x, y)
    assert first["Cache-Control"] == "private, no-cache"
    assert TileCache.objects.count() == 1
    again = get(client, analyst, "fsa", 8, x, y, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert get(client, analyst, "fsa", 8, x, y).content == first.content
    assert TileCache.objects.count() == 1


def test_a_change_to_the_areas_changes_the_tile(client, analyst, two_fsas):
    west, _east = two_fsas
    (x, y), _ = tile_of(*OTTAWA, 8)
    before = get(client, analyst, "fsa", 8, x, y)
    version = DataVersion.current("layers")
    Area.objects.filter(pk=west.pk).update(name_en="Renamed")
    assert DataVersion.current("layers") > version
    after = get(client, analyst, "fsa", 8, x, y, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Renamed" in {f["properties"]["name"] for f in decoded(after)}


def test_anonymous_is_refused(client, two_fsas):
    response = client.get(url("fsa", 8, 74, 92))
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("level", "z", "x", "y", "query", "status", "names"),
    [
        ("fsa", "8", "999", "0", "", 400, {"x"}),
        ("fsa", "x", "0", "0", "", 400, {"z"}),
        ("fsa", "8", "0", "0", "year=soon", 400, {"year"}),
        ("nowhere", "8", "0", "0", "", 404, None),
        ("fsa", "8", "0", "0", "year=1901", 404, None),
        ("da", "10", "0", "0", "", 404, None),  # a level with no areas loaded
    ],
)
def test_bad_requests_say_what_is_wrong(
    client, analyst, two_fsas, level, z, x, y, query, status, names
):
    response = get(client, analyst, level, z, x, y, query)
    assert response.status_code == status
    body = response.json()
    if names is None:
        assert body["error"]
    else:
        assert names <= set(body["parameters"]), body


@pytest.mark.parametrize(
    "query", ["", "year=", "year=2016", "year=02016", "year=1799", "year=2201", "year= 2016",
              "year=soon", "year=２０１６", "year=2016&year=2021", "other=1"],
)  # fmt: skip
def test_the_years_fast_path_reads_what_the_form_reads(query):
    from django.http import QueryDict

    from servicepoints.tiles.areas import NEEDS_FORM, AreaTileOptions, plain_year

    params = QueryDict(query)
    year = plain_year(params)
    form = AreaTileOptions(params)
    if year is NEEDS_FORM:
        return  # the form decides
    assert form.is_valid()
    assert form.cleaned_data["year"] == year
