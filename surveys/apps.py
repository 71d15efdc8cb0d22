from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Questionnaires, invitations, responses and their results."""

    name = "surveys"
    verbose_name = _("Questionnaires")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import sync_survey_roles

        post_migrate.connect(sync_survey_roles, sender=self)
