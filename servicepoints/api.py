"""The JSON API under /api/: views that only translate HTTP.

Every view reads its parameters through a form (the shared `PointFilter` and the extensions
below), answers 400 with the parameters at fault, and starts from the rows the user may read
(`ServicePoint.objects.visible_to`). Payloads about many points are built in SQL
(`geojson.py`, `exports.py`); one point's details are assembled here.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import exports, geojson, search
from .filters import BBoxField, PageFilter, ParameterForm, PointFilter
from .http import api_view, bad_parameters, json_error
from .models import Accessibility, ServicePoint, timezone_at
from .validators import language_name

GEOJSON = "application/geo+json"
MAX_NEAREST = 50
DEFAULT_NEAREST = 10


class ListFilter(PageFilter):
    """The filters, paging and the sort order of the list."""

    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for key in geojson.SORT_KEYS]
        + [(f"-{key}", f"-{key}") for key in geojson.SORT_KEYS],
    )

    def clean_sort(self):
        return self.cleaned_data.get("sort") or "name"


class NearestFilter(PointFilter):
    """The filters plus where to look from and how many points to return."""

    lon = forms.FloatField(min_value=-180, max_value=180)
    lat = forms.FloatField(min_value=-90, max_value=90)
    n = forms.IntegerField(required=False, min_value=1, max_value=MAX_NEAREST)

    def clean_n(self):
        return self.cleaned_data.get("n") or DEFAULT_NEAREST


class PlaceFilter(ParameterForm):
    """Which populated places to draw."""

    bbox = BBoxField(required=False)
    min_population = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class SearchQuery(ParameterForm):
    """What was typed in the map's search box."""

    q = forms.CharField(min_length=2, max_length=100, strip=True)


# Responses


def _read(form_class, request):
    if hasattr(form_class, "from_query"):
        return form_class.from_query(request.GET)
    return form_class(request.GET)


def _points(request, params):
    return ServicePoint.objects.visible_to(request.user).filter_by(params)


def _attachment(response, extension):
    filename = f"servicepoints-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Views


@api_view
def servicepoint_list(request):
    """A page of the filtered points as a GeoJSON FeatureCollection with the total count."""
    form = _read(ListFilter, request)
    if not form.is_valid():
        return bad_parameters(form)
    params = form.cleaned_data
    text = geojson.feature_collection(
        _points(request, params),
        sort=params["sort"],
        limit=params["limit"],
        offset=params["offset"],
    )
    return HttpResponse(text, content_type=GEOJSON)


@api_view
def servicepoint_nearest(request):
    """The points nearest to lon/lat (with the filters), nearest first, with distance_m."""
    form = _read(NearestFilter, request)
    if not form.is_valid():
        return bad_parameters(form)
    params = form.cleaned_data
    text = geojson.nearest_collection(
        _points(request, params), lon=params["lon"], lat=params["lat"], n=params["n"]
    )
    return HttpResponse(text, content_type=GEOJSON)


@api_view
def servicepoint_summary(request):
    """Counts of the filtered points: total, by level, by organization, by kind."""
    form = _read(PointFilter, request)
    if not form.is_valid():
        return bad_parameters(form)
    text = geojson.summary(_points(request, form.cleaned_data))
    return HttpResponse(text, content_type="application/json")


@api_view
def servicepoint_detail(request, id):
    """One point with all its public details, if the user may read it (404 otherwise)."""
    point = (
        ServicePoint.objects.visible_to(request.user)
        .select_related("organization__jurisdiction", "province", "data_source")
        .prefetch_related("services")
        .filter(pk=id)
        .first()
    )
    if point is None:
        return json_error(_("No service point has this id, or you may not see it."), 404)
    return JsonResponse(point_details(point, request.user))


@api_view
def servicepoint_export_csv(request):
    """The whole filtered selection as a CSV attachment (formula-like cells neutralised)."""
    form = _read(PointFilter, request)
    if not form.is_valid():
        return bad_parameters(form)
    rows = exports.csv_rows(_points(request, form.cleaned_data))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    return _attachment(response, "csv")


@api_view
def servicepoint_export_geojson(request):
    """The whole filtered selection as a GeoJSON attachment, every column a property."""
    form = _read(PointFilter, request)
    if not form.is_valid():
        return bad_parameters(form)
    chunks = exports.geojson_chunks(_points(request, form.cleaned_data))
    response = StreamingHttpResponse(chunks, content_type=GEOJSON)
    return _attachment(response, "geojson")


@api_view
def location_search(request):
    """Places, postal areas and service points matching the text, for the map's search box."""
    form = _read(SearchQuery, request)
    if not form.is_valid():
        return bad_parameters(form)
    points = ServicePoint.objects.visible_to(request.user)
    return JsonResponse({"results": search.search(form.cleaned_data["q"], points)})


@api_view
def populatedplace_list(request):
    """Populated places (in the box, above a population) as a GeoJSON FeatureCollection."""
    form = _read(PlaceFilter, request)
    if not form.is_valid():
        return bad_parameters(form)
    text = geojson.places_collection(
        bbox=form.cleaned_data["bbox"],
        min_population=form.cleaned_data["min_population"] or 0,
    )
    return HttpResponse(text, content_type=GEOJSON)


@api_view
def schema(request):
    """The OpenAPI document of this API and the tiles."""
    from .openapi import openapi_schema

    return JsonResponse(openapi_schema())


# One point


def point_details(point, user):
    """Everything about one point that its readers may see, in the active language."""
    organization = point.organization
    jurisdiction = organization.jurisdiction
    can_edit = point.can_edit(user)
    return {
        "id": point.pk,
        "name": point.name,
        "name_en": point.name_en,
        "name_fr": point.name_fr,
        "organization": {"code": organization.code, "name": organization.name},
        "jurisdiction": {
            "code": jurisdiction.code,
            "name": jurisdiction.name,
            "level": jurisdiction.level,
        },
        "kind": {"code": point.kind, "label": point.get_kind_display()},
        "status": {"code": point.status, "label": point.get_status_display()},
        "location": {
            "lon": round(point.location.x, 6),
            "lat": round(point.location.y, 6),
            "precision": point.location_precision,
        },
        "address": {
            "street": point.street_address,
            "community": point.community,
            "province": point.province.code,
            "postal_code": point.postal_code,
        },
        "phone": point.phone,
        "website": point.website,
        "languages": [{"code": code, "name": language_name(code)} for code in point.languages],
        "bilingual": point.bilingual,
        "services": sorted(
            ({"code": service.code, "name": service.name} for service in point.services.all()),
            key=lambda service: service["name"].casefold(),
        ),
        "opening_hours": opening_hours(point),
        "accessibility": [
            {"code": code, "label": str(dict(Accessibility.choices).get(code, code))}
            for code in point.accessibility
        ],
        "photo": (
            {"url": point.photo.url, "description": point.photo_description}
            if point.photo
            else None
        ),
        "last_verified": point.last_verified.isoformat() if point.last_verified else None,
        "data_source": (
            {
                "name": point.data_source.name,
                "title": point.data_source.title,
                "is_demonstration": point.data_source.is_demonstration,
            }
            if point.data_source_id
            else None
        ),
        "can_edit": can_edit,
        "edit_url": (
            reverse("admin:servicepoints_servicepoint_change", args=[point.pk])
            if can_edit
            else None
        ),
    }


def opening_hours(point, moment=None):
    """The hours, whether open now, the point's clock and its next 7 days (today first).

    Each day lists its open intervals on the point's own clock ("24:00" when one runs past
    midnight), public holidays applied; a point whose status is not "open" has none. `week`
    is empty when the point has no opening hours.
    """
    local_now = point.local_time(moment)
    return {
        "text": point.opening_hours,
        "timezone": local_now.tzinfo.key,
        "open_now": point.is_open_at(moment),
        "local_time": local_now.isoformat(timespec="minutes"),
        "week": opening_week(point, local_now) if point.opening_hours else [],
    }


def opening_week(point, local_now):
    zone = ZoneInfo(point.timezone or timezone_at(point.location))
    today = local_now.date()
    midnights = [
        datetime.combine(today + timedelta(days=offset), time.min, tzinfo=zone)
        for offset in range(8)
    ]
    periods = point.open_periods(midnights[0], midnights[-1])
    week = []
    for start, end in zip(midnights, midnights[1:], strict=False):
        intervals = []
        for opens, closes in periods:
            opens, closes = max(opens, start), min(closes, end)
            if opens < closes:
                closing = "24:00" if closes == end else f"{closes.astimezone(zone):%H:%M}"
                intervals.append([f"{opens.astimezone(zone):%H:%M}", closing])
        day = start.date()
        week.append(
            {
                "date": day.isoformat(),
                "weekday": date_format(day, "l"),
                "today": day == today,
                "intervals": intervals,
            }
        )
    return week
