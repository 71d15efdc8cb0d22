"""Service standards that coverage is measured against."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepoints.models import BilingualName


class CoverageStandard(BilingualName):
    """A published access standard: `target_share` of the population within `distance_km`
    of a point of service (e.g. Service Canada: 90 % within 50 km)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    distance_km = models.FloatField(
        _("distance (km)"), validators=[MinValueValidator(0.1), MaxValueValidator(2000)]
    )
    target_share = models.FloatField(
        _("target share (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    by_road = models.BooleanField(
        _("measured by road"),
        default=True,
        help_text=_(
            "The standard is defined by road distance (straight-line distances are shorter, "
            "so they overstate coverage)."
        ),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("coverage standard")
        verbose_name_plural = _("coverage standards")

    def __str__(self):
        return self.name
