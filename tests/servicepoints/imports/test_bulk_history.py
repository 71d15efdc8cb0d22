"""Imports write their history events themselves, set-based: the row triggers stand aside for
their statements only, and the statistics of a big import's source are refreshed."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from servicepoints.imports import apply, events
from servicepoints.models import ImportRun, Service, ServicePoint, ServicePointServices

from .conftest import ontario_row

pytestmark = pytest.mark.django_db


def point_events(point_id):
    return ServicePoint.pgh_event_model.objects.filter(pgh_obj_id=point_id)


def link_events(point_id):
    return ServicePointServices.pgh_event_model.objects.filter(servicepoint_id=point_id)


def test_row_triggers_skip_bulk_statements_and_only_them(ontario_point):
    service = Service.objects.create(code="health", name_en="Health", name_fr="Santé")
    copy = {"external_id": "bulk-copy", "name_en": "Bulk copy"}
    with transaction.atomic(), connection.cursor() as cursor:
        with events.triggers_off(cursor):
            bulk = ServicePoint.objects.create(
                **{
                    f.attname: getattr(ontario_point, f.attname)
                    for f in ServicePoint._meta.concrete_fields
                    if not (f.primary_key or f.generated or f.attname in copy)
                },
                **copy,
            )
            bulk.services.add(service)
            bulk.services.remove(service)
        # Inside the same transaction, once the block is over, the triggers record again.
        bulk.services.add(service)
        bulk.name_en = "Bulk copy, renamed"
        bulk.save()
    assert [e.pgh_label for e in point_events(bulk.pk)] == ["update"]
    assert [e.pgh_label for e in link_events(bulk.pk)] == ["service.add"]
    # Outside any bulk block, inserts and deletes are recorded as always.
    pk = bulk.pk
    bulk.delete()
    assert [e.pgh_label for e in point_events(pk)] == ["update", "delete"]


def test_an_import_of_many_points_refreshes_the_source_statistics(run_import, monkeypatch):
    monkeypatch.setattr(apply, "STATISTICS_AFTER", 2)
    with CaptureQueriesContext(connection) as queries:
        run = run_import([ontario_row(1), ontario_row(2)])
    assert run.status == ImportRun.Status.APPLIED and run.counts["created"] == 2
    analyzed = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    assert any("servicepoints_servicepoint (data_source_id)" in sql for sql in analyzed)
    monkeypatch.setattr(apply, "STATISTICS_AFTER", 3)
    with CaptureQueriesContext(connection) as queries:
        run_import([ontario_row(1), ontario_row(2), ontario_row(3), ontario_row(4)])
    # Two new points this time: below the threshold, no ANALYZE of the points.
    assert not [q for q in queries if q["sql"].startswith("ANALYZE servicepoints_servicepoint ")]
