from django.contrib import admin

from .models import CoverageStandard, RoadNetwork, Scenario, ScenarioSite


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


class ScenarioSiteInline(admin.TabularInline):
    model = ScenarioSite
    extra = 0


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    """What-if scenarios (made on the map's What-if panel); never part of the registry."""

    list_display = ["name", "owner", "within_km", "updated_at"]
    search_fields = ["name", "owner__username"]
    readonly_fields = ["share_token", "created_at", "updated_at"]
    raw_id_fields = ["owner", "closed_points"]
    inlines = [ScenarioSiteInline]


# The channel statistics' admin (issue 14), registered with the rest of the analysis.
from .forecast import admin as forecast_admin  # noqa: E402, F401
