"""The inventory as CSV or XLSX: one row per partnership of the selection, whole selection.

Parties, sites and practices are aggregated by PostgreSQL (`string_agg` in subqueries), so an
export of 10,000 partnerships is one statement read through a server-side cursor.
"""

import csv
import io

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import OuterRef, Subquery

from servicepoints.exports import neutralize

from .models import Partnership, Party, Site

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "id",
    "title_en",
    "title_fr",
    "type",
    "status",
    "start_date",
    "end_date",
    "parties",
    "sites",
    "practices",
    "communities_served",
]


def _aggregate(model, expression, **filters):
    return Subquery(
        model.objects.filter(partnership=OuterRef("pk"), **filters)
        .order_by()
        .values("partnership")
        .annotate(text=StringAgg(expression, "; ", order_by=expression))
        .values("text")
    )


def rows(queryset):
    """Lists of cells, header excluded; text neutralised against spreadsheet formulas."""
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat

    practices = Partnership.practices.through
    selection = (
        queryset.order_by("pk")
        .annotate(
            party_text=_aggregate(
                Party,
                Concat(F("organization__code"), Value(":"), F("role"), output_field=CharField()),
            ),
            site_text=_aggregate(Site, Cast("service_point_id", CharField())),
            practice_text=Subquery(
                practices.objects.filter(partnership=OuterRef("pk"))
                .order_by()
                .values("partnership")
                .annotate(text=StringAgg("practice__code", "; ", order_by="practice__code"))
                .values("text")
            ),
        )
        .values_list(
            "pk",
            "title_en",
            "title_fr",
            "type__code",
            "status",
            "start_date",
            "end_date",
            "party_text",
            "site_text",
            "practice_text",
            "communities_served",
        )
    )
    for row in selection.iterator(chunk_size=2000):
        yield [
            cell
            if isinstance(cell, int)
            else (cell.isoformat() if hasattr(cell, "isoformat") else neutralize(cell or ""))
            for cell in row
        ]


def csv_text(queryset):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows(queryset))
    return "\ufeff" + out.getvalue()


def xlsx_bytes(queryset):
    # openpyxl write-only, as the registry's exports (servicepoints/layers): rows stream.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("partnerships")
    sheet.append(HEADER)
    for row in rows(queryset):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
