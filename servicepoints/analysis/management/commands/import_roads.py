"""python manage.py import_roads FILE: the road network of coverage by road (replaced whole)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...roads import import_roads


class Command(BaseCommand):
    help = (
        "Load a road network (GeoJSON, GeoPackage or zipped Shapefile of lines, any CRS) for "
        "coverage by road; it replaces the one loaded before."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        result = import_roads(options["file"])
        for issue in result.issues:
            stream = self.stderr if issue.is_error else self.stdout
            stream.write(f"{issue.severity_label()}: {issue.text()}")
        if result.refused:
            raise CommandError(
                _("%(file)s was refused; nothing was changed.") % {"file": result.file}
            )
        message = (
            _("%(file)s: unchanged since it was loaded: %(segments)s road segments.")
            if result.unchanged
            else _(
                "%(file)s: %(segments)s road segments, %(nodes)s junctions, %(km)s km of road "
                "loaded."
            )
        )
        self.stdout.write(
            message
            % {
                "file": result.file,
                "segments": result.segments,
                "nodes": result.nodes,
                "km": f"{result.length_km:,.1f}",
            }
        )
