"""Service points: derived fields, opening hours in the point's own time zone, access rules."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.db import IntegrityError
from django.utils import translation

from servicepoints.models import (
    DataSource,
    Jurisdiction,
    Organization,
    ServicePoint,
    Status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def st_johns_point(service_canada):
    # Service Canada, St. John's, Newfoundland: UTC-3:30 in winter.
    return ServicePoint.objects.create(
        name_en="Service Canada Centre St. John's",
        name_fr="Centre Service Canada St. John's",
        organization=service_canada,
        location=Point(-52.7126, 47.5615, srid=4326),
        community="St. John's",
        province=Jurisdiction.objects.get(code="NL"),
        postal_code="A1C 5M2",
        languages=["en"],
        opening_hours="Mo-Fr 09:00-17:00; PH off",
    )


def test_seeded_jurisdictions():
    codes = set(Jurisdiction.objects.values_list("code", flat=True))
    assert codes >= {"CA", "NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "YT"}
    assert {"NT", "NU"} <= codes
    assert Jurisdiction.objects.provinces_and_territories().count() == 13
    with translation.override("fr"):
        assert str(Jurisdiction.objects.get(code="BC")) == "Colombie-Britannique"
    with translation.override("en"):
        assert str(Jurisdiction.objects.get(code="BC")) == "British Columbia"


def test_municipality_lives_under_its_province(ontario):
    ottawa = Jurisdiction(code="ON-OTTAWA", level="municipal", name_en="Ottawa", name_fr="Ottawa")
    with pytest.raises(Exception, match="province"):
        ottawa.full_clean()
    ottawa.parent = ontario
    ottawa.full_clean()
    ottawa.save()
    wrong = Jurisdiction(
        code="QC-OTTAWA", level="municipal", name_en="X", name_fr="X", parent=ontario
    )
    with pytest.raises(Exception, match="ON-"):
        wrong.full_clean()


def test_derived_and_normalised_fields(ontario_point):
    ontario_point.languages = ["FRA", "en", "eng", "iu"]
    ontario_point.postal_code = "k1p1j1"
    ontario_point.phone = "6135550199"
    ontario_point.save()
    ontario_point.refresh_from_db()
    assert ontario_point.languages == ["fr", "en", "iu"]
    assert ontario_point.bilingual is True
    assert ontario_point.postal_code == "K1P 1J1"
    assert ontario_point.phone == "+1 613-555-0199"
    assert ontario_point.timezone == "America/Toronto"


def test_bilingual_is_derived_in_the_database_even_for_bulk_updates(ontario_point):
    ServicePoint.objects.filter(pk=ontario_point.pk).update(languages=["fr"])
    assert ServicePoint.objects.get(pk=ontario_point.pk).bilingual is False
    assert not ServicePoint.objects.filter(bilingual=True, pk=ontario_point.pk).exists()


def test_time_zone_follows_the_location(st_johns_point, service_canada):
    assert st_johns_point.timezone == "America/St_Johns"
    regina = ServicePoint.objects.create(
        name_en="Regina",
        name_fr="Regina",
        organization=service_canada,
        location=Point(-104.6189, 50.4452, srid=4326),
        province=Jurisdiction.objects.get(code="SK"),
    )
    assert regina.timezone == "America/Regina"


def test_moving_a_point_updates_its_time_zone(ontario_point):
    point = ServicePoint.objects.get(pk=ontario_point.pk)
    point.location = Point(-94.4894, 49.7670, srid=4326)  # Kenora, Ontario: Central time
    point.save()
    assert ServicePoint.objects.get(pk=point.pk).timezone == "America/Winnipeg"
    # A time zone chosen by hand is kept when the point moves.
    point.timezone = "America/Toronto"
    point.location = Point(-94.40, 49.70, srid=4326)
    point.save()
    assert ServicePoint.objects.get(pk=point.pk).timezone == "America/Toronto"


def test_open_now_uses_the_points_own_time_zone(st_johns_point, ontario_point):
    # Monday 30 November 2026. 12:45 UTC is 09:15 in St. John's (UTC-3:30), 07:45 in Ottawa.
    moment = datetime(2026, 11, 30, 12, 45, tzinfo=UTC)
    assert st_johns_point.is_open_at(moment) is True
    assert ontario_point.is_open_at(moment) is False
    # 12:15 UTC is 08:45 in St. John's: not yet open.
    assert st_johns_point.is_open_at(datetime(2026, 11, 30, 12, 15, tzinfo=UTC)) is False
    # Christmas Day is a public holidays ("PH off").
    assert st_johns_point.is_open_at(datetime(2026, 12, 25, 14, 0, tzinfo=UTC)) is False
    # Closed points are never open; points without hours are unknown.
    st_johns_point.status = Status.TEMPORARILY_CLOSED
    assert st_johns_point.is_open_at(moment) is False
    ontario_point.opening_hours = ""
    assert ontario_point.is_open_at(moment) is None


def test_external_id_is_unique_per_data_source(ontario_point, federal_point):
    source = DataSource.objects.create(name="on-refresh", title="Ontario refresh")
    ServicePoint.objects.filter(pk=ontario_point.pk).update(data_source=source, external_id="A1")
    with pytest.raises(IntegrityError):
        ServicePoint.objects.filter(pk=federal_point.pk).update(
            data_source=source, external_id="A1"
        )


def test_points_without_external_id_do_not_collide(ontario_point, federal_point):
    source = DataSource.objects.create(name="manual", title="Manual")
    for point in (ontario_point, federal_point):
        point.data_source, point.external_id = source, "  "
        point.save()
    assert ServicePoint.objects.filter(data_source=source, external_id__isnull=True).count() == 2


def test_bilingual_names_follow_the_active_language(ontario_point):
    with translation.override("fr"):
        assert ontario_point.name == "ServiceOntario Hôtel de ville d'Ottawa"
    with translation.override("en"):
        assert ontario_point.name == "ServiceOntario Ottawa City Hall"


class TestAccessRules:
    """Who reads and who changes which points: `visible_to`, `editable_by`, `can_edit`."""

    @pytest.fixture(autouse=True)
    def points(self, ontario_point, new_brunswick_point, federal_point):
        self.on, self.nb, self.ca = ontario_point, new_brunswick_point, federal_point

    def ids(self, queryset):
        return set(queryset.values_list("pk", flat=True))

    def test_analyst_reads_everything_and_changes_nothing(self, analyst):
        assert self.ids(ServicePoint.objects.visible_to(analyst)) == {
            self.on.pk,
            self.nb.pk,
            self.ca.pk,
        }
        assert not ServicePoint.objects.editable_by(analyst).exists()
        assert not self.on.can_edit(analyst)

    def test_editor_reads_and_changes_only_their_jurisdiction(self, ontario_editor):
        assert self.ids(ServicePoint.objects.visible_to(ontario_editor)) == {self.on.pk}
        assert self.ids(ServicePoint.objects.editable_by(ontario_editor)) == {self.on.pk}
        assert self.on.can_edit(ontario_editor)
        assert not self.nb.can_edit(ontario_editor)
        # A federal point in Ontario belongs to the federal jurisdiction, not Ontario's.
        assert not self.ca.can_edit(ontario_editor)
        assert self.ids(Organization.objects.editable_by(ontario_editor)) == {
            self.on.organization_id
        }

    def test_editor_of_two_jurisdictions(self, make_user):
        from servicepoints import roles

        both = make_user("both", roles.EDITORS, ["ON", "NB"])
        assert self.ids(ServicePoint.objects.editable_by(both)) == {self.on.pk, self.nb.pk}

    def test_data_admin_changes_everything(self, data_admin):
        assert self.ids(ServicePoint.objects.editable_by(data_admin)) == {
            self.on.pk,
            self.nb.pk,
            self.ca.pk,
        }
        assert self.ca.can_edit(data_admin)

    def test_anonymous_and_inactive_users_get_nothing(self, ontario_editor):
        assert not ServicePoint.objects.visible_to(AnonymousUser()).exists()
        assert not ServicePoint.objects.editable_by(AnonymousUser()).exists()
        ontario_editor.is_active = False
        ontario_editor.save()
        assert not ServicePoint.objects.visible_to(ontario_editor).exists()
        assert not ServicePoint.objects.editable_by(ontario_editor).exists()

    def test_member_without_role_changes_nothing(self, make_user):
        member = make_user("member-only", None, ["ON"])
        assert not ServicePoint.objects.editable_by(member).exists()
        assert not self.on.can_edit(member)
