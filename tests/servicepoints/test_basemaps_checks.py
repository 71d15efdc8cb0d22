"""The start-up checks of BASE_MAPS and STREET_VIEW_URL, and the map page's configuration."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from servicepoints.checks import base_map_errors, check_map_settings, street_view_errors

STREET = {
    "key": "street",
    "name_en": "Street map",
    "name_fr": "Plan des rues",
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "&copy; OpenStreetMap contributors",
    "max_zoom": 19,
}


def test_the_default_settings_pass(settings):
    assert check_map_settings() == []
    assert [entry["key"] for entry in settings.BASE_MAPS] == ["street", "imagery"]


@pytest.mark.parametrize(
    ("base_maps", "message"),
    [
        ([], "BASE_MAPS must be a non-empty list of base maps."),
        ({"key": "street"}, "BASE_MAPS must be a non-empty list of base maps."),
        (["street"], "BASE_MAPS entry 1 must be an object, not str."),
        ([{**STREET, "key": "Street Map"}], "BASE_MAPS entry 1 (Street Map): key must be"),
        (
            [STREET, STREET],
            "BASE_MAPS entry 2 (street): key 'street' is used by an earlier entry.",
        ),
        ([{**STREET, "name_fr": " "}], "BASE_MAPS entry 1 (street): name_fr must be a non-empty"),
        ([{**STREET, "url": "ftp://x/{z}/{x}/{y}"}], "entry 1 (street): url must be an http"),
        ([{**STREET, "url": "https://x/{z}/{x}.png"}], "url must contain {z}, {x} and {y}"),
        ([{**STREET, "url": "https://x/{z}/{x}/{y}{q}"}], "and no other placeholder"),
        ([{**STREET, "max_zoom": 30}], "max_zoom must be a whole number from 1 to 24."),
        ([{**STREET, "max_zoom": "19"}], "max_zoom must be a whole number from 1 to 24."),
    ],
)
def test_a_bad_base_map_is_named(base_maps, message):
    errors = base_map_errors(base_maps)
    assert any(message in error for error in errors), errors


def test_missing_and_unknown_fields_are_listed():
    entry = {key: value for key, value in STREET.items() if key not in ("url", "attribution")}
    entry["colour"] = "red"
    assert base_map_errors([STREET, entry]) == [
        "BASE_MAPS entry 2 (street) lacks attribution, url.",
        "BASE_MAPS entry 2 (street) has unknown fields colour.",
        "BASE_MAPS entry 2 (street): key 'street' is used by an earlier entry.",
    ]


@pytest.mark.parametrize(
    ("template", "valid"),
    [
        ("", True),
        ("https://www.google.com/maps/@?api=1&map_action=pano&viewpoint={lat},{lon}", True),
        ("http://example.com/?ll={lat},{lon}", False),
        ("https://example.com/?ll={lat}", False),
        ("https://example.com/?ll={lat},{lon}&z={zoom}", False),
        ("https://example.com/?ll={lat,{lon}", False),
    ],
)
def test_street_view_url(template, valid):
    assert (street_view_errors(template) == []) is valid


def test_the_system_check_stops_a_bad_setting(settings):
    settings.BASE_MAPS = [{**STREET, "max_zoom": 0}]
    settings.STREET_VIEW_URL = "https://example.com/"
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    text = str(raised.value)
    assert "servicepoints.E101" in text
    assert "BASE_MAPS entry 1 (street): max_zoom" in text
    assert "servicepoints.E102" in text


@pytest.mark.django_db
def test_the_map_page_hands_the_base_maps_and_street_view_to_the_script(client, analyst, settings):
    settings.BASE_MAPS = [STREET, {**STREET, "key": "topo", "name_fr": "Topographie"}]
    client.force_login(analyst)
    response = client.get("/fr/carte/")
    config = response.context["map_config"]
    assert [(b["key"], b["name"]) for b in config["basemaps"]] == [
        ("street", "Plan des rues"),
        ("topo", "Topographie"),
    ]
    assert config["street_view_url"] == settings.STREET_VIEW_URL
    assert 'name="base" value="topo"' in response.content.decode()
    json.dumps(config)  # the page embeds it as JSON
