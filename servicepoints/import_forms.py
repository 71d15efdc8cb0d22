"""The forms of the admin's import screens: the upload, and the column mapping of a run.

Choices come from the access methods (`editable_by`), so a forged form cannot name another
jurisdiction; the pipeline checks the permission again when it makes or applies the run.
"""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .imports.issues import ImportFileError
from .imports.mapping import DEFAULTABLE, FIELDS
from .imports.readers import read_table
from .imports.values import Invalid, parse_languages
from .models import (
    DataSource,
    ImportRun,
    Jurisdiction,
    Kind,
    Organization,
    Status,
    changes_all_jurisdictions,
)

HEADERS_CACHE_SECONDS = 24 * 3600


class UploadForm(forms.Form):
    required_css_class = "required"

    file = forms.FileField(label=_("File"))
    data_source = forms.ModelChoiceField(
        DataSource.objects.none(),
        label=_("Data source"),
        help_text=_("Refreshes match the points of this source on their external id."),
    )
    jurisdiction = forms.ModelChoiceField(
        Jurisdiction.objects.none(),
        label=_("Jurisdiction"),
        required=False,
        help_text=_(
            "Rows must belong to organizations of this jurisdiction; only its points can be "
            "closed."
        ),
    )
    missing = forms.ChoiceField(
        label=_("Points of the source missing from the file"),
        choices=ImportRun.Missing.choices,
        initial=ImportRun.Missing.KEEP,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        jurisdictions = Jurisdiction.objects.editable_by(user)
        self.fields["jurisdiction"].queryset = jurisdictions
        sources = DataSource.objects.all()
        if not changes_all_jurisdictions(user):
            # Editors refresh their own jurisdictions: say which, every time.
            self.fields["jurisdiction"].required = True
            if jurisdictions.count() == 1:
                self.fields["jurisdiction"].initial = jurisdictions.get()
            sources = sources.filter(
                Q(jurisdiction__in=jurisdictions) | Q(jurisdiction__isnull=True)
            )
        else:
            self.fields["jurisdiction"].help_text = _(
                "Optional for data administrators: leave it empty to refresh the whole source."
            )
        self.fields["data_source"].queryset = sources
        self.fields["file"].help_text = _(
            "CSV, Excel (XLSX), GeoJSON, GeoPackage or zipped Shapefile, at most %(limit)s."
        ) % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s."),
                params={"limit": filesizeformat(settings.IMPORT_MAX_BYTES)},
                code="too_large",
            )
        return upload


def file_headers(run):
    """The headers of the run's file (read once, then cached); [] when it cannot be read."""
    key = f"import-headers:{run.pk}:{run.checksum}"
    headers = cache.get(key)
    if headers is None:
        try:
            table = read_table(
                run.file.path, name=run.file_name, max_bytes=settings.IMPORT_MAX_BYTES
            )
        except (ImportFileError, OSError):
            return []
        headers = list(table.headers)
        cache.set(key, headers, HEADERS_CACHE_SECONDS)
    return headers


class MappingForm(forms.Form):
    """For each field, the column that feeds it (or none); for some, a value for every row."""

    def __init__(self, *args, run, headers, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        columns = [("", _("not in the file"))] + [(header, header) for header in headers]
        defaults = run.defaults or {}
        choices = default_choices(user)
        for field in FIELDS:
            name = f"map_{field.name}"
            self.fields[name] = forms.ChoiceField(
                label=field.label,
                choices=columns,
                required=False,
                initial=(run.mapping or {}).get(field.name, ""),
            )
            default = None
            if field.name in DEFAULTABLE:
                default = f"default_{field.name}"
                label = _("Value for every row: %(field)s") % {"field": field.label}
                current = defaults.get(field.name, "")
                if field.name == "languages":
                    self.fields[default] = forms.CharField(
                        label=label,
                        required=False,
                        max_length=100,
                        initial=current,
                        help_text=_("ISO 639 codes, e.g. en, fr"),
                    )
                else:
                    options = list(choices[field.name])
                    if current and current not in dict(options):
                        options.append((current, current))
                    self.fields[default] = forms.ChoiceField(
                        label=label,
                        choices=[("", "—"), *options],
                        required=False,
                        initial=current,
                    )
            self.rows.append((field, self[name], self[default] if default else None))

    def clean_default_languages(self):
        text = self.cleaned_data.get("default_languages", "").strip()
        if text:
            try:
                parse_languages(text)
            except Invalid as exc:
                raise forms.ValidationError(
                    gettext(exc.message) % exc.params if exc.params else gettext(exc.message)
                ) from exc
        return text

    def mapping(self):
        """Every field, "" for those no column feeds (so a preset cannot map them back)."""
        return {field.name: self.cleaned_data[f"map_{field.name}"] for field in FIELDS}

    def defaults(self):
        return {
            name: self.cleaned_data[f"default_{name}"]
            for name in DEFAULTABLE
            if self.cleaned_data.get(f"default_{name}")
        }


def default_choices(user):
    """What a whole file may be given: the user's organizations, kinds, statuses, provinces."""
    return {
        "organization": [
            (organization.code, organization.name)
            for organization in Organization.objects.editable_by(user)
        ],
        "kind": list(Kind.choices),
        "status": list(Status.choices),
        "province": [
            (province.code, province.name)
            for province in Jurisdiction.objects.provinces_and_territories()
        ],
    }


def remap(run, form):
    """Keep the adjusted mapping and defaults; the run waits to be validated again."""
    run.mapping, run.defaults = form.mapping(), form.defaults()
    run.status, run.progress, run.progress_message = ImportRun.Status.QUEUED, 0, ""
    run.task_id, run.error = "", ""
    run.save(
        update_fields=[
            "mapping",
            "defaults",
            "status",
            "progress",
            "progress_message",
            "task_id",
            "error",
        ]
    )
    return run
