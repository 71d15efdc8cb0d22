"""Indicator tables that are not Census Profiles, read with the point import's readers.

- A long table: one value per row, columns `area_code, indicator, year, value` (and optionally
  `status`, `dguid`, `area_name`); `indicator` is a catalogue code.
- A wide table: one area per row, a code column (`--code-column`, or one of Statistics
  Canada's usual names: `Geographic code`, `DGUID`, `CDUID`, `CSDUID`, `CFSAUID`…) and one
  column per indicator: a column named after an indicator's code (`population`), after its
  Census Profile characteristic with the year (`Population, 2016`, as the census highlight
  tables name them), or mapped with `--column HEADER=CODE`.

A value is a number, or one of Statistics Canada's symbols (x, .., ..., F), kept as a NULL
value with its status; an empty cell is "not available" too, with a warning.
"""

import re

from django.utils.translation import gettext_noop

from ...imports.issues import error, warning
from . import fields as fieldmod
from .profile import normal, parse_value

LONG = ("area_code", "indicator", "year", "value")
CODE_COLUMNS = ["area_code", "Geographic code", "GEO_CODE", "ALT_GEO_CODE", "DGUID"]
NAME_COLUMNS = ["area_name", "Geographic name", "GEO_NAME"]
FLAG_PREFIX = "incompletely enumerated"


def _issue(make, code, message, table, line, column, value, **params):
    return make(
        code,
        message,
        file=table.name,
        row=line,
        column=column,
        value=str(value)[:80],
        params={"file": table.name, "row": line, "column": column, "value": str(value)[:80]}
        | params,
    )


def _value(table, line, column, raw, issues):
    try:
        value, status = parse_value(raw, "")
    except ValueError:
        issues.append(
            _issue(
                error,
                "not_a_number",
                gettext_noop(
                    "%(file)s, row %(row)s, column %(column)s: “%(value)s” is neither a number "
                    "nor one of Statistics Canada’s symbols (x, .., ..., F)."
                ),
                table,
                line,
                column,
                raw,
            )
        )
        return None
    if not raw.strip():
        issues.append(
            _issue(
                warning,
                "empty_value",
                gettext_noop(
                    "%(file)s, row %(row)s, column %(column)s: the cell is empty; it is kept as "
                    "“not available”."
                ),
                table,
                line,
                column,
                raw,
            )
        )
    return value, status


def is_long(headers):
    return all(column in headers for column in LONG)


def long_rows(table, known, year, issues):
    """Staged rows of a long table; `known`: the catalogue's codes; `year`: keep only it."""
    index = {header: number for number, header in enumerate(table.headers)}
    status_column = index.get("status")
    dguid_column = index.get("dguid")
    name_column = index.get("area_name")
    for cells, line in zip(table.rows, table.line_numbers, strict=True):
        code = cells[index["area_code"]].strip()
        indicator = cells[index["indicator"]].strip()
        raw_year = cells[index["year"]].strip()
        if not raw_year.isdigit() or not 1800 <= int(raw_year) <= 2200:
            issues.append(
                _issue(
                    error,
                    "not_a_year",
                    gettext_noop(
                        "%(file)s, row %(row)s, column %(column)s: “%(value)s” is not a year."
                    ),
                    table,
                    line,
                    "year",
                    raw_year,
                )
            )
            continue
        if year and int(raw_year) != year:
            continue
        if indicator not in known:
            issues.append(unknown_indicator(table, line, "indicator", indicator, known))
            continue
        if not code:
            issues.append(empty_code(table, line, "area_code"))
            continue
        parsed = _value(table, line, "value", cells[index["value"]], issues)
        if parsed is None:
            continue
        value, status = parsed
        if status_column is not None and value is None and cells[status_column].strip():
            status = parse_value(cells[status_column], "")[1] or status
        yield (
            line,
            code,
            cells[dguid_column].strip() if dguid_column is not None else "",
            cells[name_column].strip() if name_column is not None else "",
            indicator,
            int(raw_year),
            value,
            status,
            "",
        )


def unknown_indicator(table, line, column, value, known):
    return _issue(
        error,
        "unknown_indicator",
        gettext_noop(
            "%(file)s, row %(row)s, column %(column)s: “%(value)s” is not an indicator of the "
            "catalogue; use one of %(known)s, or add it in the admin first."
        ),
        table,
        line,
        column,
        value,
        known=", ".join(sorted(known)),
    )


def empty_code(table, line, column):
    return _issue(
        error,
        "empty_code",
        gettext_noop("%(file)s, row %(row)s, column %(column)s: the area’s code is empty."),
        table,
        line,
        column,
        "",
    )


def wide_columns(headers, indicators, year, given):
    """{header: indicator code} of a wide table: `given` (header -> code) first, then headers
    named after a code or after a profile characteristic with the year ("Population, 2016")."""
    found = dict(given)
    by_name = {}
    for indicator in indicators:
        by_name[normal(indicator.code)] = indicator.code
        for name in indicator.profile_names.splitlines():
            if name.strip() and year:
                spelled = name.strip().format(year=year, income_year=year - 1)
                by_name[normal(spelled)] = indicator.code
                by_name[normal(f"{spelled}, {year}")] = indicator.code
    for header in headers:
        if header not in found and normal(header) in by_name:
            found[header] = by_name[normal(header)]
    return found


def wide_year(headers):
    """The census year written in the headers ("Population, 2016"), if exactly one."""
    years = {int(y) for header in headers for y in re.findall(r"\b(19[5-9]\d|20\d\d)\b", header)}
    return years.pop() if len(years) == 1 else None


def code_column(headers, level, given):
    if given:
        return given if given in headers else None
    return fieldmod.find(headers, [*fieldmod.code_candidates(level), *CODE_COLUMNS])


def wide_rows(table, level, code_header, columns, year, issues):
    """Staged rows of a wide table: one per area and mapped column."""
    index = {header: number for number, header in enumerate(table.headers)}
    code_at = index[code_header]
    dguid_header = fieldmod.find(table.headers, ["DGUID"])
    dguid_at = index[dguid_header] if dguid_header and dguid_header != code_header else None
    name_header = fieldmod.find(
        table.headers, [*NAME_COLUMNS, *[h for h in table.headers if h.endswith("_name")]]
    )
    name_at = index.get(name_header)
    flag_at = next((n for h, n in index.items() if h.casefold().startswith(FLAG_PREFIX)), None)
    year_at = index.get("year")
    for cells, line in zip(table.rows, table.line_numbers, strict=True):
        code = cells[code_at].strip()
        if not code:
            issues.append(empty_code(table, line, code_header))
            continue
        row_year = year
        if row_year is None and year_at is not None and cells[year_at].strip().isdigit():
            row_year = int(cells[year_at])
        for header, indicator in columns.items():
            parsed = _value(table, line, header, cells[index[header]], issues)
            if parsed is None:
                continue
            yield (
                line,
                code,
                cells[dguid_at].strip() if dguid_at is not None else "",
                cells[name_at].strip() if name_at is not None else "",
                indicator,
                row_year,
                parsed[0],
                parsed[1],
                cells[flag_at].strip() if flag_at is not None else "",
            )
