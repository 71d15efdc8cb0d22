"""The what-if API (issue 13): evaluate a scenario, saved or not; save, read, change and delete
scenarios; suggest sites.

- `GET /api/analysis/whatif/?[filters]&within=&site=LON,LAT[,NAME]&close=ID,…` evaluates an
  unsaved scenario, `?scenario=TOKEN` a saved one (its owner's, or anyone's with its link);
- `GET|POST /api/analysis/scenarios/`: the user's scenarios; a new one (JSON body);
- `GET|PUT|PATCH|DELETE /api/analysis/scenarios/ID/`: the owner's only (404 to others);
- `GET /api/analysis/scenarios/shared/TOKEN/`: a scenario read by its share link;
- `GET /api/analysis/suggest/?[filters]&within=&k=&candidates=`: suggest.py's k sites.

Anyone signed in (who can open the analyst map) may evaluate; the points are those the map's
filters select among the points the user may read. Writes are JSON with the CSRF token (the
session's); a refused one answers 400 naming each field at fault and changes nothing.
"""

import json
import math
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepoints.filters import CodeListField, PointFilter
from servicepoints.http import bad_parameters, json_error, not_signed_in
from servicepoints.models import ServicePoint
from servicepoints.tiles.scope import visibility_scope

from . import scenarios
from .models import Scenario
from .suggest import BOTH, CANDIDATE_MODES, SuggestionError, suggest_sites
from .underserved import DEFAULT_LIMIT, MAX_LIMIT
from .whatif import Site, evaluate

MAX_K = 50


def json_view(*methods):
    """Signed-in users only (401 JSON otherwise), `methods` only (405 otherwise)."""

    def decorator(view):
        @login_not_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            allowed = [*methods, "HEAD"] if "GET" in methods else list(methods)
            if request.method not in allowed:
                response = json_error(_("This method is not accepted here."), 405)
                response["Allow"] = ", ".join(allowed)
                return response
            if not request.user.is_authenticated:
                return not_signed_in()
            response = view(request, *args, **kwargs)
            response.setdefault("Cache-Control", "private, no-cache")
            return response

        return wrapper

    return decorator


class SiteListField(forms.Field):
    """`site=LON,LAT[,NAME]`, repeated: hypothetical sites."""

    # Its query parameter in the OpenAPI document (servicepoints/openapi.py).
    openapi_schema = {"type": "array", "items": {"type": "string"}}

    def to_python(self, value):
        values = value if isinstance(value, list) else [value] if value else []
        sites = []
        for number, text in enumerate(values, start=1):
            parts = [part.strip() for part in str(text).split(",", 2)]
            try:
                lon, lat = float(parts[0]), float(parts[1])
            except (IndexError, ValueError):
                lon = lat = math.nan
            name = (
                parts[2]
                if len(parts) > 2 and parts[2]
                else _("Site %(number)s") % {"number": number}
            )
            sites.append({"name": name, "lon": lon, "lat": lat})
        return sites

    def validate(self, value):
        errors = {}
        scenarios.clean_sites(value, errors)
        if errors:
            raise forms.ValidationError(
                [f"{name}: {text}" for name, messages in errors.items() for text in messages]
            )


class IdListField(CodeListField):
    def validate(self, value):
        for code in value:
            if not code.isdigit():
                raise forms.ValidationError(
                    _("Unknown point: %(ids)s.") % {"ids": code}, code="unknown"
                )


class WhatIfQuery(PointFilter):
    """The map's filters, the distance, the sites added and the points closed."""

    descriptions = {
        "within": "Kilometres (straight-line distance on the sphere) within which people count "
        "as covered; default 50.",
        "site": "A hypothetical site, LON,LAT[,NAME] in EPSG:4326 degrees; repeat for more.",
        "close": "Ids of points closed in the scenario (comma-separated).",
        "scenario": "Share token of a saved scenario to evaluate (the other parameters are "
        "then its own).",
        "limit": f"How many underserved communities to list; default {DEFAULT_LIMIT}.",
    }

    within = forms.FloatField(
        required=False,
        min_value=scenarios.MIN_KM,
        max_value=scenarios.MAX_KM,
        error_messages={"invalid": gettext_lazy("Give a distance in kilometres, such as 50.")},
    )
    site = SiteListField(required=False)
    close = IdListField()
    scenario = forms.CharField(required=False, max_length=40)
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)

    @classmethod
    def from_query(cls, query_dict):
        form = super().from_query(query_dict)
        if query_dict.getlist("site"):
            form.data["site"] = query_dict.getlist("site")
        return form


POINT_FIELDS = list(PointFilter.base_fields)


def _evaluate(request, params, within, sites, closed, limit):
    points = ServicePoint.objects.visible_to(request.user).filter_by(params)
    result = evaluate(
        points, params, visibility_scope(request.user), within_km=within, sites=sites,
        closed=closed, limit=limit,
    )  # fmt: skip
    return JsonResponse(result.as_dict())


@json_view("GET")
def whatif_evaluate(request):
    form = WhatIfQuery.from_query(request.GET)
    valid = form.is_valid()
    # The closed points are checked against those the user may read, with the other errors.
    errors = {}
    ids = [int(code) for code in form.cleaned_data.get("close", [])]
    closed = scenarios.clean_closed(ids, ServicePoint.objects.visible_to(request.user), errors)
    if not valid or errors:
        response = bad_parameters(form)
        answer = json.loads(response.content)
        if errors:
            answer["parameters"]["close"] = errors["closed"]
            answer["error"] = _("These parameters are not valid: %(names)s.") % {
                "names": ", ".join(answer["parameters"])
            }
        return JsonResponse(answer, status=400)
    data = form.cleaned_data
    limit = data["limit"] or DEFAULT_LIMIT
    if data["scenario"]:
        scenario = Scenario.objects.filter(share_token=data["scenario"]).first()
        if scenario is None:
            return json_error(_("No scenario has this link."), 404)
        _data, params = scenarios.clean_filters(scenario.filters, {})
        visible = ServicePoint.objects.visible_to(request.user)
        closed = list(scenario.closed_points.filter(id__in=visible).values_list("id", flat=True))
        return _evaluate(
            request, params, scenario.within_km, scenarios.as_sites(scenario), closed, limit
        )
    params = {name: data[name] for name in POINT_FIELDS}
    sites = [Site(s["name"], s["lon"], s["lat"]) for s in data["site"]]
    return _evaluate(request, params, data["within"] or 50.0, sites, closed, limit)


def scenario_json(scenario, user):
    """A scenario as the API answers it; the closed points' names only if the user may read
    them."""
    visible = ServicePoint.objects.visible_to(user)
    closed = scenario.closed_points.filter(id__in=visible.values("id"))
    fields = scenarios.scenario_fields(scenario)
    return {
        "id": scenario.id,
        "name": scenario.name,
        "mine": scenario.owner_id == user.id,
        "owner": scenario.owner.get_username(),
        "filters": fields["filters"],
        "within_km": fields["within_km"],
        "sites": fields["sites"],
        "closed": [{"id": point.id, "name": point.name} for point in closed],
        "share_token": scenario.share_token,
        "share_url": reverse("maps:servicepoint_map") + f"?scenario={scenario.share_token}",
        "created_at": scenario.created_at.isoformat(),
        "updated_at": scenario.updated_at.isoformat(),
    }


def _body(request):
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


def _refused(error):
    return json_error(
        _("These fields are not valid: %(names)s.") % {"names": ", ".join(error.errors)},
        400,
        parameters=error.errors,
    )


@json_view("GET", "POST")
def scenario_list(request):
    if request.method == "POST":
        try:
            fields, _params = scenarios.clean(_body(request), request.user)
        except scenarios.ScenarioError as error:
            return _refused(error)
        scenario = scenarios.save(fields, request.user)
        return JsonResponse(scenario_json(scenario, request.user), status=201)
    mine = Scenario.objects.filter(owner=request.user).select_related("owner")
    return JsonResponse({"scenarios": [scenario_json(s, request.user) for s in mine]})


@json_view("GET", "PUT", "PATCH", "DELETE")
def scenario_detail(request, id):
    # Another user's scenario is not found here: they read it by its share link only.
    scenario = Scenario.objects.filter(id=id, owner=request.user).first()
    if scenario is None:
        return json_error(_("No such scenario of yours."), 404)
    if request.method == "DELETE":
        scenario.delete()
        return HttpResponse(status=204)
    if request.method in ("PUT", "PATCH"):
        partial = scenario if request.method == "PATCH" else None
        try:
            fields, _params = scenarios.clean(_body(request), request.user, partial_of=partial)
        except scenarios.ScenarioError as error:
            return _refused(error)
        scenario = scenarios.save(fields, request.user, scenario)
    return JsonResponse(scenario_json(scenario, request.user))


@json_view("GET")
def scenario_shared(request, token):
    scenario = Scenario.objects.filter(share_token=token).select_related("owner").first()
    if scenario is None:
        return json_error(_("No scenario has this link."), 404)
    return JsonResponse(scenario_json(scenario, request.user))


class SuggestQuery(PointFilter):
    descriptions = {
        "within": "Kilometres within which a site covers people; default 50.",
        "k": "How many sites to suggest; default 5.",
        "candidates": "Where sites may go: places (populated places), points (other "
        "organizations' points: co-location) or both (default).",
        "min_population": "Only populated places of at least this population as candidates.",
        "minimum": "Also the fewest sites that bring the share covered up to this target "
        "(%, set covering), nationally.",
    }
    within = forms.FloatField(required=False, min_value=scenarios.MIN_KM, max_value=500)
    k = forms.IntegerField(required=False, min_value=1, max_value=MAX_K)
    candidates = forms.ChoiceField(
        required=False, choices=[(mode, mode) for mode in CANDIDATE_MODES]
    )
    min_population = forms.IntegerField(required=False, min_value=0)
    minimum = forms.FloatField(required=False, min_value=0, max_value=100)


@json_view("GET")
def site_suggestion(request):
    form = SuggestQuery.from_query(request.GET)
    if not form.is_valid():
        return bad_parameters(form)
    data = form.cleaned_data
    params = {name: data[name] for name in POINT_FIELDS}
    try:
        result = suggest_sites(
            params, k=data["k"] or 5, within_km=data["within"] or 50.0,
            candidates=data["candidates"] or BOTH, min_population=data["min_population"],
            minimum=data["minimum"], user=request.user, time_limit=60,
        )  # fmt: skip
    except SuggestionError as error:
        messages = {
            "no_demand": _("No census areas with population are loaded."),
            "no_candidates": _("No candidate site matches."),
        }
        return json_error(messages.get(str(error), str(error)), 400)
    return JsonResponse(result.as_dict())
