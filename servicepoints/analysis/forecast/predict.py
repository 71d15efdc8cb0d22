"""Forecast of each line of business's calls handled for the next months, with prediction
intervals, and a back-test on its last 12 known months beside the seasonal-naive guess.

The model is statsmodels' ETS (`ETSModel`: additive errors on log(1 + calls), so forecasts
and intervals stay positive and seasonality is proportional; additive seasonality of period
12); its trend, none or damped additive, is chosen by AIC. Back on the calls' scale the
forecast `value` is the median (the mean of the logs), `lower` and `upper` the 95 %
interval's ends. Breaks:

- renamed lines are one series (lines.py); discontinued, regrouped and stopped lines get no
  forecast, and the output says why;
- the COVID-19 pandemic: the parameters are estimated on the months before March 2020 (and
  before the back-test window), so its months do not distort them; the fitted model then runs
  through every known month (`smooth`), so the forecast starts from the latest level. The
  forecast assumes the pandemic-era level persists;
- a line with fewer than 24 months before both gets a non-seasonal ETS and no back-test.

The back-test forecasts the last 12 known months from the months before them with the same
parameters; the seasonal-naive guess of a month is the same month a year earlier. MAPE is
the mean of |actual − forecast| / actual in percent over the months with calls (a month with
0 calls has no percentage error and is left out, `months` says how many count)."""

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from .series import PANDEMIC_START, load_series

SEASON = 12
BACKTEST_MONTHS = 12
MIN_SEASONAL = 2 * SEASON  # months to estimate a seasonal model on
MIN_MONTHS = 6  # months below which no model is fitted
INTERVAL = 95  # percent, of the prediction intervals


@dataclass
class LineForecast:
    series: object  # LineSeries
    model: str = ""
    chosen_by: str = ""
    fitted: tuple = ()  # first and last month the parameters were estimated on
    forecast: list = field(default_factory=list)
    backtest: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def as_dict(self):
        series = self.series
        return {
            "line": series.line.name,
            "organization": series.line.organization.code,
            "names": [name for name, _first, _last in series.names],
            "status": series.status,
            "first_month": f"{series.calls.index[0]:%Y-%m}" if len(series.calls) else None,
            "last_month": f"{series.last_month:%Y-%m}" if series.last_month else None,
            "model": self.model,
            "chosen_by": self.chosen_by,
            "fitted_on": [f"{month:%Y-%m}" for month in self.fitted],
            "interval": INTERVAL,
            "forecast": self.forecast,
            "backtest": self.backtest,
            "breaks": series.breaks(),
            "notes": self.notes,
        }


def mape(actual, predicted):
    """Mean absolute percentage error over the months with calls; (percent, months)."""
    actual, predicted = np.asarray(actual, float), np.asarray(predicted, float)
    keep = np.isfinite(actual) & np.isfinite(predicted) & (actual > 0)
    if not keep.any():
        return None, 0
    errors = np.abs(actual[keep] - predicted[keep]) / actual[keep]
    return float(np.mean(errors) * 100), int(keep.sum())


def seasonal_naive(calls, start):
    """The seasonal-naive guess of the months from `start`: the same month a year earlier."""
    return calls.shift(SEASON).iloc[start:]


def _model(endog, trend, seasonal):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    return ETSModel(
        endog,
        error="add",
        trend=trend,
        damped_trend=trend is not None,
        seasonal="add" if seasonal else None,
        seasonal_periods=SEASON if seasonal else None,
    )


def _name(trend, seasonal):
    return f"ETS(A,{'Ad' if trend else 'N'},{'A' if seasonal else 'N'})"


def _fit(endog, seasonal):
    """Both trends fitted; the lower AIC kept. (result, trend)."""
    best = None
    for trend in (None, "add"):
        if trend and len(endog) < (SEASON + 8 if seasonal else 10):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter on short series
            result = _model(endog, trend, seasonal).fit(disp=False)
        if best is None or result.aic < best[0].aic:
            best = (result, trend)
    return best


def _predict(endog, trend, seasonal, params, steps):
    """The model with `params`, run through `endog`, then `steps` months ahead (mean, lower,
    upper on the calls' scale)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = _model(endog, trend, seasonal).smooth(params)
        frame = result.get_prediction(start=len(endog), end=len(endog) + steps - 1)
        summary = frame.summary_frame(alpha=1 - INTERVAL / 100)
    return (
        np.clip(np.expm1(summary["mean"].to_numpy()), 0, None),
        np.clip(np.expm1(summary["pi_lower"].to_numpy()), 0, None),
        np.clip(np.expm1(summary["pi_upper"].to_numpy()), 0, None),
    )


def forecast_line(series, months=12):
    result = LineForecast(series)
    calls = series.calls
    if series.status != "active":
        reason = {
            "discontinued": _("discontinued in %(month)s: no forecast."),
            "regrouped": _("regrouped into “%(into)s” in %(month)s: no forecast."),
            "stopped": _("no statistics since %(month)s: no forecast."),
        }[series.status]
        into = series.line.successor.name if series.line.successor else "?"
        month = series.line.ended or series.last_month
        result.notes.append(reason % {"month": f"{month:%Y-%m}", "into": into})
        result.backtest = {"months": 0, "mape_model": None, "mape_naive": None, "table": []}
        return result
    if calls.isna().any():
        result.notes.append(
            _("%(count)s months without calls handled, filled in linearly.")
            % {"count": int(calls.isna().sum())}
        )
        calls = calls.interpolate(limit_direction="both")
    n = len(calls)
    if n < MIN_MONTHS:
        result.notes.append(
            _("only %(count)s months of statistics: too few for a forecast.") % {"count": n}
        )
        result.backtest = {"months": 0, "mape_model": None, "mape_naive": None, "table": []}
        return result
    endog = pd.Series(np.log1p(calls.to_numpy()), index=calls.index)
    pandemic = int((calls.index < pd.Timestamp(PANDEMIC_START)).sum())
    test_start = n - BACKTEST_MONTHS if n >= MIN_SEASONAL + BACKTEST_MONTHS else None
    fit_end = min(test_start if test_start is not None else n, pandemic)
    seasonal = fit_end >= MIN_SEASONAL
    if not seasonal and fit_end < MIN_MONTHS:
        fit_end = n  # too little before the pandemic: every month, the pandemic's too
        result.notes.append(
            _("too few months before March 2020: fitted on every month, the pandemic’s too.")
        )
    if not seasonal:
        result.notes.append(
            _("%(count)s months: too few for a seasonal model (24 needed) or a back-test.")
            % {"count": n}
        )
    fitted, trend = _fit(endog.iloc[:fit_end], seasonal)
    result.model = _name(trend, seasonal)
    result.chosen_by = "AIC"
    result.fitted = (calls.index[0], calls.index[fit_end - 1])
    if fit_end <= pandemic and n > pandemic:
        result.notes.append(
            _(
                "parameters estimated on %(first)s–%(last)s, before the pandemic (March 2020); "
                "its months then update the level, and the forecast assumes it persists."
            )
            % {"first": f"{result.fitted[0]:%Y-%m}", "last": f"{result.fitted[1]:%Y-%m}"}
        )
    params = fitted.params
    mean, lower, upper = _predict(endog, trend, seasonal, params, months)
    future = pd.date_range(calls.index[-1] + pd.offsets.MonthBegin(1), periods=months, freq="MS")
    result.forecast = [
        {
            "month": f"{month:%Y-%m}",
            "value": round(float(value), 1),
            "lower": round(float(low), 1),
            "upper": round(float(high), 1),
        }
        for month, value, low, high in zip(future, mean, lower, upper, strict=True)
    ]
    result.backtest = backtest(calls, endog, test_start, trend, seasonal, params, pandemic)
    return result


def backtest(calls, endog, test_start, trend, seasonal, params, pandemic):
    """The last 12 known months forecast from the months before them, beside seasonal naive."""
    if test_start is None:
        return {"months": 0, "mape_model": None, "mape_naive": None, "table": []}
    steps = len(calls) - test_start
    model, _lower, _upper = _predict(endog.iloc[:test_start], trend, seasonal, params, steps)
    naive = seasonal_naive(calls, test_start).to_numpy()
    actual = calls.iloc[test_start:].to_numpy()
    mape_model, counted = mape(actual, model)
    mape_naive, _counted = mape(actual, naive)
    return {
        "months": counted,
        "first": f"{calls.index[test_start]:%Y-%m}",
        "last": f"{calls.index[-1]:%Y-%m}",
        "mape_model": _rounded(mape_model),
        "mape_naive": _rounded(mape_naive),
        "pandemic_months": int(max(0, len(calls) - max(pandemic, test_start))),
        "table": [
            {
                "month": f"{month:%Y-%m}",
                "actual": float(a),
                "model": round(float(m), 1),
                "naive": float(v),
            }
            for month, a, m, v in zip(calls.index[test_start:], actual, model, naive, strict=True)
        ],
    }


def _rounded(value):
    return None if value is None or math.isnan(value) else round(value, 2)


def forecast_all(*, user=None, lines=None, months=12, progress=None):
    """The forecast of every line (or of `lines`) the user may read, by name."""
    # Loaded before the limit, which only reaches the BLAS libraries already loaded (scipy
    # brings its own OpenBLAS).
    import statsmodels.tsa.exponential_smoothing.ets  # noqa: F401
    from threadpoolctl import threadpool_limits

    all_series = load_series(user, lines)
    results = []
    # One BLAS thread: the matrices are tiny, and OpenBLAS's threads cost 3.5 times the CPU
    # time (6.3 s instead of 1.8 s for the 21 lines of the ServiceOntario file).
    with threadpool_limits(limits=1, user_api="blas"):
        for number, series in enumerate(all_series, 1):
            if progress:
                progress(number, len(all_series), series.line.name)
            results.append(forecast_line(series, months))
    return results
