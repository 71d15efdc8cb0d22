"""The forward sortation area centroids that place address-only rows (postal-area precision).

Loaded from a CSV (or any file `read_table` reads) with the columns `fsa`, `province`,
`latitude`, `longitude` (English or French headers; `place_name` is ignored), for example
Statistics Canada's FSA centroids (../shared/data/canada_fsa_centroids.csv). The whole file is
checked first; any error refuses it and the table is left as it was.
"""

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.translation import gettext_noop

from ..models import PostalArea
from . import values
from .issues import error
from .mapping import normalize_header as normalize
from .readers import read_table
from .vocabulary import Vocabulary

FSA_HEADERS = {
    "fsa": ("fsa", "code", "rta", "forward sortation area", "region de tri d acheminement"),
    "province": ("province", "province or territory", "pt", "prov", "province ou territoire"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "x"),
}
FSA_RE = values.re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]$")


def load_postal_areas(path, *, name=None, source=""):
    """(count, issues): the areas loaded (0 when any row has an error)."""
    table = read_table(path, name=name)
    normalized = {normalize(header): index for index, header in enumerate(table.headers)}
    columns, issues = {}, []
    for field, synonyms in FSA_HEADERS.items():
        index = next((normalized[s] for s in synonyms if s in normalized), None)
        if index is None:
            issues.append(
                error(
                    "missing_column",
                    gettext_noop("The file has no “%(column)s” column."),
                    file=table.name,
                    params={"column": field},
                )
            )
        columns[field] = index
    if issues:
        return 0, issues
    provinces = Vocabulary().provinces
    areas = {}
    for cells, line in zip(table.rows, table.line_numbers, strict=True):

        def report(field, code, message, value, line=line, **params):
            issues.append(
                error(
                    code,
                    message,
                    file=table.name,
                    row=line,
                    column=table.headers[columns[field]],
                    value=value,
                    params=params,
                )
            )

        code = cells[columns["fsa"]].strip().upper()
        if not FSA_RE.match(code):
            report(
                "fsa",
                "invalid_fsa",
                gettext_noop("“%(value)s” is not a forward sortation area."),
                code,
                value=code,
            )
            continue
        province = provinces.get(normalize(cells[columns["province"]]))
        if province is None:
            report(
                "province",
                "unknown_province",
                gettext_noop("Unknown province or territory."),
                cells[columns["province"]],
            )
            continue
        try:
            lat = values.parse_number(cells[columns["latitude"]])
            lon = values.parse_number(cells[columns["longitude"]])
        except values.Invalid as exc:
            report("latitude", exc.code, exc.message, cells[columns["latitude"]], **exc.params)
            continue
        if not values.inside(values.PROVINCE_EXTENTS[province.code], lon, lat, 0.25):
            report(
                "latitude",
                "outside_province",
                gettext_noop("The centroid is outside %(province)s."),
                f"{lat}, {lon}",
                province=province.code,
            )
            continue
        if code in areas:
            report(
                "fsa", "duplicate_id", gettext_noop("“%(value)s” appears twice."), code, value=code
            )
            continue
        areas[code] = PostalArea(
            code=code, province=province, location=Point(lon, lat, srid=4326), source=source
        )
    if issues:
        return 0, issues
    with transaction.atomic():
        PostalArea.objects.bulk_create(
            areas.values(),
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["province", "location", "source"],
        )
    return len(areas), []
