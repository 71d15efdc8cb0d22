"""Scenarios: validating what a what-if asks (the map's filters, a distance, hypothetical sites,
closed points) and turning a saved Scenario into what `whatif.evaluate` takes.

Every message names its field ("sites[2].lon", "closed", "filters.organization") in the
request's language; a refused scenario changes nothing."""

import math

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from servicepoints.filters import CodeListField, PointFilter
from servicepoints.models import Kind, ServicePoint
from servicepoints.validators import validate_in_canada

from .models import Scenario, ScenarioSite
from .whatif import Site

MAX_SITES = 200
MAX_CLOSED = 500
MIN_KM, MAX_KM = 0.1, 2000


class ScenarioError(ValueError):
    """{field: [messages]} of a scenario that cannot be saved or evaluated as given."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def filter_data(filters):
    """The map's filters (a dict of query parameters) as PointFilter's data."""
    data = {}
    for name, field in PointFilter.base_fields.items():
        value = filters.get(name)
        if value in (None, "", []):
            continue
        if isinstance(field, CodeListField):
            data[name] = value if isinstance(value, list) else str(value)
        else:
            data[name] = str(value)
    return data


def clean_filters(filters, errors):
    if not isinstance(filters, dict):
        errors["filters"] = [_("Give the filters as an object of query parameters.")]
        return {}, PointFilter.no_filters()
    unknown = sorted(set(filters) - set(PointFilter.base_fields))
    if unknown:
        errors["filters"] = [
            _("Unknown filter: %(names)s.") % {"names": ", ".join(map(str, unknown))}
        ]
    data = filter_data(filters)
    form = PointFilter(data)
    if not form.is_valid():
        for name, messages in form.errors_by_parameter().items():
            errors[f"filters.{name}"] = messages
        return data, PointFilter.no_filters()
    return data, form.cleaned_data


def clean_distance(value, errors, field="within_km"):
    if value in (None, ""):
        return 50.0
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or not MIN_KM <= number <= MAX_KM:
        errors[field] = [
            _("Give a distance in kilometres between %(min)s and %(max)s, such as 50.")
            % {"min": MIN_KM, "max": MAX_KM}
        ]
        return 50.0
    return number


def clean_sites(sites, errors):
    if sites in (None, ""):
        return []
    if not isinstance(sites, list):
        errors["sites"] = [_("Give the sites as a list.")]
        return []
    if len(sites) > MAX_SITES:
        errors["sites"] = [_("At most %(count)s sites.") % {"count": MAX_SITES}]
        return []
    cleaned = []
    kinds = set(Kind.values)
    for number, site in enumerate(sites, start=1):
        field = f"sites[{number}]"
        if not isinstance(site, dict):
            errors[field] = [_("Give each site as an object with a name, lon and lat.")]
            continue
        name = str(site.get("name") or "").strip()
        if not name:
            errors[f"{field}.name"] = [_("Give the site a name.")]
        elif len(name) > 200:
            errors[f"{field}.name"] = [_("At most 200 characters.")]
        kind = str(site.get("kind") or "")
        if kind and kind not in kinds:
            errors[f"{field}.kind"] = [_("Unknown kind: %(kind)s.") % {"kind": kind}]
        coordinates = []
        for axis in ("lon", "lat"):
            try:
                value = float(site.get(axis))
            except (TypeError, ValueError):
                value = math.nan
            if not math.isfinite(value):
                errors[f"{field}.{axis}"] = [_("Give a number in degrees.")]
            coordinates.append(value)
        if all(math.isfinite(value) for value in coordinates):
            try:
                validate_in_canada(Point(*coordinates, srid=4326))
            except ValidationError as error:
                errors[field] = list(error.messages)
        cleaned.append(Site(name, coordinates[0], coordinates[1], kind))
    return cleaned


def clean_closed(closed, points, errors):
    """The ids of `closed` (a list of point ids), each one a point of `points` (those the
    user may read)."""
    if closed in (None, ""):
        return []
    if not isinstance(closed, list) or len(closed) > MAX_CLOSED:
        errors["closed"] = [
            _("Give the closed points as a list of at most %(count)s ids.") % {"count": MAX_CLOSED}
        ]
        return []
    ids, bad = [], []
    for value in closed:
        try:
            number = int(value)
        except (TypeError, ValueError):
            bad.append(str(value))
            continue
        if number not in ids:
            ids.append(number)
    possible = [number for number in ids if 0 < number < 2**63]
    known = set(points.filter(id__in=possible).values_list("id", flat=True))
    bad += [str(number) for number in ids if number not in known]
    if bad:
        errors["closed"] = [_("Unknown point: %(ids)s.") % {"ids": ", ".join(bad)}]
    return [number for number in ids if number in known]


def clean(data, user, *, partial_of=None):
    """(fields, cleaned filters) of a scenario's JSON `data`; ScenarioError if not valid.
    `partial_of`: the Scenario being changed (missing fields keep its values)."""
    errors = {}
    if not isinstance(data, dict):
        raise ScenarioError({"body": [_("Send the scenario as a JSON object.")]})
    current = scenario_fields(partial_of) if partial_of else {}
    merged = {**current, **data}
    name = str(merged.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Give the scenario a name.")]
    elif len(name) > 200:
        errors["name"] = [_("At most 200 characters.")]
    filters, params = clean_filters(merged.get("filters") or {}, errors)
    within = clean_distance(merged.get("within_km"), errors)
    sites = clean_sites(merged.get("sites"), errors)
    visible = ServicePoint.objects.visible_to(user)
    closed = clean_closed(merged.get("closed"), visible, errors)
    if errors:
        raise ScenarioError(errors)
    fields = {"name": name, "filters": filters, "within_km": within, "sites": sites}
    fields["closed"] = closed
    return fields, params


def scenario_fields(scenario):
    return {
        "name": scenario.name,
        "filters": scenario.filters,
        "within_km": scenario.within_km,
        "sites": [
            {"name": s.name, "kind": s.kind, "lon": s.location.x, "lat": s.location.y}
            for s in scenario.sites.all()
        ],
        "closed": list(scenario.closed_points.values_list("id", flat=True)),
    }


@transaction.atomic
def save(fields, owner, scenario=None):
    """The Scenario (new, or `scenario` changed) with `fields` (from `clean`)."""
    if scenario is None:
        scenario = Scenario(owner=owner)
    scenario.name, scenario.filters = fields["name"], fields["filters"]
    scenario.within_km = fields["within_km"]
    scenario.save()
    scenario.sites.all().delete()
    ScenarioSite.objects.bulk_create(
        ScenarioSite(
            scenario=scenario,
            name=site.name,
            kind=site.kind,
            location=Point(site.lon, site.lat, srid=4326),
        )
        for site in fields["sites"]
    )
    scenario.closed_points.set(fields["closed"])
    return scenario


def as_sites(scenario):
    return [Site(s.name, s.location.x, s.location.y, s.kind) for s in scenario.sites.all()]
