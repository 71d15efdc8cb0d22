"""The guide's chapters (one per partnership type) and the roadmap's streams and milestones.

Imported by partnerships/models so that they belong to the partnerships app (its migrations).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models.records import PartnershipType, Practice, _bilingual

MARKDOWN_HELP = _(
    "Markdown: headings (##), lists (1. or -), **bold**, *italic*, [links](https://…). "
    "HTML that could run script is refused."
)


class GuideChapter(models.Model):
    """The turnkey approach of one partnership type: steps, practices, common standards."""

    type = models.OneToOneField(
        PartnershipType,
        verbose_name=_("partnership type"),
        on_delete=models.CASCADE,
        related_name="guide_chapter",
    )
    steps_en = models.TextField(_("steps (English)"), blank=True, help_text=MARKDOWN_HELP)
    steps_fr = models.TextField(_("steps (French)"), blank=True, help_text=MARKDOWN_HELP)
    standards_en = models.TextField(
        _("common standards (English)"), blank=True, help_text=MARKDOWN_HELP
    )
    standards_fr = models.TextField(
        _("common standards (French)"), blank=True, help_text=MARKDOWN_HELP
    )
    practices = models.ManyToManyField(
        Practice,
        verbose_name=_("checklist of practices"),
        blank=True,
        related_name="guide_chapters",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    MARKDOWN_FIELDS = ["steps_en", "steps_fr", "standards_en", "standards_fr"]

    class Meta:
        ordering = ["type__order", "type__name_en"]
        verbose_name = _("guide chapter")
        verbose_name_plural = _("guide chapters")

    def __str__(self):
        return str(self.type)

    @property
    def steps(self):
        return _bilingual(self, "steps")

    @property
    def standards(self):
        return _bilingual(self, "standards")


class Stream(models.Model):
    """A line of work of the roadmap (the mapping tool, strategic pilots, the guide…)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name_en"]
        verbose_name = _("roadmap stream")
        verbose_name_plural = _("roadmap streams")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _bilingual(self, "name")

    @property
    def description(self):
        return _bilingual(self, "description")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DELAYED = "delayed", _("delayed")
    CANCELLED = "cancelled", _("cancelled")


link_validator = RegexValidator(
    r"^(/[^\s]*|https?://[^\s]+)$",
    _("Give an address of this site starting with / or a web address starting with https://."),
)


class Milestone(models.Model):
    """A dated step of a stream, with its status, owner and a link to the records."""

    stream = models.ForeignKey(
        Stream, verbose_name=_("stream"), on_delete=models.CASCADE, related_name="milestones"
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    date = models.DateField(_("date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("For a milestone over a period.")
    )
    year_only = models.BooleanField(
        _("year only"), default=False, help_text=_("Show only the year of the dates.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MilestoneStatus.choices, default="planned"
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    link = models.CharField(
        _("link to the records"), max_length=500, blank=True, validators=[link_validator]
    )

    class Meta:
        ordering = ["stream__order", "date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date=None) | models.Q(end_date__gte=models.F("date")),
                name="milestone_dates_in_order",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return _bilingual(self, "title")

    def clean(self):
        if self.date and self.end_date and self.end_date < self.date:
            raise ValidationError(
                {"end_date": _("The end date comes before the date of the milestone.")}
            )
