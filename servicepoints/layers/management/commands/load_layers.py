"""python manage.py load_layers [--data-dir DIR]: the real boundary files of the shared data
folder that are there, each imported with `import_areas`, then its indicator tables, each
with `import_indicators` (idempotent: a re-run reports every area and value unchanged). Add a
file to LAYERS or INDICATORS to load it too. With -v 0 (as `make setup` runs it), only what
is missing or refused and the totals are printed."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...derive import fill_from_parts
from ...importing import import_areas
from ...importing.indicators import import_indicators
from ...models import Area, AreaLevel, AreaShape, IndicatorValue
from ...shapes import build
from ...vulnerability.communities import CommunityFileRefused, import_communities
from ...vulnerability.compute import compute_index
from . import import_indicators as indicator_command
from .import_areas import report

# (file or folder of files under the data folder, options for import_areas). Coarse levels
# first. A folder is every .json/.geojson/.zip/.gpkg file in it.
LAYERS = [
    ("canada_provinces.geojson", {"level": "province", "year": 2016}),
    ("bc_census_divisions_2011_bcalbers_shp.zip", {"level": "cd", "year": 2011}),
    ("csd_boundaries_2021", {"level": "csd", "year": 2021}),
    ("fsa_boundaries_2016", {"level": "fsa", "year": 2016}),
]
# (file, options for import_indicators), after the boundaries. Areas a table has and the
# boundary files lack (21 FSAs, every 2021 census division) are kept without a boundary.
INDICATORS = [
    ("census_2016_fsa_population_dwellings.csv", {"level": "fsa", "create_areas": True}),
    (
        "census_divisions_2021_population.csv",
        {
            "level": "cd",
            "columns": {"population_density_per_km2": "population_density"},
            "create_areas": True,
        },
    ),
    # The profile's only whole area below Canada: Newfoundland and Labrador (GEO_LEVEL 1).
    ("census_2016_hr_profile_head5000.csv", {"level": "province", "geo_level": "1"}),
]
# (level, year): areas loaded without a boundary get the union of their parts' (derive.py).
DERIVED = [("cd", 2021)]
SUFFIXES = (".json", ".geojson", ".zip", ".gpkg")
# ISED's communities without high-capacity transport, read in place, then the vulnerability
# index of these levels and years (docs/digital-vulnerability.md).
COMMUNITIES = (
    "broadband_communities_without_hct_2024-03/communities_without_high_capacity_transport.csv"
)
COMMUNITIES_YEAR = 2021
INDEX_LAYERS = [("csd", 2021)]


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
        refused += self.load_indicators(folder, options["verbosity"])
        for code, year in DERIVED:
            filled = fill_from_parts(AreaLevel.objects.get(code=code), year)
            if filled or options["verbosity"] > 1:
                self.stdout.write(
                    _(
                        "%(count)s areas (%(level)s, %(year)s) got the union of their parts' "
                        "boundaries."
                    )
                    % {"count": filled, "level": code, "year": year}
                )
        refused += self.load_vulnerability(folder, options["verbosity"])
        if refused:
            self.stderr.write(_("%(count)s files were refused.") % {"count": refused})
        self.stdout.write(
            _("Census areas loaded: %(areas)s, at %(levels)s levels.")
            % {
                "areas": Area.objects.count(),
                "levels": Area.objects.values("level").distinct().count(),
            }
        )
        self.stdout.write(
            _("Indicator values loaded: %(values)s.") % {"values": IndicatorValue.objects.count()}
        )

    def load_indicators(self, folder, verbosity):
        """Import each indicator table present; the number refused."""
        refused = 0
        for entry, indicator_options in INDICATORS:
            path = folder / entry
            if not path.exists():
                self.stdout.write(
                    _("Skipped %(file)s: not found in %(folder)s.")
                    % {"file": entry, "folder": folder}
                )
                continue
            result = import_indicators(path, **indicator_options)
            refused += result.refused
            if result.refused or verbosity >= 1:
                indicator_command.report(self, result, warnings=verbosity > 1)
        return refused

    def load_vulnerability(self, folder, verbosity):
        """The communities file when present, then the index of INDEX_LAYERS; 1 if refused."""
        path = folder / COMMUNITIES
        if not path.exists():
            self.stdout.write(
                _("Skipped %(file)s: not found in %(folder)s.")
                % {"file": COMMUNITIES, "folder": folder}
            )
            return 0
        try:
            result = import_communities(path, year=COMMUNITIES_YEAR)
        except CommunityFileRefused as refused:
            for issue in refused.issues:
                self.stderr.write(f"{issue.file}:{issue.row} {issue.column}: {issue.text()}")
            return 1
        if verbosity >= 1:
            self.stdout.write(
                _("Communities without high-capacity transport: %(new)s new, %(same)s unchanged.")
                % {"new": result.created + result.updated, "same": result.unchanged}
            )
        for level, year in INDEX_LAYERS:
            if Area.objects.filter(level__code=level, year=year).exists():
                index = compute_index("default", level, year)
                if verbosity >= 1:
                    self.stdout.write(
                        _("Vulnerability index of %(level)s %(year)s: %(available)s areas, "
                          "%(missing)s not available.")
                        % {"level": level, "year": year, "available": index.available,
                           "missing": index.not_available}
                    )  # fmt: skip
        return 0
