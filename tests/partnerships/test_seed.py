"""The real cases of the council's 2017 deck, as `load_partnerships` records them."""

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from partnerships.models import Partnership
from partnerships.seed import load_partnerships
from servicepoints.models import Jurisdiction, Organization, ServicePoint

pytestmark = pytest.mark.django_db

# key: (type, status, party organization codes)
EXPECTED = {
    "picton-shared-office": ("co-location", "in_operation", {"serviceontario", "service-canada"}),
    "snb-pleasure-craft-licences": (
        "integrated-services",
        "in_operation",
        {"transport-canada", "service-new-brunswick"},
    ),
    "snb-service-canada-kiosks": (
        "digital-collaboration",
        "pilot",
        {"service-canada", "service-new-brunswick"},
    ),
    "nova-scotia-metal-trades": (
        "integrated-services",
        "pilot",
        {
            "service-canada",
            "government-of-nova-scotia",
            "nova-scotia-community-college",
            "halifax-shipyard-employers",
            "metal-trades-union",
            "mikmaq-native-friendship-centre",
        },
    ),
    "nain-virtual-outreach": ("virtual-service", "pilot", {"service-canada"}),
    "saint-leonard-virtual-agent": ("virtual-service", "pilot", {"service-canada"}),
    "gnwt-one-stop": ("hosted-outreach", "in_operation", {"service-canada", "gnwt"}),
    "ontario-sin-at-arrival": (
        "integrated-services",
        "pilot",
        {"service-canada", "serviceontario"},
    ),
}


@pytest.fixture
def registry(serviceontario, service_canada, service_new_brunswick):
    gnwt = Organization.objects.create(
        code="gnwt",
        name_en="Government of the Northwest Territories",
        name_fr="Gouvernement des Territoires du Nord-Ouest",
        jurisdiction=Jurisdiction.objects.get(code="NT"),
    )
    return {"service-canada": service_canada, "gnwt": gnwt}


@pytest.fixture
def goose_bay_point(registry):
    # Service Canada Centre, Happy Valley-Goose Bay, Labrador.
    return ServicePoint.objects.create(
        name_en="Service Canada Centre Happy Valley-Goose Bay",
        name_fr="Centre Service Canada Happy Valley-Goose Bay",
        organization=registry["service-canada"],
        location=Point(-60.4167, 53.3017, srid=4326),
        community="Happy Valley-Goose Bay",
        province=Jurisdiction.objects.get(code="NL"),
    )


def test_every_case_of_the_deck_is_recorded(registry, goose_bay_point):
    counts = load_partnerships()
    assert counts["partnerships"]["created"] == len(EXPECTED)
    for key, (type_code, status, parties) in EXPECTED.items():
        partnership = Partnership.objects.get(seed_key=key)
        assert partnership.type.code == type_code, key
        assert partnership.status == status, key
        assert set(partnership.parties.values_list("organization__code", flat=True)) == parties
        assert partnership.title_fr and partnership.summary_fr, key
        assert partnership.status_changes.count() == 1


def test_picton_has_its_five_practices_and_snb_its_date(registry):
    load_partnerships()
    picton = Partnership.objects.get(seed_key="picton-shared-office")
    assert set(picton.practices.values_list("code", flat=True)) == {
        "adjoining-counters",
        "shared-waiting-self-serve",
        "harmonised-hours",
        "single-entrance",
        "joint-signage-queueing",
    }
    snb = Partnership.objects.get(seed_key="snb-pleasure-craft-licences")
    assert snb.start_date.year == 2006
    metal = Partnership.objects.get(seed_key="nova-scotia-metal-trades")
    assert metal.parties.get(organization__code="mikmaq-native-friendship-centre").role == (
        "delivery_agent"
    )


def test_sites_are_linked_to_the_registry_where_they_exist(registry, goose_bay_point):
    load_partnerships()
    nain = Partnership.objects.get(seed_key="nain-virtual-outreach")
    assert list(nain.sites.values_list("service_point", flat=True)) == [goose_bay_point.pk]
    assert not Partnership.objects.get(seed_key="picton-shared-office").sites.exists()


def test_loading_again_creates_nothing_and_keeps_edits(registry):
    call_command("load_partnerships", stdout=open("/dev/null", "w"))  # noqa: SIM115
    Partnership.objects.filter(seed_key="gnwt-one-stop").update(title_en="Edited")
    counts = load_partnerships()
    assert counts["partnerships"]["created"] == 0
    assert counts["organizations"]["created"] == 0
    assert Partnership.objects.get(seed_key="gnwt-one-stop").title_en == "Edited"
    assert Partnership.objects.count() == len(EXPECTED)


def test_cases_whose_organizations_are_missing_are_skipped(service_canada):
    counts = load_partnerships()
    # Only Service Canada and the deck's own organizations: Nain, Saint-Léonard, Nova Scotia.
    assert counts["partnerships"]["created"] == 3
    assert len(counts["skipped"]) == 5
