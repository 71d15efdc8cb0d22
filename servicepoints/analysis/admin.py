from django.contrib import admin

from .models import CoverageStandard


@admin.register(CoverageStandard)
class CoverageStandardAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "distance_km", "target_share", "by_road"]
    search_fields = ["code", "name_en", "name_fr", "source"]
