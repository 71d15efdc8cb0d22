"""Channel statistics of call and processing centres (issue 14): the lines of business of an
organization's contact centres, the names they had, and one row per point, line and month.

A line keeps its identity across renames (its `key` is the newest name its names lead to, see
lines.py), so a renamed queue continues its series; a discontinued or regrouped one keeps its
last month and, when regrouped, the line it went into."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepoints.models import Kind, Organization, ServicePoint

CHANNEL_KINDS = [Kind.CALL_CENTRE, Kind.PROCESSING_CENTRE]


class EndReason(models.TextChoices):
    DISCONTINUED = "discontinued", _("discontinued")
    REGROUPED = "regrouped", _("regrouped into another line")


class LineOfBusiness(models.Model):
    """A line of business (a queue group) of an organization's contact centres."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="lines_of_business",
    )
    key = models.CharField(
        _("key"),
        max_length=300,
        help_text=_("The line's newest name in lower case: renamed queues share it."),
    )
    name = models.CharField(
        _("name"),
        max_length=300,
        help_text=_("The name of its latest month as imported (spaces collapsed, suffixes off)."),
    )
    ended = models.DateField(
        _("last month"),
        null=True,
        blank=True,
        help_text=_("The last month of a discontinued or regrouped line."),
    )
    end_reason = models.CharField(
        _("why it ended"), max_length=20, choices=EndReason.choices, blank=True
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("regrouped into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
    )

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("line of business")
        verbose_name_plural = _("lines of business")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="unique_line_key")
        ]

    def __str__(self):
        return self.name


class LineName(models.Model):
    """A name a line had in the imported files, and the months it had it."""

    line = models.ForeignKey(
        LineOfBusiness, verbose_name=_("line"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("name"), max_length=300)
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))

    class Meta:
        ordering = ["line", "first_month"]
        verbose_name = _("name of a line")
        verbose_name_plural = _("names of lines")
        constraints = [models.UniqueConstraint(fields=["line", "name"], name="unique_line_name")]

    def __str__(self):
        return self.name


class ChannelStatisticQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Statistics of the points the user may read."""
        return self.filter(service_point__in=ServicePoint.objects.visible_to(user))


class ChannelStatistic(models.Model):
    """One month of one line of business at one call or processing centre."""

    service_point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="channel_statistics",
        limit_choices_to={"kind__in": CHANNEL_KINDS},
    )
    line = models.ForeignKey(
        LineOfBusiness,
        verbose_name=_("line of business"),
        on_delete=models.PROTECT,
        related_name="statistics",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    name_in_file = models.CharField(
        _("name in the file"),
        max_length=300,
        help_text=_("The queue's name as the file wrote it for this month."),
    )
    calls_handled = models.PositiveIntegerField(_("calls handled"), null=True, blank=True)
    average_wait_minutes = models.FloatField(_("average wait (minutes)"), null=True, blank=True)
    calls_offered = models.PositiveIntegerField(_("calls offered"), null=True, blank=True)
    calls_answered = models.PositiveIntegerField(_("calls answered"), null=True, blank=True)
    service_level = models.FloatField(
        _("service level (%)"),
        null=True,
        blank=True,
        help_text=_("Share of calls answered within the centre's target time."),
    )
    source_file = models.CharField(_("file"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    objects = ChannelStatisticQuerySet.as_manager()

    class Meta:
        ordering = ["line", "month"]
        verbose_name = _("channel statistic")
        verbose_name_plural = _("channel statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["service_point", "line", "month"], name="unique_channel_month"
            )
        ]

    def __str__(self):
        return f"{self.line} {self.month:%Y-%m}"
