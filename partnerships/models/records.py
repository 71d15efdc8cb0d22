"""A partnership and what it is made of: type, parties, sites, practices, readiness, outcomes,
documents, and its dated status history."""

import os

import pghistory
from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepoints.i18n import prefers_french
from servicepoints.models import Organization, ServicePoint
from servicepoints.models.base import BilingualName
from servicepoints.models.jurisdictions import (
    Jurisdiction,
    changes_all_jurisdictions,
    jurisdictions_of,
)

from .. import documents
from .choices import DRAFT_STATUSES, Rating, ReadinessFactor, Role, Sector, Status


def _bilingual(obj, name):
    english, french = getattr(obj, f"{name}_en"), getattr(obj, f"{name}_fr")
    return (french or english) if prefers_french() else (english or french)


class PartnershipType(BilingualName):
    """A kind of partnership (co-location, hosted outreach…); admins may add more."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name_en"]
        verbose_name = _("partnership type")
        verbose_name_plural = _("partnership types")


class Practice(BilingualName):
    """A practice a partnership may adopt (adjoining counters, harmonised hours…)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name_en"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")


def party_jurisdictions(user):
    """The jurisdictions whose organizations' partnerships the user may create and change:
    those they are a member of, if they hold the partnership change permission."""
    if not (user and user.is_authenticated and user.has_perm("partnerships.change_partnership")):
        return Jurisdiction.objects.none()
    return jurisdictions_of(user)


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every partnership for those who may read partnerships (analysts, editors,
        administrators); none for anyone else."""
        if user and user.is_active and user.has_perm("partnerships.view_partnership"):
            return self
        return self.none()

    def editable_by(self, user):
        """Partnerships the user may change: all for data administrators; for editors, those
        where an organization of one of their jurisdictions is a party."""
        if changes_all_jurisdictions(user):
            return self
        return self.filter(
            pk__in=Party.objects.filter(
                organization__jurisdiction__in=party_jurisdictions(user)
            ).values("partnership_id")
        )

    def filter_by(self, params):
        """The inventory's filters (validated by partnerships.forms.InventoryFilter)."""
        qs = self
        if params.get("type"):
            qs = qs.filter(type__code__in=params["type"])
        if params.get("status"):
            qs = qs.filter(status__in=params["status"])
        if params.get("jurisdiction"):
            qs = qs.filter(
                pk__in=Party.objects.filter(
                    organization__jurisdiction__code__in=params["jurisdiction"]
                ).values("partnership_id")
            )
        if params.get("organization"):
            qs = qs.filter(
                pk__in=Party.objects.filter(organization__code__in=params["organization"]).values(
                    "partnership_id"
                )
            )
        if params.get("practice"):
            qs = qs.filter(
                pk__in=Partnership.practices.through.objects.filter(
                    practice__code__in=params["practice"]
                ).values("partnership_id")
            )
        if params.get("year"):
            # Under way at some time during the year.
            year = params["year"]
            qs = (
                qs.filter(Q(start_date__year__lte=year) | Q(start_date=None))
                .filter(Q(end_date__year__gte=year) | Q(end_date=None))
                .exclude(start_date=None, end_date=None)
            )
        if params.get("q"):
            text = params["q"]
            qs = qs.filter(Q(title_en__icontains=text) | Q(title_fr__icontains=text))
        return qs


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Partnership(models.Model):
    """An agreement or pilot between organizations to serve people together."""

    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    type = models.ForeignKey(
        PartnershipType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDEA, db_index=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    objectives_en = models.TextField(_("objectives (English)"), blank=True)
    objectives_fr = models.TextField(_("objectives (French)"), blank=True)
    communities_served = models.TextField(
        _("communities or areas served"),
        blank=True,
        help_text=_("Communities, regions or groups served, one per line."),
    )
    practices = models.ManyToManyField(
        Practice, verbose_name=_("practices adopted"), blank=True, related_name="partnerships"
    )
    costs = models.TextField(_("costs"), blank=True, help_text=_("Who pays what, and how much."))
    lessons_en = models.TextField(_("lessons learned (English)"), blank=True)
    lessons_fr = models.TextField(_("lessons learned (French)"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the record comes from, e.g. the council's 2017 deck."),
    )
    seed_key = models.SlugField(  # noqa: DJ001 -- NULL: only seeded records have one
        max_length=60, unique=True, null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["title_en"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        indexes = [
            models.Index(fields=["type", "status"], name="partnership_type_status"),
            models.Index(fields=["start_date"], name="partnership_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("partnerships:partnership_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date comes before the start date.")}, code="dates"
            )

    @property
    def title(self):
        return _bilingual(self, "title")

    @property
    def summary(self):
        return _bilingual(self, "summary")

    @property
    def objectives(self):
        return _bilingual(self, "objectives")

    @property
    def lessons(self):
        return _bilingual(self, "lessons")

    @property
    def is_draft(self):
        return self.status in DRAFT_STATUSES

    def government_jurisdictions(self):
        """The jurisdictions of the government parties (those whose staff approve changes)."""
        return Jurisdiction.objects.filter(
            pk__in=self.parties.filter(sector=Sector.GOVERNMENT).values(
                "organization__jurisdiction_id"
            )
        )

    def can_view(self, user):
        return Partnership.objects.visible_to(user).filter(pk=self.pk).exists()

    def can_edit(self, user):
        """Rules: data administrators edit every partnership; editors those where an
        organization of one of their jurisdictions is a party; nobody else."""
        return Partnership.objects.editable_by(user).filter(pk=self.pk).exists()


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Party(models.Model):
    """An organization's part in a partnership: lead, partner, host, delivery agent, funder."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="parties",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="partnership_parties",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    sector = models.CharField(
        _("sector"),
        max_length=20,
        choices=Sector.choices,
        default=Sector.GOVERNMENT,
        help_text=_("Staff of every other government party approve changes to the terms."),
    )

    class Meta:
        ordering = ["partnership", "role", "organization__name_en"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organization"], name="unique_party_organization"
            )
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()})"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class Site(models.Model):
    """A service point of the registry where the partnership is delivered."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="sites"
    )
    service_point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        related_name="partnership_sites",
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "service_point"], name="unique_site")
        ]

    def __str__(self):
        return str(self.service_point)


class StatusChange(models.Model):
    """The status a partnership reached, and when: its dated history."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["partnership", "date", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.date}: {self.get_status_display()}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Readiness(models.Model):
    """One of the deck's readiness factors, rated, with a note."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="readiness",
    )
    factor = models.CharField(_("factor"), max_length=30, choices=ReadinessFactor.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["partnership", "factor"]
        verbose_name = _("readiness factor")
        verbose_name_plural = _("readiness factors")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "factor"], name="unique_readiness")
        ]

    def __str__(self):
        return f"{self.get_factor_display()}: {self.get_rating_display()}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Outcome(models.Model):
    """A measured result: a metric with its baseline, target and actual value at a date."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    name_en = models.CharField(_("metric (English)"), max_length=200)
    name_fr = models.CharField(_("metric (French)"), max_length=200, blank=True)
    baseline = models.CharField(_("baseline"), max_length=100, blank=True)
    target = models.CharField(_("target"), max_length=100, blank=True)
    actual = models.CharField(_("actual"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["partnership", "date", "pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _bilingual(self, "name")


class DocumentStorage(FileSystemStorage):
    """Documents live outside the web root (PARTNERSHIP_DOCUMENTS_ROOT, read when used, so
    tests and deployments may move it); only a view that checks access serves them."""

    @property
    def base_location(self):
        return settings.PARTNERSHIP_DOCUMENTS_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def document_storage():
    return DocumentStorage()


def document_path(instance, filename):
    return f"{instance.partnership_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class Document(models.Model):
    """An agreement, MOU or report: PDF or office file, size capped, served by a view."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        storage=document_storage,
        upload_to=document_path,
        max_length=300,
        validators=[documents.validate_document],
        help_text=documents.HELP_TEXT,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["partnership", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def can_download(self, user):
        """Rules: those who read every jurisdiction's data (analysts, administrators) and the
        staff of the partnership's parties; not other jurisdictions' staff."""
        from servicepoints.models.jurisdictions import sees_all_jurisdictions

        if not user.has_perm("partnerships.view_document"):
            return False
        return sees_all_jurisdictions(user) or self.partnership.can_edit(user)


@pghistory.track(
    pghistory.InsertEvent("practice.add"),
    pghistory.DeleteEvent("practice.remove"),
    obj_field=None,
)
class PartnershipPractices(Partnership.practices.through):
    """Adding or removing a practice is in the history too."""

    class Meta:
        proxy = True
