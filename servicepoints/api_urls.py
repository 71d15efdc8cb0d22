"""URLs of the api endpoints (see config/urls.py for where they are mounted).

Every route here must have an operation in `openapi.OPERATIONS` (a test checks both ways).
"""

from django.urls import include, path

from . import api
from .analysis import scenarios_api, underserved_api
from .analysis.forecast import api as channels_api
from .layers import bivariate, table_api

app_name = "api"
urlpatterns = [
    path("servicepoints/", api.servicepoint_list, name="servicepoint_list"),
    path("servicepoints/nearest/", api.servicepoint_nearest, name="servicepoint_nearest"),
    path("servicepoints/summary/", api.servicepoint_summary, name="servicepoint_summary"),
    path("servicepoints/export.csv", api.servicepoint_export_csv, name="servicepoint_export_csv"),
    path(
        "servicepoints/export.geojson",
        api.servicepoint_export_geojson,
        name="servicepoint_export_geojson",
    ),
    path("servicepoints/<int:id>/", api.servicepoint_detail, name="servicepoint_detail"),
    path("search/", api.location_search, name="location_search"),
    path("places/", api.populatedplace_list, name="populatedplace_list"),
    path("layers/bivariate/", bivariate.bivariate_view, name="layer_bivariate"),
    path("layers/areas/", table_api.layer_area_list, name="layer_area_list"),
    path(
        "layers/areas/export.csv",
        table_api.layer_area_export_csv,
        name="layer_area_export_csv",
    ),
    path(
        "layers/areas/export.xlsx",
        table_api.layer_area_export_xlsx,
        name="layer_area_export_xlsx",
    ),
    path("analysis/underserved/", underserved_api.underserved_list, name="underserved_list"),
    path("analysis/channels/", channels_api.channel_list, name="channel_list"),
    path("analysis/whatif/", scenarios_api.whatif_evaluate, name="whatif_evaluate"),
    path("analysis/suggest/", scenarios_api.site_suggestion, name="site_suggestion"),
    path("analysis/scenarios/", scenarios_api.scenario_list, name="scenario_list"),
    path("analysis/scenarios/<int:id>/", scenarios_api.scenario_detail, name="scenario_detail"),
    path(
        "analysis/scenarios/shared/<str:token>/",
        scenarios_api.scenario_shared,
        name="scenario_shared",
    ),
    path("schema/", api.schema, name="schema"),
    # The census indicators (servicepoints/layers/api_urls.py), names in this namespace.
    path("layers/", include("servicepoints.layers.api_urls")),
]
