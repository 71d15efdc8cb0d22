"""URLs of the partnership pages (mounted under the language prefix in config/urls.py)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import colocation_views, views

app_name = "partnerships"


def pages(named=True):
    """The pages; the English address also works in French, unnamed (as the quality pages)."""

    def name(value):
        return {"name": value} if named else {}

    return [
        path("", views.partnership_list, **name("partnership_list")),
        path(_("co-location/"), colocation_views.colocation_finder, **name("colocation_finder")),
        path(
            "co-location/export.<str:format>",
            colocation_views.colocation_export,
            **name("colocation_export"),
        ),
        path("export.<str:format>", views.partnership_export, **name("partnership_export")),
        path(_("new/"), views.partnership_create, **name("partnership_create")),
        path("<int:pk>/", views.partnership_detail, **name("partnership_detail")),
        path(_("<int:pk>/edit/"), views.partnership_edit, **name("partnership_edit")),
        path(
            "<int:pk>/changes/<int:change_pk>/decide/",
            views.change_decide,
            **name("change_decide"),
        ),
        path("<int:pk>/documents/", views.document_upload, **name("document_upload")),
        path(
            "<int:pk>/documents/<int:document_pk>/",
            views.document_download,
            **name("document_download"),
        ),
        path("<int:pk>/outcomes/", views.outcome_add, **name("outcome_add")),
    ]


urlpatterns = [
    path(_("partnerships/"), include(pages())),
    path("partnerships/", include(pages(named=False))),
    path("", include("partnerships.guide.urls")),  # the guide and the roadmap
]
