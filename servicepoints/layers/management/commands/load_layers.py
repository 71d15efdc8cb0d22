"""python manage.py load_layers [--data-dir DIR]: the real boundary files of the shared data
folder that are there, each imported with `import_areas` (idempotent: a re-run reports every
area unchanged). Add a file to LAYERS to load it too. With -v 0 (as `make setup` runs it),
only what is missing or refused and the total are printed."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...importing import import_areas
from ...models import Area, AreaLevel, AreaShape
from ...shapes import build
from .import_areas import report

# (file or folder of files under the data folder, options for import_areas). Coarse levels
# first. A folder is every .json/.geojson/.zip/.gpkg file in it.
LAYERS = [
    ("canada_provinces.geojson", {"level": "province", "year": 2016}),
    ("bc_census_divisions_2011_bcalbers_shp.zip", {"level": "cd", "year": 2011}),
    ("csd_boundaries_2021", {"level": "csd", "year": 2021}),
    ("fsa_boundaries_2016", {"level": "fsa", "year": 2016}),
]
SUFFIXES = (".json", ".geojson", ".zip", ".gpkg")


def default_data_dir():
    given = os.environ.get("SHARED_DATA_DIR")
    if given:
        return Path(given)
    return Path(settings.BASE_DIR).resolve().parent / "shared" / "data"


def files_of(path):
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
    return [path]


def has_shapes(level, year):
    return AreaShape.objects.filter(area__level__code=level, area__year=year).exists()


class Command(BaseCommand):
    help = "Import the census boundary files of the shared data folder that are present."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=None)

    def handle(self, *args, **options):
        folder = options["data_dir"] or default_data_dir()
        refused = 0
        for entry, layer_options in LAYERS:
            path = folder / entry
            if not path.exists():
                self.stdout.write(
                    _("Skipped %(file)s: not found in %(folder)s.")
                    % {"file": entry, "folder": folder}
                )
                continue
            changed = False
            for file in files_of(path):
                started = time.perf_counter()
                result = import_areas(file, shapes=False, **layer_options)
                changed = changed or bool(result.created or result.updated)
                refused += result.refused
                if result.refused or options["verbosity"] < 1:
                    if result.refused:
                        report(self, result, warnings=False)
                    continue
                report(self, result, warnings=options["verbosity"] > 1)
                self.stdout.write(
                    _("%(file)s took %(seconds)s s.")
                    % {"file": file.name, "seconds": f"{time.perf_counter() - started:.2f}"}
                )
            if changed or not has_shapes(layer_options["level"], layer_options["year"]):
                started = time.perf_counter()
                build(AreaLevel.objects.get(code=layer_options["level"]), layer_options["year"])
                self.stdout.write(
                    _("Display shapes of %(entry)s built in %(seconds)s s.")
                    % {"entry": entry, "seconds": f"{time.perf_counter() - started:.2f}"}
                )
        if refused:
            self.stderr.write(_("%(count)s files were refused.") % {"count": refused})
        self.stdout.write(
            _("Census areas loaded: %(areas)s, at %(levels)s levels.")
            % {
                "areas": Area.objects.count(),
                "levels": Area.objects.values("level").distinct().count(),
            }
        )
