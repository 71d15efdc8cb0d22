"""`GET /api/analysis/channels/`: the lines of business the user may read, each with its
monthly series (calls handled, average wait) and, unless `forecast=false`, its forecast,
back-test, breaks and notes (predict.py) — for the dashboard's channel demand card.

Signed-in users only (401 JSON otherwise), statistics of the points they may read
(`ServicePoint.objects.visible_to`). A forecast of every line takes seconds, so the answer is
cached under the statistics' own fingerprint (count and last import), the user's scope, the
parameters and the language."""

import hashlib

from django import forms
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from servicepoints.filters import ParameterForm
from servicepoints.http import api_view, bad_parameters
from servicepoints.models import jurisdictions_of, sees_all_jurisdictions

from .predict import INTERVAL, forecast_all
from .series import find_lines, lines_visible_to, load_series

CACHE_SECONDS = 3600


class ChannelsQuery(ParameterForm):
    """Which line, how many months ahead, with or without the forecast."""

    descriptions = {
        "line": "One line of business, by its name or a former name; default: every line.",
        "months": "How many months to forecast; default 12.",
        "forecast": "false: the series only (fast); default true.",
    }

    line = forms.CharField(required=False, max_length=300)
    months = forms.IntegerField(required=False, min_value=1, max_value=36)
    forecast = forms.NullBooleanField(required=False)

    @classmethod
    def from_query(cls, query_dict):
        return cls({name: query_dict.get(name) for name in cls.base_fields if name in query_dict})


def _series_rows(series):
    return [
        {
            "month": f"{month:%Y-%m}",
            "calls_handled": None if calls != calls else int(calls),  # NaN: not given
            "average_wait_minutes": None if wait != wait else round(float(wait), 3),
        }
        for month, calls, wait in zip(series.calls.index, series.calls, series.wait, strict=True)
    ]


def _cache_key(user, params):
    _lines, stats = lines_visible_to(user)
    state = stats.aggregate(count=Count("pk"), last=Max("imported_at"))
    scope = (
        "all"
        if sees_all_jurisdictions(user)
        else ",".join(str(pk) for pk in jurisdictions_of(user).values_list("pk", flat=True))
    )
    text = f"{state['count']}|{state['last']}|{scope}|{sorted(params.items())}|{get_language()}"
    return "channels:" + hashlib.sha256(text.encode()).hexdigest()


def _payload(user, *, months, with_forecast, line="", lines=None):
    """The answer for `lines` (None: every line `user` may read), from the cache or made and
    cached: each line with its series and, `with_forecast`, its forecast and back-test."""
    key = _cache_key(user, {"line": line, "months": months, "f": with_forecast})
    payload = cache.get(key)
    if payload is None:
        payload = {"interval": INTERVAL, "months": months, "lines": []}
        if with_forecast:
            for result in forecast_all(user=user, lines=lines, months=months):
                line_payload = {**result.as_dict(), "series": _series_rows(result.series)}
                payload["lines"].append(line_payload)
        else:
            for series in load_series(user, lines):
                payload["lines"].append(
                    {
                        "line": series.line.name,
                        "organization": series.line.organization.code,
                        "status": series.status,
                        "breaks": series.breaks(),
                        "series": _series_rows(series),
                    }
                )
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def cached_forecasts(user, months=12):
    """[LineForecast.as_dict() with its "series"] of every line `user` may read, from the
    cache this API fills (the dashboard's channel card reads it too)."""
    return _payload(user, months=months, with_forecast=True)["lines"]


@api_view
def channel_list(request):
    form = ChannelsQuery.from_query(request.GET)
    if not form.is_valid():
        return bad_parameters(form)
    params = form.cleaned_data
    lines = None
    if params["line"]:
        lines = find_lines(params["line"], request.user)
        if not lines:
            return JsonResponse(
                {
                    "error": _("There is no line of business “%(line)s”.")
                    % {"line": params["line"]},
                    "parameters": {"line": [_("Unknown line of business.")]},
                },
                status=400,
            )
    payload = _payload(
        request.user,
        months=params["months"] or 12,
        with_forecast=params["forecast"] is not False,
        line=params["line"],
        lines=lines,
    )
    return JsonResponse(payload)
