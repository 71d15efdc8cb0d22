"""Staging and diff: the file's normalised rows beside the source's current points, in SQL.

The rows of a validated file are copied into the staging table `ImportRow` (COPY). The diff
joins them to the source's points on (data source, external id): new, changed (with the
fields that differ), unchanged, and the source's open points the file no longer has.

Only the fields the file gives (mapped columns or defaults for the whole file) are compared
and updated: a file without phone numbers leaves the points' phone numbers alone.
"""

import itertools
import json

from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from ..models import ImportChange, ImportRow, ServicePoint
from .mapping import DEFAULTABLE

POINTS = ServicePoint._meta.db_table
LINKS = ServicePoint.services.through._meta.db_table
ROWS = ImportRow._meta.db_table
CHANGES = ImportChange._meta.db_table

# The columns each mapped field feeds. The organization, the location and the province are
# always given (validation requires them).
FIELD_COLUMNS = {
    "name_en": ["name_en"],
    "name_fr": ["name_fr"],
    "kind": ["kind"],
    "status": ["status"],
    "street_address": ["street_address", "community", "postal_code"],
    "community": ["community"],
    "postal_code": ["postal_code"],
    "phone": ["phone"],
    "website": ["website"],
    "languages": ["languages"],
    "opening_hours": ["opening_hours"],
    "accessibility": ["accessibility"],
    "last_verified": ["last_verified"],
}
ALWAYS = ["organization_id", "location", "location_precision", "province_id"]
# Columns a new point gets from the staging row (the others take their empty defaults).
INSERTED = [
    "external_id",
    "organization_id",
    "kind",
    "status",
    "name_en",
    "name_fr",
    "location",
    "location_precision",
    "street_address",
    "community",
    "province_id",
    "postal_code",
    "phone",
    "website",
    "languages",
    "opening_hours",
    "timezone",
    "accessibility",
    "last_verified",
]
STAGED = [*INSERTED, "service_ids", "fingerprint"]


def compared_columns(mapping, defaults):
    """(point columns, services?) that this file's mapping and defaults give."""
    given = set(mapping) | {name for name in DEFAULTABLE if (defaults or {}).get(name)}
    columns = list(ALWAYS)
    for name, fed in FIELD_COLUMNS.items():
        if name in given:
            columns.extend(column for column in fed if column not in columns)
    return columns, "services" in given


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Records per COPY write: the server parses one chunk while the next is built.
CHUNK = 5000


def _text(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, list):
        # Array elements here are codes and ids: no quotes, commas or braces to escape.
        return "{" + ",".join(str(item) for item in value) + "}"
    return str(value)


def _escaped_line(run_id, r):
    """One record as a line of COPY's text format, every value escaped."""
    values = (
        r.line, r.external_id, r.organization_id, r.kind, r.status, r.name_en, r.name_fr,
        f"SRID=4326;POINT({r.lon!r} {r.lat!r})", r.location_precision, r.street_address,
        r.community, r.province_id, r.postal_code, r.phone, r.website, r.languages,
        r.opening_hours, r.timezone, r.accessibility, r.last_verified, r.service_ids,
        r.fingerprint,
    )  # fmt: skip
    return "\t".join([str(run_id), *(_text(value) for value in values)]) + "\n"


def _copy_text(run_id, records, arrays):
    """Records as lines of COPY's text format.

    Values go in as they are (escaping each one cost a second per 100,000 rows), then the
    chunk is checked: a tab, line break, carriage return or backslash in any value, or a
    value that was None, shows as one tab, line, backslash or "None" more than this code
    wrote. Such a chunk, rare, is written again with every value escaped. `arrays` caches the
    text of the (few distinct) language, accessibility and service lists.
    """

    def array(values):
        if values is None:
            return "None"  # seen below: the chunk is escaped, None becomes NULL
        key = tuple(values)
        text = arrays.get(key)
        if text is None:
            text = arrays[key] = "{" + ",".join(str(item) for item in values) + "}"
        return text

    null = "\\N"
    lines = [
        f"{run_id}\t{r.line}\t{r.external_id}\t{r.organization_id}\t{r.kind}\t{r.status}\t"
        f"{r.name_en}\t{r.name_fr}\tSRID=4326;POINT({r.lon!r} {r.lat!r})\t"
        f"{r.location_precision}\t{r.street_address}\t{r.community}\t{r.province_id}\t"
        f"{r.postal_code}\t{r.phone}\t{r.website}\t{array(r.languages)}\t"
        f"{r.opening_hours}\t{r.timezone}\t{array(r.accessibility)}\t"
        f"{null if r.last_verified is None else r.last_verified}\t{array(r.service_ids)}\t"
        f"{r.fingerprint}\n"
        for r in records
    ]
    text = "".join(lines)
    nulls = sum(1 for r in records if r.last_verified is None)
    if (
        text.count("\t") == (len(STAGED) + 1) * len(lines)
        and text.count("\n") == len(lines)
        and text.count("\\") == nulls
        and "\r" not in text
        and "None" not in text
    ):
        return text
    return "".join(_escaped_line(run_id, r) for r in records)


def stage(run, records, unchanged=()):
    """Replace the run's staging rows with these records (COPY in text format, lines built
    here: faster than psycopg's row-by-row adaptation), and the rows not checked again
    (`unchanged`: (external id, line)) with their points' current values."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ROWS} WHERE run_id = %s", [run.pk])  # noqa: S608
        columns = ", ".join(["run_id", "line", *STAGED])
        arrays = {}
        records = iter(records)
        # A thread sends each chunk while the next one is written: the server reads rows on
        # the other core meanwhile.
        raw = cursor.cursor
        statement = f"COPY {ROWS} ({columns}) FROM STDIN"  # noqa: S608
        with raw.copy(statement, writer=QueuedLibpqWriter(raw)) as copy:
            while chunk := list(itertools.islice(records, CHUNK)):
                copy.write(_copy_text(run.pk, chunk, arrays))
        if unchanged:
            _stage_unchanged(cursor, run, unchanged)
        # The planner needs the row count and rough distributions, not fine statistics.
        cursor.execute("SET LOCAL default_statistics_target = 10")
        cursor.execute(f"ANALYZE {ROWS}")  # noqa: S608
        cursor.execute("RESET default_statistics_target")


def _stage_unchanged(cursor, run, unchanged):
    """Rows identical to what made their points: staged as the points are (so the diff finds
    them unchanged and "missing" stays right), without checking them again."""
    columns = [c for c in STAGED if c not in ("service_ids", "fingerprint")]
    # Services matter only when the file gives them (compared) or for new points (not these).
    services = _services_of("p") if "services" in run.mapping else "'{}'"
    cursor.execute(
        f"""INSERT INTO {ROWS} (run_id, line, {", ".join(columns)}, service_ids, fingerprint,
                                from_point)
            SELECT %(run)s, u.line, {", ".join(f"p.{c}" for c in columns)},
                   {services}, p.import_fingerprint, true
            FROM unnest(%(ids)s::text[], %(lines)s::int[]) AS u(external_id, line)
            JOIN {POINTS} p ON p.data_source_id = %(source)s
                           AND p.external_id = u.external_id""",  # noqa: S608
        {
            "run": run.pk,
            "source": run.data_source_id,
            "ids": [external_id for external_id, _line in unchanged],
            "lines": [line for _external_id, line in unchanged],
        },
    )


def _services_of(alias):
    select = "SELECT coalesce(array_agg(l.service_id ORDER BY l.service_id), '{}')"
    return f"({select} FROM {LINKS} l WHERE l.servicepoint_id = {alias}.id)"


def diff_select(columns, services, *, where=""):
    """SELECT of (row_id, line, external_id, point_id, action, fields, moved_m) for a run
    (parameters: run id, data source id)."""
    checks = []
    for column in columns:
        if column == "location":
            checks.append("CASE WHEN NOT ST_Equals(p.location, r.location) THEN 'location' END")
        else:
            field = column.removesuffix("_id")
            checks.append(f"CASE WHEN p.{column} IS DISTINCT FROM r.{column} THEN '{field}' END")
    if services:
        checks.append(
            f"CASE WHEN {_services_of('p')} IS DISTINCT FROM r.service_ids THEN 'services' END"
        )
    fields = f"array_remove(ARRAY[{', '.join(checks)}]::text[], NULL)"
    # A point still carrying the fingerprint of its row (same cells, mapping and defaults as
    # the import that made it, and no change since: any other write forgets it) is unchanged
    # without comparing its columns: every row of an unchanged re-import.
    return f"""
        SELECT r.id AS row_id, r.line, r.external_id, p.id AS point_id,
               CASE WHEN p.id IS NULL THEN 'new'
                    WHEN cardinality(d.fields) > 0 THEN 'changed'
                    ELSE 'unchanged' END AS action,
               coalesce(d.fields, '{{}}') AS fields,
               CASE WHEN p.import_fingerprint = r.fingerprint THEN 0
                    ELSE ST_DistanceSphere(p.location, r.location) END AS moved_m
        FROM {ROWS} r
        LEFT JOIN {POINTS} p ON p.data_source_id = %(source)s AND p.external_id = r.external_id
        LEFT JOIN LATERAL (SELECT {fields} AS fields) d
            ON p.id IS NOT NULL AND p.import_fingerprint IS DISTINCT FROM r.fingerprint
        WHERE r.run_id = %(run)s {where}
    """  # noqa: S608


def missing_select():
    """Points of the source, not closed, whose external id the file does not have."""
    return f"""
        SELECT p.id AS point_id, p.external_id
        FROM {POINTS} p
        WHERE p.data_source_id = %(source)s AND p.status <> 'closed'
          AND (%(jurisdictions)s::bigint[] IS NULL OR p.organization_id IN (
                SELECT o.id FROM servicepoints_organization o
                WHERE o.jurisdiction_id = ANY(%(jurisdictions)s::bigint[])))
          AND NOT EXISTS (SELECT 1 FROM {ROWS} r
                          WHERE r.run_id = %(run)s AND r.external_id = p.external_id)
    """  # noqa: S608


def diff_params(run):
    jurisdictions = run.jurisdiction.ids_with_municipalities() if run.jurisdiction_id else None
    return {"run": run.pk, "source": run.data_source_id, "jurisdictions": jurisdictions}


def diff_counts(run):
    """{'new', 'changed', 'unchanged', 'missing'} and the rows that moved more than 5 km, from
    one pass over the diff."""
    columns, services = compared_columns(run.mapping, run.defaults)
    params = diff_params(run)
    # Rows staged from their points in this transaction are their points: unchanged, counted
    # without the join (0.3 s of an unchanged re-import). Call right after `stage`, in its
    # transaction; the preview and the apply compare every row (a point may change since).
    checked = diff_select(columns, services, where="AND NOT r.from_point")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH d AS MATERIALIZED ({checked})
                SELECT (SELECT json_object_agg(action, n)
                        FROM (SELECT action, count(*) AS n FROM d GROUP BY action) c),
                       (SELECT json_agg(json_build_array(line, external_id, moved_m)
                                        ORDER BY line)
                        FROM d WHERE moved_m > 5000),
                       (SELECT count(*) FROM ({missing_select()}) m),
                       (SELECT count(*) FROM {ROWS} r
                        WHERE r.run_id = %(run)s AND r.from_point)""",  # noqa: S608
            params,
        )
        by_action, moved, missing, from_points = cursor.fetchone()
    counts = {"new": 0, "changed": 0, "unchanged": 0, **(_json(by_action) or {})}
    counts["unchanged"] += from_points
    counts["missing"] = missing
    return counts, [tuple(row) for row in _json(moved) or []]


def diff_page(run, action, *, limit=50, offset=0):
    """Rows of the diff for the preview: line, external id, point id, fields, and for each
    changed field its value before and after."""
    columns, services = compared_columns(run.mapping, run.defaults)
    params = {**diff_params(run), "limit": limit, "offset": offset}
    with connection.cursor() as cursor:
        if action == "missing":
            cursor.execute(
                f"""SELECT m.point_id, m.external_id, p.name_en, p.name_fr, p.status,
                           ST_X(p.location), ST_Y(p.location)
                    FROM ({missing_select()}) m JOIN {POINTS} p ON p.id = m.point_id
                    ORDER BY m.external_id LIMIT %(limit)s OFFSET %(offset)s""",  # noqa: S608
                params,
            )
            keys = ["point_id", "external_id", "name_en", "name_fr", "status", "lon", "lat"]
            return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute(
            f"""SELECT d.line, d.external_id, d.point_id, d.fields, d.moved_m,
                       to_jsonb(p) - 'location' || jsonb_build_object(
                           'location', ST_AsText(p.location), 'services', {_services_of("p")}),
                       to_jsonb(r) - 'location' || jsonb_build_object(
                           'location', ST_AsText(r.location), 'services', r.service_ids),
                       ST_X(r.location), ST_Y(r.location)
                FROM ({diff_select(columns, services)}) d
                JOIN {ROWS} r ON r.id = d.row_id
                LEFT JOIN {POINTS} p ON p.id = d.point_id
                WHERE d.action = %(action)s
                ORDER BY d.line LIMIT %(limit)s OFFSET %(offset)s""",  # noqa: S608
            {**params, "action": action},
        )
        rows = []
        for line, external_id, point_id, fields, moved, before, after, lon, lat in cursor:
            before, after = _json(before), _json(after)
            rows.append(
                {
                    "line": line,
                    "external_id": external_id,
                    "point_id": point_id,
                    "name": after["name_en"],
                    "lon": lon,
                    "lat": lat,
                    "moved_m": moved,
                    "changes": [
                        (field, _value(before, field), _value(after, field)) for field in fields
                    ],
                }
            )
        return rows


def _json(value):
    # Django has psycopg hand jsonb over as text (JSONField decodes it itself).
    return json.loads(value) if isinstance(value, str) else value


def _value(row, field):
    if row is None:
        return None
    for key in (field, f"{field}_id"):
        if key in row:
            return row[key]
    return None


def drop_staging(run):
    ImportRow.objects.filter(run=run).delete()
