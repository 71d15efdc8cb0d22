"""The results tables as HTML, written in Python: a breakdown by jurisdiction has about
25,000 cells, which Django's template engine takes seconds to render and string joining
milliseconds. Every value is escaped; the markup is the same as a template would give."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def _cell(cell, suppressed):
    if cell.suppressed:
        return f'<td colspan="2">{suppressed}</td>'
    count = "–" if cell.count is None else cell.count
    percent = f"{cell.percent} %" if cell.share is not None else "–"
    return f'<td class="number">{count}</td><td class="number">{percent}</td>'


def result_table(table):
    """A results table: answers × (count, share) per group, respondents in the footer."""
    suppressed = escape(_("suppressed"))
    everyone = escape(_("Everyone"))
    caption = escape(table.question.text)
    if table.row is not None:
        caption += f" — {escape(table.row.label)}"
    groups = "".join(
        f'<th scope="colgroup" colspan="2">{escape(label) if label else everyone}</th>'
        for _key, label in table.groups
    )
    subheads = (
        f'<th scope="col" class="number">{escape(_("Count"))}</th>'
        f'<th scope="col" class="number">{escape(_("Share"))}</th>'
    ) * len(table.groups)
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(_cell(cell, suppressed) for cell in cells)
        + "</tr>"
        for _code, label, cells in table.rows
    )
    footer = "".join(
        f'<td colspan="2">{suppressed}</td>'
        if cell.suppressed
        else f'<td class="number">{cell.count}</td><td></td>'
        for cell in table.respondents
    )
    return mark_safe(  # noqa: S308 (every value above is escaped)
        '<div class="data-table-wrap"><table class="data-table">'
        f"<caption>{caption}</caption>"
        f'<thead><tr><th scope="col" rowspan="2">{escape(_("Answer"))}</th>{groups}</tr>'
        f"<tr>{subheads}</tr></thead>"
        f"<tbody>{body}</tbody>"
        f'<tfoot><tr><th scope="row">{escape(_("Respondents"))}</th>{footer}</tr></tfoot>'
        "</table></div>"
    )
