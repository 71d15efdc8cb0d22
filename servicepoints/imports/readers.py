# SCRATCH - replaced by the readers branch; not committed.
import csv
from dataclasses import dataclass, field


@dataclass
class Table:
    name: str
    format: str
    headers: list
    rows: list
    line_numbers: list
    geometries: object = None
    source_srid: object = None
    encoding: object = None
    delimiter: object = None
    sheet: object = None
    issues: list = field(default_factory=list)


def read_table(path, *, name=None, max_bytes=None):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        headers = [h.strip() for h in next(reader)]
        rows, lines = [], []
        for row in reader:
            lines.append(reader.line_num)
            rows.append(row)
    return Table(name or str(path), "csv", headers, rows, lines)
