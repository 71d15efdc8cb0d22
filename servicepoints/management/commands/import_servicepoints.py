"""`python manage.py import_servicepoints FILE --source NAME`: the admin's import, scripted."""

import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from servicepoints.imports import pipeline
from servicepoints.imports.mapping import FIELDS_BY_NAME
from servicepoints.models import DataSource, ImportRun, Jurisdiction


def pairs(values, what):
    result = {}
    for value in values or []:
        field, sep, text = value.partition("=")
        if not sep or field not in FIELDS_BY_NAME:
            raise CommandError(
                f"--{what} {value!r}: write FIELD=VALUE with FIELD one of "
                + ", ".join(FIELDS_BY_NAME)
            )
        result[field] = text
    return result


class Command(BaseCommand):
    help = (
        "Refresh a data source's service points from a file (CSV, XLSX, GeoJSON, GeoPackage or "
        "zipped Shapefile): read, validate every row, compare with the source's current points "
        "and apply everything in one transaction, as the admin's import screen does. With "
        "--dry-run nothing changes. The exit status is 1 when any row has an error (nothing is "
        "applied then). Example: python manage.py import_servicepoints offices.csv "
        "--source service-canada --map external_id=link --default organization=service-canada"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, help="The data source's name (key).")
        parser.add_argument(
            "--create-source",
            metavar="TITLE",
            help="Create the data source with this title when no source has that name.",
        )
        parser.add_argument("--jurisdiction", help="Only rows of this jurisdiction's code.")
        parser.add_argument("--dry-run", action="store_true", help="Report; change nothing.")
        parser.add_argument(
            "--missing",
            choices=[choice.value for choice in ImportRun.Missing],
            default=ImportRun.Missing.KEEP,
            help="What to do with the source's points that the file no longer has.",
        )
        parser.add_argument(
            "--map",
            action="append",
            metavar="FIELD=HEADER",
            help="Column for a field (repeatable); the rest is recognised from the headers "
            "or taken from the source's saved preset.",
        )
        parser.add_argument(
            "--default",
            action="append",
            metavar="FIELD=VALUE",
            help="A value for every row, e.g. organization=service-canada, kind=centre.",
        )
        parser.add_argument("--user", help="Import as this user (their permissions apply).")
        parser.add_argument("--report", help="Also write the whole report as CSV to this file.")
        parser.add_argument("--language", default="en", choices=["en", "fr"])

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            return self.run(options)

    def run(self, options):
        if (
            options["create_source"]
            and not DataSource.objects.filter(name=options["source"]).exists()
        ):
            source = DataSource(name=options["source"], title=options["create_source"])
            try:
                source.full_clean()
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            if not options["dry_run"]:
                source.save()
                self.stdout.write(
                    _("Data source “%(name)s” created.") % {"name": options["source"]}
                )
        try:
            source = DataSource.objects.get(name=options["source"])
        except DataSource.DoesNotExist:
            if options["create_source"] and options["dry_run"]:
                raise CommandError(
                    _(
                        "A dry run does not create the data source “%(name)s”; run without "
                        "--dry-run, or create it first."
                    )
                    % {"name": options["source"]}
                ) from None
            known = ", ".join(DataSource.objects.values_list("name", flat=True)) or "none"
            raise CommandError(
                _("No data source named “%(name)s” (known: %(known)s).")
                % {"name": options["source"], "known": known}
            ) from None
        jurisdiction = None
        if options["jurisdiction"]:
            try:
                jurisdiction = Jurisdiction.objects.get(code=options["jurisdiction"].upper())
            except Jurisdiction.DoesNotExist:
                raise CommandError(
                    _("No jurisdiction has the code “%(code)s”.")
                    % {"code": options["jurisdiction"]}
                ) from None
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No user is named “%(name)s”.") % {"name": options["user"]})
        mapping = pairs(options["map"], "map")
        defaults = pairs(options["default"], "default")
        try:
            run = pipeline.create_run(
                options["file"],
                data_source=source,
                user=user,
                jurisdiction=jurisdiction,
                mapping=mapping or None,
                defaults=defaults,
                missing=options["missing"],
            )
        except (PermissionDenied, OSError) as exc:
            raise CommandError(str(exc)) from exc
        progress = pipeline.Progress(run, echo=self.progress_line)
        run = pipeline.validate_run(run, progress=progress)
        self.stderr.write("")
        self.print_report(run, options["report"])
        if run.status != ImportRun.Status.VALIDATED:
            if options["dry_run"]:
                self.discard(run)
            sys.exit(1)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was changed."))
            self.discard(run)
            return
        try:
            run = pipeline.apply_run(
                run, user, progress=pipeline.Progress(run, echo=self.progress_line)
            )
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write("")
        counts = run.counts
        self.stdout.write(
            _(
                "Applied (import run %(run)s): %(created)s created, %(updated)s updated, "
                "%(closed)s closed."
            )
            % {
                "run": run.pk,
                "created": counts.get("created", 0),
                "updated": counts.get("updated", 0),
                "closed": counts.get("closed", 0),
            }
        )

    def progress_line(self, percent, message):
        self.stderr.write(f"\r{percent:3d}% {message}\033[K", ending="")
        self.stderr.flush()

    def print_report(self, run, report_path):
        issues = pipeline.issues_of(run)
        for issue in issues[:200]:
            where = ", ".join(
                part
                for part in (
                    issue.file,
                    _("row %(row)s") % {"row": issue.row} if issue.row else "",
                    issue.column,
                )
                if part
            )
            self.stdout.write(
                _("%(severity)s: %(where)s: %(reason)s")
                % {"severity": issue.severity_label(), "where": where, "reason": issue.text()}
            )
        if len(issues) > 200:
            self.stdout.write(
                _("… and %(count)s more (use --report FILE.csv).") % {"count": len(issues) - 200}
            )
        if report_path:
            with open(report_path, "w", encoding="utf-8", newline="") as handle:
                handle.write(pipeline.report_csv(run))
        counts = run.counts
        self.stdout.write(
            _(
                "Rows: %(rows)s; errors: %(errors)s; warnings: %(warnings)s. New: %(new)s, "
                "changed: %(changed)s, unchanged: %(unchanged)s, missing from the file: "
                "%(missing)s."
            )
            % {
                key: counts.get(key, 0)
                for key in ("rows", "errors", "warnings", "new", "changed", "unchanged", "missing")
            }
        )

        if counts.get("not_rechecked"):
            self.stdout.write(
                _(
                    "%(count)s rows are identical to the last import of their points, which "
                    "have not changed since: they were not checked again."
                )
                % {"count": counts["not_rechecked"]}
            )

    def discard(self, run):
        """A dry run leaves no run behind (its file included)."""
        run.file.delete(save=False)
        run.delete()
