"""Exports of a selection of service points: CSV for spreadsheets, GeoJSON for GIS software.

Both stream the whole selection (no page limit) through a server-side cursor, so memory stays
flat at 100,000 rows: CSV rows go through Python's csv module, GeoJSON features are written by
PostgreSQL and only joined here.
"""

import csv

from django.db import connection
from django.db.models import F, FloatField, Func

from .geojson import DECIMALS, JURISDICTIONS, ORGANIZATIONS, POINTS
from .models import DataSource

DATA_SOURCES = DataSource._meta.db_table

CHUNK_SIZE = 2_000

# (CSV header, ORM path): the columns of both exports, in order.
COLUMNS = [
    ("id", "pk"),
    ("name_en", "name_en"),
    ("name_fr", "name_fr"),
    ("organization", "organization__code"),
    ("level", "organization__jurisdiction__level"),
    ("kind", "kind"),
    ("status", "status"),
    ("street_address", "street_address"),
    ("community", "community"),
    ("province", "province__code"),
    ("postal_code", "postal_code"),
    ("phone", "phone"),
    ("website", "website"),
    ("languages", "languages"),
    ("bilingual", "bilingual"),
    ("opening_hours", "opening_hours"),
    ("longitude", "longitude"),
    ("latitude", "latitude"),
    ("last_verified", "last_verified"),
    ("data_source", "data_source__name"),
    ("external_id", "external_id"),
]
HEADER = [name for name, _path in COLUMNS]

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(text):
    """Text a spreadsheet shows as text: a leading formula character gets a ' before it.

    Only for text columns. Numbers are written as numbers and never pass through here: a
    negative longitude such as -75.69 would otherwise become the text '-75.69. Phone numbers
    are text and start with "+1", so they do get the quote, as OWASP recommends.
    """
    if text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        return neutralize(",".join(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralize(str(value))


def csv_rows(queryset):
    """The header and one row per point of the queryset, as CSV lines (UTF-8 with a BOM, so
    that spreadsheet programs read the accents of French names correctly)."""
    rows = (
        queryset.annotate(
            longitude=Func(F("location"), function="ST_X", output_field=FloatField()),
            latitude=Func(F("location"), function="ST_Y", output_field=FloatField()),
        )
        .order_by("pk")
        .values_list(*(path for _name, path in COLUMNS))
    )
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow([_cell(value) for value in row])


def geojson_chunks(queryset):
    """A GeoJSON FeatureCollection of the queryset, in pieces, every column as a property.

    Each feature is written by PostgreSQL (`ST_AsGeoJSON(record)`) and read through a
    server-side cursor, CHUNK_SIZE at a time.
    """
    selected_sql, selected_params = queryset.order_by().values("pk").query.sql_with_params()
    sql = f"""
        SELECT '{{"id":' || point.id || ',' ||
               substr(ST_AsGeoJSON(point.*, 'geom', {DECIMALS}), 2)
        FROM (
            SELECT sp.id, sp.name_en, sp.name_fr, o.code AS organization, j.level, sp.kind,
                   sp.status, sp.street_address, sp.community, p.code AS province,
                   sp.postal_code, sp.phone, sp.website, sp.languages, sp.bilingual,
                   sp.opening_hours, sp.last_verified, ds.name AS data_source, sp.external_id,
                   sp.location AS geom
            FROM {POINTS} sp
            JOIN {ORGANIZATIONS} o ON o.id = sp.organization_id
            JOIN {JURISDICTIONS} j ON j.id = o.jurisdiction_id
            JOIN {JURISDICTIONS} p ON p.id = sp.province_id
            LEFT JOIN {DATA_SOURCES} ds ON ds.id = sp.data_source_id
            WHERE sp.id IN ({selected_sql})
            ORDER BY sp.id
        ) point
    """  # noqa: S608 -- the inner SQL is Django's; values are parameters
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, selected_params)
        while rows := cursor.fetchmany(CHUNK_SIZE):
            yield separator + ",".join(row[0] for row in rows)
            separator = ","
    yield "]}"
