"""Exports of a version's responses: wide (one row per response, with a codebook) and long
(one row per answer), as CSV or XLSX. Only the responses the user may see, submitted and
launched (pre-test answers stay out)."""

import csv
import io
import tempfile

from servicepoints.exports import neutralize

from . import answering
from .models import Answer, Kind, Response

META = ["response", "organization", "organization_name", "jurisdiction", "level", "submitted"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LONG = [*META, "question", "row", "value", "other", "label_en", "label_fr"]


def _responses(version, user):
    return (
        Response.objects.visible_to(user)
        .filter(version=version, is_pretest=False, submitted_at__isnull=False)
        .select_related("organization__jurisdiction")
        .order_by("pk")
    )


def _meta(response):
    organization = response.organization
    return [
        response.pk,
        organization.code,
        organization.name_en,
        organization.jurisdiction.code,
        organization.jurisdiction.level,
        response.submitted_at.isoformat(timespec="seconds"),
    ]


def _columns(version):
    """[(column name, question, row or None, part)]: the wide layout and the codebook's rows."""
    columns = []
    for section in answering.version_structure(version):
        for question in section.questions.all():
            if question.kind == Kind.GRID:
                for row in question.rows.all():
                    columns.append((f"{question.code}.{row.code}", question, row, "code"))
            elif question.kind == Kind.MULTIPLE:
                for code, _label in question.code_labels():
                    columns.append((f"{question.code}.{code}", question, None, code))
                if question.allows_other:
                    columns.append((f"{question.code}.other_text", question, None, "other"))
            else:
                columns.append((question.code, question, None, "value"))
                if question.allows_other:
                    columns.append((f"{question.code}.other_text", question, None, "other"))
    return columns


def wide_rows(version, user):
    """The header, then one list per response."""
    columns = _columns(version)
    yield META + [name for name, *_rest in columns]
    responses = list(_responses(version, user))
    by_response = {}
    answers = Answer.objects.filter(response__in=[r.pk for r in responses]).values_list(
        "response_id", "question_id", "row_id", "codes", "other_text", "text", "number", "date"
    )
    for response_id, question_id, row_id, codes, other, text, number, date in answers.iterator(
        chunk_size=5000
    ):
        by_response.setdefault(response_id, {})[(question_id, row_id)] = (
            codes,
            other,
            text,
            number,
            date,
        )
    for response in responses:
        mine = by_response.get(response.pk, {})
        row = _meta(response)
        for _name, question, grid_row, part in columns:
            saved = mine.get((question.pk, grid_row.pk if grid_row else None))
            if saved is None:
                row.append(None)
                continue
            codes, other, text, number, date = saved
            if part == "other":
                row.append(other or None)
            elif question.kind == Kind.MULTIPLE:
                row.append(1 if part in codes else 0)
            elif codes:
                row.append(codes[0])
            elif number is not None:
                row.append(float(number))
            elif date is not None:
                row.append(date.isoformat())
            else:
                row.append(text)
        yield row


def codebook_rows(version):
    yield ["column", "question", "kind", "text_en", "text_fr", "value", "label_en", "label_fr"]
    for name, question, row, part in _columns(version):
        base = [name, question.code, question.kind]
        text_en = question.text_en + (f" — {row.label_en}" if row else "")
        text_fr = question.text_fr + (f" — {row.label_fr}" if row else "")
        if question.kind == Kind.MULTIPLE and part != "other":
            label = dict((c.code, c) for c in question.choices.all()).get(part)
            yield [
                *base,
                text_en,
                text_fr,
                "1 = ticked, 0 = not ticked",
                label.label_en if label else "Other, please specify",
                label.label_fr if label else "Autre, veuillez préciser",
            ]
        elif part == "other":
            yield [*base, text_en, text_fr, "text", "Other, specified", "Autre, précisé"]
        elif question.kind == Kind.YES_NO:
            yield [*base, text_en, text_fr, "yes", "Yes", "Oui"]
            yield [name, "", "", "", "", "no", "No", "Non"]
        elif question.kind in (Kind.SINGLE, Kind.LIKERT, Kind.GRID):
            choices = list(question.choices.all())
            for i, choice in enumerate(choices):
                head = base + [text_en, text_fr] if i == 0 else [name, "", "", "", ""]
                yield [*head, choice.code, choice.label_en, choice.label_fr]
            if question.allows_other:
                yield [name, "", "", "", "", "other", "Other", "Autre"]
        else:
            bounds = ""
            if question.kind == Kind.NUMBER:
                bounds = f"number {question.min_value or ''}–{question.max_value or ''}"
            yield [*base, text_en, text_fr, bounds or question.kind, "", ""]


def long_rows(version, user):
    yield LONG
    responses = {r.pk: r for r in _responses(version, user)}
    questions, rows, labels = {}, {}, {}
    for section in answering.version_structure(version):
        for question in section.questions.all():
            questions[question.pk] = question
            rows.update({row.pk: row.code for row in question.rows.all()})
            labels[question.pk] = {
                c.code: (c.label_en, c.label_fr) for c in question.choices.all()
            }
            if question.kind == Kind.YES_NO:
                labels[question.pk] = {"yes": ("Yes", "Oui"), "no": ("No", "Non")}
            if question.allows_other:
                labels[question.pk]["other"] = ("Other", "Autre")
    answers = (
        Answer.objects.filter(response__in=list(responses))
        .order_by("response_id", "question__section__position", "question__position", "row_id")
        .values_list(
            "response_id", "question_id", "row_id", "codes", "other_text", "text", "number", "date"
        )
    )
    meta, current = None, None
    for response_id, question_id, row_id, codes, other, text, number, date in answers.iterator(
        chunk_size=5000
    ):
        if response_id != current:
            current, meta = response_id, _meta(responses[response_id])
        code = questions[question_id].code
        row_code = rows.get(row_id, "")
        if codes:
            for value in codes:
                english, french = labels[question_id].get(value, (value, value))
                yield [*meta, code, row_code, value, other, english, french]
        elif number is not None:
            yield [*meta, code, row_code, float(number), "", "", ""]
        elif date is not None:
            yield [*meta, code, row_code, date.isoformat(), "", "", ""]
        else:
            yield [*meta, code, row_code, text, "", "", ""]


def as_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(
            ["" if value is None else neutralize(value) if isinstance(value, str) else value
             for value in row]
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(sheets):
    """An XLSX file of (title, rows), written by XlsxWriter in constant-memory mode: each row
    goes to disk as it comes (memory stays flat), about three times faster than openpyxl
    without lxml, which the project keeps out (see servicepoints/imports/readers/workbook.py).
    Text cells are written as strings, never as formulas."""
    import xlsxwriter

    with tempfile.TemporaryFile() as handle:
        workbook = xlsxwriter.Workbook(
            handle,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
             "strings_to_numbers": False, "in_memory": False, "tmpdir": tempfile.gettempdir()},
        )  # fmt: skip
        bold = workbook.add_format({"bold": True})
        for title, rows in sheets:
            sheet = workbook.add_worksheet(title)
            for index, row in enumerate(rows):
                sheet.write_row(index, 0, row, bold if index == 0 else None)
            sheet.freeze_panes(1, 0)
        workbook.close()
        handle.seek(0)
        return handle.read()


def export(version, user, fmt):
    """(bytes, content type, file name) for `fmt`: xlsx (one row per response, and the
    codebook), long.xlsx (one row per answer, and the codebook), wide.csv, long.csv,
    codebook.csv."""
    stem = f"{version.questionnaire.code}-v{version.number}"
    if fmt == "wide.csv":
        return as_csv(wide_rows(version, user)), "text/csv; charset=utf-8", f"{stem}-wide.csv"
    if fmt == "long.csv":
        return as_csv(long_rows(version, user)), "text/csv; charset=utf-8", f"{stem}-long.csv"
    if fmt == "codebook.csv":
        return as_csv(codebook_rows(version)), "text/csv; charset=utf-8", f"{stem}-codebook.csv"
    if fmt == "xlsx":
        sheets = [("responses", wide_rows(version, user)), ("codebook", codebook_rows(version))]
        return as_xlsx(sheets), XLSX, f"{stem}.xlsx"
    if fmt == "long.xlsx":
        sheets = [("answers", long_rows(version, user)), ("codebook", codebook_rows(version))]
        return as_xlsx(sheets), XLSX, f"{stem}-long.xlsx"
    raise KeyError(fmt)
