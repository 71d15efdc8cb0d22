"""`python manage.py import_servicepoints FILE --source NAME`: the admin's import, scripted."""

import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from servicepoints.imports import pipeline
from servicepoints.imports.locations import placement_summary
from servicepoints.imports.mapping import FIELDS_BY_NAME
from servicepoints.imports.value_mapping import (
    COMMUNITY,
    VOCABULARY_FIELDS,
    check_code,
    parse_place_option,
    parse_value_option,
)
from servicepoints.imports.values import Invalid
from servicepoints.imports.vocabulary import Vocabulary
from servicepoints.models import DataSource, ImportPreset, ImportRun, Jurisdiction

# Grouped problems printed before "… and N more (use --report FILE.csv)".
PRINTED_GROUPS = 200


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


def value_options(values, places):
    """{field: {value in the file: code}} from --value and --place; codes are checked."""
    result = {}
    vocabulary = None
    for text in values or []:
        try:
            field, file_value, code = parse_value_option(text)
        except ValueError:
            raise CommandError(
                _(
                    "--value %(option)s: write FIELD:VALUE IN THE FILE=CODE with FIELD one of "
                    '%(fields)s, e.g. --value "kind:ServiceOntario Centre=centre".'
                )
                % {"option": repr(text), "fields": ", ".join(VOCABULARY_FIELDS)}
            ) from None
        vocabulary = vocabulary or Vocabulary()
        try:
            check_code(field, code, vocabulary)
        except Invalid as exc:
            raise CommandError(f"--value {text!r}: {_(exc.message) % exc.params}") from None
        result.setdefault(field, {})[file_value] = code
    for text in places or []:
        try:
            community, place = parse_place_option(text)
        except ValueError:
            raise CommandError(
                _(
                    "--place %(option)s: write COMMUNITY=PLACE (a gazetteer name, “Name, ON”) "
                    "or COMMUNITY=LATITUDE,LONGITUDE."
                )
                % {"option": repr(text)}
            ) from None
        result.setdefault(COMMUNITY, {})[community] = place
    return result


class Command(BaseCommand):
    help = (
        "Refresh a data source's service points from a file (CSV, XLSX, GeoJSON, GeoPackage or "
        "zipped Shapefile): read, validate every row, compare with the source's current points "
        "and apply everything in one transaction, as the admin's import screen does. With "
        "--dry-run nothing changes. The exit status is 1 when any row has an error (nothing is "
        "applied then). Values the registry does not know are listed once each, with the "
        "accepted values and the closest one; map them with --value, or ignore their column "
        "with --ignore. Example: python manage.py import_servicepoints offices.csv "
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
            help="A value for the rows where the file gives none: the cell is empty, the "
            "column is ignored (--ignore) or not in the file, or its value is mapped to "
            "nothing; e.g. organization=service-canada, kind=centre. A value the file does "
            "give is never replaced: map it with --value.",
        )
        parser.add_argument(
            "--value",
            action="append",
            metavar="FIELD:FILE_VALUE=CODE",
            help="What one of the file's values stands for (repeatable), e.g. "
            '--value "kind:ServiceOntario Centre=centre"; FIELD is one of '
            + ", ".join(VOCABULARY_FIELDS)
            + "; an empty CODE means no value (the --default applies). Kept in the source's "
            "preset when the import is applied (or with --save-preset).",
        )
        parser.add_argument(
            "--ignore",
            action="append",
            metavar="HEADER",
            help="A column of the file that no field reads (repeatable), e.g. --ignore Type.",
        )
        parser.add_argument(
            "--place",
            action="append",
            metavar="COMMUNITY=PLACE",
            help="Where a community the gazetteer does not know is (repeatable): a gazetteer "
            'place (--place "Sudbury=Greater Sudbury", or "Name, ON") or coordinates '
            '(--place "Kashechewan=52.29,-81.63").',
        )
        parser.add_argument(
            "--save-preset",
            action="store_true",
            help="Save the mapping, defaults, values, places and ignored columns in the "
            "source's preset now, even with --dry-run or when rows have errors (an apply "
            "always saves them).",
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
        values = value_options(options["value"], options["place"])
        try:
            run = pipeline.create_run(
                options["file"],
                data_source=source,
                user=user,
                jurisdiction=jurisdiction,
                mapping=mapping or None,
                defaults=defaults,
                values=values,
                ignored=options["ignore"] or (),
                missing=options["missing"],
            )
        except (PermissionDenied, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.print_preset(source, run)
        progress = pipeline.Progress(run, echo=self.progress_line)
        run = pipeline.validate_run(run, progress=progress)
        self.stderr.write("")
        self.print_report(run, options["report"])
        if options["save_preset"] and run.status in (
            ImportRun.Status.VALIDATED,
            ImportRun.Status.INVALID,
        ):
            pipeline.save_preset(run, user)
            self.stdout.write(
                _("Saved the mapping and values in the preset of “%(source)s”.")
                % {"source": source.name}
            )
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

    def print_preset(self, source, run):
        """Say which saved value mappings and ignored columns this run starts with."""
        preset = ImportPreset.objects.filter(data_source=source).first()
        if preset is None or not (preset.values or preset.ignored):
            return
        count = sum(len(entries) for entries in preset.values.values())
        self.stdout.write(
            _(
                "From the preset of “%(source)s”: %(count)s value mappings, ignored columns: "
                "%(ignored)s."
            )
            % {"source": source.name, "count": count, "ignored": ", ".join(preset.ignored) or "—"}
        )

    def print_report(self, run, report_path):
        """One line per distinct problem (an unknown value once, with its rows), then the
        counts; the CSV report (--report) keeps every row."""
        groups = pipeline.grouped_issues(run)
        for group in groups[:PRINTED_GROUPS]:
            where = ", ".join(part for part in (group.first.file, group.where()) if part)
            if group.unknown is not None:
                where = group.first.file
            self.stdout.write(
                _("%(severity)s: %(where)s: %(reason)s")
                % {"severity": group.severity_label(), "where": where, "reason": group.reason()}
            )
        if len(groups) > PRINTED_GROUPS:
            self.stdout.write(
                _("… and %(count)s more (use --report FILE.csv).")
                % {"count": len(groups) - PRINTED_GROUPS}
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

        placed = placement_summary(counts.get("placed"))
        if placed:
            self.stdout.write(
                _("Placed: %(placed)s of %(rows)s rows checked (%(share)s %%): %(means)s.")
                % {
                    **placed,
                    "means": ", ".join(
                        f"{label} {count}"
                        + (
                            " (" + ", ".join(f"{g} {n}" for g, n in gazetteers) + ")"
                            if gazetteers
                            else ""
                        )
                        for label, count, gazetteers in placed["means"]
                    ),
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
