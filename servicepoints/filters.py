"""The filters shared by the map, the JSON API, the vector tiles and the exports.

`PointFilter` validates query parameters (each error names its parameter, in the user's
language); `ServicePoint.objects.filter_by(filter.cleaned_data)` applies them in SQL.
"""

import copy
import functools
import math

from django import forms
from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext_lazy as _

from .models import Jurisdiction, Kind, Level, Organization, Service, Status
from .validators import normalize_language_code

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 1_000
# Far beyond any page anyone reads, well inside PostgreSQL's bigint OFFSET.
MAX_OFFSET = 1_000_000_000


class CodeListField(forms.Field):
    """Comma-separated codes (`kind=centre,outreach`; the parameter may also repeat)."""

    def __init__(self, *, choices=None, normalize=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.choices = choices
        self.normalize = normalize

    def to_python(self, value):
        values = value if isinstance(value, list) else [value]
        codes = []
        for item in values:
            for code in (item or "").split(","):
                code = code.strip()
                if code and code not in codes:
                    codes.append(code)
        return codes

    def validate(self, value):
        super().validate(value)
        if not value:
            return  # No query for the known codes when the parameter is absent.
        known = self.choices() if callable(self.choices) else self.choices
        unknown = []
        for code in value:
            normal = self.normalize(code) if self.normalize else code
            if normal is None or (known is not None and normal not in known):
                unknown.append(code)
        if unknown:
            raise forms.ValidationError(
                _("Unknown value: %(values)s."),
                code="unknown",
                params={"values": ", ".join(unknown)},
            )

    def clean(self, value):
        codes = super().clean(value)
        if self.normalize:
            codes = [self.normalize(code) for code in codes]
        return codes


class BBoxField(forms.CharField):
    """`minlon,minlat,maxlon,maxlat` in EPSG:4326."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            numbers = [float(part) for part in value.split(",")]
        except ValueError:
            numbers = []
        if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
            raise forms.ValidationError(
                _("Give four numbers: west,south,east,north (longitude and latitude)."),
                code="bbox_format",
            )
        west, south, east, north = numbers
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise forms.ValidationError(
                _(
                    "The box must have west < east between -180 and 180, and south < north "
                    "between -90 and 90."
                ),
                code="bbox_range",
            )
        return Polygon.from_bbox((west, south, east, north))


class ParameterForm(forms.Form):
    """A form reading query parameters, whose errors name the parameters at fault."""

    def errors_by_parameter(self):
        """{parameter: [message, …]} for a JSON error response."""
        return {name: [str(m) for m in errors] for name, errors in self.errors.items()}


def _codes(model, field="code"):
    return lambda: set(model.objects.values_list(field, flat=True))


class PointFilter(ParameterForm):
    """Query parameters that select service points; all optional."""

    bbox = BBoxField(required=False)
    jurisdiction = CodeListField(choices=_codes(Jurisdiction))
    level = CodeListField(choices=set(Level.values))
    organization = CodeListField(choices=_codes(Organization))
    kind = CodeListField(choices=set(Kind.values))
    service = CodeListField(choices=_codes(Service))
    language = CodeListField(normalize=normalize_language_code)
    status = CodeListField(choices=set(Status.values))
    bilingual = forms.NullBooleanField(required=False)
    open_now = forms.NullBooleanField(required=False)
    province = CodeListField(
        choices=lambda: set(
            Jurisdiction.objects.provinces_and_territories().values_list("code", flat=True)
        )
    )
    q = forms.CharField(required=False, max_length=100, strip=True)

    @classmethod
    def from_query(cls, query_dict):
        """Read a request's GET parameters; repeated parameters are joined."""
        data = {}
        for name in cls.base_fields:
            values = query_dict.getlist(name)
            if values:
                data[name] = (
                    values if isinstance(cls.base_fields[name], CodeListField) else values[-1]
                )
        return cls(data)

    @classmethod
    def no_filters(cls):
        """The cleaned data of a query without filters, as `from_query` would give it (a fresh
        copy of one computed once: an empty query needs no form)."""
        return {name: copy.copy(value) for name, value in _no_filters(cls).items()}

    def clean_bilingual(self):
        return self._strict_boolean("bilingual")

    def clean_open_now(self):
        return self._strict_boolean("open_now")

    def _strict_boolean(self, name):
        raw = (self.data.get(name) or "").strip().lower()
        if raw in ("", "any"):
            return None
        if raw in ("true", "1", "yes"):
            return True
        if raw in ("false", "0", "no"):
            return False
        raise forms.ValidationError(_("Use true or false."), code="boolean")


class PageFilter(PointFilter):
    """The filters plus paging for list endpoints."""

    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET)

    def clean_limit(self):
        return self.cleaned_data.get("limit") or DEFAULT_LIMIT

    def clean_offset(self):
        return self.cleaned_data.get("offset") or 0


@functools.cache
def _no_filters(form_class):
    form = form_class({})
    if not form.is_valid():
        raise ValueError(f"{form_class.__name__} refuses an empty query: {form.errors}")
    return form.cleaned_data
