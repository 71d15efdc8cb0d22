"""CSV (and other delimited text): encoding, delimiter, multi-line quoted fields, ragged rows."""

import codecs
import csv
import gc
import io
import itertools
import re

from django.utils.translation import gettext_noop

from ..issues import error, warning
from .common import Table, check_headers, clip, formula_issues, refuse, too_many_rows

DELIMITERS = ",;\t|"
QUOTE = '"'
SAMPLE_CHARS = 64 * 1024
# C0 control characters other than tab, line feed, form feed and carriage return.
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
ENCODING_LABELS = {"cp1252": "Windows-1252", "latin-1": "ISO-8859-1 (Latin-1)"}


def decode(data, name):
    """(text, encoding): UTF-8 with or without BOM, else Windows-1252, else Latin-1."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        raise refuse(
            "unsupported_encoding",
            gettext_noop(
                "%(file)s is saved as UTF-16 (“Unicode text”); save it as “CSV UTF-8” and try "
                "again."
            ),
            name,
        )
    if b"\x00" in data:
        raise binary(name)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def binary(name):
    return refuse(
        "binary_file",
        gettext_noop(
            "%(file)s is not a text file (it contains binary data); export the data as CSV, "
            "XLSX, GeoJSON, GeoPackage or a zipped Shapefile."
        ),
        name,
    )


def sniff_delimiter(text):
    """The delimiter of the header line; csv.Sniffer when that is ambiguous; else a comma."""
    header = next((line for line in text[:SAMPLE_CHARS].splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts.values())
    winners = [delimiter for delimiter, count in counts.items() if count == best]
    if best and len(winners) == 1:
        return winners[0]
    try:
        return csv.Sniffer().sniff(text[:SAMPLE_CHARS], delimiters=DELIMITERS).delimiter
    except csv.Error:
        return winners[0] if best else ","


def unterminated(name, line):
    return refuse(
        "unterminated_quote",
        gettext_noop(
            "%(file)s: the quoted value that starts on line %(line)s is never closed (a "
            "quotation mark is missing, or the file was cut off); fix the quotes and try again."
        ),
        name,
        line=line,
    )


def read_csv(data, name, limits):
    text, encoding = decode(data, name)
    if not text.strip():
        raise empty(name)
    controls = len(_CONTROL.findall(text, 0, SAMPLE_CHARS))
    if controls > max(8, min(len(text), SAMPLE_CHARS) // 200):
        raise binary(name)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=QUOTE)
    previous = 0
    collecting = gc.isenabled()
    gc.disable()  # the rows are new lists that live on: collecting while parsing is wasted time
    try:
        for record in reader:
            previous = reader.line_num
            if any(cell.strip() for cell in record):
                break
        else:
            raise empty(name)
        headers = [cell.strip() for cell in record]
        width = len(headers)
        rows, lines, issues = [], [], []
        short = None
        for row in reader:
            start, previous = previous + 1, reader.line_num
            size = len(row)
            if size != width:
                if not any(row):
                    continue
                if size < width:
                    row = row + [""] * (width - size)
                    short = len(rows)
                else:
                    extra = row[width:]
                    row = row[:width]
                    if any(extra):
                        issues.append(extra_cells(name, start, width, size, delimiter, extra))
            elif not any(row):
                continue
            rows.append(row)
            lines.append(start)
            if len(rows) > limits.max_rows:
                raise too_many_rows(name, limits)
    except csv.Error as exc:  # a field over csv.field_size_limit(): an open quote ate the rest
        raise unterminated(name, previous + 1) from exc
    finally:
        if collecting:
            gc.enable()
    if text.count(QUOTE) % 2 and rows:
        check_last_record(text, lines[-1], delimiter, name)
    if short is not None and short == len(rows) - 1 and not text.endswith(("\n", "\r")):
        issues.append(
            warning(
                "truncated_row",
                gettext_noop(
                    "%(file)s, row %(row)s: the last row has fewer values than there are "
                    "columns and the file ends in the middle of it; it may have been cut off."
                ),
                file=name,
                row=lines[-1],
                value=clip(delimiter.join(rows[-1]).rstrip(delimiter)),
                params={"file": name, "row": lines[-1]},
            )
        )
    if not rows:
        raise no_rows(name)
    headers, rows = check_headers(name, headers, rows)
    if encoding in ENCODING_LABELS:
        issues.insert(
            0,
            warning(
                "encoding_guessed",
                gettext_noop(
                    "%(file)s is not UTF-8; it was read as %(encoding)s. Check that accented "
                    "letters look right, or save the file as “CSV UTF-8”."
                ),
                file=name,
                params={"file": name, "encoding": ENCODING_LABELS[encoding]},
            ),
        )
    issues += formula_issues(name, headers, rows, lines, text)
    return Table(
        name=name,
        format="csv",
        headers=headers,
        rows=rows,
        line_numbers=lines,
        encoding=encoding,
        delimiter=delimiter,
        issues=issues,
    )


def check_last_record(text, start, delimiter, name):
    """Raise if the last record opens a quote the file never closes (lenient parsing hides it)."""
    tail = "".join(itertools.islice(io.StringIO(text, newline=""), start - 1, None))
    try:
        for _record in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise unterminated(name, start) from exc


def extra_cells(name, line, width, size, delimiter, extra):
    return error(
        "extra_cells",
        gettext_noop(
            "%(file)s, row %(row)s: the row has %(count)s values but there are only "
            "%(columns)s columns; the extra values were left out. Check for a missing "
            "quotation mark or an unquoted separator in a value."
        ),
        file=name,
        row=line,
        value=clip(delimiter.join(extra)),
        params={
            "file": name,
            "row": line,
            "count": size,
            "columns": width,
        },
    )


def empty(name):
    return refuse("empty_file", gettext_noop("%(file)s is empty."), name)


def no_rows(name):
    return refuse(
        "no_rows",
        gettext_noop("%(file)s has no rows: it holds column names but no data below them."),
        name,
    )
