"""Every change to a point or an organization is kept: who, when, before and after."""

import pghistory
import pytest
from django.urls import reverse

from servicepoints import history
from servicepoints.models import DataSource, Organization, Service, ServicePoint, Status

pytestmark = pytest.mark.django_db


def test_creation_and_field_changes_are_recorded(ontario_point):
    ontario_point.opening_hours = "Mo-Fr 09:00-16:00"
    ontario_point.save()
    entries = history.history(ontario_point)
    assert [entry.action for entry in entries] == ["created", "changed"]
    change = entries[1].changes
    assert [(c.label, c.before, c.after) for c in change] == [
        ("opening hours", "Mo-Fr 08:30-17:00; PH off", "Mo-Fr 09:00-16:00")
    ]


def test_bulk_updates_are_recorded_too(ontario_point, new_brunswick_point):
    with pghistory.context(command="close-all"):
        ServicePoint.objects.all().update(status=Status.CLOSED)
    for point in (ontario_point, new_brunswick_point):
        last = history.history(point)[-1]
        assert last.via == "close-all"
        assert [(c.before, c.after) for c in last.changes] == [("open", "closed")]


def test_deletions_are_recorded(ontario_point):
    pk = ontario_point.pk
    ontario_point.delete()
    entries = history.history(ServicePoint(pk=pk))
    assert entries[-1].action == "deleted"


def test_services_added_and_removed_are_recorded(ontario_point):
    health_card = Service.objects.create(
        code="health-card", name_en="Health card", name_fr="Carte santé"
    )
    ontario_point.services.add(health_card)
    ontario_point.services.remove(health_card)
    actions = [(e.action, [c.after for c in e.changes]) for e in history.history(ontario_point)]
    assert actions[-2:] == [
        ("service added", ["Health card"]),
        ("service removed", ["Health card"]),
    ]


def test_organization_changes_are_recorded(serviceontario):
    serviceontario.website = "https://www.ontario.ca/page/serviceontario"
    serviceontario.save()
    Organization.objects.filter(pk=serviceontario.pk).update(name_fr="ServiceOntario (FR)")
    entries = history.history(serviceontario)
    assert [e.action for e in entries] == ["created", "changed", "changed"]
    assert entries[2].changes[0].after == "ServiceOntario (FR)"


def test_admin_change_records_the_user_and_shows_history(client, ontario_editor, ontario_point):
    client.force_login(ontario_editor)
    url = reverse("admin:servicepoints_servicepoint_changelist")
    response = client.post(url, {"action": "close_points", "_selected_action": [ontario_point.pk]})
    assert response.status_code == 302
    entries = history.history(ontario_point)
    assert entries[-1].who == ontario_editor.username
    assert entries[-1].via.startswith("/en/admin/")
    page = client.get(
        reverse("admin:servicepoints_servicepoint_history", args=[ontario_point.pk])
    ).content.decode()
    assert ontario_editor.username in page
    assert "<del>open</del>" in page
    assert "<ins>closed</ins>" in page


def test_history_of_a_foreign_point_is_refused(client, ontario_editor, new_brunswick_point):
    client.force_login(ontario_editor)
    response = client.get(
        reverse("admin:servicepoints_servicepoint_history", args=[new_brunswick_point.pk])
    )
    assert response.status_code == 404


def test_history_of_a_point_with_an_external_id_and_source(ontario_point):
    source = DataSource.objects.create(name="on-refresh", title="Ontario refresh")
    ontario_point.external_id = "ON-0042"
    ontario_point.data_source = source
    ontario_point.save()
    changes = {(c.label, c.after) for c in history.history(ontario_point)[-1].changes}
    assert changes == {("external id", "ON-0042"), ("data source", "Ontario refresh")}
