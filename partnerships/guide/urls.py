"""URLs of the guide and the roadmap, included by partnerships/urls.py (same namespace).

Under the inventory's translated prefix (/en/partnerships/guide/, /fr/partenariats/guide/);
the English address also works in French, unnamed, as the inventory's pages do."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import views


def pages(prefix, named=True):
    def name(value):
        return {"name": value} if named else {}

    def at(route):
        return format_lazy("{}{}", prefix, route)

    return [
        path(at("guide/"), views.guide_index, **name("guide_index")),
        path(at("guide/guide.pdf"), views.guide_pdf, **name("guide_pdf")),
        path(at("guide/<slug:code>/"), views.guide_chapter, **name("guide_chapter")),
        path(
            at("guide/<slug:code>/guide.pdf"),
            views.guide_chapter_pdf,
            **name("guide_chapter_pdf"),
        ),
        path(at("roadmap/"), views.roadmap, **name("roadmap")),
    ]


urlpatterns = [*pages(_("partnerships/")), *pages("partnerships/", named=False)]
