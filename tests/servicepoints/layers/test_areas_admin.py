"""The areas' admin: list with search and filters, geometry summary, the import screen."""

import pytest
from django.urls import reverse

from servicepoints.layers.importing import import_areas
from servicepoints.layers.models import Area

from .conftest import csd_feature

pytestmark = pytest.mark.django_db


def test_list_search_and_summary(admin_client, write_geojson, grid_features):
    import_areas(write_geojson(grid_features), "csd")
    listing = admin_client.get(reverse("admin:layers_area_changelist"), {"q": "Place 7"})
    assert listing.status_code == 200
    assert b"3506007" in listing.content and b"3506006" not in listing.content
    assert reverse("admin:layers_area_import").encode() in listing.content
    area = Area.objects.get(code="3506007")
    page = admin_client.get(reverse("admin:layers_area_change", args=[area.pk]))
    assert b"1 polygons, 5 vertices" in page.content


def test_import_screen_shows_issues_and_refuses(admin_client, write_geojson, grid_features):
    grid_features.append(csd_feature(0))
    with open(write_geojson(grid_features), "rb") as handle:
        page = admin_client.post(
            reverse("admin:layers_area_import"), {"file": handle, "level": "csd"}
        )
    assert page.status_code == 200
    assert "The file was refused; nothing was changed." in page.content.decode()
    assert "feature 13, field “code”: the code “3506000” is already used" in page.content.decode()
    assert not Area.objects.exists()


def test_import_screen_imports(admin_client, write_geojson, grid_features):
    with open(write_geojson(grid_features), "rb") as handle:
        page = admin_client.post(
            reverse("admin:layers_area_import"), {"file": handle, "level": "csd"}, follow=True
        )
    assert "12 areas created, 0 updated, 0 unchanged" in page.content.decode()
    assert Area.objects.count() == 12


def test_import_screen_needs_the_permission(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("admin:layers_area_import"))
    assert response.status_code in (302, 403)
