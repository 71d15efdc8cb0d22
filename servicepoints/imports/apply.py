"""Staging, diff, apply and undo: set-based SQL over the staging table `ImportRow`.

The rows of a validated file are copied into the staging table (COPY). The diff joins them
to the source's current points on (data source, external id). Apply runs in one transaction:
it keeps every touched point's state before in `ImportChange`, then inserts,
updates and (when asked) closes points with one statement each; the history triggers record
every change with the import run in their context. Undo puts the "before" states back.

Only the fields the file gives (mapped columns or defaults for the whole file) are compared
and updated: a file without phone numbers leaves the points' phone numbers alone.
"""

import json

from django.db import connection

from ..models import ImportChange, ImportRow, ServicePoint
from . import events
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
STAGED = [*INSERTED, "service_ids"]


def compared_columns(mapping, defaults):
    """(point columns, services?) that this file's mapping and defaults give."""
    given = set(mapping) | {name for name in DEFAULTABLE if (defaults or {}).get(name)}
    columns = list(ALWAYS)
    for name, fed in FIELD_COLUMNS.items():
        if name in given:
            columns.extend(column for column in fed if column not in columns)
    return columns, "services" in given


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


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


def stage(run, records):
    """Replace the run's staging rows with these records (COPY, text lines built here: about
    three times faster than psycopg's row-by-row adaptation)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ROWS} WHERE run_id = %s", [run.pk])  # noqa: S608
        columns = ", ".join(["run_id", "line", *STAGED])
        prefix = f"{run.pk}\t"
        with cursor.cursor.copy(f"COPY {ROWS} ({columns}) FROM STDIN") as copy:  # noqa: S608
            lines = []
            for r in records:
                lines.append(
                    prefix
                    + "\t".join(
                        (
                            str(r.line),
                            _text(r.external_id),
                            str(r.organization_id),
                            r.kind,
                            r.status,
                            _text(r.name_en),
                            _text(r.name_fr),
                            f"SRID=4326;POINT({r.lon!r} {r.lat!r})",
                            r.location_precision,
                            _text(r.street_address),
                            _text(r.community),
                            str(r.province_id),
                            _text(r.postal_code),
                            _text(r.phone),
                            _text(r.website),
                            _text(r.languages),
                            _text(r.opening_hours),
                            _text(r.timezone),
                            _text(r.accessibility),
                            _text(r.last_verified),
                            _text(r.service_ids),
                        )
                    )
                    + "\n"
                )
                if len(lines) >= 5000:
                    copy.write("".join(lines))
                    lines = []
            copy.write("".join(lines))
        cursor.execute(f"ANALYZE {ROWS}")  # noqa: S608


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
    return f"""
        SELECT r.id AS row_id, r.line, r.external_id, p.id AS point_id,
               CASE WHEN p.id IS NULL THEN 'new'
                    WHEN cardinality(d.fields) > 0 THEN 'changed'
                    ELSE 'unchanged' END AS action,
               coalesce(d.fields, '{{}}') AS fields,
               ST_DistanceSphere(p.location, r.location) AS moved_m
        FROM {ROWS} r
        LEFT JOIN {POINTS} p ON p.data_source_id = %(source)s AND p.external_id = r.external_id
        LEFT JOIN LATERAL (SELECT {fields} AS fields) d ON p.id IS NOT NULL
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
    jurisdictions = None
    if run.jurisdiction_id:
        jurisdictions = [
            run.jurisdiction_id,
            *run.jurisdiction.municipalities.values_list("pk", flat=True),
        ]
    return {"run": run.pk, "source": run.data_source_id, "jurisdictions": jurisdictions}


def diff_counts(run):
    """{'new', 'changed', 'unchanged', 'missing'} and the rows that moved more than 5 km."""
    columns, services = compared_columns(run.mapping, run.defaults)
    params = diff_params(run)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT action, count(*) FROM ({diff_select(columns, services)}) d "  # noqa: S608
            "GROUP BY action",
            params,
        )
        counts = {"new": 0, "changed": 0, "unchanged": 0, **dict(cursor.fetchall())}
        cursor.execute(f"SELECT count(*) FROM ({missing_select()}) m", params)  # noqa: S608
        counts["missing"] = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT line, external_id, moved_m FROM ({diff_select(columns, services)}) d "  # noqa: S608
            "WHERE moved_m > 5000 ORDER BY line",
            params,
        )
        moved = cursor.fetchall()
    return counts, moved


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


def _snapshot(alias):
    return (
        f"to_jsonb({alias}) - 'mercator_x' - 'mercator_y' - 'bilingual' || jsonb_build_object("
        f"'location', ST_AsEWKT({alias}.location), 'service_ids', {_services_of(alias)})"
    )


def apply(run, *, close_missing, progress=lambda step, share: None):
    """Apply the run's staged rows to its data source's points. Call inside a transaction.

    Returns the counts of what was done.
    """
    assert connection.in_atomic_block, "apply() must run inside one transaction"
    columns, services = compared_columns(run.mapping, run.defaults)
    params = diff_params(run)
    with connection.cursor() as cursor, events.triggers_off(cursor):
        # Writers of service points queue on this row (every statement bumps it); taking it
        # first means this transaction never waits for it while holding point rows.
        cursor.execute(
            "SELECT version FROM servicepoints_dataversion WHERE name = 'servicepoints' FOR UPDATE"
        )
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext('import'), %s)", [run.data_source_id]
        )
        history = events.BulkHistory(
            cursor, {**events.current_context_metadata(), "import_run": run.pk}
        )
        cursor.execute("DROP TABLE IF EXISTS import_diff")
        cursor.execute(
            f"CREATE TEMP TABLE import_diff ON COMMIT DROP AS {diff_select(columns, services)}",  # noqa: S608
            params,
        )
        cursor.execute("CREATE INDEX ON import_diff (action, point_id)")
        cursor.execute("ANALYZE import_diff")
        progress("snapshot", 10)
        # Before: the state of every point this run changes or closes.
        cursor.execute(
            f"""INSERT INTO {CHANGES} (run_id, service_point_id, external_id, line, action,
                                       fields, before)
                SELECT %(run)s, p.id, p.external_id, d.line, 'updated', d.fields,
                       {_snapshot("p")}
                FROM import_diff d JOIN {POINTS} p ON p.id = d.point_id
                WHERE d.action = 'changed'""",  # noqa: S608
            params,
        )
        if close_missing:
            cursor.execute(
                f"""INSERT INTO {CHANGES} (run_id, service_point_id, external_id, action,
                                           fields, before)
                    SELECT %(run)s, p.id, p.external_id, 'closed', ARRAY['status'],
                           {_snapshot("p")}
                    FROM ({missing_select()}) m JOIN {POINTS} p ON p.id = m.point_id""",  # noqa: S608
                params,
            )
        progress("update", 25)
        assignments = [f"{column} = r.{column}" for column in columns]
        assignments.append(
            "timezone = CASE WHEN ST_Equals(p.location, r.location) THEN p.timezone "
            "ELSE r.timezone END"
        )
        assignments.append("updated_at = statement_timestamp()")
        cursor.execute(
            f"""UPDATE {POINTS} p SET {", ".join(assignments)}
                FROM import_diff d JOIN {ROWS} r ON r.id = d.row_id
                WHERE d.action = 'changed' AND p.id = d.point_id""",  # noqa: S608
        )
        updated = cursor.rowcount
        progress("insert", 45)
        inserted_columns = ", ".join(INSERTED)
        cursor.execute(
            f"""WITH inserted AS (
                    INSERT INTO {POINTS} ({inserted_columns}, data_source_id, photo,
                                          photo_description, updated_at)
                    SELECT {", ".join(f"r.{c}" for c in INSERTED)}, %(source)s, '', '',
                           statement_timestamp()
                    FROM import_diff d JOIN {ROWS} r ON r.id = d.row_id
                    WHERE d.action = 'new'
                    RETURNING id, external_id)
                INSERT INTO {CHANGES} (run_id, service_point_id, external_id, line, action,
                                       fields)
                SELECT %(run)s, i.id, i.external_id, r.line, 'created', '{{}}'
                FROM inserted i JOIN {ROWS} r
                     ON r.run_id = %(run)s AND r.external_id = i.external_id""",  # noqa: S608
            params,
        )
        created = cursor.rowcount
        closed = 0
        if close_missing:
            cursor.execute(
                f"""UPDATE {POINTS} p SET status = 'closed', updated_at = statement_timestamp()
                    FROM {CHANGES} c
                    WHERE c.run_id = %(run)s AND c.action = 'closed'
                      AND p.id = c.service_point_id""",  # noqa: S608
                params,
            )
            closed = cursor.rowcount
        progress("services", 60)
        if services:
            _replace_services(history, params)
        _add_new_services(history, params)
        progress("history", 70)
        changes_of = f"SELECT service_point_id FROM {CHANGES} WHERE run_id = %(run)s"  # noqa: S608
        history.points("insert", f"{changes_of} AND action = 'created'", params)
        history.points("update", f"{changes_of} AND action <> 'created'", params)
        run.last_point_event, run.last_link_event = history.marks()
        progress("hours", 80)
        cursor.execute("DROP TABLE import_diff")
    # Schedules (hours + time zone) that no point had before get their periods computed.
    touched = ImportChange.objects.filter(run_id=run.pk).values("service_point_id")
    ServicePoint.objects.filter(pk__in=touched).ensure_opening_periods()
    progress("done", 100)
    return {"created": created, "updated": updated, "closed": closed}


def _replace_services(history, params):
    """Links of changed points whose services differ: removed and added as the file says."""
    condition = "d.action = 'changed' AND 'services' = ANY(d.fields)"
    history.links(
        events.LINK_REMOVE,
        f"""DELETE FROM {LINKS} l USING import_diff d, {ROWS} r
            WHERE {condition} AND r.id = d.row_id AND l.servicepoint_id = d.point_id
              AND NOT l.service_id = ANY(r.service_ids)
            RETURNING l.id, l.servicepoint_id, l.service_id""",  # noqa: S608
        params,
    )
    history.links(
        events.LINK_ADD,
        f"""INSERT INTO {LINKS} (servicepoint_id, service_id)
            SELECT d.point_id, s.service_id
            FROM import_diff d JOIN {ROWS} r ON r.id = d.row_id,
                 unnest(r.service_ids) AS s(service_id)
            WHERE {condition}
            ON CONFLICT DO NOTHING
            RETURNING id, servicepoint_id, service_id""",  # noqa: S608
        params,
    )


def _add_new_services(history, params):
    history.links(
        events.LINK_ADD,
        f"""INSERT INTO {LINKS} (servicepoint_id, service_id)
            SELECT c.service_point_id, s.service_id
            FROM {CHANGES} c JOIN {ROWS} r ON r.run_id = c.run_id AND r.line = c.line,
                 unnest(r.service_ids) AS s(service_id)
            WHERE c.run_id = %(run)s AND c.action = 'created'
            RETURNING id, servicepoint_id, service_id""",  # noqa: S608
        params,
    )


RESTORED = [c for c in INSERTED if c != "external_id"] + ["updated_at"]
# What hangs on a service point, deleted with it when undo removes the points a run created
# (a test fails when a new relation appears, so that this list is kept complete).
DEPENDENTS = {LINKS: "servicepoint_id"}


def conflicts(run):
    """External ids of points this run touched that changed since, so that undoing the run
    would lose that change: the point is gone, its services changed, or it has later history
    events and its state differs from the one the run left (the run's own history event)."""
    compared = [column for column in events.TRACKED if column != "updated_at"]
    current = ", ".join(f"p.{column}" for column in compared)
    left = ", ".join(f"a.{column}" for column in compared)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT c.external_id FROM {CHANGES} c
                LEFT JOIN {POINTS} p ON p.id = c.service_point_id
                LEFT JOIN LATERAL (
                    SELECT * FROM {events.POINT_EVENTS} e
                    WHERE e.pgh_obj_id = c.service_point_id AND e.pgh_id <= %(points)s
                    ORDER BY e.pgh_id DESC LIMIT 1) a ON true
                WHERE c.run_id = %(run)s AND (
                    p.id IS NULL
                    OR EXISTS (SELECT 1 FROM {events.LINK_EVENTS} e
                               WHERE e.servicepoint_id = c.service_point_id
                                 AND e.pgh_id > %(links)s)
                    OR (EXISTS (SELECT 1 FROM {events.POINT_EVENTS} e
                                WHERE e.pgh_obj_id = c.service_point_id
                                  AND e.pgh_id > %(points)s)
                        AND ROW({current}) IS DISTINCT FROM ROW({left})))
                ORDER BY c.external_id""",  # noqa: S608
            {
                "run": run.pk,
                "points": run.last_point_event or 0,
                "links": run.last_link_event or 0,
            },
        )
        return [row[0] for row in cursor.fetchall()]


def undo(run):
    """Put back every point the run touched as it was before. Call inside a transaction."""
    assert connection.in_atomic_block, "undo() must run inside one transaction"
    params = {"run": run.pk}
    changes_of = f"SELECT service_point_id FROM {CHANGES} WHERE run_id = %(run)s"  # noqa: S608
    with connection.cursor() as cursor, events.triggers_off(cursor):
        cursor.execute(
            "SELECT version FROM servicepoints_dataversion WHERE name = 'servicepoints' FOR UPDATE"
        )
        history = events.BulkHistory(
            cursor, {**events.current_context_metadata(), "import_run_undone": run.pk}
        )
        assignments = ", ".join(f"{column} = b.{column}" for column in RESTORED)
        cursor.execute(
            f"""UPDATE {POINTS} p SET {assignments}
                FROM {CHANGES} c,
                     jsonb_populate_record(NULL::{POINTS}, c.before) b
                WHERE c.run_id = %(run)s AND c.action <> 'created'
                  AND p.id = c.service_point_id""",  # noqa: S608
            params,
        )
        restored = cursor.rowcount
        history.links(
            events.LINK_REMOVE,
            f"""DELETE FROM {LINKS} l USING {CHANGES} c
                WHERE c.run_id = %(run)s AND c.action <> 'created'
                  AND l.servicepoint_id = c.service_point_id
                  AND NOT l.service_id IN (
                      SELECT jsonb_array_elements_text(c.before -> 'service_ids')::bigint)
                RETURNING l.id, l.servicepoint_id, l.service_id""",  # noqa: S608
            params,
        )
        history.links(
            events.LINK_ADD,
            f"""INSERT INTO {LINKS} (servicepoint_id, service_id)
                SELECT c.service_point_id, s::bigint
                FROM {CHANGES} c, jsonb_array_elements_text(c.before -> 'service_ids') s
                WHERE c.run_id = %(run)s AND c.action <> 'created'
                ON CONFLICT DO NOTHING
                RETURNING id, servicepoint_id, service_id""",  # noqa: S608
            params,
        )
        history.points("update", f"{changes_of} AND action <> 'created'", params)
        # The points the run created go, with what hangs on them; their history stays.
        created = f"{changes_of} AND action = 'created'"
        history.points("delete", created, params)
        history.links(
            events.LINK_REMOVE,
            f"""DELETE FROM {LINKS} WHERE servicepoint_id IN ({created})
                RETURNING id, servicepoint_id, service_id""",  # noqa: S608
            params,
        )
        cursor.execute(f"DELETE FROM {POINTS} WHERE id IN ({created})", params)  # noqa: S608
        deleted = cursor.rowcount
    touched = ImportChange.objects.filter(run_id=run.pk).values("service_point_id")
    ServicePoint.objects.filter(pk__in=touched).ensure_opening_periods()
    return {"deleted": deleted, "restored": restored}


def drop_staging(run):
    ImportRow.objects.filter(run=run).delete()
