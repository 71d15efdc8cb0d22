"""python manage.py import_areas FILE --level LEVEL [--code-field F] [--name-field F]
[--name-fr-field F] [--year Y]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...importing import import_areas


class Command(BaseCommand):
    help = "Import a census boundary file (GeoJSON, TopoJSON, GeoPackage, zipped Shapefile)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--level", required=True, help="province, hr, cd, csd, fsa or da")
        parser.add_argument("--code-field")
        parser.add_argument("--name-field")
        parser.add_argument("--name-fr-field")
        parser.add_argument("--year", type=int)

    def handle(self, *args, **options):
        result = import_areas(
            options["file"],
            options["level"],
            code_field=options["code_field"],
            name_field=options["name_field"],
            name_fr_field=options["name_fr_field"],
            year=options["year"],
        )
        report(self, result)
        if result.refused:
            raise CommandError(
                _("%(file)s was refused; nothing was changed.") % {"file": result.file}
            )


def report(command, result, *, warnings=True):
    """The result's issues (warnings only counted unless `warnings`), then its counts."""
    quiet = 0
    for issue in result.issues:
        if not issue.is_error and not warnings:
            quiet += 1
            continue
        stream = command.stderr if issue.is_error else command.stdout
        stream.write(f"{issue.severity_label()}: {issue.text()}")
    if quiet:
        command.stdout.write(
            _("%(file)s: %(count)s warnings (run import_areas on the file to see them).")
            % {"file": result.file, "count": quiet}
        )
    if not result.refused:
        command.stdout.write(
            _(
                "%(file)s: %(count)s areas (%(level)s, %(year)s): %(created)s created, "
                "%(updated)s updated, %(unchanged)s unchanged."
            )
            % {
                "file": result.file,
                "count": result.features,
                "level": result.level,
                "year": result.year,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )
