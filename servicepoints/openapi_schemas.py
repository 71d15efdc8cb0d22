"""The component schemas of the OpenAPI document (openapi.py): the payloads the API answers
with, written by hand beside the views that build them (GeoJSON points, details, summaries,
census indicators, the table of areas)."""


def _object(properties, required=None, **extra):
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        **extra,
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
NULLABLE_STRING = {"type": ["string", "null"]}
CODE_LABEL = _object({"code": STRING, "label": STRING})
CODE_NAME = _object({"code": STRING, "name": STRING})
POINT_GEOMETRY = _object(
    {
        "type": {"const": "Point"},
        "coordinates": {"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 2},
    }
)


def _feature(properties):
    return _object(
        {
            "type": {"const": "Feature"},
            "id": INTEGER,
            "geometry": POINT_GEOMETRY,
            "properties": properties,
        }
    )


def _collection(feature, **extra):
    return _object(
        {
            "type": {"const": "FeatureCollection"},
            **extra,
            "features": {"type": "array", "items": feature},
        }
    )


def schemas():
    point_properties = _object(
        {
            "id": INTEGER,
            "name": STRING,
            "name_en": STRING,
            "name_fr": STRING,
            "organization": STRING,
            "organization_name": STRING,
            "level": STRING,
            "kind": STRING,
            "kind_label": STRING,
            "status": STRING,
            "community": STRING,
            "province": STRING,
            "postal_code": STRING,
            "bilingual": BOOLEAN,
            "languages": {"type": "array", "items": STRING},
        }
    )
    nearest_properties = {
        "allOf": [point_properties, _object({"distance_m": INTEGER})],
    }
    counts = {
        "type": "array",
        "items": _object({"code": STRING, "label": STRING, "count": INTEGER}),
    }
    return {
        "Error": _object(
            {
                "error": STRING,
                "parameters": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": STRING},
                },
            },
            required=["error"],
        ),
        "FeatureCollection": _collection({"type": "object"}),
        "PointCollection": _collection(
            _feature(point_properties), total=INTEGER, limit=INTEGER, offset=INTEGER
        ),
        "NearestCollection": _collection(_feature(nearest_properties)),
        "PlaceCollection": _collection(
            _feature(
                _object({"id": INTEGER, "name": STRING, "province": STRING, "population": INTEGER})
            )
        ),
        "Summary": _object(
            {
                "total": INTEGER,
                "by_level": counts,
                "by_organization": {
                    "type": "array",
                    "items": _object({"code": STRING, "name": STRING, "count": INTEGER}),
                },
                "by_kind": counts,
            }
        ),
        "SearchResults": _object(
            {
                "results": {
                    "type": "array",
                    "maxItems": 10,
                    "items": _object(
                        {
                            "type": {"enum": ["place", "postal_code", "service_point"]},
                            "label": STRING,
                            "lon": NUMBER,
                            "lat": NUMBER,
                            "bbox": {
                                "type": ["array", "null"],
                                "items": NUMBER,
                                "minItems": 4,
                                "maxItems": 4,
                            },
                            "id": {"type": ["integer", "null"]},
                        }
                    ),
                }
            }
        ),
        "PointDetail": _point_detail(),
        "AreaTable": _area_table(),
        **_indicator_schemas(),
    }


def _indicator_schemas():
    number_or_null = {"type": ["number", "null"]}
    level_count = _object(
        {"code": STRING, "area_year": INTEGER, "count": INTEGER, "available": INTEGER}
    )
    return {
        "IndicatorCatalogue": _object(
            {
                "indicators": {
                    "type": "array",
                    "items": _object(
                        {
                            "code": STRING,
                            "name": STRING,
                            "description": STRING,
                            "unit": STRING,
                            "unit_label": STRING,
                            "source": STRING,
                            "licence": STRING,
                            "source_url": STRING,
                            "years": {
                                "type": "array",
                                "items": _object(
                                    {
                                        "year": INTEGER,
                                        "levels": {"type": "array", "items": level_count},
                                    }
                                ),
                            },
                        }
                    ),
                },
                "levels": {
                    "type": "array",
                    "items": _object(
                        {"code": STRING, "name": STRING, "rank": INTEGER, "min_zoom": INTEGER}
                    ),
                },
            }
        ),
        "IndicatorValues": _object(
            {
                "indicator": _object({"code": STRING, "name": STRING, "unit": STRING}),
                "year": INTEGER,
                "level": _object({"code": STRING, "name": STRING, "min_zoom": INTEGER}),
                "area_year": INTEGER,
                "classification": STRING,
                "classes_requested": INTEGER,
                "classes": {
                    "type": "array",
                    "description": "Ascending; a value is in a class when lower < value <= "
                    "upper (the first class includes its lower bound, the smallest value).",
                    "items": _object({"lower": NUMBER, "upper": NUMBER, "count": INTEGER}),
                },
                "available": INTEGER,
                "not_available": INTEGER,
                "areas": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": INTEGER,
                            "code": STRING,
                            "name": STRING,
                            "value": number_or_null,
                            "status": {"enum": ["", "x", "..", "F"]},
                            "class": {
                                "type": ["integer", "null"],
                                "description": "Index in `classes`; null when not available.",
                            },
                        }
                    ),
                },
            }
        ),
    }


def _area_table():
    value = _object(
        {
            "value": {"type": ["number", "null"], "description": "Null: not available."},
            "status": {"enum": ["", "x", "..", "F"]},
            "status_label": NULLABLE_STRING,
            "year": {"type": ["integer", "null"]},
        }
    )
    return _object(
        {
            "level": CODE_NAME,
            "year": {"type": ["integer", "null"], "description": "Census year of the areas."},
            "indicators": {
                "type": "array",
                "items": _object(
                    {
                        "code": STRING,
                        "name": STRING,
                        "unit": STRING,
                        "unit_label": STRING,
                        "year": {"type": ["integer", "null"]},
                    }
                ),
            },
            "sort": STRING,
            "total": INTEGER,
            "page": INTEGER,
            "page_size": INTEGER,
            "areas": {
                "type": "array",
                "items": _object(
                    {
                        "id": INTEGER,
                        "code": STRING,
                        "name": STRING,
                        "province": STRING,
                        "values": {"type": "object", "additionalProperties": value},
                    }
                ),
            },
        }
    )


def _point_detail():
    day = _object(
        {
            "date": {"type": "string", "format": "date"},
            "weekday": STRING,
            "today": BOOLEAN,
            "intervals": {
                "type": "array",
                "items": {"type": "array", "items": STRING, "minItems": 2, "maxItems": 2},
            },
        }
    )
    return _object(
        {
            "id": INTEGER,
            "name": STRING,
            "name_en": STRING,
            "name_fr": STRING,
            "organization": CODE_NAME,
            "jurisdiction": _object({"code": STRING, "name": STRING, "level": STRING}),
            "kind": CODE_LABEL,
            "status": CODE_LABEL,
            "location": _object({"lon": NUMBER, "lat": NUMBER, "precision": STRING}),
            "address": _object(
                {"street": STRING, "community": STRING, "province": STRING, "postal_code": STRING}
            ),
            "phone": STRING,
            "website": STRING,
            "languages": {"type": "array", "items": CODE_NAME},
            "bilingual": BOOLEAN,
            "services": {"type": "array", "items": CODE_NAME},
            "opening_hours": _object(
                {
                    "text": STRING,
                    "timezone": STRING,
                    "open_now": {"type": ["boolean", "null"]},
                    "local_time": STRING,
                    "week": {
                        "type": "array",
                        "items": day,
                        "description": "The next 7 days from today on the point's clock; "
                        "empty when the point has no opening hours.",
                    },
                }
            ),
            "accessibility": {"type": "array", "items": CODE_LABEL},
            "photo": {
                "oneOf": [_object({"url": STRING, "description": STRING}), {"type": "null"}]
            },
            "last_verified": {"type": ["string", "null"], "format": "date"},
            "data_source": {
                "oneOf": [
                    _object({"name": STRING, "title": STRING, "is_demonstration": BOOLEAN}),
                    {"type": "null"},
                ]
            },
            "can_edit": BOOLEAN,
            "edit_url": NULLABLE_STRING,
        }
    )
