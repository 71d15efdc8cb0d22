"""What people type about a service point: each mistake gets a clear message, nothing saved."""

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils import translation

from servicepoints import validators
from servicepoints.models import ServicePoint

pytestmark = pytest.mark.django_db


def messages_of(excinfo):
    return " ".join(str(m) for m in excinfo.value.messages)


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (45.42, -75.69),  # swapped Ottawa
        (-75.69, 38.0),  # south of Canada (Virginia)
        (-150.0, 61.2),  # Anchorage
        (2.35, 48.85),  # Paris
    ],
)
def test_locations_outside_canada_are_refused(lon, lat):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_in_canada(Point(lon, lat, srid=4326))
    assert "outside Canada" in messages_of(excinfo)


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (-75.697, 45.421),  # Ottawa
        (-141.00077, 69.6),  # just west of -141 at the Yukon-Alaska border
        (-82.68, 41.68),  # Middle Island, Ontario
        (-62.3, 82.5),  # Alert, Nunavut
        (-52.71, 47.56),  # St. John's
    ],
)
def test_locations_inside_canada_pass(lon, lat):
    validators.validate_in_canada(Point(lon, lat, srid=4326))


def test_projected_location_is_checked_in_lon_lat():
    # Ottawa in Statistics Canada Lambert (EPSG:3347).
    point = Point(-75.697, 45.421, srid=4326).transform(3347, clone=True)
    validators.validate_in_canada(point)


@pytest.mark.parametrize("value", ["K1A 0B1", "k1a0b1", "K1A-0B1", "X0A 0H0"])
def test_postal_codes_accepted_and_normalised(value):
    validators.validate_postal_code(value)
    assert validators.normalize_postal_code(value)[3] == " "


@pytest.mark.parametrize("value", ["12345", "K1A 0B", "D1A 1A1", "KK1 1A1", "W1A 1A1", "K1A 0B1X"])
def test_malformed_postal_codes_refused(value):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_postal_code(value)
    assert "A1A 1A1" in messages_of(excinfo)


@pytest.mark.parametrize(
    ("postal_code", "province", "ok"),
    [
        ("K1A 0B1", "QC", False),
        ("H2X 1Y4", "QC", True),
        ("X0E 0T0", "NT", True),
        ("X0A 0H0", "NU", True),
        ("X0A 0H0", "YT", False),
        ("E3B 1B2", "NB", True),
        ("A1C 5M2", "NS", False),
    ],
)
def test_postal_code_first_letter_belongs_to_province(postal_code, province, ok):
    if ok:
        validators.validate_postal_code_province(postal_code, province)
    else:
        with pytest.raises(ValidationError) as excinfo:
            validators.validate_postal_code_province(postal_code, province)
        assert province in messages_of(excinfo)


@pytest.mark.parametrize("hours", ["Mo-Fr 08:30-16:30; PH off", "24/7", "We 10:00-14:00"])
def test_valid_opening_hours(hours):
    validators.validate_opening_hours(hours)


@pytest.mark.parametrize("hours", ["Mo-Fx 08:30", "monday 9 to 5", "Mo-Fr 25:00-26:00;;"])
def test_malformed_opening_hours_refused(hours):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_opening_hours(hours)
    assert "OpenStreetMap" in messages_of(excinfo)


def test_language_codes():
    validators.validate_language_codes(["en", "fr", "iu", "cr", "oj", "mic", "ikt"])
    assert validators.normalize_language_code("FRA") == "fr"
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_language_codes(["en", "xx", "klingon"])
    assert "xx, klingon" in messages_of(excinfo)


def test_language_names_follow_the_active_language():
    with translation.override("en"):
        assert validators.language_name("iu") == "Inuktitut"
        assert validators.language_name("fr") == "French"
    with translation.override("fr"):
        assert validators.language_name("fr").lower() == "français"
        assert validators.language_name("de").lower() == "allemand"


@pytest.mark.parametrize("phone", ["613-555-0199", "+1 800 622 6232", "(613) 996-2202 ext. 12"])
def test_phone_numbers_accepted(phone):
    validators.validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "call us", "555-0199"])
def test_phone_numbers_refused(phone):
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_phone(phone)
    assert "not a phone number" in messages_of(excinfo)


def test_messages_are_translated_to_french():
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_in_canada(Point(2.35, 48.85, srid=4326))
    with translation.override("fr"):
        assert "hors du Canada" in messages_of(excinfo)
    with translation.override("en"):
        assert "outside Canada" in messages_of(excinfo)


def test_full_clean_reports_every_field_and_saves_nothing(ontario_point):
    before = ServicePoint.objects.count()
    point = ServicePoint(
        name_en="Bad",
        name_fr="Mauvais",
        organization=ontario_point.organization,
        province=ontario_point.province,
        location=Point(45.42, -75.69, srid=4326),
        postal_code="H2X 1Y4",
        opening_hours="Mo-Fx",
        languages=["en", "zz"],
        phone="12345",
        website="javascript:alert(1)",
    )
    with pytest.raises(ValidationError) as excinfo:
        point.full_clean()
    assert set(excinfo.value.message_dict) >= {
        "location",
        "opening_hours",
        "languages",
        "phone",
        "website",
    }
    # The postal code is well formed: only the province rule (run by clean()) can flag it.
    point.location = ontario_point.location
    point.opening_hours = ""
    point.languages = ["en"]
    point.phone = ""
    point.website = ""
    with pytest.raises(ValidationError) as excinfo:
        point.full_clean()
    assert list(excinfo.value.message_dict) == ["postal_code"]
    assert ServicePoint.objects.count() == before
