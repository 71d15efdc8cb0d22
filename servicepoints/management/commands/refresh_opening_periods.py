"""`python manage.py refresh_opening_periods`: roll the "open now" window forward (daily)."""

from django.core.management.base import BaseCommand

from servicepoints.models import OpeningPeriod, ServicePoint


class Command(BaseCommand):
    help = (
        "Recompute when service points are open over the next three weeks, so the 'open now' "
        "filter stays right. Run it daily (cron or a scheduled task); by default only the "
        "opening schedules (hours + time zone, shared by points) whose computed periods run "
        "out within a week are redone, and schedules no point uses any more are dropped. "
        "Example: python manage.py refresh_opening_periods --all"
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recompute every point.")

    def handle(self, *args, all=False, **options):
        points = ServicePoint.objects.all()
        if not all:
            points = points.needing_opening_periods()
        count = points.refresh_opening_periods()
        unused = OpeningPeriod.objects.exclude(
            hours_key__in=ServicePoint.objects.exclude(hours_key=None).values("hours_key")
        ).delete()[0]
        self.stdout.write(
            f"Opening periods recomputed for {count} opening schedules; "
            f"{unused} periods of unused schedules removed."
        )
