"""The partnerships' data endpoint, at /api/partnerships/ (no language prefix)."""

from django.urls import path

from . import api

app_name = "partnerships_api"
urlpatterns = [path("", api.partnership_features, name="partnership_features")]
