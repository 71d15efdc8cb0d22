"""`python manage.py load_places FILE`: a gazetteer's populated places, to place imported rows
at their community (servicepoints.imports.gazetteer)."""

from django.core.management.base import BaseCommand, CommandError

from servicepoints.imports.gazetteer import FORMATS, SOURCES, load_places
from servicepoints.imports.issues import ImportFileError

# Errors printed before the count of the others.
MAX_PRINTED = 50


class Command(BaseCommand):
    help = (
        "Load or update populated places and their names from the Canadian Geographical "
        "Names Database's CSV (Natural Resources Canada: cgn_canada_csv_eng.csv or a "
        "province's cgn_XX_csv_eng.csv, zipped or not) or GeoNames' country file for Canada "
        "(CA.txt or CA.zip). They place imported rows that give only a community. The format "
        "is recognised from the file; nothing is loaded when any row has an error; loading "
        "the same file again changes nothing. "
        "Example: python manage.py load_places cgn_on_csv_eng.csv --province ON"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CGNDB CSV or GeoNames file (or a zip of it).")
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            help="cgndb or geonames; recognised from the file when left out.",
        )
        parser.add_argument(
            "--province",
            metavar="CODE",
            help="Load only this province's or territory's places (ON, NB…).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and count what would change, then save nothing.",
        )

    def handle(self, *args, file, format=None, province=None, dry_run=False, **options):
        try:
            counts, issues = load_places(file, format=format, province=province, dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for issue in issues[:MAX_PRINTED]:
            where = ", ".join(
                part
                for part in (issue.file, f"row {issue.row}" if issue.row else "", issue.column)
                if part
            )
            self.stderr.write(f"{where}: {issue.text()}")
        if len(issues) > MAX_PRINTED:
            self.stderr.write(f"… and {len(issues) - MAX_PRINTED} more.")
        if issues:
            raise CommandError(f"{len(issues)} errors: nothing was loaded.")
        source = SOURCES[counts["gazetteer"]]
        places, names = counts["places"], counts["names"]
        self.stdout.write(
            f"{counts['gazetteer'].label} ({source['authority']}, {source['licence']}): "
            f"{places['total']} places ({places['created']} created, "
            f"{places['updated']} updated, {places['unchanged']} unchanged); "
            f"{names['total']} names ({names['created']} created, {names['removed']} removed); "
            f"{counts['skipped']} rows skipped (not populated places"
            f"{', or in another province' if province else ''})."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
