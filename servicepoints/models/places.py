"""Populated places, for coverage analysis and the map's places layer."""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from .jurisdictions import Jurisdiction


class PopulatedPlace(models.Model):
    """A city, town or village with its population (GeoNames), for coverage analysis."""

    geonameid = models.PositiveIntegerField(_("GeoNames id"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("province or territory"),
        on_delete=models.PROTECT,
        related_name="populated_places",
    )
    location = models.PointField(_("location"), srid=4326, help_text=_("Location in EPSG:4326."))
    population = models.PositiveIntegerField(_("population"))
    timezone = models.CharField(_("time zone"), max_length=40, blank=True)

    class Meta:
        ordering = ["-population", "name"]
        verbose_name = _("populated place")
        verbose_name_plural = _("populated places")

    def __str__(self):
        return f"{self.name} ({self.province.code})"
