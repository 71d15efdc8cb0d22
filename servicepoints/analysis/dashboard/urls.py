"""URLs of the dashboard (mounted under the language prefix in config/urls.py)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "dashboard"
urlpatterns = [
    # /en/dashboard/ and /fr/tableau-de-bord/; the English address also works in French
    # (/fr/dashboard/), as the map's does. Only the translated ones are named.
    path(
        _("dashboard/"),
        include(
            [
                path("", views.dashboard, name="dashboard"),
                path(_("preferences/"), views.dashboard_preferences, name="preferences"),
                path("<slug:key>.<str:extension>", views.dashboard_export, name="export"),
            ]
        ),
    ),
    path("dashboard/", views.dashboard),
]
