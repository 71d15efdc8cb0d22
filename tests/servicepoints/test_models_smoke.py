import pytest

pytestmark = pytest.mark.django_db


def test_point_is_bilingual_and_gets_its_time_zone(ontario_point):
    ontario_point.refresh_from_db()
    assert ontario_point.bilingual is True
    assert ontario_point.timezone == "America/Toronto"
