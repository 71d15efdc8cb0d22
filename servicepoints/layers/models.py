"""Census geographies and the indicators measured on them.

- `AreaLevel`: a kind of census geography (provinces and territories, census divisions,
  census subdivisions, forward sortation areas, dissemination areas, health regions…), coarse
  to fine by `rank`; fine levels get a `min_zoom` below which the map does not draw them.
- `Area`: one geography of a level and census year, its code as the publisher gives it
  (`code`, e.g. "35", "3506", "K1A") and its DGUID when known; the full geometry in
  EPSG:4326 (what points are related to, in SQL), and `AreaShape`: its display geometry in
  Web Mercator, generalised once per zoom band (what tiles are built from).
- `Indicator`: the catalogue (names EN/FR, unit, source, licence); `IndicatorValue`: a value of
  an indicator for an area and a year; `value` is NULL when the publisher gives no value
  (`status` says why: suppressed, not available, too unreliable), never 0.
"""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from servicepoints.models import BilingualName


class AreaLevel(BilingualName):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("Coarse to fine: provinces 10, divisions 20, subdivisions 30…")
    )
    min_zoom = models.PositiveSmallIntegerField(
        _("minimum zoom"), default=0, help_text=_("The map draws the level from this zoom on.")
    )

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("geographic level")
        verbose_name_plural = _("geographic levels")


class Area(BilingualName):
    level = models.ForeignKey(
        AreaLevel, on_delete=models.PROTECT, related_name="areas", verbose_name=_("level")
    )
    year = models.PositiveSmallIntegerField(_("census year"))
    code = models.CharField(_("code"), max_length=40)
    dguid = models.CharField(_("DGUID"), max_length=40, blank=True)
    # Null for an area known from a table (its values) before its boundary file is loaded.
    geometry = models.MultiPolygonField(_("boundary"), srid=4326, null=True)
    # The province or territory the area lies in (two-digit SGC code, "35"), when known.
    province_code = models.CharField(_("province code"), max_length=2, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        ordering = ["level__rank", "code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "year", "code"], name="area_unique_level_year_code"
            )
        ]
        indexes = [models.Index(fields=["dguid"], name="area_dguid")]

    def __str__(self):
        return f"{self.code} {self.name}"


class AreaShape(models.Model):
    """An area's display geometry for the zoom band starting at `min_zoom` (EPSG:3857),
    generalised with its neighbours so that shared boundaries stay shared."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="shapes")
    min_zoom = models.PositiveSmallIntegerField()
    geometry = models.MultiPolygonField(srid=3857)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "min_zoom"], name="area_shape_unique_band")
        ]


class Indicator(BilingualName):
    class Unit(models.TextChoices):
        COUNT = "count", _("count")
        PERCENT = "percent", _("percent")
        DOLLARS = "dollars", _("dollars")
        INDEX = "index", _("index")
        RATE = "rate", _("rate")
        DENSITY = "density", _("per square kilometre")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), blank=True)
    # How the indicator is found in a Statistics Canada Census Profile (both layouts).
    profile_names = models.TextField(
        _("Census Profile characteristic"),
        blank=True,
        help_text=_(
            "The characteristic's name in a Census Profile file, one spelling per line; "
            "{year} stands for the census year and {income_year} for the year before. "
            "Empty: not read from Census Profiles."
        ),
    )
    profile_section = models.TextField(
        _("Census Profile heading"),
        blank=True,
        help_text=_(
            "Only the characteristic listed under this heading (one spelling per line), "
            "when its name occurs more than once in a profile."
        ),
    )
    profile_share = models.BooleanField(
        _("share of the heading"),
        default=False,
        help_text=_("Keep the value as a percentage of the heading's own count."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")


class IndicatorValue(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "", _("available")
        SUPPRESSED = "x", _("suppressed (confidentiality)")
        NOT_AVAILABLE = "..", _("not available")
        UNRELIABLE = "F", _("too unreliable to be published")

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"), null=True)
    status = models.CharField(_("status"), max_length=2, choices=Status.choices, blank=True)
    # The publisher's data-quality flag, as given (e.g. the Census Profile's 0-9 flags).
    quality_flag = models.CharField(_("data quality flag"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "area"], name="indicator_value_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False, status="")
                | models.Q(value__isnull=True) & ~models.Q(status=""),
                name="indicator_value_null_means_not_available",
            ),
        ]
        indexes = [models.Index(fields=["area", "indicator"], name="indicator_value_area")]


# The digital vulnerability index's models live in their own module (registered here).
from .vulnerability.models import (  # noqa: E402, F401
    Community,
    ComponentScore,
    ComputedIndex,
    IndexComponent,
    IndexDefinition,
)
