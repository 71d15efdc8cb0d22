"""Statistics Canada's Census Profile CSV, in its published 2016 and 2021 layouts, streamed.

A profile is one block of rows per area, one row per characteristic (2,247 of them for the
2016 health regions, 2,631 in 2021), in the same order for every area:

- 2016 (98-401-X2016…): `CENSUS_YEAR, GEO_CODE (POR), GEO_LEVEL, GEO_NAME, GNR, GNR_LF,
  DATA_QUALITY_FLAG, ALT_GEO_CODE, DIM: Profile of … (N), Member ID: Profile of … (N),
  Notes: …, Dim: Sex (3): Member ID: [1]: Total - Sex, … [2]: Male, … [3]: Female`; a
  suppressed or missing value is a symbol in the value's own cell.
- 2021 (98-401-X2021…): `CENSUS_YEAR, DGUID, ALT_GEO_CODE, GEO_LEVEL, GEO_NAME, TNR_SF,
  TNR_LF, DATA_QUALITY_FLAG, CHARACTERISTIC_ID, CHARACTERISTIC_NAME, CHARACTERISTIC_NOTE,
  C1_COUNT_TOTAL, SYMBOL, C2_COUNT_MEN+, SYMBOL, …`; names are indented with spaces, and a
  suppressed value is an empty cell with its symbol in the SYMBOL column right after it.

Symbols (both layouts): `x` suppressed for confidentiality, `..` not available, `...` not
applicable, `F` too unreliable to be published. They become a NULL value with a status, never
a 0. An indicator is found in a block by its catalogue entry (`Indicator.profile_names`,
optionally under a heading, `profile_section`, and as a share of that heading's count,
`profile_share`), or by a characteristic's number or name the user gives.

The file is read line by line (a million lines in a few seconds, whatever its size): only
the kept values of each block are held, and the rest of the block is only counted, so that a
block cut short (a truncated download) is recognised and left out, never read as a whole area.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from ...imports.issues import error, warning

SYMBOLS = {"x": "x", "X": "x", "..": "..", "...": "..", "F": "F"}
_COUNT = re.compile(r"\((\d+)\)\s*$")


def normal(text):
    """A characteristic's name compared without case, indentation or repeated spaces."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Layout:
    year_column: int
    code_column: int  # GEO_CODE (POR) in 2016, ALT_GEO_CODE in 2021
    alt_code_column: int | None
    dguid_column: int | None
    level_column: int
    name_column: int
    flag_column: int | None
    id_column: int
    characteristic_column: int
    value_column: int
    symbol_column: int | None  # 2021: the SYMBOL right after the total
    value_header: str
    expected: int | None  # characteristics per area, when the header says it ("(2247)")
    edition: int


def detect(headers):
    """The Layout of a Census Profile header row, or None when it is not one."""
    index = {header.strip().lstrip("\ufeff").strip('"'): n for n, header in enumerate(headers)}
    if {"CENSUS_YEAR", "DGUID", "ALT_GEO_CODE", "CHARACTERISTIC_ID"} <= index.keys():
        value = index.get("C1_COUNT_TOTAL")
        if value is None:
            return None
        symbol = value + 1 if value + 1 < len(headers) and headers[value + 1] == "SYMBOL" else None
        return Layout(
            index["CENSUS_YEAR"],
            index["ALT_GEO_CODE"],
            None,
            index["DGUID"],
            index.get("GEO_LEVEL", index["ALT_GEO_CODE"]),
            index.get("GEO_NAME", index["ALT_GEO_CODE"]),
            index.get("DATA_QUALITY_FLAG"),
            index["CHARACTERISTIC_ID"],
            index.get("CHARACTERISTIC_NAME", index["CHARACTERISTIC_ID"]),
            value,
            symbol,
            "C1_COUNT_TOTAL",
            None,
            2021,
        )
    if "CENSUS_YEAR" in index and "GEO_CODE (POR)" in index:
        dim = next((n for h, n in index.items() if h.startswith("DIM: ")), None)
        member = next((n for h, n in index.items() if h.startswith("Member ID: ")), None)
        total = next(
            (n for h, n in index.items() if h.startswith("Dim: ") and "Member ID: [1]" in h),
            None,
        )
        if dim is None or member is None or total is None:
            return None
        expected = _COUNT.search(headers[dim])
        return Layout(
            index["CENSUS_YEAR"],
            index["GEO_CODE (POR)"],
            index.get("ALT_GEO_CODE"),
            None,
            index.get("GEO_LEVEL", index["GEO_CODE (POR)"]),
            index.get("GEO_NAME", index["GEO_CODE (POR)"]),
            index.get("DATA_QUALITY_FLAG"),
            member,
            dim,
            total,
            None,
            headers[total].strip(),
            int(expected.group(1)) if expected else None,
            2016,
        )
    return None


@dataclass
class Spec:
    """How one indicator is found in a block."""

    indicator: str
    names: frozenset = frozenset()
    ids: frozenset = frozenset()
    sections: frozenset = frozenset()
    share: bool = False


def specs_from_catalogue(indicators, year):
    """Specs of the catalogue's indicators that have profile names, for a `year` census."""
    values = {"year": year, "income_year": year - 1}
    specs = []
    for indicator in indicators:
        names = [line.strip() for line in indicator.profile_names.splitlines() if line.strip()]
        if not names:
            continue
        sections = [line.strip() for line in indicator.profile_section.splitlines() if line]
        specs.append(
            Spec(
                indicator.code,
                names=frozenset(normal(name.format(**values)) for name in names),
                sections=frozenset(normal(s.format(**values)) for s in sections if s.strip()),
                share=indicator.profile_share and bool(sections),
            )
        )
    return specs


@dataclass
class Block:
    """One area's rows: who it is, how many characteristics it had, the values kept."""

    code: str
    alt_code: str
    dguid: str
    level: str
    name: str
    flag: str
    first_line: int
    count: int = 0
    values: dict = field(default_factory=dict)  # indicator -> (value, status, line)


def parse_value(raw, symbol):
    """(value, status) of a cell; raises ValueError when it is neither a number nor a symbol."""
    raw = raw.strip()
    if raw in SYMBOLS:
        return None, SYMBOLS[raw]
    if raw == "":
        symbol = (symbol or "").strip()
        return None, SYMBOLS.get(symbol, "..")
    return float(raw.replace(",", "")), ""


class ProfileReader:
    """Reads the blocks of a profile; `issues` collects what is wrong, with row and column."""

    def __init__(self, name, layout, specs, issues):
        self.name = name
        self.layout = layout
        self.specs = specs
        self.issues = issues
        self.by_name, self.by_id, self.by_section = {}, {}, {}
        for number, spec in enumerate(specs):
            for key in spec.names:
                self.by_name.setdefault(key, []).append(number)
            for key in spec.ids:
                self.by_id.setdefault(key, []).append(number)
            for key in spec.sections:
                self.by_section.setdefault(key, []).append(number)
        self.years = set()

    def blocks(self, rows):
        """Yield each area's Block from `rows`, an iterator of (line number, cells)."""
        layout, specs = self.layout, self.specs
        by_name, by_id, by_section = self.by_name, self.by_id, self.by_section
        block, key = None, None
        open_sections = {}  # spec number -> the heading's value, while under its heading
        done = set()
        for line, cells in rows:
            if len(cells) <= layout.value_column:
                continue
            row_key = (cells[layout.code_column], cells[layout.level_column])
            if row_key != key:
                if block is not None:
                    yield block
                key = row_key
                block = self._block(cells, line)
                open_sections, done = {}, set()
            block.count += 1
            characteristic = normal(cells[layout.characteristic_column])
            if open_sections and characteristic.startswith("total - "):
                open_sections = {}
            matched = by_name.get(characteristic, ()) or ()
            number_id = cells[layout.id_column].strip()
            if number_id in by_id:
                matched = [*matched, *by_id[number_id]]
            heading = by_section.get(characteristic)
            if not matched and not heading:
                continue
            value = self._value(cells, line)
            if value is None:
                continue
            for number in heading or ():
                open_sections[number] = value[0]
            for number in matched:
                if number in done:
                    continue
                spec = specs[number]
                if spec.sections and number not in open_sections:
                    continue
                done.add(number)
                amount, status = value
                if spec.share:
                    amount, status = _share(amount, status, open_sections[number])
                block.values[spec.indicator] = (amount, status, line)
        if block is not None:
            yield block

    def _block(self, cells, line):
        layout = self.layout

        def cell(column):
            return cells[column].strip() if column is not None else ""

        year = cell(layout.year_column)
        if year:
            self.years.add(year)
        return Block(
            code=cell(layout.code_column),
            alt_code=cell(layout.alt_code_column),
            dguid=cell(layout.dguid_column),
            level=cell(layout.level_column),
            name=cell(layout.name_column),
            flag=cell(layout.flag_column),
            first_line=line,
        )

    def _value(self, cells, line):
        layout = self.layout
        raw = cells[layout.value_column]
        symbol = cells[layout.symbol_column] if layout.symbol_column is not None else ""
        try:
            return parse_value(raw, symbol)
        except ValueError:
            self.issues.append(
                error(
                    "not_a_number",
                    gettext_noop(
                        "%(file)s, row %(row)s, column %(column)s: “%(value)s” is neither a "
                        "number nor one of Statistics Canada’s symbols (x, .., ..., F)."
                    ),
                    file=self.name,
                    row=line,
                    column=layout.value_header,
                    value=raw,
                    params={
                        "file": self.name,
                        "row": line,
                        "column": layout.value_header,
                        "value": raw[:80],
                    },
                )
            )
            return None


def _share(amount, status, whole):
    """`amount` as a percentage of its heading's count `whole`."""
    if status or whole is None:
        return None, status or ".."
    if not whole:
        return None, ".."
    return round(100.0 * amount / whole, 4), ""


def complete_blocks(blocks, expected, name, issues):
    """The blocks that hold every characteristic; the others (a file cut short) are left out
    with a warning naming them."""
    if not blocks:
        return []
    full = expected or max(block.count for block in blocks)
    kept = []
    for block in blocks:
        if block.count < full:
            issues.append(
                warning(
                    "incomplete_area",
                    gettext_noop(
                        "%(file)s, row %(row)s: the area %(code)s (%(area)s) has %(count)s of "
                        "the profile’s %(expected)s characteristics (the file looks cut short); "
                        "its values are left out."
                    ),
                    file=name,
                    row=block.first_line,
                    column="",
                    value=block.code,
                    params={
                        "file": name,
                        "row": block.first_line,
                        "code": block.code,
                        "area": block.name,
                        "count": block.count,
                        "expected": full,
                    },
                )
            )
        else:
            kept.append(block)
    return kept
