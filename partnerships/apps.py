from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    """Partnerships between the organizations of the registry: records, approval, co-location."""

    name = "partnerships"
    verbose_name = _("Partnerships")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import sync_partnership_roles

        # After servicepoints' own sync (it comes first in INSTALLED_APPS), which sets only
        # its own app's permissions on the same groups.
        post_migrate.connect(sync_partnership_roles, sender=self)
