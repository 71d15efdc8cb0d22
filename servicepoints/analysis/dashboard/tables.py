"""A card's figures as a table: what the page shows beside the chart (its accessible source)
and what the CSV and XLSX exports write, cell for cell.

Cells are numbers (written as numbers everywhere), text, or None for a figure that does not
exist ("not available" on the page and in the files, never 0).
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from servicepoints.exports import neutralize

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Column:
    """A column's heading; `numeric` columns are right-aligned and charted."""

    label: str
    numeric: bool = False
    # The unit a chart of this column reads ("%" for shares); empty for counts.
    unit: str = ""


@dataclass
class Table:
    """The rows of a card: the first cell of each row is its heading (a `<th scope="row">`).

    `chart` names the numeric column drawn as bars (None: a table alone); `target` draws the
    standard's share as a labelled line across them. `notes` say what the figures are and
    what they leave out; `empty` says why there is no row."""

    caption: str
    columns: list
    rows: list = field(default_factory=list)
    footer: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    empty: str = ""
    chart: int | None = None
    target: float | None = None

    def chart_data(self):
        """What static/js/dashboard.js draws: a label and a value per row, or None."""
        if self.chart is None or not self.rows:
            return None
        column = self.columns[self.chart]
        return {
            "label": str(column.label),
            "unit": column.unit,
            "labels": [str(row[0]) for row in self.rows],
            "values": [row[self.chart] for row in self.rows],
            "target": self.target,
            "target_label": (
                _("Target: %(share)s %%") % {"share": f"{self.target:g}"}
                if self.target is not None
                else ""
            ),
        }

    def body(self):
        """The rows as (cell, numeric column?) pairs, for the page."""
        return [self._paired(row) for row in self.rows]

    def foot(self):
        return [self._paired(row) for row in self.footer]

    def _paired(self, row):
        return [(value, column.numeric) for value, column in zip(row, self.columns, strict=True)]

    def header(self):
        return [str(column.label) for column in self.columns]

    def lines(self):
        """Every row then the footer, as written to files."""
        return [*self.rows, *self.footer]


def _file_cell(value):
    if value is None:
        return _("not available")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return neutralize(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a sum of populations: 519716, not 519716.0
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(table):
    """The table as CSV lines (UTF-8 with a byte-order mark, so that Excel reads accents)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(table.header())
    for row in table.lines():
        yield writer.writerow([_file_cell(cell) for cell in row])


def workbook(table):
    """The table as an XLSX workbook's bytes: one sheet, its caption as the sheet's title."""
    # openpyxl, as the other exports (write-only: rows stream into the file).
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    title = "".join(c for c in str(table.caption) if c not in "[]:*?/\\")[:31] or "Dashboard"
    sheet = book.create_sheet(title=title)
    sheet.append(table.header())
    for row in table.lines():
        sheet.append([_file_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
