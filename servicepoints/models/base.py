"""Building blocks shared by the models: bilingual names, field types, time zones."""

import re

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils.translation import gettext_lazy as _

from ..i18n import prefers_french

CANADIAN_TIME_ZONES = [
    "America/St_Johns",
    "America/Halifax",
    "America/Goose_Bay",
    "America/Moncton",
    "America/Glace_Bay",
    "America/Toronto",
    "America/Iqaluit",
    "America/Atikokan",
    "America/Winnipeg",
    "America/Rankin_Inlet",
    "America/Resolute",
    "America/Regina",
    "America/Swift_Current",
    "America/Edmonton",
    "America/Cambridge_Bay",
    "America/Inuvik",
    "America/Creston",
    "America/Dawson_Creek",
    "America/Fort_Nelson",
    "America/Whitehorse",
    "America/Dawson",
    "America/Vancouver",
    "America/Blanc-Sablon",
]


# A forward sortation area (K1P) or the start of a postal code (K1P 1, K1P 1J1).
POSTAL_PREFIX_RE = re.compile(
    r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z](\d([ABCEGHJ-NPRSTV-Z]\d?)?)?$"
)


class BilingualName(models.Model):
    """`name_en` and `name_fr`, with `name` following the active language."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self):
        if prefers_french():
            return self.name_fr or self.name_en
        return self.name_en or self.name_fr


class WebAddressField(models.URLField):
    """A web address; forms complete one typed without a scheme with https://."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class ChoiceArrayField(ArrayField):
    """An array of choices, edited as a list of checkboxes."""

    def formfield(self, **kwargs):
        from django import forms

        return forms.MultipleChoiceField(
            choices=self.base_field.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )


_finder = None


def timezone_at(point):
    """The IANA time zone at a point (offline lookup with timezonefinder)."""
    return timezone_at_lon_lat(point.x, point.y)


def _timezone_finder():
    global _finder
    if _finder is None:
        from timezonefinder import TimezoneFinder

        _finder = TimezoneFinder(in_memory=True)
    return _finder


def timezone_at_lon_lat(lon, lat):
    return _timezone_finder().timezone_at(lng=lon, lat=lat) or settings.TIME_ZONE


def timezones_at(lons, lats):
    """The time zones of many places at once (timezonefinder's batch lookup)."""
    if not lons:
        return []
    names = _timezone_finder().timezone_names_at(lngs=lons, lats=lats)
    return [name or settings.TIME_ZONE for name in names]
