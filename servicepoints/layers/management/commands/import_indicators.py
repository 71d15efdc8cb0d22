"""python manage.py import_indicators FILE --level LEVEL [--year Y] [--keep CODE,…]
[--characteristic ID_OR_NAME=CODE] [--geo-level N] [--code-column H] [--column H=CODE]
[--area-year Y] [--create-areas]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from servicepoints.imports.issues import grouped

from ...importing.indicators import import_indicators


def pairs(values, option):
    """{left: right} of repeated LEFT=RIGHT options; CommandError naming a malformed one."""
    found = {}
    for item in values:
        left, sep, right = item.rpartition("=")
        if not sep or not left.strip() or not right.strip():
            raise CommandError(
                _("%(option)s wants LEFT=CODE, got “%(value)s”.")
                % {"option": option, "value": item}
            )
        found[left.strip()] = right.strip()
    return found


class Command(BaseCommand):
    help = (
        "Import indicator values: a Statistics Canada Census Profile CSV (2016 or 2021 layout), "
        "a long table (area_code, indicator, year, value) or a wide table (one area per row)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--level", required=True, help="province, hr, cd, csd, fsa or da")
        parser.add_argument(
            "--year",
            type=int,
            help="the census year (checked against a profile's); a long table: only this year",
        )
        parser.add_argument(
            "--keep",
            action="append",
            default=[],
            help="indicator codes to keep, comma-separated (default: every one the file has)",
        )
        parser.add_argument(
            "--characteristic",
            action="append",
            default=[],
            help="a profile characteristic's number or name = an indicator code (repeatable)",
        )
        parser.add_argument("--geo-level", help="the profile's GEO_LEVEL to read")
        parser.add_argument("--code-column", help="a wide table's column of area codes")
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            help="a wide table's HEADER=indicator code (repeatable)",
        )
        parser.add_argument("--area-year", type=int, help="the census year of the areas")
        parser.add_argument(
            "--create-areas",
            action="store_true",
            help="keep the values of areas not loaded yet (added without a boundary)",
        )

    def handle(self, *args, **options):
        keep = [code.strip() for item in options["keep"] for code in item.split(",") if code]
        result = import_indicators(
            options["file"],
            options["level"],
            year=options["year"],
            keep=keep or None,
            characteristics=pairs(options["characteristic"], "--characteristic") or None,
            geo_level=options["geo_level"],
            code_column=options["code_column"],
            columns=pairs(options["column"], "--column") or None,
            area_year=options["area_year"],
            create_areas=options["create_areas"],
        )
        report(self, result)
        if result.refused:
            raise CommandError(
                _("%(file)s was refused; nothing was changed.") % {"file": result.file}
            )


def report(command, result, *, warnings=True):
    """The result's issues, grouped (warnings only counted unless `warnings`), then its counts."""
    quiet = 0
    for group in grouped(result.issues):
        if group.severity != "error" and not warnings:
            quiet += 1
            continue
        stream = command.stderr if group.severity == "error" else command.stdout
        stream.write(f"{group.severity_label()}: {group.text()}")
    if quiet:
        command.stdout.write(
            _("%(file)s: %(count)s warnings (run import_indicators on the file to see them).")
            % {"file": result.file, "count": quiet}
        )
    if not result.refused:
        command.stdout.write(
            _(
                "%(file)s: %(values)s values of %(indicators)s for %(areas)s areas (%(level)s, "
                "%(year)s): %(created)s created, %(changed)s changed, %(unchanged)s unchanged; "
                "%(areas_created)s areas added without a boundary."
            )
            % {
                "file": result.file,
                "values": result.values,
                "indicators": ", ".join(result.indicators),
                "areas": result.areas,
                "level": result.level,
                "year": result.year,
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "areas_created": result.areas_created,
            }
        )
