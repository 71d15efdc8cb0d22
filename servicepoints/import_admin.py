"""The admin's import screens around `ImportRun`: upload, the run page (progress, mapping,
report, preview, apply, undo), the progress endpoint and the report download.

Every view starts from `ImportRun.objects.visible_to(user)` (another jurisdiction's run is a
404); making, re-mapping and applying a run go through `pipeline.check_permission`, so a forged
form for another jurisdiction is refused on the server. The work itself runs as tasks
(`servicepoints.tasks`) on `manage.py db_worker`; the run page polls its progress.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import import_preview as preview
from . import tasks
from .import_forms import MappingForm, UploadForm, ValuesForm, file_headers, remap, revalue
from .imports import pipeline
from .imports.issues import ERROR, WARNING
from .imports.locations import placement_summary
from .models import ImportPreset, ImportRun, Jurisdiction
from .views import CANADA_BOUNDS

Status = ImportRun.Status
TEMPLATES = "admin/servicepoints/importrun/"
ISSUES_PER_PAGE = 50
# A run's mapping can be changed (and the file checked again) in these states.
REMAPPABLE = (Status.VALIDATED, Status.INVALID, Status.FAILED)


def _page_number(request, name):
    try:
        return max(1, int(request.GET.get(name, 1)))
    except ValueError:
        return 1


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Import runs, scoped to the user's jurisdictions; a run moves on through its steps and
    is never edited as a model form."""

    list_display = [
        "created_at",
        "data_source",
        "jurisdiction",
        "file_name",
        "created_by",
        "status",
        "count_summary",
    ]
    list_select_related = ["data_source", "jurisdiction", "created_by"]
    list_filter = [
        "status",
        ("data_source", admin.RelatedOnlyFieldListFilter),
        ("jurisdiction", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["file_name"]
    list_per_page = 50
    show_full_result_count = False
    # No bulk delete: deletion is decided run by run (never applied, not at work).
    actions = None

    def get_queryset(self, request):
        return ImportRun.objects.visible_to(request.user).select_related(*self.list_select_related)

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and Jurisdiction.objects.editable_by(request.user).exists()
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.can_delete(request.user))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        obj.file.delete(save=False)

    @admin.display(description=_("counts"))
    def count_summary(self, run):
        counts = run.counts or {}
        keys = [("rows", _("rows")), ("errors", _("errors")), ("warnings", _("warnings"))]
        if run.applied_at:
            keys += [("created", _("created")), ("updated", _("changed")), ("closed", _("closed"))]
        else:
            keys += [("new", _("new")), ("changed", _("changed")), ("missing", _("missing"))]
        return " · ".join(f"{label} {counts[key]}" for key, label in keys if key in counts) or "—"

    def get_urls(self):
        view = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("<int:object_id>/progress/", view(self.progress_view), name=f"{name}_progress"),
            path("<int:object_id>/mapping/", view(self.mapping_view), name=f"{name}_mapping"),
            path("<int:object_id>/values/", view(self.values_view), name=f"{name}_values"),
            path("<int:object_id>/report.csv", view(self.report_view), name=f"{name}_report"),
            path("<int:object_id>/apply/", view(self.apply_view), name=f"{name}_apply"),
            path("<int:object_id>/undo/", view(self.undo_view), name=f"{name}_undo"),
            *super().get_urls(),
        ]

    # Helpers

    def get_run(self, request, object_id):
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def run_url(self, run):
        return reverse("admin:servicepoints_importrun_change", args=[run.pk])

    @staticmethod
    def may_import(user, run):
        try:
            pipeline.check_permission(user, run.data_source, run.jurisdiction)
        except PermissionDenied:
            return False
        return True

    def context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subtitle": None,
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    # Upload

    def add_view(self, request, form_url="", extra_context=None):
        """Upload a file: make its run and queue its validation."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES, user=request.user)
            if form.is_valid():
                run = self.create_run(request, form.cleaned_data)
                tasks.start_validation(run)
                self.log_addition(request, run, [{"added": {}}])
                return redirect(self.run_url(run))
        else:
            form = UploadForm(user=request.user)
        context = self.context(
            request, _("Import service points"), form=form, media=self.media + form.media
        )
        return TemplateResponse(request, f"{TEMPLATES}upload.html", context)

    @staticmethod
    def create_run(request, data):
        """The run of an uploaded file (pipeline.create_run checks the permission again)."""
        upload = data["file"]
        options = {
            "data_source": data["data_source"],
            "user": request.user,
            "jurisdiction": data["jurisdiction"],
            "missing": data["missing"],
            "name": Path(upload.name).name,
        }
        if hasattr(upload, "temporary_file_path"):
            return pipeline.create_run(upload.temporary_file_path(), **options)
        with tempfile.TemporaryDirectory() as folder:
            stored = Path(folder) / "upload"
            with open(stored, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            return pipeline.create_run(stored, **options)

    # The run page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self.run_page(request, self.get_run(request, object_id))

    def run_page(self, request, run, mapping_form=None, values_form=None):
        # A run its worker or command left half done shows as what it now is.
        pipeline.recover_interrupted(run)
        user = request.user
        may_import = self.may_import(user, run)
        created, changed, closed = preview.apply_summary(run)
        context = self.context(
            request,
            _("Import run %(id)s") % {"id": run.pk},
            run=run,
            original=run,
            counts=run.counts or {},
            issues=self.issues_context(request, run),
            can_apply=run.status == Status.VALIDATED and may_import,
            apply_counts={"created": created, "changed": changed, "closed": closed},
            can_undo=run.status == Status.APPLIED
            and user.has_perm("servicepoints.undo_importrun"),
            can_delete=self.has_delete_permission(request, run),
            undone=(run.counts or {}).get("undone"),
            placed=placement_summary((run.counts or {}).get("placed")),
        )
        if run.is_at_work:
            context["progress_config"] = {
                "url": reverse("admin:servicepoints_importrun_progress", args=[run.pk]),
                "status": run.status,
            }
        if run.status in REMAPPABLE and may_import:
            headers = file_headers(run)
            if headers:
                context["mapping_form"] = mapping_form or MappingForm(
                    run=run, headers=headers, user=user
                )
                context["preset"] = ImportPreset.objects.filter(
                    data_source=run.data_source
                ).first()
            if run.unknown_values or run.values or run.ignored:
                context["values_form"] = values_form or ValuesForm(run=run, user=user)
        if run.status == Status.VALIDATED:
            context.update(self.preview_context(request, run))
        return TemplateResponse(request, f"{TEMPLATES}run.html", context)

    @staticmethod
    def issues_context(request, run):
        """A page of the report: one line per distinct problem (and value), or with
        `?view=rows` one line per row."""
        severity = request.GET.get("severity")
        if severity not in (ERROR, WARNING):
            severity = ""
        by_row = request.GET.get("view") == "rows"
        issues = pipeline.issues_of(run) if by_row else pipeline.grouped_issues(run)
        if severity:
            issues = [issue for issue in issues if issue.severity == severity]
        paginator = Paginator(issues, ISSUES_PER_PAGE)
        return {
            "severity": severity,
            "by_row": by_row,
            "page": paginator.get_page(_page_number(request, "issues_page")),
            "total": len(run.report or []),
        }

    @staticmethod
    def preview_context(request, run):
        tabs = [(key, label, (run.counts or {}).get(key, 0)) for key, label in preview.TABS]
        tab = request.GET.get("tab")
        if tab not in dict(preview.TABS):
            tab = "new"
        points = preview.map_points(run)
        labels = dict(preview.TABS)
        return {
            "tabs": tabs,
            "preview": preview.preview_page(run, tab, _page_number(request, "page")),
            "map_limit": preview.MAP_LIMIT,
            "map_config": {
                "points": points,
                "labels": {key: str(label) for key, label in labels.items()},
                "bounds": CANADA_BOUNDS,
                "basemap": {
                    "url": settings.BASEMAP_TILES_URL,
                    "attribution": settings.BASEMAP_ATTRIBUTION,
                },
            },
        }

    # Small endpoints

    def progress_view(self, request, object_id):
        """Where the run is (status, percentage, message), for the run page to poll."""
        run = self.get_run(request, object_id)
        pipeline.recover_interrupted(run)
        response = JsonResponse(
            {
                "status": run.status,
                "status_label": str(run.get_status_display()),
                "progress": run.progress,
                # Message ids, translated for the reader.
                "message": gettext(run.progress_message) if run.progress_message else "",
                "at_work": run.is_at_work,
            }
        )
        response["Cache-Control"] = "no-store"
        return response

    def report_view(self, request, object_id):
        """The validation report as CSV, in the reader's language."""
        run = self.get_run(request, object_id)
        response = HttpResponse(pipeline.report_csv(run), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-run-{run.pk}-report.csv"'
        return response

    # Actions (POST only; CSRF-protected by admin_view)

    @staticmethod
    def check_import(user, run):
        pipeline.check_permission(user, run.data_source, run.jurisdiction)

    def mapping_view(self, request, object_id):
        """Keep an adjusted mapping and check the file again with it."""
        if request.method != "POST":
            return redirect(self.run_url(self.get_run(request, object_id)))
        run = self.get_run(request, object_id)
        self.check_import(request.user, run)
        if run.status not in REMAPPABLE:
            messages.error(request, _("The mapping of this import can no longer be changed."))
            return redirect(self.run_url(run))
        form = MappingForm(request.POST, run=run, headers=file_headers(run), user=request.user)
        if not form.is_valid():
            return self.run_page(request, run, mapping_form=form)
        remap(run, form)
        tasks.start_validation(run)
        messages.success(request, _("The file is being checked again with this mapping."))
        return redirect(self.run_url(run))

    def values_view(self, request, object_id):
        """Keep what the file's unknown values stand for (and the columns to ignore), and
        check the file again with them."""
        run = self.get_run(request, object_id)
        if request.method != "POST":
            return redirect(self.run_url(run))
        self.check_import(request.user, run)
        if run.status not in REMAPPABLE:
            messages.error(request, _("The values of this import can no longer be changed."))
            return redirect(self.run_url(run))
        form = ValuesForm(request.POST, run=run, user=request.user)
        if not form.is_valid():
            return self.run_page(request, run, values_form=form)
        revalue(run, form)
        tasks.start_validation(run)
        messages.success(request, _("The file is being checked again with these values."))
        return redirect(self.run_url(run))

    def apply_view(self, request, object_id):
        return require_POST(self._apply)(request, object_id)

    def _apply(self, request, object_id):
        run = self.get_run(request, object_id)
        self.check_import(request.user, run)
        if run.status != Status.VALIDATED:
            messages.error(request, _("Only a validated import can be applied."))
            return redirect(self.run_url(run))
        tasks.start_apply(run, request.user)
        return redirect(self.run_url(run))

    def undo_view(self, request, object_id):
        return require_POST(self._undo)(request, object_id)

    def _undo(self, request, object_id):
        if not request.user.has_perm("servicepoints.undo_importrun"):
            raise PermissionDenied
        run = self.get_run(request, object_id)
        try:
            run = pipeline.undo_run(run, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.run_url(run))
        done = run.counts.get("undone", {})
        messages.success(
            request,
            _("Import undone. Points restored: %(restored)s; new points deleted: %(deleted)s.")
            % {"restored": done.get("restored", 0), "deleted": done.get("deleted", 0)},
        )
        return redirect(self.run_url(run))
