"""The table of areas: the areas of one level and census year whose boundary meets a box, each
with the values of the chosen indicators, sorted and paged in SQL. `table_api.py` is its HTTP
side (the JSON page and the CSV/XLSX exports of the whole selection).

Which year's value each indicator column shows (one year per column, so that a sorted column
compares like with like):

- `indicator_year` given: that year's values;
- otherwise the latest year of the indicator, among the values of areas of this level, at or
  before the census year; when it has none that early, the earliest year after it.

An area without a value that year gets `value` null and status ".." (not available), like a
value the publisher did not give; a value is never 0 for "not available". Sorting by a value
puts the areas without one last, in both directions; ties are broken by name, then id.

The areas are found with the GiST index of their boundary (`ST_Intersects` with the box) and
the values with the unique (indicator, year, area) index: one join per indicator column.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.utils.text import capfirst

from ..i18n import prefers_french
from .models import Area, AreaLevel, Indicator, IndicatorValue

AREAS = Area._meta.db_table
VALUES = IndicatorValue._meta.db_table
# Text sorts with the root ICU collation, like the list of points (C would put "Île" after "Z").
COLLATION = "und-x-icu"
CHUNK_SIZE = 2_000
NOT_AVAILABLE = IndicatorValue.Status.NOT_AVAILABLE.value


@dataclass
class Column:
    """One indicator column: the indicator and the year of the values it shows."""

    indicator: Indicator
    year: int | None

    def describe(self):
        return {
            "code": self.indicator.code,
            "name": self.indicator.name,
            "unit": self.indicator.unit,
            "unit_label": str(self.indicator.get_unit_display()),
            "year": self.year,
        }


@dataclass
class Selection:
    """The areas of `level` and census `year` meeting `bbox` (all of them without one), with
    `columns`, in the order of `sort` (name, code, value or an indicator code; "-" first for
    descending)."""

    level: AreaLevel
    year: int | None
    bbox: object = None
    columns: list[Column] = field(default_factory=list)
    sort: str = "name"

    def _where(self):
        sql = "a.level_id = %s AND a.year = %s AND a.geometry IS NOT NULL"
        params = [self.level.pk, self.year]
        if self.bbox is not None:
            sql += " AND ST_Intersects(a.geometry, ST_MakeEnvelope(%s, %s, %s, %s, 4326))"
            params += list(self.bbox.extent)
        return sql, params

    def _joins(self):
        sql, params = [], []
        for index, column in enumerate(self.columns):
            sql.append(
                f"LEFT JOIN {VALUES} v{index} ON v{index}.area_id = a.id"
                f" AND v{index}.indicator_id = %s AND v{index}.year = %s"
            )
            params += [column.indicator.pk, column.year]
        return " ".join(sql), params

    def _order(self):
        key = self.sort.removeprefix("-")
        direction = "DESC" if self.sort.startswith("-") else "ASC"
        name = f'{_name_sql()} COLLATE "{COLLATION}"'
        if key == "name":
            return f"{name} {direction}, a.id {direction}"
        if key == "code":
            return f"a.code {direction}, a.id"
        codes = [column.indicator.code for column in self.columns]
        index = 0 if key == "value" else codes.index(key)
        return f"v{index}.value {direction} NULLS LAST, {name}, a.id"

    def _select(self):
        values = "".join(
            f", v{index}.value, v{index}.status, v{index}.year"
            for index in range(len(self.columns))
        )
        where, where_params = self._where()
        joins, join_params = self._joins()
        sql = f"""
            SELECT a.id, a.code, {_name_sql()} AS name, a.province_code{values}
            FROM {AREAS} a {joins}
            WHERE {where}
            ORDER BY {self._order()}
        """  # noqa: S608 -- identifiers and expressions are this module's; values are parameters
        return sql, [*join_params, *where_params]

    def count(self):
        where, params = self._where()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {AREAS} a WHERE {where}", params)  # noqa: S608
            return cursor.fetchone()[0]

    def page(self, *, limit, offset):
        """The areas of one page, as dicts ready for JSON."""
        sql, params = self._select()
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset])
            return [self._area(row) for row in cursor.fetchall()]

    def rows(self):
        """Every area of the selection as (id, code, name, province, (value, status, year)…),
        through a server-side cursor, CHUNK_SIZE at a time."""
        sql, params = self._select()
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(CHUNK_SIZE):
                for row in chunk:
                    yield row[:4], _triples(row[4:])

    def _area(self, row):
        identifier, code, name, province = row[:4]
        return {
            "id": identifier,
            "code": code,
            "name": name,
            "province": province,
            "values": {
                column.indicator.code: value_dict(*triple)
                for column, triple in zip(self.columns, _triples(row[4:]), strict=True)
            },
        }


def _name_sql():
    """The area's name in the active language (the other when it has none)."""
    if prefers_french():
        return "COALESCE(NULLIF(a.name_fr, ''), a.name_en)"
    return "COALESCE(NULLIF(a.name_en, ''), a.name_fr)"


def _triples(values):
    """(value, status, year) per column; a missing row reads as not available."""
    triples = []
    for start in range(0, len(values), 3):
        value, status, year = values[start : start + 3]
        if value is None and not status:
            status = NOT_AVAILABLE
        triples.append((value, status or "", year))
    return triples


def status_label(status):
    """The status in words (active language), capitalised; "" for an available value."""
    if not status:
        return ""
    try:
        return capfirst(str(IndicatorValue.Status(status).label))
    except ValueError:  # a publisher's code the catalogue does not know: shown as given
        return status


def value_dict(value, status, year):
    return {
        "value": value,
        "status": status,
        "status_label": status_label(status) or None,
        "year": year,
    }


def latest_year(level, year):
    """The level's latest census year with areas (None when it has none)."""
    if year is not None:
        return year
    return (
        Area.objects.filter(level=level, geometry__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def column_year(indicator, level, census_year, indicator_year=None):
    """The year of the values an indicator column shows (see the module's docstring)."""
    if indicator_year is not None:
        return indicator_year
    if census_year is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT v.year FROM {VALUES} v JOIN {AREAS} a ON a.id = v.area_id
                WHERE v.indicator_id = %s AND a.level_id = %s
                GROUP BY v.year
                ORDER BY v.year > %s, abs(v.year - %s)
                LIMIT 1""",  # noqa: S608 -- table names are this module's
            [indicator.pk, level.pk, census_year, census_year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def levels_with_areas():
    """The levels that have areas with a boundary, coarse to fine, with their census years
    (latest first), for the map's table: [{code, name, min_zoom, years}]."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT level_id, year FROM {AREAS} WHERE geometry IS NOT NULL"  # noqa: S608
        )
        years = {}
        for level_id, year in cursor.fetchall():
            years.setdefault(level_id, []).append(year)
    return [
        {
            "code": level.code,
            "name": level.name,
            "min_zoom": level.min_zoom,
            "years": sorted(years[level.pk], reverse=True),
        }
        for level in AreaLevel.objects.filter(pk__in=years)
    ]
