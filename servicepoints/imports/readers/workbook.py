"""XLSX workbooks through openpyxl, read-only and with cached values only.

Formulas are never evaluated: `data_only=True` gives the value the spreadsheet saved with the
file (or nothing when it never saved one). The zip archive passes `archives.open_zip()` before
openpyxl opens it. openpyxl parses XML with the standard library here (no lxml), whose expat
(2.4 or newer) refuses entity-expansion ("billion laughs") documents.
"""

from django.utils.translation import gettext_noop

from ..issues import ImportFileError
from .archives import open_zip
from .common import Table, check_headers, formula_issues, refuse, too_many_rows, value_text

# The last row a spreadsheet can have; a file claiming more is damaged.
EXCEL_MAX_ROWS = 1_048_576


def damaged(name):
    return refuse(
        "damaged_workbook",
        gettext_noop(
            "%(file)s could not be read as an Excel workbook (.xlsx); it may be damaged."
        ),
        name,
    )


def read_xlsx(path, name, limits):
    # Imported here: openpyxl adds 0.1 s to the start of every process that loads the
    # readers (the admin, the task worker, every command), and only workbooks need it.
    import openpyxl

    open_zip(path, name, limits).close()
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise damaged(name) from exc
    try:
        return _read_workbook(workbook, name, limits)
    except ImportFileError:
        raise
    except Exception as exc:
        raise damaged(name) from exc
    finally:
        workbook.close()


def _read_workbook(workbook, name, limits):
    for sheet in workbook.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        table = _read_sheet(sheet, name, limits)
        if table is not None:
            return table
    raise refuse("empty_file", gettext_noop("%(file)s has no data in any sheet."), name)


def _read_sheet(sheet, name, limits):
    """A Table from the sheet, or None when the sheet is blank."""
    from openpyxl.utils import get_column_letter

    if not hasattr(sheet, "iter_rows"):  # a chart sheet
        return None
    sheet.reset_dimensions()  # ignore the size the file declares; read what is there
    rows_iter = sheet.iter_rows(values_only=True)
    headers = None
    rows, lines = [], []
    widest = 0
    for number, values in enumerate(rows_iter, start=1):
        if number > EXCEL_MAX_ROWS:
            raise damaged(name)
        cells = [value_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            continue
        if headers is None:
            headers = [cell.strip() for cell in cells]
            continue
        widest = max(widest, len(cells))
        rows.append(cells)
        lines.append(number)
        if len(rows) > limits.max_rows:
            raise too_many_rows(name, limits)
    if headers is None:
        return None
    if not rows:
        raise refuse(
            "no_rows",
            gettext_noop(
                "%(file)s has no rows: sheet “%(sheet)s” holds column names but no data below "
                "them."
            ),
            name,
            sheet=sheet.title,
        )
    width = max(widest, len(headers))
    headers += [""] * (width - len(headers))
    for cells in rows:
        if len(cells) < width:
            cells += [""] * (width - len(cells))
    headers, rows = check_headers(
        name, headers, rows, label=lambda index: get_column_letter(index + 1)
    )
    issues = formula_issues(name, headers, rows, lines)
    return Table(
        name=name,
        format="xlsx",
        headers=headers,
        rows=rows,
        line_numbers=lines,
        sheet=sheet.title,
        issues=issues,
    )
