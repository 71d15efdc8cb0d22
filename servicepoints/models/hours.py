"""When service points are open: opening-hours texts read in a point's time zone, the key of
a schedule (points with the same hours and time zone share it), and the periods computed ahead
for each schedule so that "open now" is a SQL filter."""

from zoneinfo import ZoneInfo

from django.contrib.gis.db import models
from django.contrib.postgres.fields import DateTimeRangeField
from django.contrib.postgres.indexes import GistIndex
from django.db.models import F, Func
from django.utils.translation import gettext_lazy as _
from opening_hours import OpeningHours, State

from .base import timezone_at


def time_zone(zone, location):
    """A point's time zone: its own, or the one at its location."""
    return ZoneInfo(zone or timezone_at(location))


def opening_hours(hours, zone, location):
    """An opening-hours text read in `zone` (a ZoneInfo), with Canada's public holidays and
    the place's sunrise and sunset."""
    return OpeningHours(hours, timezone=zone, country="CA", coords=(location.y, location.x))


def schedule_periods(hours, zone, location, start, end):
    """(opens, closes) pairs of an opening-hours text in a time zone between two moments."""
    zone = time_zone(zone, location)
    parsed = opening_hours(hours, zone, location)
    return [
        (lower, upper)
        for lower, upper, state, _comment in parsed.intervals(
            start.astimezone(zone), end.astimezone(zone)
        )
        if state == State.OPEN and upper is not None
    ]


class HoursKey(Func):
    """md5 of the opening hours and the time zone (and, for hours that follow the sun, the
    place to 0.01 degree): the key of the schedule whose periods the point shares. NULL when
    the point has no hours."""

    output_field = models.CharField(max_length=32)

    def __init__(self):
        super().__init__(F("opening_hours"), F("timezone"), F("location"))

    def as_sql(self, compiler, connection, **extra_context):
        (hours, _p1), (zone, _p2), (location, _p3) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        place = (
            f"'|' || round(ST_X({location})::numeric, 2) || ',' || "
            f"round(ST_Y({location})::numeric, 2)"
        )
        sql = (
            f"CASE WHEN {hours} = '' THEN NULL ELSE md5({hours} || '|' || {zone} || "
            f"CASE WHEN {hours} ~* '(sunrise|sunset|dawn|dusk)' THEN {place} ELSE '' END) END"
        )
        return sql, []


class OpeningPeriod(models.Model):
    """A time when a schedule is open, for the coming weeks, so "open now" is a SQL filter.

    Keyed by the schedule (`ServicePoint.hours_key`: same hours, same time zone), not by the
    point: 100,000 points with a few hundred distinct schedules need a few thousand rows.
    Computed in the schedule's time zone with Canada's public holidays; saving a point or
    importing points computes schedules that are new, and the daily
    `refresh_opening_periods` command rolls the window forward.
    """

    hours_key = models.CharField(_("opening schedule"), max_length=32, db_index=True)
    period = DateTimeRangeField()

    class Meta:
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        indexes = [GistIndex(fields=["period"], name="openingperiod_period")]

    def __str__(self):
        return f"{self.hours_key}: {self.period}"
