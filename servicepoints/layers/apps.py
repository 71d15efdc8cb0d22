from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayersConfig(AppConfig):
    """Census geographies and the socioeconomic indicators measured on them."""

    name = "servicepoints.layers"
    label = "layers"
    verbose_name = _("Socioeconomic layers")
    default_auto_field = "django.db.models.BigAutoField"
