"""The forms of the partnership pages: inventory filters, the record, its parties, a decision,
a document and an outcome. Every refusal names its field, in the user's language."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicepoints.filters import CodeListField
from servicepoints.models import Jurisdiction, Organization, ServicePoint

from .models import (
    Decision,
    Document,
    Outcome,
    PartnershipType,
    Practice,
    Rating,
    ReadinessFactor,
    Role,
    Sector,
    Status,
)

PAGE_SIZE = 50


class NoSuffix:
    """Labels without Django's trailing colon (screen readers read the label as written)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class InventoryFilter(forms.Form):
    """The inventory's filters, as query parameters (codes may be comma-separated)."""

    q = forms.CharField(label=_("Title contains"), required=False, max_length=100)
    type = CodeListField(
        label=_("Type"),
        choices=lambda: set(PartnershipType.objects.values_list("code", flat=True)),
    )
    status = CodeListField(label=_("Status"), choices=set(Status.values))
    jurisdiction = CodeListField(
        label=_("Jurisdiction"),
        choices=lambda: set(Jurisdiction.objects.values_list("code", flat=True)),
    )
    organization = CodeListField(
        label=_("Organization"),
        choices=lambda: set(Organization.objects.values_list("code", flat=True)),
    )
    practice = CodeListField(
        label=_("Practice"), choices=lambda: set(Practice.objects.values_list("code", flat=True))
    )
    year = forms.IntegerField(
        label=_("Under way in"), required=False, min_value=1900, max_value=2100
    )
    page = forms.IntegerField(required=False, min_value=1)


class SiteIdsField(forms.CharField):
    """Registry service point ids separated by commas or spaces; each must exist."""

    def to_python(self, value):
        value = super().to_python(value)
        ids = []
        for part in value.replace(",", " ").split():
            try:
                ids.append(int(part))
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a service point id (a number)."),
                    code="site_id",
                    params={"value": part},
                ) from None
        return sorted(set(ids))

    def validate(self, value):
        super().validate(value)
        found = set(ServicePoint.objects.filter(pk__in=value).values_list("pk", flat=True))
        missing = [str(pk) for pk in value if pk not in found]
        if missing:
            raise ValidationError(
                _("No service point with the id %(ids)s."),
                code="no_site",
                params={"ids": ", ".join(missing)},
            )


def _rating_fields():
    fields = {}
    for factor, label in ReadinessFactor.choices:
        fields[f"readiness_{factor}"] = forms.TypedChoiceField(
            label=label,
            choices=[("", _("not rated")), *Rating.choices],
            coerce=int,
            empty_value=None,
            required=False,
        )
        fields[f"readiness_{factor}_note"] = forms.CharField(
            label=_("Note on %(factor)s") % {"factor": label},
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    return fields


class _PartnershipForm(NoSuffix, forms.Form):
    """The record: its own fields (saved at once) and its agreed terms (through approval)."""

    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    summary_en = forms.CharField(
        label=_("Summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_fr = forms.CharField(
        label=_("Summary (French)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    type = forms.ModelChoiceField(
        label=_("Type"),
        queryset=PartnershipType.objects.all(),
        to_field_name="code",
        error_messages={"invalid_choice": _("Unknown partnership type: %(value)s.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Status.choices,
        error_messages={"invalid_choice": _("Unknown status: %(value)s.")},
    )
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    objectives_en = forms.CharField(
        label=_("Objectives (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    objectives_fr = forms.CharField(
        label=_("Objectives (French)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    sites = SiteIdsField(
        label=_("Sites (service point ids)"),
        required=False,
        help_text=_("The ids of the registry's service points, separated by commas."),
    )
    communities_served = forms.CharField(
        label=_("Communities or areas served"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    practices = forms.ModelMultipleChoiceField(
        label=_("Practices adopted"),
        queryset=Practice.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown practice: %(value)s.")},
    )
    costs = forms.CharField(
        label=_("Costs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lessons_en = forms.CharField(
        label=_("Lessons learned (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lessons_fr = forms.CharField(
        label=_("Lessons learned (French)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Note for the other parties"),
        required=False,
        max_length=300,
        help_text=_("Why the agreed terms change (shown with the pending change)."),
    )

    RECORD_FIELDS = (
        "title_en",
        "title_fr",
        "summary_en",
        "summary_fr",
        "communities_served",
        "costs",
        "lessons_en",
        "lessons_fr",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date comes before the start date."))
        return data

    def readiness_fields(self):
        """(rating field, note field) per factor, for the template."""
        return [
            (self[f"readiness_{factor}"], self[f"readiness_{factor}_note"])
            for factor in ReadinessFactor.values
        ]

    def record_fields(self):
        return {name: self.cleaned_data[name] for name in self.RECORD_FIELDS}

    def terms(self, parties):
        data = self.cleaned_data
        return {
            "type": data["type"].code,
            "status": data["status"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "objectives_en": data["objectives_en"],
            "objectives_fr": data["objectives_fr"],
            "parties": parties,
            "sites": data["sites"],
        }

    def readiness(self):
        data = self.cleaned_data
        return {
            factor: (data[f"readiness_{factor}"], data[f"readiness_{factor}_note"])
            for factor in ReadinessFactor.values
        }


# The four readiness factors, each a rating and a note.
PartnershipForm = type("PartnershipForm", (_PartnershipForm,), _rating_fields())


class PartyForm(NoSuffix, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.select_related("jurisdiction"),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": _("Not an organization of the registry: %(value)s.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PARTNER)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=Sector.choices, initial=Sector.GOVERNMENT
    )


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            organization = form.cleaned_data.get("organization")
            if organization is None:
                continue
            if organization.pk in seen:
                form.add_error("organization", _("This organization is already a party."))
            seen.add(organization.pk)
        if not seen:
            raise ValidationError(_("A partnership has at least one party."), code="no_party")

    def parties(self):
        return [
            [
                form.cleaned_data["organization"].pk,
                form.cleaned_data["role"],
                form.cleaned_data["sector"],
            ]
            for form in self.forms
            if form.cleaned_data.get("organization")
        ]


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=2, max_num=20)


class DecisionForm(NoSuffix, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class DocumentForm(NoSuffix, forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "file"]


class OutcomeForm(NoSuffix, forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["name_en", "name_fr", "baseline", "target", "actual", "date"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
