"""Fixtures named for their role in the domain: users per role, organizations, points."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.db import connections
from django.utils import translation

from servicepoints import roles
from servicepoints.models import DataSource, Jurisdiction, Membership, Organization, ServicePoint

PASSWORD = "correct horse battery staple"

# Real public files (see their README) read in place, never copied into the repository:
# ../shared/data beside the checkout, or wherever SHARED_DATA_DIR says.
SHARED_DATA = Path(
    os.environ.get("SHARED_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def shared_file(name):
    """A file of the shared data folder; the test is skipped, saying why, when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} not present (set SHARED_DATA_DIR to the shared data folder)")
    return path


@pytest.fixture(scope="session", autouse=True)
def _migration_rows_back_after_the_session(django_db_blocker):
    """Transactional tests empty every table when they end; their `serialized_rollback` puts
    the migrations' rows (jurisdictions, roles) back before each such test, and this puts them
    back after the session, so that the next `--reuse-db` run starts with them."""
    yield
    with django_db_blocker.unblock():
        for wrapper in connections.all(initialized_only=True):
            contents = getattr(wrapper, "_test_serialized_contents", None)
            if contents:
                wrapper.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: requests in French must not leak into the next test."""
    with translation.override("en"):
        yield


@pytest.fixture
def make_user(django_user_model):
    def make(username, role=None, jurisdictions=(), **extra):
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, is_staff=role is not None, **extra
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        for code in jurisdictions:
            Membership.objects.create(user=user, jurisdiction=Jurisdiction.objects.get(code=code))
        return user

    return make


@pytest.fixture
def analyst(make_user):
    return make_user("analyst-test", roles.ANALYSTS)


@pytest.fixture
def ontario_editor(make_user):
    return make_user("editor-on-test", roles.EDITORS, ["ON"])


@pytest.fixture
def new_brunswick_editor(make_user):
    return make_user("editor-nb-test", roles.EDITORS, ["NB"])


@pytest.fixture
def data_admin(make_user):
    return make_user("dataadmin-test", roles.DATA_ADMINISTRATORS)


@pytest.fixture
def ontario():
    return Jurisdiction.objects.get(code="ON")


@pytest.fixture
def new_brunswick():
    return Jurisdiction.objects.get(code="NB")


@pytest.fixture
def ontario_source(ontario):
    """ServiceOntario's offices as a data source of Ontario's (for imports)."""
    return DataSource.objects.create(
        name="serviceontario-offices", title="ServiceOntario offices", jurisdiction=ontario
    )


@pytest.fixture
def serviceontario(ontario):
    return Organization.objects.create(
        code="serviceontario",
        name_en="ServiceOntario",
        name_fr="ServiceOntario",
        jurisdiction=ontario,
    )


@pytest.fixture
def service_new_brunswick(new_brunswick):
    return Organization.objects.create(
        code="service-new-brunswick",
        name_en="Service New Brunswick",
        name_fr="Services Nouveau-Brunswick",
        jurisdiction=new_brunswick,
    )


@pytest.fixture
def service_canada():
    return Organization.objects.create(
        code="service-canada",
        name_en="Service Canada",
        name_fr="Service Canada",
        jurisdiction=Jurisdiction.objects.get(code="CA"),
    )


@pytest.fixture
def ontario_point(serviceontario, ontario):
    # ServiceOntario, 110 Laurier Avenue West, Ottawa.
    return ServicePoint.objects.create(
        name_en="ServiceOntario Ottawa City Hall",
        name_fr="ServiceOntario Hôtel de ville d'Ottawa",
        organization=serviceontario,
        location=Point(-75.6972, 45.4215, srid=4326),
        street_address="110 Laurier Avenue West",
        community="Ottawa",
        province=ontario,
        postal_code="K1P 1J1",
        languages=["en", "fr"],
        opening_hours="Mo-Fr 08:30-17:00; PH off",
    )


@pytest.fixture
def new_brunswick_point(service_new_brunswick, new_brunswick):
    # Service New Brunswick, Fredericton.
    return ServicePoint.objects.create(
        name_en="Service New Brunswick Fredericton",
        name_fr="Services Nouveau-Brunswick Fredericton",
        organization=service_new_brunswick,
        location=Point(-66.6431, 45.9636, srid=4326),
        community="Fredericton",
        province=new_brunswick,
        postal_code="E3B 1B2",
        languages=["en", "fr"],
    )


@pytest.fixture
def federal_point(service_canada, ontario):
    return ServicePoint.objects.create(
        name_en="Service Canada Centre Ottawa",
        name_fr="Centre Service Canada Ottawa",
        organization=service_canada,
        location=Point(-75.6950, 45.4190, srid=4326),
        community="Ottawa",
        province=ontario,
        postal_code="K1P 5J2",
        languages=["en", "fr"],
    )
