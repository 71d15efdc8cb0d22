"""The admin for each role: lists, forms and refusals enforced on the server."""

import io

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from servicepoints.models import Organization, ServicePoint, Status

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:servicepoints_servicepoint_changelist"


def change_url(point):
    return reverse("admin:servicepoints_servicepoint_change", args=[point.pk])


def form_data(point, **overrides):
    """The change form's fields as a browser would post them."""
    data = {
        "name_en": point.name_en,
        "name_fr": point.name_fr,
        "organization": point.organization_id,
        "kind": point.kind,
        "status": point.status,
        "location": point.location.geojson,
        "location_precision": point.location_precision,
        "street_address": point.street_address,
        "community": point.community,
        "province": point.province_id,
        "postal_code": point.postal_code,
        "timezone": point.timezone,
        "languages": ",".join(point.languages),
        "opening_hours": point.opening_hours,
        "phone": point.phone,
        "website": point.website,
        "photo_description": point.photo_description,
        "external_id": point.external_id or "",
        "last_verified": "",
        "data_source": "",
    }
    data.update(overrides)
    return data


def png_bytes(size=(20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_anonymous_user_is_sent_to_log_in(client, ontario_point):
    response = client.get(change_url(ontario_point))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    response = client.post(change_url(ontario_point), form_data(ontario_point, name_en="X"))
    assert response.status_code == 302
    ontario_point.refresh_from_db()
    assert ontario_point.name_en != "X"


def test_editor_list_shows_only_their_jurisdiction(
    client, ontario_editor, ontario_point, new_brunswick_point, federal_point
):
    client.force_login(ontario_editor)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    shown = {point.pk for point in response.context["cl"].result_list}
    assert shown == {ontario_point.pk}


def test_editor_changes_own_point(client, ontario_editor, ontario_point):
    client.force_login(ontario_editor)
    response = client.post(
        change_url(ontario_point), form_data(ontario_point, opening_hours="Mo-Fr 09:00-16:00")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    ontario_point.refresh_from_db()
    assert ontario_point.opening_hours == "Mo-Fr 09:00-16:00"


def test_editor_cannot_open_or_post_a_foreign_point(client, ontario_editor, new_brunswick_point):
    client.force_login(ontario_editor)
    url = change_url(new_brunswick_point)
    # Outside the editor's queryset, the admin answers as if the point did not exist.
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("admin:index") in response["Location"]
    response = client.post(url, form_data(new_brunswick_point, name_en="Hijacked"))
    assert response.status_code == 302
    new_brunswick_point.refresh_from_db()
    assert new_brunswick_point.name_en == "Service New Brunswick Fredericton"
    response = client.post(
        reverse("admin:servicepoints_servicepoint_delete", args=[new_brunswick_point.pk]),
        {"post": "yes"},
    )
    assert ServicePoint.objects.filter(pk=new_brunswick_point.pk).exists()


def test_forged_post_moving_own_point_to_foreign_organization_is_refused(
    client, ontario_editor, ontario_point, service_new_brunswick
):
    client.force_login(ontario_editor)
    response = client.post(
        change_url(ontario_point),
        form_data(ontario_point, organization=service_new_brunswick.pk),
    )
    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
    ontario_point.refresh_from_db()
    assert ontario_point.organization.name_en == "ServiceOntario"


def test_editor_choices_are_limited_to_their_jurisdiction(
    client, ontario_editor, serviceontario, service_new_brunswick, service_canada
):
    client.force_login(ontario_editor)
    response = client.get(reverse("admin:servicepoints_servicepoint_add"))
    assert response.status_code == 200
    organizations = response.context["adminform"].form.fields["organization"].queryset
    assert list(organizations) == [serviceontario]
    response = client.get(reverse("admin:servicepoints_organization_add"))
    jurisdictions = response.context["adminform"].form.fields["jurisdiction"].queryset
    assert [j.code for j in jurisdictions] == ["ON"]


def test_editor_adds_a_point_in_their_jurisdiction(client, ontario_editor, ontario_point):
    client.force_login(ontario_editor)
    data = form_data(
        ontario_point,
        name_en="ServiceOntario Kingston",
        name_fr="ServiceOntario Kingston",
        location=Point(-76.486, 44.231, srid=4326).geojson,
        community="Kingston",
        postal_code="K7L 2Z1",
    )
    response = client.post(reverse("admin:servicepoints_servicepoint_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = ServicePoint.objects.get(name_en="ServiceOntario Kingston")
    assert added.organization == ontario_point.organization


def test_editor_may_not_delete(client, ontario_editor, ontario_point):
    client.force_login(ontario_editor)
    response = client.post(
        reverse("admin:servicepoints_servicepoint_delete", args=[ontario_point.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 403
    assert ServicePoint.objects.filter(pk=ontario_point.pk).exists()


def test_editor_cannot_change_a_foreign_organization(
    client, ontario_editor, service_new_brunswick, serviceontario
):
    client.force_login(ontario_editor)
    url = reverse("admin:servicepoints_organization_change", args=[service_new_brunswick.pk])
    response = client.post(
        url,
        {
            "name_en": "Taken",
            "name_fr": "Pris",
            "jurisdiction": serviceontario.jurisdiction_id,
        },
    )
    assert response.status_code == 302
    service_new_brunswick.refresh_from_db()
    assert service_new_brunswick.name_en == "Service New Brunswick"
    assert Organization.objects.filter(name_en="Taken").count() == 0


def test_analyst_reads_all_but_changes_nothing(
    client, analyst, ontario_point, new_brunswick_point
):
    client.force_login(analyst)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert {p.pk for p in response.context["cl"].result_list} == {
        ontario_point.pk,
        new_brunswick_point.pk,
    }
    response = client.get(change_url(ontario_point))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    response = client.post(change_url(ontario_point), form_data(ontario_point, name_en="X"))
    assert response.status_code == 403
    ontario_point.refresh_from_db()
    assert ontario_point.name_en == "ServiceOntario Ottawa City Hall"
    response = client.get(reverse("admin:servicepoints_servicepoint_add"))
    assert response.status_code == 403


def test_data_admin_changes_any_point(client, data_admin, new_brunswick_point):
    client.force_login(data_admin)
    response = client.post(
        change_url(new_brunswick_point), form_data(new_brunswick_point, status=Status.CLOSED)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    new_brunswick_point.refresh_from_db()
    assert new_brunswick_point.status == Status.CLOSED


def test_invalid_input_is_reported_on_the_field_and_nothing_saved(
    client, ontario_editor, ontario_point
):
    client.force_login(ontario_editor)
    response = client.post(
        change_url(ontario_point),
        form_data(
            ontario_point,
            location=Point(45.42, -75.69, srid=4326).geojson,
            postal_code="H2X 1Y4",
            opening_hours="Mo-Fx",
            languages="en,xx",
            phone="12345",
            website="not a url",
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"location", "opening_hours", "languages", "phone", "website"} <= set(errors)
    assert "outside Canada" in str(errors["location"])
    ontario_point.refresh_from_db()
    assert ontario_point.opening_hours == "Mo-Fr 08:30-17:00; PH off"


def test_postal_code_of_another_province_is_refused(client, ontario_editor, ontario_point):
    client.force_login(ontario_editor)
    response = client.post(
        change_url(ontario_point), form_data(ontario_point, postal_code="H2X 1Y4")
    )
    assert response.status_code == 200
    assert "postal_code" in response.context["adminform"].form.errors


def test_french_admin_gives_french_messages(client, ontario_editor, ontario_point):
    client.force_login(ontario_editor)
    url = change_url(ontario_point).replace("/en/", "/fr/")
    response = client.post(url, form_data(ontario_point, phone="12345"))
    assert response.status_code == 200
    assert "n’est pas un numéro de téléphone" in str(
        response.context["adminform"].form.errors["phone"]
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.png", b"this is not an image", "image"),
        ("script.svg", b"<svg onload=alert(1)></svg>", "image"),
    ],
)
def test_photo_must_be_an_image(client, ontario_editor, ontario_point, name, content, expected):
    client.force_login(ontario_editor)
    data = form_data(ontario_point, photo=SimpleUploadedFile(name, content))
    response = client.post(change_url(ontario_point), data)
    assert response.status_code == 200
    assert expected in str(response.context["adminform"].form.errors["photo"]).lower()
    ontario_point.refresh_from_db()
    assert not ontario_point.photo


def test_photo_over_the_size_limit_is_refused(client, ontario_editor, ontario_point, settings):
    settings.PHOTO_MAX_BYTES = 50
    client.force_login(ontario_editor)
    data = form_data(ontario_point, photo=SimpleUploadedFile("big.png", png_bytes()))
    response = client.post(change_url(ontario_point), data)
    assert response.status_code == 200
    assert "largest accepted" in str(response.context["adminform"].form.errors["photo"])


def test_photo_is_stored_and_previewed(client, ontario_editor, ontario_point, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(ontario_editor)
    data = form_data(
        ontario_point,
        photo=SimpleUploadedFile("front.png", png_bytes()),
        photo_description="The front counter",
    )
    response = client.post(change_url(ontario_point), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    ontario_point.refresh_from_db()
    assert ontario_point.photo.name.endswith(".png")
    page = client.get(change_url(ontario_point)).content.decode()
    assert 'class="photo-preview"' in page
    assert 'alt="The front counter"' in page


def test_list_filters_and_search(client, data_admin, ontario_point, new_brunswick_point):
    client.force_login(data_admin)
    url = reverse(CHANGELIST)
    cases = {
        "?jurisdiction=NB": {new_brunswick_point.pk},
        f"?organization__id__exact={ontario_point.organization_id}": {ontario_point.pk},
        "?q=Fredericton": {new_brunswick_point.pk},
        "?language=fr": {ontario_point.pk, new_brunswick_point.pk},
        "?kind__exact=centre": {ontario_point.pk, new_brunswick_point.pk},
    }
    for query, expected in cases.items():
        response = client.get(url + query)
        assert response.status_code == 200, query
        assert {p.pk for p in response.context["cl"].result_list} == expected, query


def test_close_action_closes_only_editable_points(
    client, ontario_editor, ontario_point, new_brunswick_point
):
    client.force_login(ontario_editor)
    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "close_points",
            "_selected_action": [ontario_point.pk, new_brunswick_point.pk],
        },
    )
    assert response.status_code == 302
    ontario_point.refresh_from_db()
    new_brunswick_point.refresh_from_db()
    assert ontario_point.status == Status.CLOSED
    assert new_brunswick_point.status == Status.OPEN


@pytest.mark.parametrize("language", ["en", "fr"])
def test_admin_pages_render_for_each_role(
    client, analyst, ontario_editor, data_admin, ontario_point, language
):
    for user in (analyst, ontario_editor, data_admin):
        client.force_login(user)
        for url in (
            reverse("admin:index"),
            reverse(CHANGELIST),
            change_url(ontario_point),
            reverse("admin:servicepoints_servicepoint_history", args=[ontario_point.pk]),
            reverse("admin:servicepoints_organization_changelist"),
        ):
            url = url.replace("/en/", f"/{language}/")
            response = client.get(url)
            assert response.status_code == 200, (user, url)
            assert f'lang="{language}"' in response.content.decode()
