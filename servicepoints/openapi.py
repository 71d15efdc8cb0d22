"""The OpenAPI 3.1 document of the JSON API and the vector tiles, generated at request time.

Query parameters are generated from the forms the views validate with (`PointFilter` and its
extensions in `api.py`): names, types, limits and the enums of fixed choices come from the
fields, so the document cannot drift from what the server accepts. Paths come from
`api_urls.urlpatterns`; each route needs an entry in OPERATIONS. The payloads' component
schemas are in `openapi_schemas.py`. The descriptions are written for developers, in English.
"""

import re

from django import forms
from django.conf import settings
from django.urls import URLResolver, reverse
from django.urls.converters import IntConverter

from . import api
from .analysis import scenarios_api, underserved_api
from .analysis.forecast import api as channels_api
from .filters import BBoxField, CodeListField, PointFilter
from .layers import api as layers_api
from .layers import bivariate, table_api
from .layers.vulnerability import api as vulnerability_api
from .openapi_schemas import schemas

DESCRIPTIONS = {
    "bbox": "Only points inside this box: west,south,east,north in EPSG:4326 degrees.",
    "jurisdiction": "Jurisdiction codes (CA, ON, ON-OTTAWA…) of the organizations.",
    "level": "Levels of government running the points.",
    "organization": "Organization codes (service-canada, serviceontario…).",
    "kind": "Kinds of service point.",
    "service": "Service codes; points offering any of them.",
    "language": "ISO 639 codes (en, fr, iu…; three-letter codes accepted); points serving "
    "in any of them.",
    "status": "Statuses of the points.",
    "bilingual": "Points serving in both English and French (true) or not (false).",
    "open_now": "Points open at this moment in their own time zone (true) or not (false).",
    "province": "Codes of the provinces and territories the points lie in.",
    "q": "Text in either name, the community, or the start of a postal code (K1P, K1P 1J1).",
    "limit": "How many features to return.",
    "offset": "How many features of the ordered selection to skip.",
    "sort": "Sort order; '-' first for descending. Ties are broken by name, then id.",
    "lon": "Longitude of the place to look from (EPSG:4326).",
    "lat": "Latitude of the place to look from (EPSG:4326).",
    "n": "How many points to return.",
    "min_population": "Only places with at least this population.",
    "indicator": "Indicator code (see /api/layers/indicators/).",
    "year": "Year of the values (the census year of the areas).",
    "classification": "How class bounds are computed (mapclassify), over available values "
    "only; default quantiles.",
    "classes": "How many classes (fewer when there are fewer distinct values); default 5.",
    "format": "json (default), csv or xlsx (an attachment of the same values).",
    "point_level": "Levels of government running the points (the bivariate view, where "
    "`level` is the area level).",
}

# Route name in api_urls -> (summary, form of the query parameters, response).
OPERATIONS = {
    "servicepoint_list": (
        "Service points as GeoJSON, a page at a time, with the total count",
        api.ListFilter,
        ("application/geo+json", "PointCollection"),
    ),
    "servicepoint_nearest": (
        "The service points nearest to a place, with their distance in metres",
        api.NearestFilter,
        ("application/geo+json", "NearestCollection"),
    ),
    "servicepoint_summary": (
        "Counts of the selected points by level, organization and kind",
        PointFilter,
        ("application/json", "Summary"),
    ),
    "servicepoint_export_csv": (
        "The whole selection as a CSV attachment",
        PointFilter,
        ("text/csv", None),
    ),
    "servicepoint_export_geojson": (
        "The whole selection as a GeoJSON attachment, every column a property",
        PointFilter,
        ("application/geo+json", "FeatureCollection"),
    ),
    "servicepoint_detail": (
        "One service point with all its public details",
        None,
        ("application/json", "PointDetail"),
    ),
    "location_search": (
        "Places, postal areas and service points matching a text",
        api.SearchQuery,
        ("application/json", "SearchResults"),
    ),
    "populatedplace_list": (
        "Populated places as GeoJSON, largest first",
        api.PlaceFilter,
        ("application/geo+json", "PlaceCollection"),
    ),
    "layer_bivariate": (
        "Digital vulnerability × distance to the nearest in-person point: each area's "
        "tercile classes (A1…C3) and the 3×3 counts",
        bivariate.BivariateFilter,
        ("application/json", None),
    ),
    "layer_vulnerability": (
        "The digital vulnerability index of a level and year: how many areas have one and "
        "why the others do not, or (area=CODE) one area's index and each component's raw "
        "value, score and weight, computed or imported",
        vulnerability_api.VulnerabilityQuery,
        ("application/json", None),
    ),
    "layer_area_list": (
        "Census areas in a box with the values of chosen indicators, a page at a time",
        table_api.AreaTableQuery,
        ("application/json", "AreaTable"),
    ),
    "layer_area_export_csv": (
        "The whole table of areas as a CSV attachment (not-available values in words)",
        table_api.AreaTableQuery,
        ("text/csv", None),
    ),
    "layer_area_export_xlsx": (
        "The whole table of areas as an Excel workbook (values as numbers)",
        table_api.AreaTableQuery,
        (table_api.XLSX, None),
    ),
    "underserved_list": (
        "Communities farther than a distance from every selected point, ranked by population "
        "× digital vulnerability rank (format=csv or xlsx: the same list as an attachment)",
        underserved_api.UnderservedQuery,
        ("application/json", None),
    ),
    "channel_list": (
        "Lines of business of the call and processing centres: monthly calls handled and "
        "average wait, and (forecast=false leaves it out) a forecast with prediction "
        "intervals, a back-test of the last 12 known months beside the seasonal-naive guess "
        "(MAPE of both, percent), the breaks (renamed, discontinued, regrouped, pandemic)",
        channels_api.ChannelsQuery,
        ("application/json", None),
    ),
    "whatif_evaluate": (
        "What if sites were added or points closed: coverage nationally and by province, "
        "per band, the people newly covered and no longer covered, and the underserved "
        "communities, computed as a delta on the cached current network",
        scenarios_api.WhatIfQuery,
        ("application/json", None),
    ),
    "site_suggestion": (
        "The k sites (populated places and/or other organizations' points) covering the most "
        "people beyond the distance, solved exactly (HiGHS), with each pick's gain and the "
        "optimality gap",
        scenarios_api.SuggestQuery,
        ("application/json", None),
    ),
    "scenario_list": ("Your saved what-if scenarios", None, ("application/json", None)),
    "scenario_detail": ("One of your scenarios", None, ("application/json", None)),
    "scenario_shared": (
        "A scenario read by its share link (anyone signed in who has the link)",
        None,
        ("application/json", None),
    ),
    "schema": ("This document", None, ("application/json", None)),
    "indicator_list": (
        "The census indicators, with the years and levels that have values",
        None,
        ("application/json", "IndicatorCatalogue"),
    ),
    "indicator_values": (
        "The values of an indicator for a year and a level, classified for a choropleth "
        "(format=csv or xlsx: the same values as an attachment)",
        layers_api.ValuesQuery,
        ("application/json", "IndicatorValues"),
    ),
}

# Routes that also write (JSON bodies, the session's CSRF token): method -> summary.
WRITES = {
    "scenario_list": {
        "post": "Save a new scenario (JSON: name, filters, within_km, sites, "
        "closed); 201 with the scenario"
    },
    "scenario_detail": {
        "put": "Replace one of your scenarios (JSON as for POST)",
        "patch": "Change some fields of one of your scenarios",
        "delete": "Delete one of your scenarios",
    },
}
SCENARIO_BODY = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 200},
        "filters": {"type": "object", "description": "The map's filters as query parameters."},
        "within_km": {"type": "number", "minimum": 0.1, "maximum": 2000},
        "sites": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "kind": {"type": "string"},
                    "lon": {"type": "number"},
                    "lat": {"type": "number"},
                },
                "required": ["name", "lon", "lat"],
            },
        },
        "closed": {"type": "array", "items": {"type": "integer"}},
    },
}

TILE_PATH = "/tiles/servicepoints/{z}/{x}/{y}.pbf"


def field_schema(field):
    """The JSON Schema of a form field's query parameter."""
    if hasattr(field, "openapi_schema"):
        return dict(field.openapi_schema)
    if isinstance(field, CodeListField):
        items = {"type": "string"}
        if isinstance(field.choices, set | list | tuple):
            items["enum"] = sorted(field.choices)
        return {"type": "array", "items": items}
    if isinstance(field, BBoxField):
        number = r"-?\d+(\.\d+)?"
        return {
            "type": "string",
            "pattern": rf"^{number},{number},{number},{number}$",
            "examples": ["-76.0,45.2,-75.4,45.6"],
        }
    if isinstance(field, forms.NullBooleanField):
        return {"type": "boolean"}
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [value for value, _label in field.choices]}
    if isinstance(field, forms.FloatField | forms.IntegerField):
        schema = {"type": "number" if isinstance(field, forms.FloatField) else "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        return schema
    if isinstance(field, forms.CharField):
        schema = {"type": "string"}
        if field.min_length is not None:
            schema["minLength"] = field.min_length
        if field.max_length is not None:
            schema["maxLength"] = field.max_length
        return schema
    raise TypeError(f"No OpenAPI schema for the form field {field!r}: add one here.")


def form_parameters(form_class):
    """The query parameters of a form, in its field order."""
    parameters = []
    for name, field in form_class.base_fields.items():
        parameter = {
            "name": name,
            "in": "query",
            "required": field.required,
            "description": str(field.help_text)
            or getattr(form_class, "descriptions", {}).get(name)
            or DESCRIPTIONS.get(name, ""),
            "schema": field_schema(field),
        }
        if isinstance(field, CodeListField):
            # Comma-separated (kind=centre,kiosk); repeating the parameter also works.
            parameter.update(style="form", explode=False)
        parameters.append(parameter)
    return parameters


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }


def _responses(media_type, schema_name, *, parameters):
    if schema_name:
        schema = _ref(schema_name)
    else:
        schema = {"type": "object"} if media_type == "application/json" else {"type": "string"}
    responses = {
        "200": {"description": "OK", "content": {media_type: {"schema": schema}}},
        "401": _error("Not signed in."),
    }
    if parameters:
        responses["400"] = _error("A parameter is not valid; `parameters` names it.")
    return responses


def _openapi_path(route):
    """'servicepoints/<int:id>/' becomes 'servicepoints/{id}/'."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def api_routes(patterns=None, prefix=""):
    """(route, pattern) of every endpoint of api_urls, included modules flattened: the route
    is the text after /api/ ("layers/values/")."""
    if patterns is None:
        from .api_urls import urlpatterns as patterns
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes += api_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            routes.append((prefix + str(pattern.pattern), pattern))
    return routes


def api_paths():
    prefix = reverse("api:schema").removesuffix("schema/")
    paths = {}
    for route, pattern in api_routes():
        summary, form_class, (media_type, schema_name) = OPERATIONS[pattern.name]
        parameters = form_parameters(form_class) if form_class else []
        path_parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "integer" if isinstance(converter, IntConverter) else "string"},
            }
            for name, converter in pattern.pattern.converters.items()
        ]
        operation = {
            "operationId": pattern.name,
            "summary": summary,
            "parameters": path_parameters + parameters,
            "responses": _responses(media_type, schema_name, parameters=parameters),
        }
        if path_parameters:
            operation["responses"]["404"] = _error("No such point, or not readable by you.")
        if pattern.name in ("indicator_values",):
            operation["responses"]["404"] = _error("No value for this year and level.")
        if pattern.name in ("scenario_detail", "scenario_shared"):
            operation["responses"]["404"] = _error("No such scenario (or not yours).")
        methods = {"get": operation}
        for method, write_summary in WRITES.get(pattern.name, {}).items():
            write = {
                "operationId": f"{pattern.name}_{method}",
                "summary": write_summary,
                "parameters": path_parameters,
                "responses": {
                    "200" if method != "post" else "201": {
                        "description": "The scenario",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": _error("A field is not valid; `parameters` names it."),
                    "401": _error("Not signed in."),
                },
            }
            if method == "delete":
                write["responses"] = {"204": {"description": "Deleted"},
                                      "401": _error("Not signed in.")}  # fmt: skip
            else:
                write["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": SCENARIO_BODY}},
                }
            if path_parameters:
                write["responses"]["404"] = _error("No such scenario of yours.")
            methods[method] = write
        paths[prefix + _openapi_path(route)] = methods
    return paths


def _max_zoom():
    try:
        from .tiles.points import MAX_ZOOM
    except ImportError:  # the tiles are written separately; the document still validates
        return None
    return MAX_ZOOM


def tile_path():
    zoom = {"type": "integer", "minimum": 0}
    if _max_zoom() is not None:
        zoom["maximum"] = _max_zoom()
    coordinates = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": description,
            "schema": schema,
        }
        for name, description, schema in [
            ("z", "Zoom level.", zoom),
            ("x", "Column from the west, 0 to 2^z - 1.", {"type": "integer", "minimum": 0}),
            ("y", "Row from the north, 0 to 2^z - 1.", {"type": "integer", "minimum": 0}),
        ]
    ]
    return {
        TILE_PATH: {
            "get": {
                "operationId": "servicepoint_tile",
                "summary": "A Mapbox vector tile of the selected points (layer servicepoints)",
                "parameters": coordinates + form_parameters(PointFilter),
                "responses": {
                    "200": {
                        "description": "The tile (empty when no point is in it), with an ETag.",
                        "content": {
                            "application/vnd.mapbox-vector-tile": {
                                "schema": {"type": "string", "format": "binary"}
                            }
                        },
                    },
                    "304": {"description": "The tile has not changed (If-None-Match)."},
                    "400": _error("z/x/y out of range or a filter not valid."),
                    "401": _error("Not signed in."),
                },
            }
        }
    }


def openapi_schema():
    """The OpenAPI 3.1 document, as a dict ready for JSON."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Service Network Map API",
            "version": "1",
            "description": "Service points of Canada's governments for signed-in staff. "
            "Responses follow Accept-Language (English or French). Every endpoint needs a "
            "session: sign in on the site first.",
        },
        "servers": [{"url": "/"}],
        "security": [{"session": []}],
        "paths": {**api_paths(), **tile_path()},
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
            },
        },
    }
