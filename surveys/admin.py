"""Admin screens to build questionnaires (inlines per level), run their lifecycle, invite
organizations and keep the interview themes.

A launched or closed version is read-only here: its sections, questions and choices refuse
changes (the models check it too); "Make a new draft version" copies it for editing.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from servicepoints.models import Organization

from . import invitations
from .models import (
    Choice,
    GridRow,
    Interview,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
    Status,
    Theme,
)


def _frozen(obj):
    if obj is None:
        return False
    version = obj if isinstance(obj, QuestionnaireVersion) else obj.owning_version()
    return version.is_frozen


class FrozenContentAdmin(admin.ModelAdmin):
    """Content of a launched or closed version can be read, never changed."""

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


class FrozenInline:
    def has_add_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


class VersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    fields = ["number", "status", "created_at", "launched_at", "closed_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title_en", "code"]
    prepopulated_fields = {"code": ["title_en"]}
    inlines = [VersionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            QuestionnaireVersion.objects.create(questionnaire=obj, number=1)


class SectionInline(FrozenInline, admin.StackedInline):
    model = Section
    fields = ["position", "title_en", "title_fr", "intro_en", "intro_fr"]
    extra = 0
    show_change_link = True


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "launched_at", "response_count"]
    list_filter = ["status", "questionnaire"]
    readonly_fields = ["questionnaire", "number", "status", "launched_at", "closed_at"]
    fields = [*readonly_fields, "intro_en", "intro_fr"]
    inlines = [SectionInline]
    actions = [
        "make_new_draft",
        "start_pretest",
        "launch",
        "close",
        "clear_pretest_answers",
        "remind",
    ]

    def has_add_permission(self, request):
        return False  # versions come from a questionnaire, or a copy of another version

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("submitted responses"))
    def response_count(self, obj):
        return obj.responses.filter(submitted_at__isnull=False, is_pretest=False).count()

    @admin.action(description=_("Make a new draft version (a copy to edit)"))
    def make_new_draft(self, request, queryset):
        for version in queryset:
            copy = version.new_draft()
            self.message_user(request, _("Created %(version)s.") % {"version": copy})

    def _move(self, request, queryset, status):
        for version in queryset:
            try:
                version.move_to(status)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("%(version)s.") % {"version": version})

    @admin.action(description=_("Start the pre-test"))
    def start_pretest(self, request, queryset):
        self._move(request, queryset, Status.PRETEST)

    @admin.action(description=_("Launch (freezes the questions)"))
    def launch(self, request, queryset):
        self._move(request, queryset, Status.LAUNCHED)

    @admin.action(description=_("Close (no more answers)"))
    def close(self, request, queryset):
        self._move(request, queryset, Status.CLOSED)

    @admin.action(description=_("Clear the pre-test answers"))
    def clear_pretest_answers(self, request, queryset):
        count = sum(version.clear_pretest_answers() for version in queryset)
        self.message_user(
            request,
            ngettext(
                "Deleted %(count)d pre-test response.",
                "Deleted %(count)d pre-test responses.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Remind invitees who have not submitted"))
    def remind(self, request, queryset):
        base_url = request.build_absolute_uri("/")
        count = sum(invitations.send_reminders(version, base_url) for version in queryset)
        self.message_user(
            request,
            ngettext("Sent %(count)d reminder.", "Sent %(count)d reminders.", count)
            % {"count": count},
        )


class QuestionInline(FrozenInline, admin.StackedInline):
    model = Question
    fk_name = "section"
    fields = [
        ("position", "code", "kind", "required"),
        ("text_en", "text_fr"),
        ("help_en", "help_fr"),
    ]
    extra = 0
    show_change_link = True


@admin.register(Section)
class SectionAdmin(FrozenContentAdmin):
    list_display = ["title_en", "version", "position"]
    list_filter = ["version"]
    inlines = [QuestionInline]

    def has_module_permission(self, request):
        return False  # reached from its version


class ChoiceInline(FrozenInline, admin.TabularInline):
    model = Choice
    fields = ["position", "code", "label_en", "label_fr"]
    extra = 0
    verbose_name_plural = _("choices (or the points of the scale)")


class GridRowInline(FrozenInline, admin.TabularInline):
    model = GridRow
    fields = ["position", "code", "label_en", "label_fr"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(FrozenContentAdmin):
    list_display = ["code", "kind", "section", "required"]
    list_filter = ["kind", "section__version"]
    fieldsets = [
        (None, {"fields": ["section", "position", "code", "kind", "required"]}),
        (_("Text"), {"fields": [("text_en", "text_fr"), ("help_en", "help_fr")]}),
        (_("Numbers"), {"fields": [("min_value", "max_value")]}),
        (_("Choices"), {"fields": ["allows_other"]}),
        (_("Skip logic"), {"fields": ["show_if_question", "show_if_values"]}),
    ]
    inlines = [ChoiceInline, GridRowInline]

    def has_module_permission(self, request):
        return False  # reached from its section

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("section", "show_if_question"):
            model = Section if db_field.name == "section" else Question
            path = "version__status__in" if model is Section else "section__version__status__in"
            kwargs["queryset"] = model.objects.filter(**{path: [Status.DRAFT, Status.PRETEST]})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["organization", "contact_name", "email", "version", "sent_at", "answered"]
    list_filter = ["version", "organization__jurisdiction"]
    search_fields = ["contact_name", "email", "organization__name_en"]
    fields = ["version", "organization", "contact_name", "email", "language"]
    readonly_fields = ["expires_at", "sent_at", "reminded_at", "reminders"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .select_related("organization", "version__questionnaire", "response")
        )

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.fields, *self.readonly_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = QuestionnaireVersion.objects.filter(
                status__in=[Status.PRETEST, Status.LAUNCHED]
            ).select_related("questionnaire")
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("answered"), boolean=True)
    def answered(self, obj):
        response = getattr(obj, "response", None)
        return bool(response and response.submitted_at)

    def save_model(self, request, obj, form, change):
        if change:
            return
        invitation = invitations.invite(
            version=obj.version,
            organization=obj.organization,
            contact_name=obj.contact_name,
            email=obj.email,
            language=obj.language,
            base_url=request.build_absolute_uri("/"),
        )
        obj.pk = invitation.pk
        self.message_user(
            request, format_html(_("Invitation sent to {email}."), email=invitation.email)
        )


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["organization", "version", "is_pretest", "updated_at", "submitted_at"]
    list_filter = ["version", "is_pretest", "organization__jurisdiction"]
    readonly_fields = ["invitation", "version", "organization", "is_pretest", "submitted_at"]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "label_en", "partnership_types", "source"]
    fields = [
        "code",
        ("label_en", "label_fr"),
        ("description_en", "description_fr"),
        "partnership_types",
        "source",
    ]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["date", "organization", "interviewer"]
    list_filter = ["themes", "organization__jurisdiction"]
    filter_horizontal = ["themes"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and obj.interviewer_id is None:
            obj.interviewer = request.user
        super().save_model(request, obj, form, change)
