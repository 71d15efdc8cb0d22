"""The parameters of a site suggestion, checked once for the command and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicepoints.filters import ParameterForm

from .models import CoverageStandard
from .suggest import BOTH, CANDIDATE_MODES

DEFAULT_STANDARD = "service-canada-50km"
MAX_K = 100


class SuggestForm(ParameterForm):
    """k, the distance, the standard, the candidates and the solver's time limit."""

    k = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_K, label=_("number of new sites")
    )
    within = forms.FloatField(required=False, min_value=0.1, max_value=500)
    standard = forms.CharField(required=False, max_length=60)
    candidates = forms.ChoiceField(
        required=False, choices=[(mode, mode) for mode in CANDIDATE_MODES]
    )
    min_population = forms.IntegerField(required=False, min_value=0)
    minimum = forms.BooleanField(required=False)
    per_province = forms.BooleanField(required=False)
    time_limit = forms.FloatField(required=False, min_value=1, max_value=3600)
    level = forms.CharField(required=False, max_length=20)
    year = forms.IntegerField(required=False, min_value=1800, max_value=2200)

    def clean_k(self):
        value = self.cleaned_data["k"]
        return 10 if value is None else value

    def clean_candidates(self):
        return self.cleaned_data["candidates"] or BOTH

    def clean_time_limit(self):
        return self.cleaned_data["time_limit"] or 60.0

    def clean_standard(self):
        code = self.cleaned_data["standard"] or DEFAULT_STANDARD
        standard = CoverageStandard.objects.filter(code=code).first()
        if standard is None and self.cleaned_data["standard"]:
            known = ", ".join(CoverageStandard.objects.values_list("code", flat=True))
            raise forms.ValidationError(
                _("No coverage standard “%(code)s”; use one of %(known)s."),
                code="unknown",
                params={"code": code, "known": known},
            )
        return standard

    def clean(self):
        data = super().clean()
        standard = data.get("standard")
        if data.get("within") is None and "within" not in self.errors:
            data["within"] = standard.distance_km if standard else 50.0
        if data.get("minimum") and standard is None:
            self.add_error(
                "standard",
                _("The minimum number of sites needs a coverage standard (its target share)."),
            )
        return data
