"""Questionnaires, their versions (with the lifecycle) and sections."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import bilingual


class Questionnaire(models.Model):
    """A questionnaire the council sends; its content lives in its versions."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.title

    @property
    def title(self):
        return bilingual(self, "title")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PRETEST = "pretest", _("pre-test")
    LAUNCHED = "launched", _("launched")
    CLOSED = "closed", _("closed")


# The moves the lifecycle allows: draft → pre-test → launched → closed (and back from pre-test
# to draft while the questions are being fixed).
TRANSITIONS = {
    Status.DRAFT: {Status.PRETEST, Status.LAUNCHED},
    Status.PRETEST: {Status.DRAFT, Status.LAUNCHED},
    Status.LAUNCHED: {Status.CLOSED},
    Status.CLOSED: set(),
}


class FrozenVersionError(ValidationError):
    """A launched or closed version's content cannot change."""


class QuestionnaireVersion(models.Model):
    """One edition of a questionnaire; answers stay tied to the version they answered."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    launched_at = models.DateTimeField(_("launched"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="unique_questionnaire_version"
            )
        ]

    def __str__(self):
        return _("%(title)s, version %(number)s (%(status)s)") % {
            "title": self.questionnaire.title,
            "number": self.number,
            "status": self.get_status_display(),
        }

    @property
    def intro(self):
        return bilingual(self, "intro")

    @property
    def is_frozen(self):
        """Launched and closed versions keep their questions as answered."""
        return self.status in (Status.LAUNCHED, Status.CLOSED)

    @property
    def accepts_answers(self):
        return self.status in (Status.PRETEST, Status.LAUNCHED)

    def move_to(self, status):
        """Change the lifecycle status, refusing moves the lifecycle does not allow."""
        if status not in TRANSITIONS[self.status]:
            raise ValidationError(
                _("A %(current)s version cannot become %(wanted)s.")
                % {"current": self.get_status_display(), "wanted": Status(status).label}
            )
        if status == Status.LAUNCHED:
            self.launched_at = timezone.now()
        if status == Status.CLOSED:
            self.closed_at = timezone.now()
        self.status = status
        self.save(update_fields=["status", "launched_at", "closed_at"])

    def check_editable(self):
        if self.is_frozen:
            raise FrozenVersionError(
                _(
                    "Version %(number)s is %(status)s: its questions are frozen. "
                    "Make a new draft version to change them."
                )
                % {"number": self.number, "status": self.get_status_display()}
            )

    def clear_pretest_answers(self):
        """Delete the answers given during the pre-test; returns how many responses went."""
        from .responses import Response

        _total, by_model = Response.objects.filter(version=self, is_pretest=True).delete()
        return by_model.get("surveys.Response", 0)

    def questions(self):
        from .questions import Question

        return Question.objects.filter(section__version=self).order_by(
            "section__position", "position"
        )

    @transaction.atomic
    def new_draft(self):
        """A copy of this version, as a draft with the next number, skip logic included."""
        from .questions import Choice, GridRow, Question

        number = (
            self.questionnaire.versions.aggregate(models.Max("number"))["number__max"] or 0
        ) + 1
        copy = QuestionnaireVersion.objects.create(
            questionnaire=self.questionnaire,
            number=number,
            intro_en=self.intro_en,
            intro_fr=self.intro_fr,
        )
        copies = {}
        conditions = []
        for section in self.sections.prefetch_related("questions__choices", "questions__rows"):
            section_copy = Section.objects.create(
                version=copy,
                **{f: getattr(section, f) for f in Section.COPIED},
            )
            for question in section.questions.all():
                question_copy = Question.objects.create(
                    section=section_copy,
                    **{f: getattr(question, f) for f in Question.COPIED},
                )
                copies[question.pk] = question_copy
                if question.show_if_question_id:
                    conditions.append((question_copy, question.show_if_question_id))
                Choice.objects.bulk_create(
                    Choice(question=question_copy, **{f: getattr(c, f) for f in Choice.COPIED})
                    for c in question.choices.all()
                )
                GridRow.objects.bulk_create(
                    GridRow(question=question_copy, **{f: getattr(r, f) for f in GridRow.COPIED})
                    for r in question.rows.all()
                )
        for question_copy, original_id in conditions:
            question_copy.show_if_question = copies[original_id]
            question_copy.save(update_fields=["show_if_question"])
        return copy


class FrozenWithVersion:
    """Content of a version: refuses to change once the version is launched or closed.

    Historical models (in migrations) have none of the methods: the check is skipped there.
    """

    def _check_version(self):
        if hasattr(self, "owning_version"):
            self.owning_version().check_editable()

    def save(self, *args, **kwargs):
        self._check_version()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_version()
        return super().delete(*args, **kwargs)


class Section(FrozenWithVersion, models.Model):
    """A page of a questionnaire: respondents answer one section at a time."""

    COPIED = ["position", "title_en", "title_fr", "intro_en", "intro_fr"]

    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title

    @property
    def title(self):
        return bilingual(self, "title")

    @property
    def intro(self):
        return bilingual(self, "intro")

    def owning_version(self):
        return self.version
