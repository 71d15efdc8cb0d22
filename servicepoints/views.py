"""Pages of the service-point app. Map pages only set things up: the data comes from the API."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import get_language

from . import quality
from .i18n import prefers_french
from .layers.classes import MAX_CLASSES, MIN_CLASSES
from .layers.table_api import table_config
from .models import Jurisdiction, Kind, Level, Organization, Service, ServicePoint, Status
from .validators import language_name

# The first view: Canada from the Pacific to the Atlantic and up to the Arctic communities (the
# Mercator map grows too tall beyond), fitted to the window; a link's own view wins.
CANADA_BOUNDS = [[42.0, -141.0], [72.0, -52.6]]
# The choices of "near here" (static/js/state.js knows them too).
NEAR_COUNTS = [5, 10, 25, 50]
# Federal first, then provinces and territories, then municipalities.
LEVEL_ORDER = {Level.FEDERAL: 0, Level.PROVINCIAL: 1, Level.TERRITORIAL: 1, Level.MUNICIPAL: 2}
# Rows per page of the data-quality page's "not verified" list.
NOT_VERIFIED_PAGE_SIZE = 50


def servicepoint_map(request):
    """The analyst map: Leaflet, filters, list, details, summary and "near here"."""
    map_config = {
        "language": get_language(),
        "urls": {
            # Address templates: the script fills in {z}/{x}/{y} and {id}.
            "tiles": reverse("tiles:servicepoint_tile", kwargs={"z": 0, "x": 0, "y": 0}).replace(
                "/0/0/0.pbf", "/{z}/{x}/{y}.pbf"
            ),
            "points": reverse("api:servicepoint_list"),
            "point": reverse("api:servicepoint_detail", kwargs={"id": 0}).replace("/0/", "/{id}/"),
            "nearest": reverse("api:servicepoint_nearest"),
            "summary": reverse("api:servicepoint_summary"),
            "search": reverse("api:location_search"),
            "places": reverse("api:populatedplace_list"),
            "export_csv": reverse("api:servicepoint_export_csv"),
            "export_geojson": reverse("api:servicepoint_export_geojson"),
            "indicators": reverse("api:indicator_list"),
            "indicator_values": reverse("api:indicator_values"),
            # The bivariate view and each component of the vulnerability index (issue 12).
            "layer_bivariate": reverse("api:layer_bivariate"),
            "layer_vulnerability": reverse("api:layer_vulnerability"),
            # The what-if panel (issue 13).
            "whatif": reverse("api:whatif_evaluate"),
            "suggest": reverse("api:site_suggestion"),
            "scenarios": reverse("api:scenario_list"),
            "scenario": reverse("api:scenario_detail", kwargs={"id": 0}).replace("/0/", "/{id}/"),
            "scenario_shared": reverse("api:scenario_shared", kwargs={"token": "TOKEN"}).replace(
                "/TOKEN/", "/{token}/"
            ),
            "area_tiles": reverse(
                "tiles:area_tile", kwargs={"level": "LEVEL", "z": 0, "x": 0, "y": 0}
            ).replace("areas-LEVEL/0/0/0.pbf", "areas-{level}/{z}/{x}/{y}.pbf"),
            "other_language_page": translate_url(
                reverse("maps:servicepoint_map"), _other_language()
            ),
        },
        "basemap": {
            "url": settings.BASEMAP_TILES_URL,
            "attribution": settings.BASEMAP_ATTRIBUTION,
        },
        "basemaps": base_maps(),
        # Empty: the details panel shows no street-level link.
        "street_view_url": settings.STREET_VIEW_URL,
        "view": {"bounds": CANADA_BOUNDS},
        "limits": {"min_zoom": 2, "max_zoom": 18, "page_size": 25},
        "choices": filter_choices(request.user),
        # The "Areas" panel: addresses, levels with areas, the indicator catalogue (issue 12).
        "areas_table": table_config(),
    }
    context = {
        "map_config": map_config,
        "near_counts": NEAR_COUNTS,
        "class_counts": range(MIN_CLASSES, MAX_CLASSES + 1),
    }
    return render(request, "servicepoints/servicepoint_map.html", context)


def base_maps():
    """The configured base maps, named in the active language (the first is the default)."""
    french = get_language().startswith("fr")
    return [
        {
            "key": entry["key"],
            "name": entry["name_fr" if french else "name_en"],
            "url": entry["url"],
            "attribution": entry["attribution"],
            "max_zoom": entry["max_zoom"],
        }
        for entry in settings.BASE_MAPS
    ]


def filter_choices(user):
    """What the map's filters offer, in the active language: only what the user may read."""
    points = ServicePoint.objects.visible_to(user)
    organizations = Organization.objects.visible_to(user).select_related("jurisdiction")
    return {
        "levels": [{"code": code, "label": str(label)} for code, label in Level.choices],
        "kinds": [{"code": code, "label": str(label)} for code, label in Kind.choices],
        "statuses": [{"code": code, "label": str(label)} for code, label in Status.choices],
        "jurisdictions": sorted(
            (
                {"code": j.code, "name": j.name, "level": j.level}
                for j in Jurisdiction.objects.visible_to(user)
            ),
            key=lambda item: (LEVEL_ORDER[item["level"]], item["name"].casefold()),
        ),
        "organizations": sorted(
            (
                {
                    "code": o.code,
                    "name": o.name,
                    "level": o.jurisdiction.level,
                    "jurisdiction": o.jurisdiction.code,
                }
                for o in organizations
            ),
            key=lambda item: item["name"].casefold(),
        ),
        "services": sorted(
            ({"code": s.code, "name": s.name} for s in Service.objects.all()),
            key=lambda item: item["name"].casefold(),
        ),
        "languages": sorted(
            ({"code": code, "name": language_name(code)} for code in languages_in_use(points)),
            key=lambda item: (item["code"] not in ("en", "fr"), item["name"].casefold()),
        ),
    }


def languages_in_use(points):
    """The distinct service languages of these points (one SQL statement)."""
    sql, params = points.values("languages").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT unnest(languages) AS code FROM ({sql}) AS points ORDER BY code",  # noqa: S608
            params,
        )
        return [row[0] for row in cursor.fetchall()]


def _other_language():
    return "en" if prefers_french() else "fr"


def jurisdiction_quality_list(request):
    """Data quality: the jurisdictions the user may read, with a headline figure each."""
    jurisdictions = sorted(
        Jurisdiction.objects.visible_to(request.user),
        key=lambda j: (LEVEL_ORDER[j.level], j.name.casefold()),
    )
    tallies = quality.jurisdiction_summaries(request.user, jurisdictions, timezone.localdate())
    context = {"tallies": [tallies[j.pk] for j in jurisdictions]}
    return render(request, "servicepoints/jurisdiction_quality_list.html", context)


def jurisdiction_quality(request, code):
    """Data quality of one jurisdiction: completeness, points to verify, last refreshes."""
    jurisdiction = get_object_or_404(Jurisdiction.objects.visible_to(request.user), code=code)
    today = timezone.localdate()
    sort = request.GET.get("sort")
    if sort not in quality.NOT_VERIFIED_SORTS:
        sort = "last_verified"
    report = quality.jurisdiction_report(request.user, jurisdiction, today)
    paginator = Paginator(
        quality.not_verified(request.user, jurisdiction, today, sort), NOT_VERIFIED_PAGE_SIZE
    )
    # The report's grouped statement has counted these points already: no second COUNT(*).
    paginator.count = report.overall.stale.count
    context = {
        "report": report,
        "check_labels": [quality.CHECK_LABELS[key] for key in quality.CHECKS],
        "stale_before": quality.stale_before(today),
        "stale_page": paginator.get_page(request.GET.get("page")),
        "sort": sort,
        # The rule of ServicePoint.can_edit, once for every point of this jurisdiction.
        "can_edit": request.user.has_perm("servicepoints.change_servicepoint")
        and jurisdiction.can_edit(request.user),
    }
    return render(request, "servicepoints/jurisdiction_quality.html", context)
