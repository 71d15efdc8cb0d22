"""How a dashboard table's cell reads on the page (tables.py: the same cells as the files)."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def cell(value):
    """A number with the language's separators, yes/no, text; "not available" for None."""
    if value is None:
        return format_html(
            '<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>',
            _("not available"),
        )
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        return number_format(value, force_grouping=True)
    return value
