"""Fixtures of the partnership tests: a federal editor, and ServiceOntario with Service Canada
in a proposed co-location at Ottawa."""

import pytest

from partnerships import approval
from partnerships.models import Role, Sector, Status
from servicepoints import roles


@pytest.fixture
def federal_editor(make_user):
    return make_user("editor-ca-test", roles.EDITORS, ["CA"])


@pytest.fixture
def terms(serviceontario, service_canada, ontario_point, federal_point):
    return {
        "type": "co-location",
        "status": Status.PROPOSED,
        "start_date": None,
        "end_date": None,
        "objectives_en": "One office for both.",
        "objectives_fr": "Un bureau pour les deux.",
        "parties": [
            [serviceontario.pk, Role.LEAD, Sector.GOVERNMENT],
            [service_canada.pk, Role.PARTNER, Sector.GOVERNMENT],
        ],
        "sites": [ontario_point.pk, federal_point.pk],
    }


@pytest.fixture
def ottawa_partnership(ontario_editor, terms):
    return approval.create(
        ontario_editor,
        {"title_en": "Ottawa shared office", "title_fr": "Bureau partagé d’Ottawa"},
        terms,
    )


@pytest.fixture(autouse=True)
def documents_in_a_temporary_folder(settings, tmp_path):
    settings.PARTNERSHIP_DOCUMENTS_ROOT = tmp_path / "documents"
