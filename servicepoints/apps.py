from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicePointsConfig(AppConfig):
    """The core: jurisdictions, organizations and the service points they run."""

    name = "servicepoints"
    verbose_name = _("Service network")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (registers the map settings' checks)
        from .roles import sync_roles

        post_migrate.connect(sync_roles, sender=self)
