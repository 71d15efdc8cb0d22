"""The refresh of a data source, step by step, for the admin screens, the tasks and the command.

    run = create_run(file, data_source=..., user=...)   # stores the file, checksum
    validate_run(run)     # read, map, validate, stage, diff: status validated or invalid
    apply_run(run, user)  # one transaction: all or nothing
    undo_run(run, user)   # one transaction: the points as they were before

Each step checks the run's status and moves it on; a step that fails leaves the data as it was
and says why on the run.
"""

import csv
import hashlib
import io
import logging
from pathlib import Path

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..exports import neutralize
from ..models import ImportPreset, ImportRun, ServicePoint, changes_all_jurisdictions
from . import apply as applying
from . import diff as diffing
from . import gazetteer
from .issues import ERROR, ImportFileError, Issue, error, grouped, warning
from .mapping import FIELDS_BY_NAME, auto_mapping, clean_mapping
from .readers import read_table
from .validate import validate
from .value_mapping import collect_unknown, merged

Status = ImportRun.Status
logger = logging.getLogger(__name__)


class Progress:
    """Writes a run's progress on its own connection, so that it shows while the work runs
    inside a transaction that nobody else can see yet. Messages are message ids (marked with
    gettext_noop), translated when shown."""

    def __init__(self, run, echo=None):
        self.run = run
        self.echo = echo
        self.connection = None

    def __call__(self, message, percent):
        self.run.progress, self.run.progress_message = percent, str(message)[:200]
        if self.echo:
            self.echo(percent, _(message))
        self._write("progress = %s, progress_message = %s", [percent, self.run.progress_message])

    def _write(self, assignments, params):
        try:
            if self.connection is None:
                self.connection = connections.create_connection("default")
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportRun._meta.db_table} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*params, self.run.pk],
                )
        except Exception:  # progress must never break an import
            logger.warning("Could not record the progress of import run %s", self.run.pk)

    def show_status(self, status):
        """The run's status as others see it while this transaction is still open."""
        self.run.status = status
        self._write("status = %s", [status])

    def close(self):
        if self.connection is not None:
            self.connection.close()


def checksum(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_permission(user, data_source, jurisdiction):
    """Data administrators refresh anything; jurisdiction editors only their own."""
    if user is None:
        return
    if not user.has_perm("servicepoints.add_importrun"):
        raise PermissionDenied(_("You may not import service points."))
    if changes_all_jurisdictions(user):
        return
    if jurisdiction is None or not jurisdiction.can_edit(user):
        raise PermissionDenied(
            _("Choose one of your own jurisdictions: you may refresh only their points.")
        )


def create_run(
    path,
    *,
    data_source,
    user=None,
    jurisdiction=None,
    name=None,
    mapping=None,
    defaults=None,
    values=None,
    ignored=(),
    missing=ImportRun.Missing.KEEP,
):
    """Store the file and make its run (status queued). The run starts with the source's
    saved value mappings and ignored columns, `values` and `ignored` added on top."""
    check_permission(user, data_source, jurisdiction)
    path = Path(path)
    preset = ImportPreset.objects.filter(data_source=data_source).first()
    run = ImportRun(
        data_source=data_source,
        jurisdiction=jurisdiction,
        created_by=user,
        file_name=name or path.name,
        file_size=path.stat().st_size,
        checksum=checksum(path),
        mapping=mapping or {},
        defaults=defaults or {},
        values=merged(preset.values if preset else {}, values),
        ignored=list(dict.fromkeys([*(preset.ignored if preset else []), *ignored])),
        missing=missing,
    )
    with open(path, "rb") as handle:
        run.file.save(Path(name or path.name).name, File(handle), save=False)
    run.save()
    return run


def mapping_issues(mapping, table, ignored=()):
    """Whole-file errors: what the mapping must give for rows to be read at all; a warning
    for each column to ignore that the file does not have."""
    issues = [
        warning(
            "ignored_column_absent",
            gettext_noop("The column “%(value)s” is to be ignored, but the file has none."),
            file=table.name,
            value=header,
            params={"value": header},
        )
        for header in ignored
        if header not in table.headers
    ]
    if "external_id" not in mapping:
        issues.append(
            error(
                "mapping_external_id",
                gettext_noop(
                    "No column is mapped to the external id: refreshes match points on it."
                ),
                file=table.name,
            )
        )
    if "name_en" not in mapping and "name_fr" not in mapping:
        issues.append(
            error(
                "mapping_name", gettext_noop("No column is mapped to the name."), file=table.name
            )
        )
    has_location = (
        ("latitude" in mapping and "longitude" in mapping)
        or (table.geometries is not None)
        or {"postal_code", "street_address", "community"} & set(mapping)
    )
    if not has_location:
        issues.append(
            error(
                "mapping_location",
                gettext_noop(
                    "No location: map latitude and longitude, "
                    "or a postal code, address or community."
                ),
                file=table.name,
            )
        )
    if ("latitude" in mapping) != ("longitude" in mapping):
        issues.append(
            error(
                "mapping_coordinates",
                gettext_noop("Map both latitude and longitude, or neither."),
                file=table.name,
            )
        )
    return issues


def effective_mapping(run, table):
    """The source's preset (or the headers recognised), overridden field by field by the
    run's own mapping; a field mapped to "" or to an ignored column is left unmapped."""
    preset = ImportPreset.objects.filter(data_source=run.data_source).first()
    base = clean_mapping(preset.mapping, table.headers) if preset else {}
    if not base:
        base = auto_mapping(table.headers)
    if preset and not run.defaults:
        run.defaults = preset.defaults
    ignored = set(run.ignored or ())
    return {
        field: header
        for field, header in clean_mapping({**base, **(run.mapping or {})}, table.headers).items()
        if header not in ignored
    }


def read(run):
    return read_table(run.file.path, name=run.file_name)


def validate_run(run, *, progress=None):
    """Read, map, validate and stage the file; count the diff. Changes no service point."""
    progress = progress or Progress(run)
    run.status, run.error = Status.VALIDATING, ""
    run.save(update_fields=["status", "error"])
    with connection.cursor() as cursor:
        # Held while this session checks the run: `recover_interrupted` looks for it.
        cursor.execute("SELECT pg_advisory_lock(hashtext('validate'), %s)", [run.pk])
    try:
        progress(gettext_noop("Reading the file"), 2)
        try:
            table = read(run)
        except ImportFileError as exc:
            return _refuse(run, [exc.issue])
        run.file_format = table.format
        run.mapping = effective_mapping(run, table)
        problems = mapping_issues(run.mapping, table, run.ignored)
        if any(problem.is_error for problem in problems):
            return _refuse(run, problems, rows=len(table.rows))

        def rows_done(done, total):
            progress(gettext_noop("Checking the rows"), 5 + int(70 * done / max(total, 1)))

        known = dict(
            ServicePoint.objects.filter(data_source=run.data_source)
            .exclude(import_fingerprint=None)
            .values_list("external_id", "import_fingerprint")
        )
        validation = validate(
            table,
            run.mapping,
            run.defaults,
            values=run.values,
            user=run.created_by,
            jurisdiction=run.jurisdiction,
            progress=rows_done,
            known=known,
        )
        records, unchanged = validation.records, validation.unchanged
        issues = problems + validation.issues
        progress(gettext_noop("Comparing with the current points"), 80)
        with transaction.atomic():
            diffing.stage(run, records, unchanged)
            counts, moved = diffing.diff_counts(run)
        for line, external_id, distance in moved:
            issues.append(
                warning(
                    "moved",
                    gettext_noop("This point moved %(km).1f km since the last refresh."),
                    file=run.file_name,
                    row=line,
                    column=run.mapping.get("latitude", ""),
                    value=external_id,
                    params={"km": distance / 1000},
                )
            )
        errors = sum(1 for issue in issues if issue.severity == ERROR)
        rows_with_errors = len({issue.row for issue in issues if issue.severity == ERROR})
        run.unknown_values = collect_unknown(
            issues, validation.vocabulary, suggest_places=gazetteer.suggest_places
        )
        run.counts = {
            "rows": len(table.rows),
            "valid": len(records) + len(unchanged),
            # Rows identical to what made their points, which are as the import left them.
            "not_rechecked": len(unchanged),
            "skipped": max(len(table.rows) - len(records) - len(unchanged) - rows_with_errors, 0),
            "errors": errors,
            "warnings": len(issues) - errors,
            # How the rows checked were placed (coordinates, postal area, community…).
            "placed": dict(validation.placed),
            **counts,
        }
        run.report = [issue.as_dict() for issue in issues]
        run.status = Status.INVALID if errors else Status.VALIDATED
        progress(gettext_noop("Checked"), 100)
        run.progress, run.progress_message = 100, ""
        run.save()
        if errors:
            diffing.drop_staging(run)
        return run
    except Exception as exc:
        _fail(run, exc)
        raise
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext('validate'), %s)", [run.pk])
        if isinstance(progress, Progress):
            progress.close()


def _refuse(run, issues, rows=0):
    run.report = [issue.as_dict() for issue in issues]
    run.unknown_values = []
    errors = sum(1 for issue in issues if issue.is_error)
    run.counts = {"rows": rows, "errors": errors, "warnings": len(issues) - errors}
    run.status, run.progress, run.progress_message = Status.INVALID, 100, ""
    run.save()
    return run


def _fail(run, exc):
    ImportRun.objects.filter(pk=run.pk).update(status=Status.FAILED, error=str(exc)[:2000])
    run.status = Status.FAILED


def save_preset(run, user=None):
    """Keep the run's mapping, defaults, value mappings and ignored columns for the source's
    next refresh."""
    ImportPreset.objects.update_or_create(
        data_source=run.data_source,
        defaults={
            "mapping": run.mapping,
            "defaults": run.defaults,
            "values": run.values,
            "ignored": run.ignored,
            "updated_by": user,
        },
    )


def _work_lock(run):
    """The advisory lock key of work on a run: validation holds ("validate", run) for as long
    as its session runs; an apply holds ("import", source) for its transaction."""
    if run.status == Status.VALIDATING:
        return "validate", run.pk
    return "import", run.data_source_id


def recover_interrupted(run):
    """A run left "validating" or "applying" by a process that died (a stopped worker, a
    killed command). An apply's transaction was rolled back, so the data is as before and the
    run can be applied again; a check must be run again. True when it was such a run."""
    if run.status not in (Status.VALIDATING, Status.APPLYING):
        return False
    name, key = _work_lock(run)
    with transaction.atomic(), connection.cursor() as cursor:
        # Whoever works on the run holds this lock; free means nobody does.
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s), %s)", [name, key])
        if not cursor.fetchone()[0]:
            return False
        if run.status == Status.APPLYING:
            changes = {
                "status": Status.VALIDATED,
                "progress_message": gettext_noop(
                    "The last attempt to apply was interrupted; nothing changed."
                ),
            }
        else:
            changes = {
                "status": Status.FAILED,
                "progress_message": "",
                "error": gettext_noop(
                    "The check was interrupted (the task worker stopped); check the file again."
                ),
            }
        recovered = ImportRun.objects.filter(pk=run.pk, status=run.status).update(
            progress=0, **changes
        )
    if recovered:
        run.refresh_from_db()
    return bool(recovered)


def apply_run(run, user=None, *, progress=None):
    """Apply a validated run in one transaction; record it; keep the mapping as the preset.

    The run shows "applying" (written on the progress connection) while the transaction
    works; if the process dies, the transaction is rolled back and `recover_interrupted`
    puts the run back to "validated".
    """
    check_permission(user, run.data_source, run.jurisdiction)
    recover_interrupted(run)
    progress = progress or Progress(run)
    try:
        with (
            transaction.atomic(),
            pghistory.context(import_run=run.pk, user=user.pk if user else None),
        ):
            with connection.cursor() as cursor:
                # One apply per source at a time; held until this transaction ends.
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext('import'), %s)", [run.data_source_id]
                )
            status = ImportRun.objects.filter(pk=run.pk).values_list("status", flat=True).get()
            if status != Status.VALIDATED:
                raise ValidationError(_("Only a validated import can be applied."))
            if isinstance(progress, Progress):
                progress.show_status(Status.APPLYING)
            done = applying.apply(
                run,
                close_missing=run.missing == ImportRun.Missing.CLOSE,
                progress=lambda step, share: progress(STEP_LABELS[step], share),
            )
            diffing.drop_staging(run)
            run.counts = {**run.counts, **done}
            run.status, run.applied_at, run.applied_by = Status.APPLIED, timezone.now(), user
            run.progress, run.progress_message = 100, ""
            run.save()
            save_preset(run, user)
        return run
    except ValidationError:
        raise
    except Exception as exc:
        _fail(run, exc)
        raise
    finally:
        if isinstance(progress, Progress):
            progress.close()


STEP_LABELS = {
    "snapshot": gettext_noop("Keeping the points' current state"),
    "update": gettext_noop("Updating changed points"),
    "insert": gettext_noop("Adding new points"),
    "services": gettext_noop("Updating services"),
    "history": gettext_noop("Recording the changes"),
    "hours": gettext_noop("Computing opening hours"),
    "done": gettext_noop("Done"),
}


def undo_run(run, user=None):
    """Restore the points an applied run touched, if nothing changed them since."""
    if user is not None and not user.has_perm("servicepoints.undo_importrun"):
        raise PermissionDenied(_("Only data administrators may undo an import."))
    with (
        transaction.atomic(),
        pghistory.context(import_run_undone=run.pk, user=user.pk if user else None),
    ):
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != Status.APPLIED:
            raise ValidationError(_("Only an applied import can be undone."))
        later = ImportRun.objects.filter(
            data_source=run.data_source, status=Status.APPLIED, applied_at__gt=run.applied_at
        ).first()
        if later:
            raise ValidationError(
                _("A later import of this source (%(run)s) must be undone first.") % {"run": later}
            )
        changed = applying.conflicts(run)
        if changed:
            raise ValidationError(
                _(
                    "These points changed after the import, so undoing it would lose those "
                    "changes: %(ids)s."
                )
                % {"ids": ", ".join(changed[:20])}
            )
        done = applying.undo(run)
        run.status, run.undone_at, run.undone_by = Status.UNDONE, timezone.now(), user
        run.counts = {**run.counts, "undone": done}
        run.save()
    return run


def issues_of(run):
    return [Issue.from_dict(data) for data in run.report]


def grouped_issues(run):
    """The run's problems, one line per distinct problem and value (`issues.IssueGroup`)."""
    return grouped(issues_of(run), run.unknown_values or ())


REPORT_HEADERS = [
    gettext_noop("file"),
    gettext_noop("row"),
    gettext_noop("column"),
    gettext_noop("value"),
    gettext_noop("severity"),
    gettext_noop("reason"),
]


def report_csv(run):
    """The validation report as CSV text in the active language (cells neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_(header) for header in REPORT_HEADERS])
    for issue in issues_of(run):
        writer.writerow(
            [
                neutralize(issue.file),
                issue.row or "",
                neutralize(issue.column),
                neutralize(issue.value),
                issue.severity_label(),
                neutralize(issue.text()),
            ]
        )
    return "\ufeff" + out.getvalue()


def field_label(name):
    return FIELDS_BY_NAME[name].label
