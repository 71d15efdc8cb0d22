"""Admins write the guide in Markdown; pages show it as sanitised HTML.

`render` always sanitises (Python-Markdown, then nh3 with an allow-list), so whatever is in
the database never reaches a page as script. `unsafe_parts` names what the sanitiser would
remove, so the admin form can refuse it on the field instead of silently dropping it.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i",
    "code", "pre", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "abbr",
    "dl", "dt", "dd", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src"}


def to_html(text):
    """Markdown as HTML, not yet sanitised."""
    return markdown.markdown(text or "", extensions=["tables", "sane_lists"])


def render(text):
    """Markdown as sanitised HTML, safe to put in a page or the PDF."""
    cleaned = nh3.clean(
        to_html(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitised by nh3 just above)


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def _add(self, part):
        if part not in self.found:
            self.found.append(part)

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self._add(f"<{tag}>")
            return
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                self._add(f"{name}=")
            elif name in URL_ATTRIBUTES and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in URL_SCHEMES:
                    self._add(f"{scheme}:")

    handle_startendtag = handle_starttag


def unsafe_parts(text):
    """What of this Markdown's HTML the sanitiser removes: tags (`<script>`), attributes
    (`onclick=`) and link schemes (`javascript:`), in order of appearance."""
    finder = _Finder()
    finder.feed(to_html(text))
    finder.close()
    return finder.found
