"""Admin screens of the guide's chapters and the roadmap (registered from partnerships/admin.py).

Markdown that would lose something to the sanitiser (a script, an event attribute, a
javascript: link) is refused on its field, naming what, so that what the admin wrote is what
readers see; pages sanitise all the same.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import markup
from .models import GuideChapter, Milestone, Stream


class GuideChapterForm(forms.ModelForm):
    class Meta:
        model = GuideChapter
        fields = ["type", "practices", *GuideChapter.MARKDOWN_FIELDS]

    def _clean_markdown(self, name):
        text = self.cleaned_data.get(name, "")
        found = markup.unsafe_parts(text)
        if found:
            raise forms.ValidationError(
                _(
                    "This Markdown holds HTML that is not allowed and would be removed from "
                    "the page: %(parts)s. Remove it (scripts, event attributes such as "
                    "onclick and javascript: links are never shown)."
                ),
                code="unsafe_markdown",
                params={"parts": ", ".join(found)},
            )
        return text

    def clean_steps_en(self):
        return self._clean_markdown("steps_en")

    def clean_steps_fr(self):
        return self._clean_markdown("steps_fr")

    def clean_standards_en(self):
        return self._clean_markdown("standards_en")

    def clean_standards_fr(self):
        return self._clean_markdown("standards_fr")


@admin.register(GuideChapter)
class GuideChapterAdmin(admin.ModelAdmin):
    form = GuideChapterForm
    list_display = ["type", "updated_at"]
    filter_horizontal = ["practices"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["type", "practices", "updated_at"]}),
        (_("Turnkey approach: the steps"), {"fields": ["steps_en", "steps_fr"]}),
        (_("Common standards to agree"), {"fields": ["standards_en", "standards_fr"]}),
    ]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = [
        "title_en",
        "title_fr",
        "date",
        "end_date",
        "year_only",
        "status",
        "owner",
        "link",
    ]


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "code", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"code": ["name_en"]}
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title_en", "stream", "date", "end_date", "status", "owner"]
    list_filter = ["stream", "status"]
    search_fields = ["title_en", "title_fr", "owner"]
