"""The forms of the admin's import screens: the upload, and the column mapping of a run.

Choices come from the access methods (`editable_by`), so a forged form cannot name another
jurisdiction; the pipeline checks the permission again when it makes or applies the run.
"""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .imports import gazetteer
from .imports.issues import ImportFileError
from .imports.mapping import DEFAULTABLE, FIELDS, FIELDS_BY_NAME
from .imports.mapping import normalize_header as normalize
from .imports.readers import read_table
from .imports.value_mapping import COMMUNITY, NO_VALUE, accepted, place_label
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
    return requeue(run, ["mapping", "defaults"])


def requeue(run, changed):
    """Save the `changed` fields; the run waits to be validated again."""
    run.status, run.progress, run.progress_message = ImportRun.Status.QUEUED, 0, ""
    run.task_id, run.error = "", ""
    run.save(
        update_fields=[*changed, "status", "progress", "progress_message", "task_id", "error"]
    )
    return run


# The select's value for "this value stands for no value" (stored as "" in the mapping).
NO_VALUE_CHOICE = "-"


def entry_key(field, value):
    return hashlib.md5(f"{field}\x1f{value}".encode(), usedforsecurity=False).hexdigest()[:12]


def _invalid_text(exc):
    return gettext(exc.message) % exc.params if exc.params else gettext(exc.message)


class ValuesForm(forms.Form):
    """The "Unknown values" step: for each distinct value of a vocabulary column (or
    community) that the check could not read, and each value mapping the run already has,
    what it stands for; and for each of those columns, "ignore this column".

    The closest accepted value is shown beside the select, never chosen for the user."""

    def __init__(self, *args, run, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        self.user = user
        self.entries = []
        current = run.values or {}
        shown = set()
        for entry in run.unknown_values or []:
            # A community unknown in two provinces is one mapping: listed once.
            if (entry["field"], normalize(entry["value"])) in shown:
                continue
            shown.add((entry["field"], normalize(entry["value"])))
            self.entries.append({**entry, "current": None})
        for field, entries in current.items():
            for text, code in entries.items():
                if (field, normalize(text)) not in shown:
                    shown.add((field, normalize(text)))
                    self.entries.append(
                        {
                            "field": field,
                            "column": (run.mapping or {}).get(field, ""),
                            "value": text,
                            "province": "",
                            "rows": None,
                            "first_rows": [],
                            "closest": [],
                            "current": code,
                        }
                    )
        choices = {}
        for entry in self.entries:
            entry["key"] = key = entry_key(entry["field"], entry["value"])
            field = entry["field"]
            label = _("What “%(value)s” stands for") % {"value": entry["value"]}
            if field == COMMUNITY:
                options = [("", _("— not mapped —"))] + [
                    (place["spec"], place_label(place)) for place in entry["closest"]
                ]
                current = entry["current"]
                chosen = current if current in dict(options) else ""
                self.fields[f"value-{key}"] = forms.ChoiceField(
                    label=label, choices=options, required=False, initial=chosen
                )
                self.fields[f"place-{key}"] = forms.CharField(
                    label=_("or a place of the gazetteer, or latitude,longitude"),
                    required=False,
                    max_length=120,
                    initial="" if chosen or current is None else current,
                )
            elif field == "languages":
                self.fields[f"value-{key}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=100,
                    initial=entry["current"] or "",
                    help_text=_("ISO 639 codes, e.g. en;fr (empty: not mapped)"),
                )
            else:
                if field not in choices:
                    choices[field] = [
                        ("", _("— not mapped —")),
                        (NO_VALUE_CHOICE, _("no value (the value for every row applies)")),
                        *[(code, f"{name} ({code})") for code, name in accepted(field, user)],
                    ]
                current = entry["current"]
                self.fields[f"value-{key}"] = forms.ChoiceField(
                    label=label,
                    choices=choices[field],
                    required=False,
                    initial=NO_VALUE_CHOICE if current == NO_VALUE else (current or ""),
                )
            entry["select"] = self[f"value-{key}"]
            entry["place"] = self[f"place-{key}"] if field == COMMUNITY else None
            entry["closest_labels"] = self.closest_labels(entry, choices.get(field))
        self.columns = []
        seen_columns = set()
        for entry in self.entries:
            column = entry["column"]
            if column and column not in seen_columns:
                seen_columns.add(column)
                self.columns.append(self.column(column, entry["field"]))
        for column in run.ignored or []:
            if column not in seen_columns:
                seen_columns.add(column)
                self.columns.append(self.column(column, ""))
        for column in self.columns:
            column["entries"] = [e for e in self.entries if e["column"] == column["header"]]
        # Mappings kept from the preset for a field no column feeds now: shown, so that
        # they are neither lost nor changed unseen.
        others = [entry for entry in self.entries if not entry["column"]]
        if others:
            self.columns.append(
                {"header": "", "field": "", "ignore": None, "name": None, "entries": others}
            )

    def column(self, header, field):
        name = f"ignore-{entry_key('column', header)}"
        self.fields[name] = forms.BooleanField(
            label=_("Ignore the column “%(column)s”") % {"column": header},
            required=False,
            initial=header in (self.run.ignored or []),
            help_text=_("No field reads it; the value for every row applies instead."),
        )
        field_label = FIELDS_BY_NAME[field].label if field in FIELDS_BY_NAME else ""
        return {"header": header, "field": field_label, "ignore": self[name], "name": name}

    @staticmethod
    def closest_labels(entry, options):
        if entry["field"] == COMMUNITY:
            return [place_label(place) for place in entry["closest"]]
        labels = dict(options or ())
        return [labels.get(code, code) for code in entry["closest"]]

    def clean(self):
        data = super().clean()
        self.resolved = {}
        for entry in self.entries:
            key, field = entry["key"], entry["field"]
            choice = (data.get(f"value-{key}") or "").strip()
            if field == COMMUNITY:
                typed = (data.get(f"place-{key}") or "").strip()
                if typed and choice:
                    self.add_error(
                        f"place-{key}", _("Choose a suggested place or type one, not both.")
                    )
                    continue
                if typed:
                    try:
                        gazetteer.resolve_place(typed, self.province_id(entry))
                    except gazetteer.PlaceError as exc:
                        self.add_error(f"place-{key}", _invalid_text(exc))
                        continue
                code = typed or choice or None
            elif field == "languages":
                if choice:
                    try:
                        parse_languages(choice)
                    except Invalid as exc:
                        self.add_error(f"value-{key}", _invalid_text(exc))
                        continue
                code = choice or None
            else:
                code = NO_VALUE if choice == NO_VALUE_CHOICE else (choice or None)
            self.resolved[(field, entry["value"])] = code
        return data

    @staticmethod
    def province_id(entry):
        code = entry.get("province")
        province = Jurisdiction.objects.filter(code=code).first() if code else None
        return province.pk if province else None

    def values(self):
        """The run's value mappings with this form's choices: a value left "not mapped" is
        dropped, "no value" kept as ""."""
        result = {field: dict(entries) for field, entries in (self.run.values or {}).items()}
        for (field, text), code in self.resolved.items():
            entries = result.setdefault(field, {})
            if code is None:
                entries.pop(text, None)
            else:
                entries[text] = code
        return {field: entries for field, entries in result.items() if entries}

    def ignored(self):
        return [
            column["header"]
            for column in self.columns
            if column["name"] and self.cleaned_data[column["name"]]
        ]


def revalue(run, form):
    """Keep the chosen values and ignored columns; the run waits to be validated again."""
    run.values, run.ignored = form.values(), form.ignored()
    return requeue(run, ["values", "ignored"])
