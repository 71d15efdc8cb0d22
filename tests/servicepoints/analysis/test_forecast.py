"""manage.py forecast: the JSON contract, intervals around the value, the back-test's MAPEs
(the naive one recomputed here by hand), the breaks said, on the real file and small ones."""

import json
import math

import pytest
from django.core.management import CommandError, call_command

from servicepoints.analysis.forecast.importer import import_channel_statistics
from servicepoints.analysis.forecast.predict import mape
from tests.conftest import shared_file

from .channel_data import HEADER, REAL_FILE, contact_centre, monthly_rows, write  # noqa: F401

pytestmark = pytest.mark.django_db


def run_forecast(capsys, *args):
    call_command("forecast", "--json", *args)
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def seasonal(i):
    """Calls of month i from January 2016: growing 2 % a month, 30 % higher in winter."""
    return round((1000 + 20 * i) * (1 + 0.3 * math.cos(2 * math.pi * i / 12)))


def test_mape_leaves_out_months_without_calls():
    assert mape([100, 200, 0], [110, 180, 5]) == (pytest.approx(10.0), 2)
    assert mape([0, 0], [1, 2]) == (None, 0)


def test_the_json_contract_on_the_real_file(contact_centre, capsys):  # noqa: F811
    result = import_channel_statistics(shared_file(REAL_FILE), organization="serviceontario")
    assert not result.refused
    lines, progress = run_forecast(capsys)
    assert "Forecasting 21/21" in progress
    assert isinstance(lines, list) and len(lines) == 21
    by_name = {line["line"]: line for line in lines}
    for line in lines:
        assert {"line", "forecast", "backtest"} <= set(line)
        assert {"months", "mape_model", "mape_naive"} <= set(line["backtest"])
        for month in line["forecast"]:
            assert set(month) == {"month", "value", "lower", "upper"}
            assert len(month["month"]) == 7 and month["month"][4] == "-"
            assert 0 <= month["lower"] <= month["value"] <= month["upper"]
    health = by_name["Health Services queues (English + French)"]
    assert [m["month"] for m in health["forecast"]][:2] == ["2020-10", "2020-11"]
    assert len(health["forecast"]) == 12
    assert health["backtest"]["months"] == 12
    assert health["backtest"]["mape_model"] > 0 and health["backtest"]["mape_naive"] > 0
    assert {"month": "2020-03", "kind": "pandemic"} in health["breaks"]
    basic = by_name["Basic Income (English + French)"]
    assert basic["status"] == "discontinued" and basic["forecast"] == []
    assert basic["notes"] == ["discontinued in 2018-07: no forecast."]
    pilot = next(line for line in lines if "Mobile Pilot" in line["line"])
    assert pilot["status"] == "regrouped" and "Children, Community" in pilot["notes"][0]
    energy = by_name[
        "Ministry of Energy, Northern Development and Mines queues (English + French)"
    ]
    assert energy["breaks"][0]["kind"] == "renamed" and energy["breaks"][0]["month"] == "2019-07"
    assert energy["first_month"] == "2016-01"  # the series goes on across the rename
    # The naive MAPE of the real file, recomputed from the file itself.
    import pandas as pd

    frame = pd.read_csv(shared_file(REAL_FILE))
    rows = frame[frame["queue_group"] == "Health Services queues (English + French)"]
    calls = rows["calls_handled"].to_numpy(float)
    expected = (
        sum(abs(a - n) / a for a, n in zip(calls[-12:], calls[-24:-12], strict=True)) / 12 * 100
    )
    assert health["backtest"]["mape_naive"] == pytest.approx(expected, abs=0.01)


def test_naive_mape_on_a_small_series_equals_one_computed_by_hand(
    contact_centre,  # noqa: F811
    tmp_path,
    capsys,
):
    path = write(tmp_path, HEADER + monthly_rows("Test line", 2015, 48, seasonal))
    import_channel_statistics(path, organization="serviceontario")
    [line], _progress = run_forecast(capsys, "--months", "6")
    calls = [seasonal(i) for i in range(48)]
    by_hand = sum(abs(calls[i] - calls[i - 12]) / calls[i] for i in range(36, 48)) / 12 * 100
    assert line["backtest"]["mape_naive"] == pytest.approx(by_hand, abs=0.01)
    assert line["backtest"]["months"] == 12
    assert [row["naive"] for row in line["backtest"]["table"]] == calls[24:36]
    # A growing seasonal series: the model follows the growth, the naive guess lags a year.
    assert line["backtest"]["mape_model"] < line["backtest"]["mape_naive"]
    assert len(line["forecast"]) == 6 and line["forecast"][0]["month"] == "2019-01"
    assert line["model"].startswith("ETS(A,") and line["chosen_by"] == "AIC"
    assert not any(b["kind"] == "pandemic" for b in line["breaks"])  # ends 2018-12


def test_the_pandemic_months_are_said_and_kept_out_of_the_estimation(
    contact_centre,  # noqa: F811
    tmp_path,
    capsys,
):
    def halved_from_march_2020(i):
        return seasonal(i) // (2 if i >= 50 else 1)  # i = 50: March 2020 from January 2016

    path = write(tmp_path, HEADER + monthly_rows("Test line", 2016, 57, halved_from_march_2020))
    import_channel_statistics(path, organization="serviceontario")
    [line], _progress = run_forecast(capsys)
    assert line["fitted_on"] == ["2016-01", "2019-09"]
    assert {"month": "2020-03", "kind": "pandemic"} in line["breaks"]
    assert any("before the pandemic (March 2020)" in note for note in line["notes"])
    assert line["backtest"]["pandemic_months"] == 7
    # The forecast starts from the pandemic's level, not from 2019's.
    assert line["forecast"][0]["value"] < seasonal(57) * 0.75


def test_a_short_line_has_no_back_test_and_says_why(contact_centre, tmp_path, capsys):  # noqa: F811
    path = write(tmp_path, HEADER + monthly_rows("Short line", 2018, 15, lambda i: 100 + i))
    import_channel_statistics(path, organization="serviceontario")
    [line], _progress = run_forecast(capsys)
    assert line["backtest"]["months"] == 0 and line["backtest"]["mape_model"] is None
    assert line["model"].startswith("ETS(A,") and line["model"].endswith(",N)")  # no season
    assert any("too few for a seasonal model" in note for note in line["notes"])
    assert all(m["lower"] <= m["value"] <= m["upper"] for m in line["forecast"])


def test_one_line_by_a_former_name_and_the_readable_table(contact_centre, tmp_path, capsys):  # noqa: F811
    rows = monthly_rows("Ministry of Energy queues  (English + French)", 2016, 30, seasonal)
    rows += monthly_rows("Other line", 2016, 40, seasonal)
    import_channel_statistics(write(tmp_path, HEADER + rows), organization="serviceontario")
    lines, _progress = run_forecast(
        capsys, "--line", "ministry of energy queues (english + french)"
    )
    assert [line["line"] for line in lines] == ["Ministry of Energy queues (English + French)"]
    call_command("forecast")
    text = capsys.readouterr().out
    assert "| line | months | MAPE model | MAPE naive | better |" in text
    assert "| Other line | 12 | " in text  # 40 months: 28 to estimate on, 12 to test
    # 30 months: too few to estimate a seasonal model on 18 and test it on 12.
    assert "| Ministry of Energy queues (English + French) | 0 | — | — | no back-test |" in text
    with pytest.raises(CommandError, match="There is no line of business “Nothing”"):
        call_command("forecast", "--line", "Nothing")
    with pytest.raises(CommandError, match="--months must be between 1 and 36"):
        call_command("forecast", "--months", "0")


def test_nothing_imported_yet():
    with pytest.raises(CommandError, match="There are no channel statistics yet"):
        call_command("forecast")
