"""Apply and undo: set-based SQL from the staging table to the service points.

Apply runs in one transaction: it keeps every touched point's state before in `ImportChange`,
then inserts, updates and (when asked) closes points with one statement each, and writes their
history events in bulk (see `events`). Undo puts the "before" states back and removes the
points the run created, if nothing changed them since.
"""

from django.db import connection

from ..models import ImportChange, ServicePoint
from . import events
from .diff import (
    CHANGES,
    INSERTED,
    LINKS,
    POINTS,
    ROWS,
    _services_of,
    compared_columns,
    diff_params,
    diff_select,
    missing_select,
)

# New points from which an import refreshes the statistics of the points' data source column.
STATISTICS_AFTER = 10_000


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
        # Rows whose point carries their fingerprint already need nothing: left out (all
        # 100,000 rows of an unchanged re-import).
        work = diff_select(
            columns, services, where="AND p.import_fingerprint IS DISTINCT FROM r.fingerprint"
        )
        cursor.execute(f"CREATE TEMP TABLE import_diff ON COMMIT DROP AS {work}", params)  # noqa: S608
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
        assignments.append("import_fingerprint = r.fingerprint")
        cursor.execute(
            f"""UPDATE {POINTS} p SET {", ".join(assignments)}
                FROM import_diff d JOIN {ROWS} r ON r.id = d.row_id
                WHERE d.action = 'changed' AND p.id = d.point_id""",  # noqa: S608
        )
        updated = cursor.rowcount
        progress("insert", 45)
        inserted_columns = ", ".join(INSERTED)
        # One statement for the new points, their change records and their history events
        # (from what the insert returns, instead of reading 100,000 points again).
        insert_events, event_params = history.returned_points("insert", "inserted")
        cursor.execute(
            f"""WITH inserted AS (
                    INSERT INTO {POINTS} ({inserted_columns}, data_source_id, photo,
                                          photo_description, updated_at, import_fingerprint)
                    SELECT {", ".join(f"r.{c}" for c in INSERTED)}, %(source)s, '', '',
                           statement_timestamp(), r.fingerprint
                    FROM import_diff d JOIN {ROWS} r ON r.id = d.row_id
                    WHERE d.action = 'new'
                    RETURNING {events.RETURNED}, hours_key),
                changes AS (
                    INSERT INTO {CHANGES} (run_id, service_point_id, external_id, line, action,
                                           fields)
                    SELECT %(run)s, i.id, i.external_id, d.line, 'created', '{{}}'
                    FROM inserted i JOIN import_diff d
                         ON d.action = 'new' AND d.external_id = i.external_id),
                history AS ({insert_events})
                SELECT count(*), array_agg(DISTINCT hours_key) FROM inserted""",  # noqa: S608
            {**params, **event_params},
        )
        created, new_schedules = cursor.fetchone()
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
        # Unchanged points remember the row that matches them (no event: nothing changed);
        # rows staged from their points (not checked again) already carry the point's.
        checked_unchanged = run.counts.get("unchanged", 0) - run.counts.get("not_rechecked", 0)
        if checked_unchanged > 0:
            cursor.execute(
                f"""UPDATE {POINTS} p SET import_fingerprint = r.fingerprint
                    FROM import_diff d JOIN {ROWS} r ON r.id = d.row_id
                    WHERE d.action = 'unchanged' AND p.id = d.point_id
                      AND p.import_fingerprint IS DISTINCT FROM r.fingerprint""",  # noqa: S608
            )
        progress("services", 60)
        if services:
            _replace_services(history, params)
        if created:  # else it would read every staged row of a re-import for nothing (0.13 s)
            _add_new_services(history, params)
        progress("history", 70)
        changes_of = f"SELECT service_point_id FROM {CHANGES} WHERE run_id = %(run)s"  # noqa: S608
        history.points("update", f"{changes_of} AND action <> 'created'", params)
        run.last_point_event, run.last_link_event = history.marks()
        progress("hours", 80)
        cursor.execute("DROP TABLE import_diff")
        if created >= STATISTICS_AFTER:
            # The planner would still believe the source small until autovacuum's next
            # ANALYZE: the next import's diff of the same source then hashed its 100,000
            # points once per parallel worker (0.55 s instead of 0.3 s). One column: 70 ms.
            cursor.execute(f"ANALYZE {POINTS} (data_source_id)")  # noqa: S608
    # Schedules (hours + time zone) that no point had before get their periods computed:
    # the new points' schedules came back from their insert.
    changed = ImportChange.objects.filter(run_id=run.pk).exclude(action="created")
    schedules = set(new_schedules or ()) | set(
        ServicePoint.objects.filter(pk__in=changed.values("service_point_id"))
        .exclude(hours_key=None)
        .order_by()
        .values_list("hours_key", flat=True)
        .distinct()
    )
    ServicePoint.objects.ensure_opening_periods_of(schedules)
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
    """Links of the new points, from the staged rows that list services (usually none: the
    statement then reads no change record)."""
    history.links(
        events.LINK_ADD,
        f"""INSERT INTO {LINKS} (servicepoint_id, service_id)
            SELECT c.service_point_id, s.service_id
            FROM {ROWS} r
            JOIN {CHANGES} c ON c.run_id = r.run_id AND c.line = r.line AND c.action = 'created'
            CROSS JOIN unnest(r.service_ids) AS s(service_id)
            WHERE r.run_id = %(run)s AND r.service_ids <> '{{}}'
            RETURNING id, servicepoint_id, service_id""",  # noqa: S608
        params,
    )


RESTORED = [c for c in INSERTED if c != "external_id"] + ["updated_at", "import_fingerprint"]
# Undo deletes the points a run created with SQL, their services links first; the only
# other relation, their history events, stays. tests/servicepoints/imports/test_undo_sql.py
# fails when a new relation to ServicePoint appears, so that undo is taught about it.


def _hanging_on_created():
    """SQL conditions, one per relation to a point other than its history and services (the
    channel statistics of a call centre, for one): rows hang on the created point `c`."""
    from django.apps import apps

    history = apps.get_model("servicepoints", "ServicePointEvent")
    return [
        # Table and column names from the models, never from input.
        f"EXISTS (SELECT 1 FROM {rel.related_model._meta.db_table} x "  # noqa: S608
        f"WHERE x.{rel.field.column} = c.service_point_id)"
        for rel in ServicePoint._meta.related_objects
        if rel.related_model is not history
    ]


def conflicts(run):
    """External ids of points this run touched that changed since, so that undoing the run
    would lose that change: the point is gone, its services changed, it has later history
    events and its state differs from the one the run left (the run's own history event), or
    the run created it and records of another kind now hang on it (undo would delete it)."""
    compared = [column for column in events.TRACKED if column != "updated_at"]
    current = ", ".join(f"p.{column}" for column in compared)
    left = ", ".join(f"a.{column}" for column in compared)
    hanging = " OR ".join(_hanging_on_created()) or "false"
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
                    OR (c.action = 'created' AND ({hanging}))
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
    # The points the run created are gone; the others are back on their former schedules.
    restored_points = ImportChange.objects.filter(run_id=run.pk).exclude(action="created")
    ServicePoint.objects.filter(
        pk__in=restored_points.values("service_point_id")
    ).ensure_opening_periods()
    return {"deleted": deleted, "restored": restored}
