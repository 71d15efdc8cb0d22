"""python manage.py coverage [--within KM] [--bands 10,25,50,100] [--standard CODE]
[--organization SLUG] [--kind KIND] [--jurisdiction CODE] [--jurisdiction-level LEVEL]
[--service CODE] [--language CODE] [--status STATUS] [--province CODE] [--level LEVEL]
[--year Y] [--places N] [--underserved N] [--by-road] [--json]"""

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from servicepoints.filters import PointFilter

from ...coverage import BANDS, coverage, places_beyond
from ...models import CoverageStandard
from ...roads import METHOD as ROAD_METHOD
from ...roads import RoadsUnavailable, road_coverage
from ...underserved import MAX_LIMIT, underserved

# option -> the map's filter parameter (repeatable options: several codes)
FILTERS = {
    "organization": "organization",
    "kind": "kind",
    "jurisdiction": "jurisdiction",
    "jurisdiction_level": "level",
    "service": "service",
    "language": "language",
    "status": "status",
    "province": "province",
}


def number(text):
    try:
        value = float(text)
    except ValueError:
        raise CommandError(
            _("“%(value)s” is not a distance in kilometres.") % {"value": text}
        ) from None
    if not 0 < value <= 2000:
        raise CommandError(
            _("A distance is between 0 and 2,000 km, not %(value)s.") % {"value": text}
        )
    return value


class Command(BaseCommand):
    help = (
        "Population within a distance of the points the map's filters select, nationally and "
        "by province and territory (straight-line distance on the sphere)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--within", help="kilometres (default: the standard's, or 50)")
        parser.add_argument("--bands", default=",".join(str(b) for b in BANDS))
        parser.add_argument("--standard", help="a coverage standard's code")
        for option in FILTERS:
            parser.add_argument(f"--{option.replace('_', '-')}", action="append", default=[])
        parser.add_argument("--bilingual", choices=["true", "false"])
        parser.add_argument("--level", help="the census level of the demand areas")
        parser.add_argument("--year", type=int, help="their census year")
        parser.add_argument(
            "--places",
            type=int,
            default=0,
            help="also list this many populated places beyond the distance, most populous first",
        )
        parser.add_argument(
            "--underserved",
            type=int,
            default=0,
            help="also list this many communities beyond the distance, ranked by population × "
            "digital vulnerability rank",
        )
        parser.add_argument(
            "--by-road",
            action="store_true",
            help="distances along the road network loaded with import_roads (pgRouting)",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        standard = None
        if options["standard"]:
            standard = CoverageStandard.objects.filter(code=options["standard"]).first()
            if standard is None:
                known = ", ".join(CoverageStandard.objects.values_list("code", flat=True))
                raise CommandError(
                    _("No coverage standard “%(code)s”; use one of %(known)s.")
                    % {"code": options["standard"], "known": known}
                )
        if options["within"]:
            within = number(options["within"])
        else:
            within = standard.distance_km if standard else 50.0
        bands = [number(band) for band in options["bands"].split(",") if band.strip()]
        data = {FILTERS[option]: options[option] for option in FILTERS if options[option]}
        if options["bilingual"]:
            data["bilingual"] = options["bilingual"]
        form = PointFilter(data)
        if not form.is_valid():
            raise CommandError(
                "\n".join(
                    f"--{_option_of(name)}: {' '.join(messages)}"
                    for name, messages in form.errors_by_parameter().items()
                )
            )
        measure = road_coverage if options["by_road"] else coverage
        try:
            result = measure(
                form.cleaned_data, within_km=within, bands=bands, level=options["level"],
                year=options["year"],
            )  # fmt: skip
        except RoadsUnavailable as unavailable:
            raise CommandError(_(str(unavailable))) from None
        if result.national is None:
            raise CommandError(
                _(
                    "No census areas with boundaries and population values are loaded; run "
                    "make setup, or import_areas and import_indicators."
                )
            )
        if not 0 <= options["places"] <= 1000:
            raise CommandError(_("--places is between 0 and 1,000."))
        if not 0 <= options["underserved"] <= MAX_LIMIT:
            raise CommandError(_("--underserved is between 0 and 5,000."))
        needy = (
            underserved(form.cleaned_data, within_km=within, limit=options["underserved"])
            if options["underserved"]
            else None
        )
        far = (
            places_beyond(form.cleaned_data, within, options["places"])
            if options["places"]
            else []
        )
        if options["json"]:
            data = result.as_dict()
            if options["places"]:
                data["places_beyond"] = [asdict(place) for place in far]
            if needy:
                data["underserved"] = needy.as_dict()
            if standard:
                data["standard"] = {
                    "code": standard.code,
                    "distance_km": standard.distance_km,
                    "target_share": standard.target_share,
                    "by_road": standard.by_road,
                }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.write_text(result, standard)
        if options["places"]:
            self.stdout.write(
                _("Populated places beyond %(km)s km of every selected point:")
                % {"km": f"{within:g}"}
            )
            for place in far:
                distance = "—" if place.distance_km is None else f"{place.distance_km:,.1f} km"
                population = "—" if place.population is None else f"{place.population:,}"
                self.stdout.write(
                    f"{place.name} ({place.province}) | {population} | {distance} | "
                    f"{place.nearest_point}"
                )
        if needy:
            self.write_underserved(needy)

    def write_underserved(self, needy):
        self.stdout.write(
            _(
                "Underserved communities (beyond %(km)s km), by population × vulnerability rank "
                "(index of %(level)s %(year)s): %(scored)s scored of %(total)s."
            )
            % {
                "km": f"{needy.within_km:g}",
                "level": needy.index_level or "—",
                "year": needy.index_year or "—",
                "scored": needy.scored,
                "total": needy.total,
            }
        )
        for community in needy.communities:
            values = (community.population, community.distance_km, community.score)
            population, distance, score = ("—" if v is None else f"{v:,.0f}" for v in values)
            self.stdout.write(
                f"{community.rank or '—'} | {community.name} ({community.province}) | "
                f"{population} | {distance} km | {community.area_code or '—'} | {score}"
            )

    def write_text(self, result, standard):
        figures = {"points": result.points, "level": result.level, "year": result.year}
        if result.method == ROAD_METHOD:
            self.stdout.write(
                _("%(points)s points; %(level)s areas of %(year)s; road distance (pgRouting).")
                % figures
            )
        else:
            self.stdout.write(
                _(
                    "%(points)s points; %(level)s areas of %(year)s; straight-line distance on "
                    "the sphere (a road distance is longer: these shares are an upper bound)."
                )
                % figures
            )
        bands = " | ".join(f"≤ {band:g} km" for band in result.bands)
        self.stdout.write(_("place | population | within %(km)s km | share | %(bands)s") % {
            "km": f"{result.within_km:g}", "bands": bands})  # fmt: skip
        for reach in [result.national, *result.provinces]:
            share = "—" if reach.share is None else f"{reach.share:.1f} %"
            verdict = ""
            if standard and reach.share is not None:
                verdict = " ✓" if reach.share >= standard.target_share else " ✗"
            cells = " | ".join(f"{total:,.0f}" for total in reach.bands.values())
            self.stdout.write(
                f"{reach.name or reach.code or '?'} | {reach.population:,.0f} | "
                f"{reach.covered:,.0f} | {share}{verdict} | {cells}"
            )
        missing = result.national.areas_without_population
        if missing or result.areas_not_placed:
            self.stdout.write(
                _(
                    "Not counted: %(missing)s areas without a population value; %(unplaced)s "
                    "areas (%(people)s people) without a boundary."
                )
                % {
                    "missing": missing,
                    "unplaced": result.areas_not_placed,
                    "people": f"{result.population_not_placed:,.0f}",
                }
            )
        if standard:
            self.stdout.write(
                _("Standard: %(name)s (%(target)s %% within %(km)s km%(road)s).")
                % {
                    "name": standard.name,
                    "target": f"{standard.target_share:g}",
                    "km": f"{standard.distance_km:g}",
                    "road": _(", by road") if standard.by_road else "",
                }
            )


def _option_of(parameter):
    return next(
        (option.replace("_", "-") for option, name in FILTERS.items() if name == parameter),
        parameter,
    )
