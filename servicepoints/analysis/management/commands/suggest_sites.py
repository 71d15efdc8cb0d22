"""python manage.py suggest_sites [--k 10] [--within KM] [--standard CODE]
[--candidates places|points|both] [--min-population N] [--minimum] [--per-province]
[--time-limit S] [the map's filters: --organization SLUG --kind KIND …] [--json]

Example: manage.py suggest_sites --k 5 --organization service-canada --candidates places
--min-population 1000 --minimum
"""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from servicepoints.filters import PointFilter

from ...forms import SuggestForm
from ...suggest import CANDIDATE_MODES, SuggestionError, suggest_sites
from .coverage import FILTERS

SCHEMA_VERSION = 1
STAGES = {
    "demand": "demand areas and the network's coverage (SQL)",
    "pairs": "candidates and the coverage pairs (SQL)",
    "maximal_covering": "maximal covering (solver)",
    "minimum_sites": "minimum number of sites (solver)",
}
OPTIONS = {"min_population": "min-population", "per_province": "per-province",
           "time_limit": "time-limit"}  # fmt: skip


def refusal(code):
    if code == "no_demand":
        return _(
            "No census areas with boundaries and population values are loaded; run make "
            "setup, or import_areas and import_indicators."
        )
    return _(
        "No candidates: no populated place matches, and every organization with points has "
        "points in the network (choose the network with --organization to look at the "
        "others' points)."
    )


class Command(BaseCommand):
    help = (
        "The k new sites that cover the most people the network leaves beyond the distance "
        "(maximal covering, solved exactly), and with --minimum the fewest sites reaching the "
        "standard's target share. Progress on stderr, results on stdout. Example: "
        "manage.py suggest_sites --k 5 --organization service-canada --candidates places"
    )

    def add_arguments(self, parser):
        parser.add_argument("--k", help="number of new sites (default 10, at most 100)")
        parser.add_argument("--within", help="kilometres (default: the standard's, or 50)")
        parser.add_argument("--standard", help="a coverage standard's code")
        parser.add_argument("--candidates", help="|".join(CANDIDATE_MODES) + " (default both)")
        parser.add_argument("--min-population", help="populated places of at least N people")
        parser.add_argument("--minimum", action="store_true", help="also the set covering")
        parser.add_argument("--per-province", action="store_true",
                            help="the minimum reaches the target in every province")  # fmt: skip
        parser.add_argument("--time-limit", help="seconds for each solver run (default 60)")
        parser.add_argument("--level", help="the census level of the demand areas")
        parser.add_argument("--year", help="their census year")
        for option in FILTERS:
            parser.add_argument(f"--{option.replace('_', '-')}", action="append", default=[])
        parser.add_argument("--bilingual", choices=["true", "false"])
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        fields = SuggestForm.base_fields
        form = SuggestForm({name: options[name] for name in fields if options[name] not in
                            (None, False)})  # fmt: skip
        data = {FILTERS[option]: options[option] for option in FILTERS if options[option]}
        if options["bilingual"]:
            data["bilingual"] = options["bilingual"]
        filters = PointFilter(data)
        errors = []
        if not form.is_valid():
            errors += [(OPTIONS.get(name, name), messages) for name, messages in
                       form.errors_by_parameter().items()]  # fmt: skip
        if not filters.is_valid():
            names = {value: key.replace("_", "-") for key, value in FILTERS.items()}
            errors += [(names.get(name, name), messages) for name, messages in
                       filters.errors_by_parameter().items()]  # fmt: skip
        if errors:
            raise CommandError(
                "\n".join(f"--{name}: {' '.join(messages)}" for name, messages in errors)
            )
        asked = form.cleaned_data
        standard = asked["standard"]
        started = time.perf_counter()

        def progress(stage, seconds):
            sys.stderr.write(f"{STAGES[stage]}: {seconds:.2f} s\n")
            sys.stderr.flush()

        sys.stderr.write(_("Site suggestion: reading the network, demand and candidates…") + "\n")
        try:
            result = suggest_sites(
                filters.cleaned_data, k=asked["k"], within_km=asked["within"],
                candidates=asked["candidates"], min_population=asked["min_population"],
                minimum=standard.target_share if asked["minimum"] else None,
                per_province=asked["per_province"], level=asked["level"] or None,
                year=asked["year"], time_limit=asked["time_limit"], progress=progress,
            )  # fmt: skip
        except SuggestionError as error:
            raise CommandError(refusal(str(error))) from None
        result.setting.timings["total"] = round(time.perf_counter() - started, 3)
        if standard:
            result.standard = {
                "code": standard.code,
                "distance_km": standard.distance_km,
                "target_share": standard.target_share,
                "by_road": standard.by_road,
            }
        if options["json"]:
            payload = {"schema_version": SCHEMA_VERSION, **result.as_dict()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        from ...suggest_text import write_text

        write_text(self.stdout.write, result)
