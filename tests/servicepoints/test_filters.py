"""The shared filters: validation of parameters and their effect in SQL."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.http import QueryDict
from django.utils import timezone

from servicepoints.filters import PageFilter, PointFilter
from servicepoints.models import OpeningPeriod, Service, ServicePoint, Status

pytestmark = pytest.mark.django_db


def select(query):
    form = PointFilter.from_query(QueryDict(query))
    assert form.is_valid(), form.errors
    return set(ServicePoint.objects.filter_by(form.cleaned_data).values_list("pk", flat=True))


@pytest.fixture
def points(ontario_point, new_brunswick_point, federal_point):
    passport = Service.objects.create(code="passport", name_en="Passports", name_fr="Passeports")
    federal_point.services.add(passport)
    federal_point.kind = "passport_office"
    federal_point.languages = ["en", "fr", "iu"]
    federal_point.save()
    new_brunswick_point.languages = ["fr"]
    new_brunswick_point.status = Status.TEMPORARILY_CLOSED
    new_brunswick_point.save()
    return ontario_point, new_brunswick_point, federal_point


def test_each_filter_selects_the_right_points(points):
    on, nb, ca = (p.pk for p in points)
    assert select("") == {on, nb, ca}
    assert select("jurisdiction=ON") == {on}
    assert select("jurisdiction=ON,NB") == {on, nb}
    assert select("jurisdiction=ON&jurisdiction=CA") == {on, ca}
    assert select("province=ON") == {on, ca}
    assert select("level=federal") == {ca}
    assert select("organization=service-new-brunswick") == {nb}
    assert select("kind=passport_office") == {ca}
    assert select("service=passport") == {ca}
    assert select("language=iu") == {ca}
    assert select("language=fra") == {on, nb, ca}
    assert select("bilingual=true") == {on, ca}
    assert select("bilingual=false") == {nb}
    assert select("status=temporarily_closed") == {nb}
    assert select("bbox=-76,45,-75,46") == {on, ca}
    assert select("q=fredericton") == {nb}
    assert select("q=Hôtel de ville") == {on}
    assert select("q=K1P") == {on, ca}
    assert select("q=k1p 1j1") == {on}
    assert select("kind=centre&jurisdiction=ON&bilingual=true") == {on}


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("jurisdiction=XX", "jurisdiction", "XX"),
        ("organization=nope", "organization", "nope"),
        ("kind=castle", "kind", "castle"),
        ("language=klingon", "language", "klingon"),
        ("status=gone", "status", "gone"),
        ("bbox=1,2,3", "bbox", "four numbers"),
        ("bbox=a,b,c,d", "bbox", "four numbers"),
        ("bbox=-75,46,-76,45", "bbox", "west < east"),
        ("bbox=-75,nan,-74,46", "bbox", "four numbers"),
        ("bilingual=maybe", "bilingual", "true or false"),
        ("open_now=2", "open_now", "true or false"),
    ],
)
def test_bad_parameters_are_named(query, parameter, message):
    form = PointFilter.from_query(QueryDict(query))
    assert not form.is_valid()
    errors = form.errors_by_parameter()
    assert list(errors) == [parameter]
    assert message in errors[parameter][0]


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=10001", "limit=x", "offset=-1", "offset=99999999999999999999"]
)
def test_paging_limits(query):
    assert not PageFilter.from_query(QueryDict(query)).is_valid()


def test_paging_defaults():
    form = PageFilter.from_query(QueryDict(""))
    assert form.is_valid()
    assert (form.cleaned_data["limit"], form.cleaned_data["offset"]) == (1000, 0)


def test_open_now_follows_the_computed_periods(ontario_point, new_brunswick_point):
    # The Ottawa point has hours, so saving computed its periods; open now or not, the
    # filter agrees with the point's own evaluation.
    expected_open = ontario_point.is_open_at(timezone.now())
    assert (ontario_point.pk in select("open_now=true")) is expected_open
    assert (ontario_point.pk in select("open_now=false")) is not expected_open
    # A point without hours is never "open now".
    assert new_brunswick_point.pk not in select("open_now=true")


def test_periods_cover_three_weeks_in_local_time_with_holidays(ontario_point):
    start = datetime(2026, 12, 21, 5, 0, tzinfo=UTC)  # Monday 00:00 in Ottawa
    ServicePoint.objects.filter(pk=ontario_point.pk).refresh_opening_periods(start=start)
    point = ServicePoint.objects.get(pk=ontario_point.pk)
    periods = sorted(p.period for p in point.opening_periods)
    # Mo-Fr 08:30-17:00; PH off: Christmas and Boxing Day week (25 Dec and 1 Jan are
    # holidays on Fridays, 26 Dec a Saturday) leaves 15 - 2 = 13 working days in 3 weeks.
    assert len(periods) == 13
    first = periods[0]
    assert first.lower == datetime(2026, 12, 21, 13, 30, tzinfo=UTC)  # 08:30 EST
    assert first.upper - first.lower == timedelta(hours=8, minutes=30)
    assert all(p.lower.date() != datetime(2026, 12, 25).date() for p in periods)


def test_closing_a_point_in_bulk_removes_it_from_open_now(ontario_point):
    ServicePoint.objects.filter(pk=ontario_point.pk).update(status=Status.CLOSED)
    OpeningPeriod.objects.create(
        hours_key=ServicePoint.objects.get(pk=ontario_point.pk).hours_key,
        period=(timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=1)),
    )
    assert ontario_point.pk not in select("open_now=true")


def test_only_stale_points_need_new_periods(ontario_point, service_canada, ontario):
    assert not ServicePoint.objects.needing_opening_periods().exists()
    OpeningPeriod.objects.all().delete()
    assert set(ServicePoint.objects.needing_opening_periods()) == {ontario_point}
    point = ServicePoint.objects.create(
        name_en="No hours",
        name_fr="Sans heures",
        organization=service_canada,
        location=Point(-75.7, 45.4, srid=4326),
        province=ontario,
    )
    assert point not in ServicePoint.objects.needing_opening_periods()
