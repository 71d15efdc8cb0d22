"""Reading and checking a channel statistics file (importer.py's first half): the table read
with pandas as text cells, its columns found, months and numbers parsed column by column; each
problem an `Issue` naming the file, row (the header is row 1), column and reason."""

import calendar
from pathlib import Path

import pandas as pd
from django.utils.translation import gettext_noop

from servicepoints.imports.issues import error, warning

# Field -> the headers that give it (lower case, spaces and hyphens as underscores).
COLUMNS = {
    "line": ["queue_group", "line_of_business", "line", "queue"],
    "month": ["month"],
    "year": ["year"],
    "calls_handled": ["calls_handled"],
    "average_wait_minutes": ["avg_wait_minutes", "average_wait_minutes", "average_wait"],
    "calls_offered": ["calls_offered"],
    "calls_answered": ["calls_answered"],
    "service_level": ["service_level", "service_level_percent"],
}
COUNTS = ["calls_handled", "calls_offered", "calls_answered"]
MEASURES = [*COUNTS, "average_wait_minutes", "service_level"]
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_name) if name})
FIRST_YEAR, LAST_YEAR = 1990, 2100


def file_error(code, message, name, **params):
    return error(code, message, file=name, params={"file": name, **params})


def cell_error(code, message, name, row, column, value, **params):
    return error(
        code,
        message,
        file=name,
        row=row,
        column=column,
        value=str(value),
        params={"file": name, "row": row, "column": column, "value": str(value), **params},
    )


def read_frame(path, name):
    """The file as a DataFrame of text cells, its index the row numbers a person sees."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            try:
                frame = pd.read_csv(
                    path,
                    dtype=str,
                    keep_default_na=False,
                    encoding="utf-8-sig",
                    skip_blank_lines=False,
                )
            except UnicodeDecodeError:
                frame = pd.read_csv(
                    path,
                    dtype=str,
                    keep_default_na=False,
                    encoding="cp1252",
                    skip_blank_lines=False,
                )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError) as exc:
        return None, file_error(
            "unreadable",
            gettext_noop("%(file)s cannot be read as a CSV or Excel table: %(reason)s"),
            name,
            reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        )
    frame.index = frame.index + 2  # the header is row 1
    frame = frame.map(lambda cell: str(cell).strip())
    frame = frame[(frame != "").any(axis=1)]
    return frame, None


def find_columns(frame, name, issues):
    """Field -> header of the file, with issues for what is missing or left unread."""
    normal = {header: "_".join(str(header).strip().lower().replace("-", " ").split())
              for header in frame.columns}  # fmt: skip
    found = {}
    for field_name, candidates in COLUMNS.items():
        for header, normalised in normal.items():
            if normalised in candidates and field_name not in found:
                found[field_name] = header
    columns = ", ".join(str(header) for header in frame.columns)
    for required in ("line", "month"):
        if required not in found:
            issues.append(
                file_error(
                    "missing_column",
                    gettext_noop(
                        "%(file)s has no column “%(column)s” (or %(aliases)s); its columns: "
                        "%(columns)s."
                    ),
                    name,
                    column=COLUMNS[required][0],
                    aliases=", ".join(COLUMNS[required][1:]) or "—",
                    columns=columns,
                )
            )
    if not {"calls_handled", "average_wait_minutes", "calls_offered"} & set(found):
        issues.append(
            file_error(
                "no_measure",
                gettext_noop(
                    "%(file)s has none of the columns calls_handled, avg_wait_minutes, "
                    "calls_offered; its columns: %(columns)s."
                ),
                name,
                columns=columns,
            )
        )
    used = set(found.values())
    for header in frame.columns:
        if header not in used:
            issues.append(
                warning(
                    "ignored_column",
                    gettext_noop("%(file)s: the column “%(column)s” is not read."),
                    file=name,
                    column=str(header),
                    params={"file": name, "column": str(header)},
                )
            )
    return found


def parse_months(frame, found, name, issues):
    """The first day of each row's month (NaT where the cells are wrong, with an issue)."""
    months = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    month_column = found["month"]
    year_column = found.get("year")
    for row, text in frame[month_column].items():
        low = text.lower().rstrip(".")
        year = None
        if len(low) == 7 and low[4] == "-" and low[:4].isdigit() and low[5:].isdigit():
            year, number = int(low[:4]), int(low[5:])
        elif low in MONTHS:
            number = MONTHS[low]
        elif low.isdigit():
            number = int(low)
        else:
            number = None
        if number is None or not 1 <= number <= 12:
            issues.append(
                cell_error(
                    "bad_month",
                    gettext_noop(
                        "%(file)s, row %(row)s, column “%(column)s”: “%(value)s” is not a month "
                        "(Jan…Dec, 1–12 or 2016-01)."
                    ),
                    name,
                    row,
                    month_column,
                    text,
                )
            )
            continue
        if year is None:
            if year_column is None:
                issues.append(
                    cell_error(
                        "missing_year",
                        gettext_noop(
                            "%(file)s, row %(row)s, column “%(column)s”: “%(value)s” has no "
                            "year and the file has no column “year”."
                        ),
                        name,
                        row,
                        month_column,
                        text,
                    )
                )
                continue
            cell = frame.at[row, year_column]
            if not (cell.isdigit() and FIRST_YEAR <= int(cell) <= LAST_YEAR):
                issues.append(
                    cell_error(
                        "bad_year",
                        gettext_noop(
                            "%(file)s, row %(row)s, column “%(column)s”: “%(value)s” is not a "
                            "year between %(first)s and %(last)s."
                        ),
                        name,
                        row,
                        year_column,
                        cell,
                        first=FIRST_YEAR,
                        last=LAST_YEAR,
                    )
                )
                continue
            year = int(cell)
        months[row] = pd.Timestamp(year=year, month=number, day=1)
    return months


def parse_measures(frame, found, name, issues):
    """Each measure's numbers (NaN where empty), with an issue for every cell that is not one."""
    values = {}
    for measure in MEASURES:
        header = found.get(measure)
        if header is None:
            values[measure] = pd.Series(float("nan"), index=frame.index)
            continue
        text = frame[header].str.replace(",", "", regex=False).str.replace(" ", "", regex=False)
        numbers = pd.to_numeric(text, errors="coerce")
        bad = (text != "") & numbers.isna()
        if measure in COUNTS:
            bad |= numbers.notna() & ((numbers < 0) | (numbers % 1 != 0))
            reason = gettext_noop("a whole number of calls, 0 or more")
        elif measure == "service_level":
            bad |= numbers.notna() & ((numbers < 0) | (numbers > 100))
            reason = gettext_noop("a percentage between 0 and 100")
        else:
            bad |= numbers.notna() & (numbers < 0)
            reason = gettext_noop("a number of minutes, 0 or more")
        for row in frame.index[bad]:
            issues.append(
                cell_error(
                    "bad_number",
                    gettext_noop(
                        "%(file)s, row %(row)s, column “%(column)s”: “%(value)s” is not "
                        "%(expected_label)s."
                    ),
                    name,
                    row,
                    header,
                    frame.at[row, header],
                    expected_label=reason,
                )
            )
        values[measure] = numbers.where(~bad)
    offered, answered = values["calls_offered"], values["calls_answered"]
    for row in frame.index[(answered > offered).fillna(False)]:
        issues.append(
            cell_error(
                "answered_over_offered",
                gettext_noop(
                    "%(file)s, row %(row)s, column “%(column)s”: %(value)s calls answered, more "
                    "than the %(offered)s offered."
                ),
                name,
                row,
                found["calls_answered"],
                frame.at[row, found["calls_answered"]],
                offered=frame.at[row, found["calls_offered"]],
            )
        )
    return values
