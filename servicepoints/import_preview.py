"""What a validated run would do, for the admin's preview: pages of the diff, readable, and the
points to draw on its map.

The rows come from `imports.diff.diff_page` (SQL over the staging table); this module only
turns ids and codes into names in the reader's language.
"""

import re

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from .i18n import prefers_french
from .imports.diff import diff_page
from .imports.mapping import FIELDS_BY_NAME
from .models import (
    Accessibility,
    ImportRun,
    Jurisdiction,
    Kind,
    LocationPrecision,
    Organization,
    Service,
    ServicePoint,
    Status,
)
from .validators import language_name

TABS = [
    ("new", _("New")),
    ("changed", _("Changed")),
    ("unchanged", _("Unchanged")),
    ("missing", _("Missing from the file")),
]
# Rows listed per page of a tab; points drawn on the map per kind of change.
PAGE_SIZE = 25
MAP_LIMIT = 300
POINT_WKT = re.compile(r"POINT\(([-0-9.e]+) ([-0-9.e]+)\)")
CHOICES = {
    "kind": dict(Kind.choices),
    "status": dict(Status.choices),
    "location_precision": dict(LocationPrecision.choices),
}


def field_label(name):
    try:
        return ServicePoint._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        field = FIELDS_BY_NAME.get(name)
        return field.label if field else name


def missing_name(row):
    """A missing point's name in the reader's language."""
    french = prefers_french()
    return (row["name_fr"] if french else row["name_en"]) or row["name_en"] or row["name_fr"]


class Names:
    """Organization, province and service names, looked up once per page."""

    def __init__(self, rows):
        ids = {"organization": set(), "province": set(), "services": set()}
        for row in rows:
            for field, before, after in row.get("changes", ()):
                if field in ids:
                    for value in (before, after):
                        if isinstance(value, list):
                            ids[field].update(value)
                        elif value is not None:
                            ids[field].add(value)
        self.organizations = {
            o.pk: o.name for o in Organization.objects.filter(pk__in=ids["organization"])
        }
        self.provinces = {
            j.pk: j.name for j in Jurisdiction.objects.filter(pk__in=ids["province"])
        }
        self.services = {s.pk: s.name for s in Service.objects.filter(pk__in=ids["services"])}

    def text(self, field, value):
        """A value of the diff as a person reads it; "—" for nothing."""
        if value is None or value == "" or value == []:
            return "—"
        if field == "organization":
            return self.organizations.get(value, value)
        if field == "province":
            return self.provinces.get(value, value)
        if field == "services":
            return ", ".join(str(self.services.get(pk, pk)) for pk in value)
        if field == "languages":
            return ", ".join(f"{language_name(code)} ({code})" for code in value)
        if field == "accessibility":
            labels = dict(Accessibility.choices)
            return ", ".join(str(labels.get(code, code)) for code in value)
        if field in CHOICES:
            return CHOICES[field].get(value, value)
        if field == "location":
            match = POINT_WKT.match(str(value))
            if match:
                lon, lat = float(match[1]), float(match[2])
                return f"{lat:.5f}, {lon:.5f}"
        return str(value)


def preview_page(run, tab, page):
    """One page of a tab: rows with their changes as (label, before, after) texts."""
    counts = run.counts or {}
    total = counts.get(tab, 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = []
    if tab != "unchanged" and total:
        rows = diff_page(run, tab, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        names = Names(rows)
        for row in rows:
            row["changes"] = [
                (field_label(field), names.text(field, before), names.text(field, after))
                for field, before, after in row.get("changes", ())
            ]
            if tab == "missing":
                row["name"] = missing_name(row)
                row["status_label"] = CHOICES["status"].get(row["status"], row["status"])
    return {
        "tab": tab,
        "rows": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if page < pages else None,
        "first_row": (page - 1) * PAGE_SIZE + 1,
    }


def map_points(run):
    """The first points of each kind of change, for the preview map: [{action, lon, lat,
    name, external_id}]."""
    points = []
    counts = run.counts or {}
    for action in ("new", "changed", "missing"):
        if not counts.get(action):
            continue
        for row in diff_page(run, action, limit=MAP_LIMIT):
            if row.get("lon") is None:
                continue
            points.append(
                {
                    "action": action,
                    "lon": row["lon"],
                    "lat": row["lat"],
                    "name": missing_name(row) if action == "missing" else row["name"],
                    "external_id": row["external_id"],
                }
            )
    return points


def apply_summary(run):
    """(created, changed, closed) if the run were applied now."""
    counts = run.counts or {}
    closed = counts.get("missing", 0) if run.missing == ImportRun.Missing.CLOSE else 0
    return counts.get("new", 0), counts.get("changed", 0), closed
