"""URLs of the census layers' API, included from servicepoints/api_urls.py at `layers/`
(names in the "api" namespace). Every route needs an operation in `openapi.OPERATIONS`."""

from django.urls import path

from . import api
from .vulnerability.api import vulnerability_view

urlpatterns = [
    path("indicators/", api.indicator_list, name="indicator_list"),
    path("values/", api.indicator_values, name="indicator_values"),
    path("vulnerability/", vulnerability_view, name="layer_vulnerability"),
]
