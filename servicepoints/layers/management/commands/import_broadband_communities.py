"""python manage.py import_broadband_communities FILE [--year 2021]: ISED's communities
without high-capacity transport (CSV or XLSX) stored, and `communities_without_hct` computed
for every loaded area. All or nothing: a file with errors changes nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from servicepoints.imports.issues import ImportFileError

from ...vulnerability.communities import CommunityFileRefused, import_communities


def print_issues(command, issues):
    for issue in issues:
        command.stderr.write(
            _("%(file)s, row %(row)s, column %(column)s: %(reason)s")
            % {
                "file": issue.file,
                "row": issue.row if issue.row is not None else "-",
                "column": issue.column or "-",
                "reason": issue.text(),
            }
        )


class Command(BaseCommand):
    help = (
        "Import ISED's communities without high-capacity transport, e.g. "
        "manage.py import_broadband_communities communities.csv --year 2021"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, default=2021)

    def handle(self, *args, **options):
        try:
            result = import_communities(options["file"], year=options["year"])
        except ImportFileError as refused:
            raise CommandError(str(refused)) from refused
        except CommunityFileRefused as refused:
            print_issues(self, refused.issues)
            raise CommandError(
                _("%(file)s was refused (%(count)s problems); nothing was changed.")
                % {"file": options["file"].name, "count": len(refused.issues)}
            ) from refused
        self.stdout.write(
            _(
                "Communities: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
                "%(removed)s removed."
            )
            % vars(result)
        )
        for (level, year), count in result.areas.items():
            self.stdout.write(
                _("%(level)s %(year)s: %(count)s area counts written or changed.")
                % {"level": level, "year": year, "count": count}
            )
