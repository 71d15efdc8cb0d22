"""The OpenAPI document: valid, covering every route, parameters generated from the forms."""

import re

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from servicepoints import openapi
from servicepoints.filters import PointFilter
from servicepoints.models import Kind, Level, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client, analyst):
    client.force_login(analyst)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return response.json()


def parameters(operation):
    return {parameter["name"]: parameter for parameter in operation["parameters"]}


def test_the_document_is_valid_openapi(schema):
    assert schema["openapi"].startswith("3.1")
    validate(schema)


def test_every_route_of_the_api_is_documented(schema):
    templates = [
        re.compile("^" + re.sub(r"\\{\w+\\}", r"[^/]+", re.escape(path)) + "$")
        for path in schema["paths"]
    ]
    routes = openapi.api_routes()
    assert {"layers/indicators/", "layers/values/"} <= {route for route, _pattern in routes}
    for _route, pattern in routes:
        url = reverse(f"api:{pattern.name}", kwargs=dict.fromkeys(pattern.pattern.converters, 1))
        assert any(template.match(url) for template in templates), url
    assert len(schema["paths"]) == len(routes) + 1  # and the tiles
    assert set(openapi.OPERATIONS) == {pattern.name for _route, pattern in routes}


def test_the_tiles_are_documented_with_the_same_filters(schema):
    operation = schema["paths"]["/tiles/servicepoints/{z}/{x}/{y}.pbf"]["get"]
    names = parameters(operation)
    assert {"z", "x", "y"} <= set(names)
    assert set(PointFilter.base_fields) <= set(names)
    assert "400" in operation["responses"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/servicepoints/",
        "/api/servicepoints/nearest/",
        "/api/servicepoints/summary/",
        "/api/servicepoints/export.csv",
        "/api/servicepoints/export.geojson",
    ],
)
def test_filter_parameters_come_from_the_form(schema, path):
    names = parameters(schema["paths"][path]["get"])
    assert set(PointFilter.base_fields) <= set(names)
    assert names["kind"]["schema"]["items"]["enum"] == sorted(Kind.values)
    assert names["level"]["schema"]["items"]["enum"] == sorted(Level.values)
    assert names["status"]["schema"]["items"]["enum"] == sorted(Status.values)
    assert names["bilingual"]["schema"] == {"type": "boolean"}
    assert names["kind"]["explode"] is False


def test_limits_are_those_the_server_enforces(schema):
    listing = parameters(schema["paths"]["/api/servicepoints/"]["get"])
    assert listing["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 10_000}
    assert "-name" in listing["sort"]["schema"]["enum"]
    nearest = parameters(schema["paths"]["/api/servicepoints/nearest/"]["get"])
    assert nearest["lon"]["required"] and nearest["lat"]["required"]
    assert nearest["n"]["schema"]["maximum"] == 50
    detail = schema["paths"]["/api/servicepoints/{id}/"]["get"]
    assert parameters(detail)["id"]["in"] == "path"
    assert "404" in detail["responses"]


def test_the_tile_zoom_limit_is_the_servers(schema):
    from servicepoints.tiles import points as tiles

    operation = schema["paths"]["/tiles/servicepoints/{z}/{x}/{y}.pbf"]["get"]
    assert parameters(operation)["z"]["schema"]["maximum"] == tiles.MAX_ZOOM
