"""GET /api/analysis/channels/: lines, monthly series, forecast and back-test, for the
signed-in users who may read the call centre's point only."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from servicepoints.analysis.forecast.importer import import_channel_statistics

from .channel_data import HEADER, contact_centre, monthly_rows, write  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/analysis/channels/"


@pytest.fixture
def statistics(contact_centre, tmp_path):  # noqa: F811
    cache.clear()
    rows = monthly_rows("Line A", 2016, 40, lambda i: 1000 + 10 * i + (300 if i % 12 == 0 else 0))
    rows += monthly_rows("Line B DISCONTINUED", 2016, 3, lambda i: 5)
    result = import_channel_statistics(
        write(tmp_path, HEADER + rows), organization="serviceontario"
    )
    assert not result.refused
    yield
    cache.clear()


def test_the_route_is_named():
    assert reverse("api:channel_list") == URL


def test_anonymous_is_refused(client, statistics):
    response = client.get(URL)
    assert response.status_code == 401


def test_an_analyst_gets_series_forecast_and_backtest(client, analyst, statistics):
    client.force_login(analyst)
    payload = client.get(URL, {"months": 3}).json()
    assert payload["interval"] == 95 and payload["months"] == 3
    by_name = {line["line"]: line for line in payload["lines"]}
    line = by_name["Line A"]
    assert line["series"][0] == {
        "month": "2016-01",
        "calls_handled": 1300,
        "average_wait_minutes": 1.5,
    }
    assert len(line["series"]) == 40
    assert [m["month"] for m in line["forecast"]] == ["2019-05", "2019-06", "2019-07"]
    assert all(m["lower"] <= m["value"] <= m["upper"] for m in line["forecast"])
    assert line["backtest"]["months"] == 12 and line["backtest"]["mape_naive"] is not None
    assert by_name["Line B"]["status"] == "discontinued" and by_name["Line B"]["forecast"] == []


def test_series_only_and_one_line(client, analyst, statistics):
    client.force_login(analyst)
    payload = client.get(URL, {"forecast": "false", "line": "line a"}).json()
    [line] = payload["lines"]
    assert line["line"] == "Line A" and "forecast" not in line and len(line["series"]) == 40


def test_bad_parameters_are_named(client, analyst, statistics):
    client.force_login(analyst)
    response = client.get(URL, {"months": 99})
    assert response.status_code == 400 and "months" in response.json()["parameters"]
    response = client.get(URL, {"line": "Nothing"})
    assert response.status_code == 400 and "line" in response.json()["parameters"]


def test_a_foreign_jurisdiction_sees_no_line(client, new_brunswick_editor, statistics):
    client.force_login(new_brunswick_editor)
    assert client.get(URL, {"forecast": "false"}).json()["lines"] == []
    assert client.get(URL).json()["lines"] == []


def test_ontario_staff_see_their_centre(client, ontario_editor, statistics):
    client.force_login(ontario_editor)
    names = [line["line"] for line in client.get(URL, {"forecast": "false"}).json()["lines"]]
    assert names == ["Line A", "Line B"]


def test_a_changed_import_is_not_served_from_the_cache(
    client,
    analyst,
    statistics,
    tmp_path,
):
    client.force_login(analyst)
    before = client.get(URL, {"forecast": "false", "line": "Line A"}).json()
    assert before["lines"][0]["series"][0]["calls_handled"] == 1300
    changed = HEADER + "Line A,Jan,2016,1,1.5\n"
    result = import_channel_statistics(write(tmp_path, changed), organization="serviceontario")
    assert result.updated == 1
    after = client.get(URL, {"forecast": "false", "line": "Line A"}).json()
    assert after["lines"][0]["series"][0]["calls_handled"] == 1
