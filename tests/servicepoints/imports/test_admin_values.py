"""The admin's "Unknown values" step: the province's own labels and community names listed once
each, mapped, applied, kept in the source's preset and used again on its next file; refusals
for another jurisdiction's staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servicepoints.import_forms import NO_VALUE_CHOICE, entry_key
from servicepoints.models import ImportPreset, ImportRun, Kind, ServicePoint

from .conftest import DIRECTORY, snapshot

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:servicepoints_importrun_add")


def run_url(run, name="change"):
    return reverse(f"admin:servicepoints_importrun_{name}", args=[run.pk])


def upload(client, source, jurisdiction):
    data = {
        "file": SimpleUploadedFile(DIRECTORY.name, DIRECTORY.read_bytes(), "text/csv"),
        "data_source": source.pk,
        "jurisdiction": jurisdiction.pk,
        "missing": "keep",
    }
    response = client.post(UPLOAD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.latest("pk")


def entry(run, field, value):
    return next(e for e in run.unknown_values if e["field"] == field and e["value"] == value)


def choices(run, kinds=True):
    """What a person picks in the step for this directory (`kinds`: the Type column's values
    too)."""
    data = {
        f"value-{entry_key('community', 'Sudbury')}": entry(run, "community", "Sudbury")[
            "closest"
        ][0]["spec"],
        f"value-{entry_key('community', 'Kingsvile')}": entry(run, "community", "Kingsvile")[
            "closest"
        ][0]["spec"],
        f"place-{entry_key('community', 'Moose Factory')}": "51.2611,-80.6117",
    }
    if kinds:
        data[f"value-{entry_key('kind', 'ServiceOntario Centre')}"] = "centre"
        data[f"value-{entry_key('kind', 'ServiceOntario Kiosk')}"] = "kiosk"
        data[f"value-{entry_key('kind', 'Service Partner')}"] = "partner_site"
    return data


def test_unknown_values_are_listed_once_with_the_closest_suggested_not_chosen(
    client, data_admin, directory_source, ontario
):
    client.force_login(data_admin)
    run = upload(client, directory_source, ontario)
    assert run.status == ImportRun.Status.INVALID
    page = client.get(run_url(run))
    html = page.content.decode()
    assert "Unknown values" in html
    form = page.context["values_form"]
    centre = form[f"value-{entry_key('kind', 'ServiceOntario Centre')}"]
    assert centre.value() in ("", None), "the closest value is suggested, never chosen"
    assert ("centre", "in-person service centre (centre)") in centre.field.choices
    row = next(e for e in form.entries if e["value"] == "ServiceOntario Centre")
    assert row["rows"] == 38 and row["first_rows"][:3] == [2, 3, 4]
    assert row["closest_labels"][0] == "in-person service centre (centre)"
    assert "Ignore the column “Type”" in html
    sudbury = next(e for e in form.entries if e["value"] == "Sudbury")
    assert sudbury["closest_labels"][0].endswith("Greater Sudbury) (GeoNames)")
    # The grouped report: one line for the 38 rows.
    groups = page.context["issues"]["page"].object_list
    assert sum("“ServiceOntario Centre”" in g.text() for g in groups) == 1
    assert page.context["issues"]["page"].paginator.count < 15


def test_mapped_checked_applied_and_used_again_on_the_next_file(
    client, data_admin, directory_source, ontario
):
    client.force_login(data_admin)
    run = upload(client, directory_source, ontario)
    response = client.post(run_url(run, "values"), choices(run))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.VALIDATED, [
        (i["value"], i["message"]) for i in run.report if i["severity"] == "error"
    ][:5]
    assert run.values["kind"]["ServiceOntario Centre"] == "centre"
    assert run.counts["new"] == 46
    assert run.counts["placed"]["mapping"] == 4
    client.post(run_url(run, "apply"))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED
    assert ServicePoint.objects.filter(data_source=directory_source, kind=Kind.KIOSK).count() == 7
    preset = ImportPreset.objects.get(data_source=directory_source)
    assert preset.values == run.values
    before = snapshot()
    again = upload(client, directory_source, ontario)
    assert again.status == ImportRun.Status.VALIDATED
    assert again.values == preset.values and again.counts["unchanged"] == 46
    page = client.get(run_url(again))
    form = page.context["values_form"]
    mapped = form[f"value-{entry_key('kind', 'ServiceOntario Kiosk')}"]
    assert mapped.value() == "kiosk", "the preset's choices are shown, and editable"
    assert "mapped before (from the preset)" in page.content.decode()
    client.post(run_url(again, "apply"))
    assert snapshot() == before


def test_a_column_ignored_and_a_value_for_every_row(client, data_admin, directory_source, ontario):
    client.force_login(data_admin)
    run = upload(client, directory_source, ontario)
    data = choices(run, kinds=False)
    form = client.get(run_url(run)).context["values_form"]
    type_column = next(column for column in form.columns if column["header"] == "Type")
    data[type_column["name"]] = "on"
    client.post(run_url(run, "values"), data)
    run.refresh_from_db()
    assert run.ignored == ["Type"] and "kind" not in run.mapping
    assert run.status == ImportRun.Status.VALIDATED
    assert {row.kind for row in run.rows.all()} == {Kind.CENTRE}, "the value for every row"


def test_no_value_and_wrong_places_are_explained(client, data_admin, directory_source, ontario):
    client.force_login(data_admin)
    run = upload(client, directory_source, ontario)
    data = choices(run)
    data[f"value-{entry_key('kind', 'Service Partner')}"] = NO_VALUE_CHOICE
    data[f"place-{entry_key('community', 'Moose Factory')}"] = "12.0,-80.6"
    response = client.post(run_url(run, "values"), data)
    assert response.status_code == 200
    form = response.context["values_form"]
    assert form.errors[f"place-{entry_key('community', 'Moose Factory')}"]
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID and run.values == {}, "nothing kept"
    data[f"place-{entry_key('community', 'Moose Factory')}"] = "51.2611,-80.6117"
    client.post(run_url(run, "values"), data)
    run.refresh_from_db()
    assert run.values["kind"]["Service Partner"] == ""
    assert run.status == ImportRun.Status.VALIDATED
    partner = run.rows.get(external_id="SO-0046")
    assert partner.kind == Kind.CENTRE, "no value: the value for every row (centre) applies"


def test_another_jurisdictions_staff_cannot_map_its_values(
    client, data_admin, directory_source, ontario, new_brunswick_editor, ontario_editor
):
    client.force_login(data_admin)
    run = upload(client, directory_source, ontario)
    client.force_login(new_brunswick_editor)
    response = client.post(run_url(run, "values"), choices(run))
    assert response.status_code == 404
    run.refresh_from_db()
    assert run.values == {} and run.status == ImportRun.Status.INVALID
    # Ontario's staff may.
    client.force_login(ontario_editor)
    response = client.post(run_url(run, "values"), choices(run))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.VALIDATED


def as_posted(form):
    """What a browser sends for the form as shown (every field at its initial value)."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is True:
            data[name] = "on"
        elif value not in (None, False, ""):
            data[name] = value
    return data


def test_mappings_of_an_ignored_column_are_shown_and_kept(
    client, data_admin, directory_source, ontario
):
    client.force_login(data_admin)
    run = upload(client, directory_source, ontario)
    client.post(run_url(run, "values"), choices(run))
    run.refresh_from_db()
    assert run.values["kind"]["ServiceOntario Kiosk"] == "kiosk"
    form = client.get(run_url(run)).context["values_form"]
    data = as_posted(form)
    data[next(c["name"] for c in form.columns if c["header"] == "Type")] = "on"
    client.post(run_url(run, "values"), data)
    run.refresh_from_db()
    assert run.ignored == ["Type"] and run.status == ImportRun.Status.VALIDATED
    page = client.get(run_url(run))
    others = next(c for c in page.context["values_form"].columns if not c["header"])
    assert {e["value"] for e in others["entries"]} >= {"ServiceOntario Kiosk"}
    assert "Other value mappings of this source" in page.content.decode()
    assert run.values["kind"]["ServiceOntario Kiosk"] == "kiosk", "kept, though unused now"
