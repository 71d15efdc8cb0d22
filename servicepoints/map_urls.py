"""URLs of the map pages (mounted under the language prefix in config/urls.py)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from . import views

app_name = "maps"
urlpatterns = [
    # /en/map/ and /fr/carte/; the English address also works in French (/fr/map/), so a link
    # copied from one language opens in the other once the prefix is changed.
    path(_("map/"), views.servicepoint_map, name="servicepoint_map"),
    path("map/", views.servicepoint_map),
    # The strings of static/js/*.js (the djangojs catalogue) in the active language.
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view(domain="djangojs")),
        name="javascript_catalog",
    ),
]
