"""The partnership pages: reading, creating, editing, deciding, documents; every refusal."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from openpyxl import load_workbook

from partnerships.models import ChangeRequest, ChangeState, Document, Partnership, Status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(partnership=None, **overrides):
    """A complete, valid POST of the record form (ServiceOntario lead, Service Canada)."""
    data = {
        "title_en": "Ottawa shared office",
        "title_fr": "Bureau partagé d’Ottawa",
        "type": "co-location",
        "status": "proposed",
        "start_date": "",
        "end_date": "",
        "objectives_en": "One office for both.",
        "objectives_fr": "Un bureau pour les deux.",
        "sites": "",
        "practices": ["single-entrance"],
        "readiness_political_will": "3",
        "readiness_political_will_note": "Both ministers agree.",
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": "0",
        "parties-0-organization": "serviceontario",
        "parties-0-role": "lead",
        "parties-0-sector": "government",
        "parties-1-organization": "service-canada",
        "parties-1-role": "partner",
        "parties-1-sector": "government",
        "parties-2-organization": "",
        "parties-2-role": "partner",
        "parties-2-sector": "government",
    }
    data.update(overrides)
    return data


@pytest.fixture
def as_user(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def test_urls_round_trip():
    assert reverse("partnerships:partnership_list") == "/en/partnerships/"
    assert resolve("/en/partnerships/12/").url_name == "partnership_detail"
    assert resolve("/en/partnerships/12/edit/").url_name == "partnership_edit"


def test_an_analyst_reads_the_inventory_with_counts(as_user, analyst, ottawa_partnership):
    response = as_user(analyst).get(reverse("partnerships:partnership_list"))
    assert response.status_code == 200
    assert ottawa_partnership.title_en in response.text
    assert [(t.code, n) for t, n in response.context["by_type"]] == [("co-location", 1)]
    response = as_user(analyst).get(
        reverse("partnerships:partnership_list"), {"type": "virtual-service"}
    )
    assert ottawa_partnership.title_en not in response.text


def test_a_bad_filter_says_which(as_user, analyst):
    response = as_user(analyst).get(
        reverse("partnerships:partnership_list"), {"status": "dreaming"}
    )
    assert "Unknown value: dreaming" in response.text


def test_the_inventory_exports_as_csv_and_xlsx(as_user, analyst, ottawa_partnership):
    client = as_user(analyst)
    url = reverse("partnerships:partnership_export", args=["csv"])
    text = client.get(url, {"jurisdiction": "ON"}).content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("id,title_en")
    assert "service-canada:partner; serviceontario:lead" in row
    response = client.get(reverse("partnerships:partnership_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 2).value == "Ottawa shared office"


def test_anyone_without_a_role_is_refused(as_user, make_user, ottawa_partnership):
    response = as_user(make_user("nobody")).get(reverse("partnerships:partnership_list"))
    assert response.status_code == 403


def test_an_editor_creates_a_partnership(as_user, ontario_editor, serviceontario, service_canada):
    response = as_user(ontario_editor).post(
        reverse("partnerships:partnership_create"), form_data()
    )
    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert partnership.parties.count() == 2
    assert partnership.readiness.get().note == "Both ministers agree."
    assert list(partnership.practices.values_list("code", flat=True)) == ["single-entrance"]


def test_an_editor_of_no_party_may_not_create(
    as_user, new_brunswick_editor, serviceontario, service_canada
):
    response = as_user(new_brunswick_editor).post(
        reverse("partnerships:partnership_create"), form_data()
    )
    assert response.status_code == 403
    assert not Partnership.objects.exists()


def test_an_analyst_may_not_create(as_user, analyst, serviceontario, service_canada):
    response = as_user(analyst).post(reverse("partnerships:partnership_create"), form_data())
    assert response.status_code == 403
    assert not Partnership.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"type": "teleportation"}, "type", "Unknown partnership type: teleportation."),
        ({"status": "dreaming"}, "status", "Unknown status: dreaming."),
        (
            {"parties-1-organization": "not-an-org"},
            "organization",
            "Not an organization of the registry: not-an-org.",
        ),
        ({"sites": "999999"}, "sites", "No service point with the id 999999."),
        ({"sites": "abc"}, "sites", "“abc” is not a service point id (a number)."),
        (
            {"start_date": "2020-05-01", "end_date": "2019-05-01"},
            "end_date",
            "The end date comes before the start date.",
        ),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
    as_user, ontario_editor, serviceontario, service_canada, overrides, field, message
):
    response = as_user(ontario_editor).post(
        reverse("partnerships:partnership_create"), form_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.text
    if field == "organization":
        assert response.context["parties"].forms[1].errors["organization"] == [message]
    else:
        assert response.context["form"].errors[field] == [message]
    assert not Partnership.objects.exists()


def test_a_foreign_jurisdiction_may_not_edit(as_user, new_brunswick_editor, ottawa_partnership):
    client = as_user(new_brunswick_editor)
    url = reverse("partnerships:partnership_edit", args=[ottawa_partnership.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, form_data(title_en="Taken over"))
    assert response.status_code == 403
    ottawa_partnership.refresh_from_db()
    assert ottawa_partnership.title_en == "Ottawa shared office"


def test_a_change_past_proposed_waits_then_the_partner_approves(
    as_user, ontario_editor, federal_editor, new_brunswick_editor, ottawa_partnership, client
):
    edit = reverse("partnerships:partnership_edit", args=[ottawa_partnership.pk])
    as_user(ontario_editor).post(edit, form_data(status="pilot", summary_en="Now a pilot"))
    ottawa_partnership.refresh_from_db()
    assert ottawa_partnership.status == Status.PROPOSED
    assert ottawa_partnership.summary_en == "Now a pilot"  # not an agreed term: saved at once
    change = ChangeRequest.objects.get()
    decide = reverse("partnerships:change_decide", args=[ottawa_partnership.pk, change.pk])

    # The proposer and a third jurisdiction are refused, and nothing changes.
    assert as_user(ontario_editor).post(decide, {"decision": "approved"}).status_code == 403
    response = as_user(new_brunswick_editor).post(decide, {"decision": "approved"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.state == ChangeState.PENDING and not change.approvals.exists()

    page = as_user(federal_editor).get(ottawa_partnership.get_absolute_url())
    assert "Your decision for" in page.text
    as_user(federal_editor).post(decide, {"decision": "approved", "note": "Signed"})
    change.refresh_from_db()
    ottawa_partnership.refresh_from_db()
    assert change.state == ChangeState.APPLIED
    assert ottawa_partnership.status == Status.PILOT
    page = as_user(federal_editor).get(ottawa_partnership.get_absolute_url())
    assert "by editor-ca-test" in page.text


def test_documents_pdf_accepted_others_refused(as_user, ontario_editor, ottawa_partnership):
    client = as_user(ontario_editor)
    url = reverse("partnerships:document_upload", args=[ottawa_partnership.pk])
    response = client.post(
        url, {"title": "Program", "file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00")}
    )
    assert response.status_code == 400
    assert "tool.exe is not a PDF or office file" in response.text
    response = client.post(
        url, {"title": "Fake", "file": SimpleUploadedFile("mou.pdf", b"<html>")}
    )
    assert "does not contain what its extension says" in response.text
    assert not Document.objects.exists()
    response = client.post(url, {"title": "MOU", "file": SimpleUploadedFile("mou.pdf", PDF)})
    assert response.status_code == 302
    assert Document.objects.get().title == "MOU"


def test_a_document_too_large_is_refused(as_user, ontario_editor, ottawa_partnership, settings):
    settings.PARTNERSHIP_DOCUMENT_MAX_BYTES = 20
    response = as_user(ontario_editor).post(
        reverse("partnerships:document_upload", args=[ottawa_partnership.pk]),
        {"title": "MOU", "file": SimpleUploadedFile("mou.pdf", PDF)},
    )
    assert "the largest accepted is 20" in response.text
    assert not Document.objects.exists()


def test_documents_are_served_only_to_those_allowed(
    as_user, ontario_editor, analyst, new_brunswick_editor, ottawa_partnership, settings, tmp_path
):
    settings.PARTNERSHIP_DOCUMENTS_ROOT = tmp_path
    as_user(ontario_editor).post(
        reverse("partnerships:document_upload", args=[ottawa_partnership.pk]),
        {"title": "MOU", "file": SimpleUploadedFile("mou.pdf", PDF)},
    )
    document = Document.objects.get()
    assert str(tmp_path) in document.file.path
    url = reverse("partnerships:document_download", args=[ottawa_partnership.pk, document.pk])
    response = as_user(analyst).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert as_user(new_brunswick_editor).get(url).status_code == 403


def test_a_foreign_jurisdiction_may_not_add_documents_or_outcomes(
    as_user, new_brunswick_editor, ottawa_partnership
):
    client = as_user(new_brunswick_editor)
    response = client.post(
        reverse("partnerships:document_upload", args=[ottawa_partnership.pk]),
        {"title": "MOU", "file": SimpleUploadedFile("mou.pdf", PDF)},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("partnerships:outcome_add", args=[ottawa_partnership.pk]), {"name_en": "Visits"}
    )
    assert response.status_code == 403
    assert not Document.objects.exists() and not ottawa_partnership.outcomes.exists()


def test_the_detail_page_shows_history_with_authors(as_user, analyst, ottawa_partnership):
    page = as_user(analyst).get(ottawa_partnership.get_absolute_url())
    assert page.status_code == 200
    assert "editor-on-test" in page.text
    assert "Service Canada" in page.text


def test_the_draft_from_the_address_has_both_sites_and_organizations(
    as_user, ontario_editor, ontario_point, federal_point
):
    response = as_user(ontario_editor).get(
        reverse("partnerships:partnership_create"),
        {
            "sites": f"{ontario_point.pk},{federal_point.pk}",
            "organizations": "serviceontario,service-canada",
        },
    )
    form = response.context["form"]
    assert form.initial["sites"] == f"{ontario_point.pk}, {federal_point.pk}"
    assert [f["organization"] for f in response.context["parties"].initial] == [
        "serviceontario",
        "service-canada",
    ]
