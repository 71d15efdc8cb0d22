"""URLs of the data-quality pages (mounted under the language prefix in config/urls.py)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "quality"
urlpatterns = [
    # /en/quality/ and /fr/qualite/; the English address also works in French (/fr/quality/),
    # as the map's does. Only the translated ones are named, so reversing gives them.
    path(
        _("quality/"),
        include(
            [
                path("", views.jurisdiction_quality_list, name="jurisdiction_quality_list"),
                path("<str:code>/", views.jurisdiction_quality, name="jurisdiction_quality"),
            ]
        ),
    ),
    path("quality/", views.jurisdiction_quality_list),
    path("quality/<str:code>/", views.jurisdiction_quality),
]
