"""URLs of the tile endpoints (see config/urls.py for where they are mounted)."""

from django.urls import path

from . import views

app_name = "tiles"
urlpatterns = [
    # Any text in z/x/y, so that a bad coordinate is a 400 naming it rather than a 404.
    path(
        "servicepoints/<str:z>/<str:x>/<str:y>.pbf",
        views.servicepoint_tile,
        name="servicepoint_tile",
    ),
    path(
        "areas-<slug:level>/<str:z>/<str:x>/<str:y>.pbf",
        views.area_tile,
        name="area_tile",
    ),
]
