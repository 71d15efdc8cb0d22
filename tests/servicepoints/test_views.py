"""The analyst map page: its addresses, access, and the configuration it hands to the script."""

import json
import re

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from servicepoints import views
from servicepoints.models import Organization

pytestmark = pytest.mark.django_db


def map_config(response):
    match = re.search(
        r'<script id="map-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page has no map-config"
    return json.loads(match.group(1))


def test_map_urls_round_trip():
    with translation.override("en"):
        assert reverse("maps:servicepoint_map") == "/en/map/"
    with translation.override("fr"):
        assert reverse("maps:servicepoint_map") == "/fr/carte/"
    for language, path in (("en", "/en/map/"), ("fr", "/fr/carte/"), ("fr", "/fr/map/")):
        with translation.override(language):
            assert resolve(path).func is views.servicepoint_map, path


def test_javascript_catalog_url():
    with translation.override("fr"):
        assert reverse("maps:javascript_catalog") == "/fr/jsi18n/"


@pytest.mark.parametrize("path", ["/en/map/", "/fr/carte/", "/fr/map/"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    language = path.split("/")[1]
    assert response["Location"] == f"/{language}/accounts/login/?next={path}"


def test_page_sets_up_the_map(client, analyst, ontario_point, federal_point, settings):
    settings.BASEMAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.BASEMAP_ATTRIBUTION = "© Example"
    client.force_login(analyst)

    response = client.get("/en/map/")

    assert response.status_code == 200
    config = map_config(response)
    assert config["basemap"] == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "© Example",
    }
    assert config["urls"]["points"] == "/api/servicepoints/"
    assert config["urls"]["point"] == "/api/servicepoints/{id}/"
    assert config["urls"]["tiles"].endswith("/{z}/{x}/{y}.pbf")
    assert config["urls"]["other_language_page"] == "/fr/carte/"
    choices = config["choices"]
    assert [level["code"] for level in choices["levels"]] == [
        "federal",
        "provincial",
        "territorial",
        "municipal",
    ]
    assert {"code": "postal_outlet", "label": "postal outlet"} in choices["kinds"]
    assert {"code": "open", "label": "open"} in choices["statuses"]
    assert choices["jurisdictions"][0]["code"] == "CA"  # federal first
    assert {o["code"] for o in choices["organizations"]} == {"serviceontario", "service-canada"}
    assert choices["languages"][:2] == [
        {"code": "en", "name": "English"},
        {"code": "fr", "name": "French"},
    ]
    page = response.content.decode()
    # Real labels for every filter, the tabs and the list.
    assert '<label for="filter-jurisdiction">' in page
    assert 'role="tablist"' in page
    assert '<script type="importmap" nonce="' in page
    assert "vendor/leaflet-1.9.4/leaflet-src.esm.js" in page


def test_page_in_french(client, analyst, ontario_point):
    client.force_login(analyst)

    response = client.get("/fr/carte/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr">' in page
    config = map_config(response)
    assert config["language"] == "fr"
    assert config["urls"]["other_language_page"] == "/en/map/"
    assert {"code": "postal_outlet", "label": "comptoir postal"} in config["choices"]["kinds"]
    assert {"code": "fr", "name": "Français"} in config["choices"]["languages"]
    assert 'src="/fr/jsi18n/"' in page


def test_choices_are_limited_to_what_the_user_may_read(
    client, ontario_editor, ontario_point, new_brunswick_point
):
    new_brunswick_point.languages = ["en", "fr", "mic"]
    new_brunswick_point.save()
    client.force_login(ontario_editor)

    config = map_config(client.get("/en/map/"))

    organizations = {o["code"] for o in config["choices"]["organizations"]}
    assert organizations == {"serviceontario"}
    assert "service-new-brunswick" in set(Organization.objects.values_list("code", flat=True))
    assert [j["code"] for j in config["choices"]["jurisdictions"]] == ["ON"]
    # Mi'kmaq is spoken only at a New Brunswick point, which this editor cannot read.
    assert {language["code"] for language in config["choices"]["languages"]} == {"en", "fr"}


def test_javascript_catalog_is_french(client):
    response = client.get("/fr/jsi18n/")
    assert response.status_code == 200
    assert "points dans la vue" in response.content.decode()
