"""History events for bulk changes, written set-based instead of by the row triggers.

django-pghistory's row triggers enter a PL/pgSQL block with an exception handler for every
row, i.e. a subtransaction; past a few thousand rows in one transaction PostgreSQL's
subtransaction cache overflows and each further row costs about a millisecond (100,000 new
points: 98 s in the triggers alone). Imports therefore switch the service-point triggers off
for their statements and write the very same event rows themselves: one statement per kind of
change, one context row for the whole run.
"""

import json
import uuid
from contextlib import contextmanager

from django.core.serializers.json import DjangoJSONEncoder

from ..models import ServicePoint, ServicePointServices

POINTS = ServicePoint._meta.db_table
LINKS = ServicePoint.services.through._meta.db_table
POINT_EVENTS = ServicePoint.pgh_event_model._meta.db_table
LINK_EVENTS = ServicePointServices.pgh_event_model._meta.db_table
# The triggers' names in the database, as `pgtrigger.ignore` lists them.
TRIGGERS = [
    trigger.get_pgid(model)
    for model in (ServicePoint, ServicePointServices)
    for trigger in model._meta.triggers
]


def _tracked_columns():
    """The point columns an event copies (what the insert trigger copies)."""
    generated = {f.column for f in ServicePoint._meta.concrete_fields if f.generated}
    return [
        f.column
        for f in ServicePoint.pgh_event_model._meta.concrete_fields
        if not f.column.startswith("pgh_") and f.column not in generated
    ]


TRACKED = _tracked_columns()
# What an INSERT … RETURNING gives for `BulkHistory.returned_points`.
RETURNED = ", ".join(TRACKED)
LABELS = {"insert": "insert", "update": "update", "delete": "delete"}
LINK_ADD, LINK_REMOVE = "service.add", "service.remove"


class BulkHistory:
    """Event rows for one run's statements, attached to one pghistory context."""

    def __init__(self, cursor, metadata):
        self.cursor = cursor
        self.context = str(uuid.uuid4())
        cursor.execute(
            "INSERT INTO pghistory_context (id, metadata, created_at, updated_at) "
            "VALUES (%s, %s::jsonb, now(), now())",
            [self.context, json.dumps(metadata, cls=DjangoJSONEncoder)],
        )

    def points(self, label, ids_sql, params):
        """Events with the current state of the points whose ids `ids_sql` selects."""
        columns = ", ".join(TRACKED)
        values = ", ".join(f"p.{column}" for column in TRACKED)
        self.cursor.execute(
            f"""INSERT INTO {POINT_EVENTS} ({columns}, pgh_context_id, pgh_created_at,
                                            pgh_label, pgh_obj_id)
                SELECT {values}, %(context)s, now(), %(label)s, p.id
                FROM {POINTS} p WHERE p.id IN ({ids_sql})""",  # noqa: S608
            {**params, "context": self.context, "label": LABELS[label]},
        )

    def returned_points(self, label, alias):
        """(SQL, parameters) of an INSERT of events for the points that a data-modifying CTE
        named `alias` returned (`RETURNING {RETURNED}`): the change and its history in one
        statement, without reading the points again."""
        columns = ", ".join(TRACKED)
        sql = f"""INSERT INTO {POINT_EVENTS} ({columns}, pgh_context_id, pgh_created_at,
                                             pgh_label, pgh_obj_id)
                  SELECT {columns}, %(pgh_context)s, now(), %(pgh_label)s, id FROM {alias}"""  # noqa: S608
        return sql, {"pgh_context": self.context, "pgh_label": LABELS[label]}

    def marks(self):
        """The newest point and link event ids: anything later is someone else's change."""
        self.cursor.execute(
            f"SELECT (SELECT max(pgh_id) FROM {POINT_EVENTS}), "  # noqa: S608
            f"(SELECT max(pgh_id) FROM {LINK_EVENTS})"
        )
        return self.cursor.fetchone()

    def links(self, label, statement, params):
        """Run a DELETE or INSERT on the links that ends with RETURNING id, servicepoint_id,
        service_id, and record an event per link."""
        self.cursor.execute(
            f"""WITH changed AS ({statement})
                INSERT INTO {LINK_EVENTS} (id, servicepoint_id, service_id, pgh_context_id,
                                           pgh_created_at, pgh_label)
                SELECT id, servicepoint_id, service_id, %(context)s, now(), %(label)s
                FROM changed""",  # noqa: S608
            {**params, "context": self.context, "label": label},
        )


@contextmanager
def triggers_off(cursor):
    """The service-point triggers skip their rows until the block ends.

    The insert and delete history triggers do not even fire (their WHEN condition reads
    `servicenetworkmap.bulk_history`, see `NOT_BULK_HISTORY`); the others return at once
    (`pgtrigger.ignore`). Both are set for the transaction directly (`pgtrigger.ignore(...)`
    would prefix every statement with a positional parameter, which statements with named
    parameters cannot take).
    """
    cursor.execute(
        "SELECT set_config('pgtrigger.ignore', %s, true), "
        "set_config('servicenetworkmap.bulk_history', 'on', true)",
        ["{" + ",".join(TRIGGERS) + "}"],
    )
    yield
    # Not reached after an error: the rollback then undoes the transaction-local settings.
    cursor.execute(
        "SELECT set_config('pgtrigger.ignore', '{}', true), "
        "set_config('servicenetworkmap.bulk_history', 'off', true)"
    )


def current_context_metadata():
    """What pghistory.context() has set for this connection (user, command…), if anything."""
    try:
        import pghistory.runtime

        tracker = pghistory.runtime._tracker
        context = getattr(tracker, "value", None)
        return dict(context.metadata) if context else {}
    except (ImportError, AttributeError):
        return {}
