"""`python manage.py load_demo`: the idempotent demonstration data (see servicepoints.demo)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from servicepoints import demo


class Command(BaseCommand):
    help = (
        "Load the demonstration data: organizations, services, GeoNames populated places and "
        "generated service points marked as demonstration data; with DEBUG on (or --force) "
        "also the accounts analyst, editor-on, editor-nb and dataadmin, password 'demo'. "
        "Safe to run again: it creates only what is missing. "
        "Example: DJANGO_DEBUG=1 python manage.py load_demo"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create the demonstration accounts even though DEBUG is off.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be loaded, then roll everything back.",
        )

    def handle(self, *args, force=False, dry_run=False, **options):
        accounts = settings.DEBUG or force
        counts = demo.load_demo(accounts=accounts, dry_run=dry_run)
        for label, count in counts.items():
            self.stdout.write(
                f"{label.capitalize()}: {count['total']} "
                f"({count['created']} created, {count['updated']} updated)"
            )
        if accounts:
            names = ", ".join(name for name, _role, _jurisdiction in demo.DEMO_ACCOUNTS)
            self.stdout.write(f"Sign in as {names} with the password '{demo.DEMO_PASSWORD}'.")
        else:
            self.stdout.write(
                "Demonstration accounts skipped: DEBUG is off. Use --force to create them "
                "anyway (never on a production site)."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
