"""`python manage.py load_postal_areas FILE`: the FSA centroids that place address-only rows."""

from django.core.management.base import BaseCommand, CommandError

from servicepoints.imports.issues import ImportFileError
from servicepoints.imports.postal_areas import load_postal_areas


class Command(BaseCommand):
    help = (
        "Load or update forward sortation area centroids (columns fsa, province, latitude, "
        "longitude), used to place imported rows that have a postal code but no coordinates. "
        "Nothing is loaded when any row has an error. "
        "Example: python manage.py load_postal_areas ../shared/data/canada_fsa_centroids.csv"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="", help="Where the centroids come from.")

    def handle(self, *args, file, source, **options):
        try:
            count, issues = load_postal_areas(file, source=source or file)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for issue in issues:
            self.stderr.write(f"{issue.file}, row {issue.row}, {issue.column}: {issue.text()}")
        if issues:
            raise CommandError(f"{len(issues)} errors: nothing was loaded.")
        self.stdout.write(f"{count} postal areas loaded.")
