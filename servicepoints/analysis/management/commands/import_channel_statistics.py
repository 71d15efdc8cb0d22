"""python manage.py import_channel_statistics FILE --organization SLUG [--point ID]
[--rename OLD=NEW] [--regroup OLD=NEW] [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...forecast.importer import counts_text, import_channel_statistics


def pairs(values, option):
    result = {}
    for value in values or []:
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise CommandError(
                _("%(option)s wants OLD=NEW, not “%(value)s”.")
                % {"option": option, "value": value}
            )
        result[old.strip()] = new.strip()
    return result


class Command(BaseCommand):
    help = (
        "Import a contact centre's monthly statistics by line of business (CSV or XLSX), e.g. "
        "import_channel_statistics ../shared/data/serviceontario_contact_centre_wait_times_"
        "2016-2020.csv --organization serviceontario"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--organization", required=True, help="code of the organization, e.g. serviceontario"
        )
        parser.add_argument(
            "--point",
            help="id or external id of its call or processing centre (default: its only one)",
        )
        parser.add_argument(
            "--rename",
            action="append",
            metavar="OLD=NEW",
            help="a line renamed: its series continues under NEW (repeatable)",
        )
        parser.add_argument(
            "--regroup",
            action="append",
            metavar="OLD=NEW",
            help="a line regrouped into another: OLD ends, NEW is named as its successor",
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, change nothing")

    def handle(self, *args, **options):
        result = import_channel_statistics(
            options["file"],
            organization=options["organization"],
            point=options["point"],
            renames=pairs(options["rename"], "--rename"),
            regroupings=pairs(options["regroup"], "--regroup"),
            dry_run=options["dry_run"],
        )
        for issue in result.issues:
            stream = self.stderr if issue.is_error else self.stdout
            stream.write(f"{issue.severity_label()}: {issue.text()}")
        if result.refused:
            raise CommandError(
                _("%(file)s was refused; nothing was changed.") % {"file": result.file}
            )
        self.stdout.write(counts_text(result))
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was changed."))
