"""Service standards that coverage is measured against, and the road network it can be
measured on."""

import secrets

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepoints.models import BilingualName, Kind, ServicePoint


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


class RoadNetwork(models.Model):
    """The road network loaded for coverage by road (servicepoints/analysis/roads.py): one
    at a time, replaced whole by `import_roads`; its file's fingerprint makes a re-import of
    the same file a no-op."""

    name = models.CharField(_("file"), max_length=300)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    segments = models.PositiveIntegerField(_("segments"))
    nodes = models.PositiveIntegerField(_("junctions"))
    length_km = models.FloatField(_("length (km)"))
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("road network")
        verbose_name_plural = _("road networks")

    def __str__(self):
        return self.name


class RoadSegment(gis_models.Model):
    """A road between two junctions (`source`, `target`: RoadNode ids), both ways, its cost
    its length on the sphere in metres: pgRouting's edge table."""

    source = models.BigIntegerField()
    target = models.BigIntegerField()
    length_m = models.FloatField()
    geometry = gis_models.LineStringField(srid=4326, spatial_index=False)

    class Meta:
        indexes = [models.Index(fields=["source"]), models.Index(fields=["target"])]


class RoadNode(gis_models.Model):
    """A junction or dead end of the road network, where places and points join it."""

    id = models.BigIntegerField(primary_key=True)
    geometry = gis_models.PointField(srid=4326)


def new_share_token():
    """An unguessable token for a scenario's share link (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


class Scenario(models.Model):
    """A what-if of the network (whatif.py): the points the map's filters select, with
    hypothetical sites added and existing points closed, measured at a distance. Its own
    rows only: the registry's points are never changed. Read by its owner, or by anyone
    signed in who has its share link (`share_token`); changed by its owner only."""

    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="scenarios",
        verbose_name=_("owner"),
    )
    # The map's filters as query parameters ({"organization": "service-canada", …}).
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    within_km = models.FloatField(
        _("distance (km)"),
        default=50,
        validators=[MinValueValidator(0.1), MaxValueValidator(2000)],
    )
    closed_points = models.ManyToManyField(
        ServicePoint, blank=True, related_name="+", verbose_name=_("closed points")
    )
    share_token = models.CharField(
        _("share token"), max_length=40, unique=True, default=new_share_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "id"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self):
        return self.name


class ScenarioSite(gis_models.Model):
    """A hypothetical site of a scenario: a name, optionally a kind, a place in Canada."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, blank=True)
    location = gis_models.PointField(_("location"), srid=4326)

    class Meta:
        ordering = ["id"]
        verbose_name = _("hypothetical site")
        verbose_name_plural = _("hypothetical sites")

    def __str__(self):
        return self.name


# The dashboard's per-user choice of cards lives beside the dashboard (issue 14).
from .dashboard.preferences import DashboardPreference  # noqa: E402, F401

# The channel statistics of call and processing centres (issue 14), in their own module.
from .forecast.models import (  # noqa: E402, F401
    ChannelStatistic,
    EndReason,
    LineName,
    LineOfBusiness,
)
