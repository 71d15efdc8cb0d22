"""`python manage.py load_partnerships`: the real cases of the council's 2017 deck."""

from django.core.management.base import BaseCommand

from partnerships.seed import load_partnerships


class Command(BaseCommand):
    help = (
        "Record the partnerships and pilots of the council's 2017 deck (Picton, SNB for "
        "Transport Canada, SNB and Service Canada kiosks, the Nova Scotia pilot, Nain, "
        "Saint-Léonard, GNWT, SIN at arrival), linked to the registry's points where they exist. "
        "Safe to run again: it creates only what is missing. Example: "
        "python manage.py load_partnerships --dry-run"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report, then roll everything back."
        )

    def handle(self, *args, dry_run=False, **options):
        counts = load_partnerships(dry_run=dry_run)
        for label in ("organizations", "partnerships"):
            count = counts[label]
            self.stdout.write(
                f"{label.capitalize()}: {count['total']} ({count['created']} created)"
            )
        self.stdout.write(f"Sites linked to the registry: {counts['sites linked']}")
        if counts["skipped"]:
            self.stdout.write(
                "Skipped, their organizations are not in the registry (run load_demo first): "
                + ", ".join(counts["skipped"])
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
