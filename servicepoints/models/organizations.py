"""Organizations, the services they deliver and the sources of their data."""

import pghistory
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from .. import validators
from .base import BilingualName, WebAddressField
from .jurisdictions import Jurisdiction, jurisdictions_of, sees_all_jurisdictions


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_jurisdictions(user):
            return self
        return self.filter(jurisdiction__in=jurisdictions_of(user))

    def editable_by(self, user):
        return self.filter(jurisdiction__in=Jurisdiction.objects.editable_by(user))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Organization(BilingualName):
    """A department or agency that runs service points (Service Canada, ServiceOntario…)."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("A stable short key, e.g. service-canada; imports and reloads match on it."),
    )
    short_name_en = models.CharField(_("short name (English)"), max_length=40, blank=True)
    short_name_fr = models.CharField(_("short name (French)"), max_length=40, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    website = WebAddressField(_("website"), blank=True, validators=[validators.validate_web_url])

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name_en"], name="unique_org_name")
        ]

    def can_edit(self, user):
        return user.has_perm("servicepoints.change_organization") and self.jurisdiction.can_edit(
            user
        )


class Service(BilingualName):
    """A program a service point delivers: SIN, passports, health card, driver's licence…"""

    code = models.SlugField(_("code"), max_length=60, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("service")
        verbose_name_plural = _("services")


class DataSource(models.Model):
    """Where service points come from: authority, address and licence of the data."""

    name = models.SlugField(
        _("name"), max_length=80, unique=True, help_text=_("Short key used by imports.")
    )
    title = models.CharField(_("title"), max_length=200)
    authority = models.CharField(_("authority"), max_length=200, blank=True)
    url = WebAddressField(_("source address"), blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="data_sources",
    )
    is_demonstration = models.BooleanField(
        _("demonstration data"),
        default=False,
        help_text=_("Generated records for demonstrations, not real service points."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")

    def __str__(self):
        return self.title
