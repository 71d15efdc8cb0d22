"""Which dashboard cards a user shows, and in what order."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardPreference(models.Model):
    """One user's dashboard: the keys of the cards in their order, and those hidden
    (cards.CARDS keys; a key no longer known is ignored, a card added since is shown last)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dashboard_preference",
        verbose_name=_("user"),
    )
    order = models.JSONField(
        _("order of the cards"),
        default=list,
        help_text=_("The keys of the cards, in their order on the page."),
    )
    hidden = models.JSONField(
        _("cards hidden"),
        default=list,
        help_text=_("The keys of the cards the user chose not to show."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        app_label = "analysis"
        verbose_name = _("dashboard preference")
        verbose_name_plural = _("dashboard preferences")

    def __str__(self):
        return str(self.user)
