from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    """Coverage of the population by the registry's points (issue 13), and later the
    scenarios, site suggestion, dashboard and forecasts that build on it."""

    name = "servicepoints.analysis"
    label = "analysis"
    verbose_name = _("Analysis")
    default_auto_field = "django.db.models.BigAutoField"
