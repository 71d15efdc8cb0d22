"""Service point querysets: who may read and change which points, the shared filters, and the
opening periods computed ahead for their schedules."""

from datetime import timedelta

from django.contrib.gis.db import models
from django.db import connection, transaction
from django.db.models import Exists, FloatField, Func, OuterRef, Q
from django.db.models.functions import Now
from django.utils import timezone

from .base import POSTAL_PREFIX_RE
from .hours import OpeningPeriod, schedule_periods
from .jurisdictions import Jurisdiction, jurisdictions_of, sees_all_jurisdictions
from .point_choices import Status

# Schedules whose computed periods end sooner than this are computed again.
AHEAD_DAYS = 7


class ServicePointQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Points the user may read: all for analysts and administrators, else their own."""
        if sees_all_jurisdictions(user):
            return self
        return self.filter(organization__jurisdiction__in=jurisdictions_of(user))

    def editable_by(self, user):
        """Points the user may change: those of the jurisdictions they may edit."""
        if not user.has_perm("servicepoints.change_servicepoint"):
            return self.none()
        return self.filter(organization__jurisdiction__in=Jurisdiction.objects.editable_by(user))

    def demonstration(self):
        return self.filter(data_source__is_demonstration=True)

    def filter_by(self, params):
        """Apply the validated parameters of `servicepoints.filters.PointFilter`, in SQL."""
        qs = self
        if params.get("bbox"):
            # The index's && on boxes of single-precision floats, then the exact coordinates
            # (a point is in the box if and only if both are within its sides): the same
            # points as ST_Intersects with the box, in half the time for a city's list.
            west, south, east, north = params["bbox"].extent
            qs = qs.alias(
                longitude=Func("location", function="ST_X", output_field=FloatField()),
                latitude=Func("location", function="ST_Y", output_field=FloatField()),
            ).filter(
                location__bboverlaps=params["bbox"],
                longitude__range=(west, east),
                latitude__range=(south, north),
            )
        simple = {
            "jurisdiction": "organization__jurisdiction__code__in",
            "province": "province__code__in",
            "level": "organization__jurisdiction__level__in",
            "organization": "organization__code__in",
            "kind": "kind__in",
            "status": "status__in",
            "language": "languages__overlap",
        }
        for name, lookup in simple.items():
            if params.get(name):
                qs = qs.filter(**{lookup: params[name]})
        if params.get("service"):
            links = self.model.services.through.objects.filter(
                servicepoint=OuterRef("pk"), service__code__in=params["service"]
            )
            qs = qs.filter(Exists(links))
        if params.get("bilingual") is not None:
            qs = qs.filter(bilingual=params["bilingual"])
        if params.get("open_now") is not None:
            # Periods are computed ahead; the status check covers points closed since then.
            open_now = Q(status=Status.OPEN) & Q(
                hours_key__in=OpeningPeriod.objects.filter(period__contains=Now()).values(
                    "hours_key"
                )
            )
            qs = qs.filter(open_now if params["open_now"] else ~open_now)
        if params.get("q"):
            qs = qs.search(params["q"])
        return qs

    def search(self, text):
        """Name (either language), community, or postal code / forward sortation area."""
        text = text.strip()
        compact = text.replace(" ", "").upper()
        match = Q(name_en__icontains=text) | Q(name_fr__icontains=text) | Q(community__iexact=text)
        if POSTAL_PREFIX_RE.match(compact):
            prefix = compact[:3] + (" " + compact[3:] if len(compact) > 3 else "")
            match |= Q(postal_code__startswith=prefix)
        return self.filter(match)

    def needing_opening_periods(self, *, ahead_days=AHEAD_DAYS):
        """Points with hours whose schedule's computed periods end within `ahead_days`."""
        horizon = timezone.now() + timedelta(days=ahead_days)
        ahead = OpeningPeriod.objects.filter(
            hours_key=OuterRef("hours_key"), period__endswith__gt=horizon
        )
        return self.exclude(hours_key=None).exclude(Exists(ahead))

    def ensure_opening_periods(self):
        """Compute the periods of the schedules of these points that have none ahead yet.

        Points share schedules (same hours, same time zone), so an import of thousands of
        points usually computes nothing new. The few distinct schedules are found first and
        then checked (checking every point's took half a second per 100,000 points).
        """
        keys = self.exclude(hours_key=None).order_by().values_list("hours_key", flat=True)
        return self.ensure_opening_periods_of(keys.distinct())

    def ensure_opening_periods_of(self, hours_keys):
        """Compute the periods of these schedules (`hours_key`s of these points) that have
        none ahead yet; returns the number of schedules computed."""
        keys = set(hours_keys) - {None}
        if not keys:
            return 0
        horizon = timezone.now() + timedelta(days=AHEAD_DAYS)
        ahead = OpeningPeriod.objects.filter(hours_key__in=keys, period__endswith__gt=horizon)
        missing = keys - set(ahead.values_list("hours_key", flat=True).distinct())
        if not missing:
            return 0
        return self.filter(hours_key__in=missing).refresh_opening_periods()

    def refresh_opening_periods(self, *, days=21, start=None):
        """Recompute the open periods of these points' schedules for `days` days from `start`.

        One computation per distinct schedule (hours + time zone, + place for sun-based
        hours), written with COPY. Returns the number of schedules computed.
        """
        start = start or timezone.now()
        end = start + timedelta(days=days)
        schedules = list(
            self.exclude(hours_key=None)
            .order_by("hours_key")
            .distinct("hours_key")
            .values_list("hours_key", "opening_hours", "timezone", "location")
        )
        table = OpeningPeriod._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE hours_key = ANY(%s)",  # noqa: S608
                [[key for key, *_rest in schedules]],
            )
            with cursor.cursor.copy(
                f"COPY {table} (hours_key, period) FROM STDIN"  # noqa: S608
            ) as copy:
                for key, hours, zone, location in schedules:
                    for lower, upper in schedule_periods(hours, zone, location, start, end):
                        copy.write_row((key, f"[{lower.isoformat()},{upper.isoformat()})"))
        return len(schedules)
