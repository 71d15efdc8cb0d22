"""URLs of the api endpoints (see config/urls.py for where they are mounted)."""

from django.urls import path  # noqa: F401

app_name = "api"
urlpatterns = []
