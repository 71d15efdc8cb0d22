"""The admin screens: analysts read, only data administrators change, types are extensible."""

import pytest
from django.urls import reverse

from partnerships.models import PartnershipType

pytestmark = pytest.mark.django_db


def test_an_analyst_reads_but_may_not_change(client, analyst, ottawa_partnership):
    client.force_login(analyst)
    url = reverse("admin:partnerships_partnership_change", args=[ottawa_partnership.pk])
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(url, {"title_en": "Changed"})
    assert response.status_code == 403
    ottawa_partnership.refresh_from_db()
    assert ottawa_partnership.title_en == "Ottawa shared office"


def test_the_history_lists_authors(client, analyst, ottawa_partnership):
    client.force_login(analyst)
    url = reverse("admin:partnerships_partnership_history", args=[ottawa_partnership.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "editor-on-test" in response.text


def test_a_data_administrator_adds_a_type(client, data_admin):
    client.force_login(data_admin)
    response = client.post(
        reverse("admin:partnerships_partnershiptype_add"),
        {
            "name_en": "Shared fleet",
            "name_fr": "Parc partagé",
            "code": "shared-fleet",
            "order": 80,
        },
    )
    assert response.status_code == 302
    assert PartnershipType.objects.filter(code="shared-fleet").exists()


def test_an_editor_may_not_add_a_type(client, ontario_editor):
    client.force_login(ontario_editor)
    response = client.post(
        reverse("admin:partnerships_partnershiptype_add"),
        {
            "name_en": "Shared fleet",
            "name_fr": "Parc partagé",
            "code": "shared-fleet",
            "order": 80,
        },
    )
    assert response.status_code == 403
    assert not PartnershipType.objects.filter(code="shared-fleet").exists()
