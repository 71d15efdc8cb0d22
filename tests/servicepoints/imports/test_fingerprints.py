"""Re-imports skip checking rows that are byte for byte what made points still as they were."""

import pytest

from servicepoints.imports import pipeline
from servicepoints.models import ImportRun, Service, ServicePoint

from .conftest import ontario_row

pytestmark = pytest.mark.django_db

ROWS = [ontario_row(1), ontario_row(2), ontario_row(3)]


def events():
    return ServicePoint.pgh_event_model.objects.count()


def test_identical_file_is_not_checked_again_and_changes_nothing(run_import):
    run_import(ROWS)
    assert ServicePoint.objects.exclude(import_fingerprint=None).count() == 3
    before = events()
    run = run_import(ROWS)
    assert run.counts["not_rechecked"] == 3 and run.counts["unchanged"] == 3
    assert run.counts["valid"] == 3 and run.counts["new"] == run.counts["changed"] == 0
    assert events() == before


def test_a_point_edited_since_is_checked_again_and_put_back(run_import):
    run_import(ROWS)
    point = ServicePoint.objects.get(external_id="SO-2")
    point.phone = "613-555-0100"
    point.save()
    assert ServicePoint.objects.get(pk=point.pk).import_fingerprint is None
    run = run_import(ROWS)
    assert run.counts["not_rechecked"] == 2
    assert run.counts["changed"] == 1
    assert ServicePoint.objects.get(pk=point.pk).phone == "+1 613-555-0199"


def test_a_bulk_update_or_a_service_link_forgets_the_fingerprint(run_import):
    run_import(ROWS)
    ServicePoint.objects.filter(external_id="SO-1").update(community="Nepean")
    service = Service.objects.create(code="sin", name_en="SIN", name_fr="NAS")
    ServicePoint.objects.get(external_id="SO-3").services.add(service)
    fingerprints = dict(ServicePoint.objects.values_list("external_id", "import_fingerprint"))
    assert fingerprints["SO-1"] is None and fingerprints["SO-3"] is None
    assert fingerprints["SO-2"] is not None


def test_undo_restores_the_fingerprints_too(run_import, data_admin):
    run_import(ROWS)
    changed = [ontario_row(1, phone="613-555-0100"), ontario_row(2), ontario_row(3)]
    second = run_import(changed)
    assert second.counts["changed"] == 1
    pipeline.undo_run(second, data_admin)
    again = run_import(changed, apply=False)
    assert again.counts["changed"] == 1, "the undone point is checked and compared again"
    assert again.counts["not_rechecked"] == 2


def test_other_mapping_defaults_or_scope_check_everything(run_import, ontario):
    run_import(ROWS)
    run = run_import(ROWS, defaults={"kind": "kiosk"}, apply=False)
    assert run.counts.get("not_rechecked", 0) == 0 and run.counts["changed"] == 3
    run = run_import(ROWS, jurisdiction=ontario, apply=False)
    assert run.counts.get("not_rechecked", 0) == 0


def test_repeated_ids_are_always_checked(run_import):
    run_import(ROWS)
    run = run_import([*ROWS, ontario_row(1)], apply=False)
    assert run.status == ImportRun.Status.INVALID
    assert {(i.code, i.row) for i in pipeline.issues_of(run)} >= {("duplicate_id", 5)}
