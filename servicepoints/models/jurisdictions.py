"""Jurisdictions and who belongs to them; the access rules every other model reuses."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .base import BilingualName


class Level(models.TextChoices):
    FEDERAL = "federal", _("federal")
    PROVINCIAL = "provincial", _("provincial")
    TERRITORIAL = "territorial", _("territorial")
    MUNICIPAL = "municipal", _("municipal")


def jurisdictions_of(user):
    """The jurisdictions a user is a member of (none for anonymous or inactive users)."""
    if not (user and user.is_authenticated and user.is_active):
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(memberships__user=user)


def sees_all_jurisdictions(user):
    """Analysts, data administrators and superusers read every jurisdiction's data."""
    return bool(user and user.is_active and user.has_perm("servicepoints.view_all_jurisdictions"))


def changes_all_jurisdictions(user):
    """Data administrators and superusers change every jurisdiction's data."""
    return bool(
        user and user.is_active and user.has_perm("servicepoints.change_all_jurisdictions")
    )


class JurisdictionQuerySet(models.QuerySet):
    def provinces_and_territories(self):
        return self.filter(level__in=[Level.PROVINCIAL, Level.TERRITORIAL])

    def visible_to(self, user):
        return (
            self
            if sees_all_jurisdictions(user)
            else self.filter(pk__in=jurisdictions_of(user).values("pk"))
        )

    def editable_by(self, user):
        """Jurisdictions whose organizations and points the user may change.

        Rules: data administrators (permission `change_all_jurisdictions`) change all of them;
        other users only the jurisdictions they are members of, and only with a change
        permission on organizations or service points; everyone else none.
        """
        if changes_all_jurisdictions(user):
            return self
        if not (
            user.has_perm("servicepoints.change_servicepoint")
            or user.has_perm("servicepoints.change_organization")
        ):
            return self.none()
        return self.filter(pk__in=jurisdictions_of(user).values("pk"))


class Jurisdiction(BilingualName):
    """Canada (federal), a province or territory, or a municipality under its province."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z]{2}(-[A-Z0-9]+)*$",
                _("Use CA, a province code such as ON, or ON-TORONTO for a municipality."),
            )
        ],
        help_text=_("CA for federal, ON, QC… for provinces, ON-OTTAWA for a municipality."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province or territory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        limit_choices_to={"level__in": [Level.PROVINCIAL, Level.TERRITORIAL]},
        help_text=_("Only for municipalities: the province or territory they belong to."),
    )
    boundary = models.MultiPolygonField(
        _("boundary"), srid=4326, null=True, blank=True, help_text=_("Boundary in EPSG:4326.")
    )

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        permissions = [
            ("view_all_jurisdictions", _("Can read the data of every jurisdiction")),
            ("change_all_jurisdictions", _("Can change the data of every jurisdiction")),
        ]

    def clean(self):
        if self.level == Level.MUNICIPAL:
            if not self.parent_id:
                raise ValidationError(
                    {"parent": _("A municipality belongs to a province or territory.")}
                )
            if not self.code.startswith(f"{self.parent.code}-"):
                raise ValidationError(
                    {
                        "code": _("A municipality's code starts with its province's: %(prefix)s")
                        % {"prefix": f"{self.parent.code}-"}
                    }
                )
        elif self.parent_id:
            raise ValidationError({"parent": _("Only municipalities have a parent.")})

    @property
    def province_code(self):
        """The province or territory this jurisdiction lies in; None for federal."""
        if self.level == Level.MUNICIPAL:
            return self.parent.code if self.parent_id else None
        if self.level in (Level.PROVINCIAL, Level.TERRITORIAL):
            return self.code
        return None

    def ids_with_municipalities(self):
        """This jurisdiction's id and those of the municipalities under it."""
        return [self.pk, *self.municipalities.values_list("pk", flat=True)]

    def can_edit(self, user):
        """Whether the user may change this jurisdiction's organizations and points."""
        return Jurisdiction.objects.editable_by(user).filter(pk=self.pk).exists()


class Membership(models.Model):
    """A user works for a jurisdiction and may keep its data (with an editor role)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("jurisdiction membership")
        verbose_name_plural = _("jurisdiction memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "jurisdiction"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} – {self.jurisdiction.code}"
