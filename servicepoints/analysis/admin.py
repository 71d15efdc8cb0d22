from django.contrib import admin

from .models import CoverageStandard, RoadNetwork


@admin.register(CoverageStandard)
class CoverageStandardAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "distance_km", "target_share", "by_road"]
    search_fields = ["code", "name_en", "name_fr", "source"]


@admin.register(RoadNetwork)
class RoadNetworkAdmin(admin.ModelAdmin):
    """The loaded road network, read only: `manage.py import_roads FILE` replaces it."""

    list_display = ["name", "segments", "nodes", "length_km", "imported_at"]
    readonly_fields = ["name", "fingerprint", "segments", "nodes", "length_km", "imported_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The channel statistics' admin (issue 14), registered with the rest of the analysis.
from .forecast import admin as forecast_admin  # noqa: E402, F401
