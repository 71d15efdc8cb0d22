"""The roadmap: streams of work and their dated milestones (seeded from the deck's annex B)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepoints.models.base import BilingualName

from .records import _bilingual


class Stream(BilingualName):
    """A stream of the council's work (the mapping tool, strategic pilots, the guide…)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name_en"]
        verbose_name = _("roadmap stream")
        verbose_name_plural = _("roadmap streams")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DELAYED = "delayed", _("delayed")


class Milestone(models.Model):
    """A step of a stream: when, what, how far, who owns it, where its records are."""

    stream = models.ForeignKey(
        Stream, verbose_name=_("stream"), on_delete=models.CASCADE, related_name="milestones"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("When known; the year is enough.")
    )
    title_en = models.CharField(_("milestone (English)"), max_length=300)
    title_fr = models.CharField(_("milestone (French)"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.PLANNED,
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    link = models.CharField(
        _("link to the records"),
        max_length=300,
        blank=True,
        help_text=_("An address on this site (/en/partnerships/) or elsewhere (https://…)."),
    )
    seed_key = models.SlugField(  # noqa: DJ001 -- NULL: only seeded milestones have one
        max_length=60, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["year", "stream__order", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.year}: {self.title}"

    @property
    def title(self):
        return _bilingual(self, "title")
