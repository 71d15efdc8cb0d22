"""Questions of a section, the choices (or scale points) and grid rows of a question."""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import bilingual
from .questionnaires import FrozenWithVersion, Section


class Kind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    LIKERT = "likert", _("Likert scale")
    YES_NO = "yes_no", _("yes or no")
    NUMBER = "number", _("number")
    DATE = "date", _("date")
    SHORT_TEXT = "short_text", _("short text")
    LONG_TEXT = "long_text", _("long text")
    GRID = "grid", _("grid (rows × one scale)")


CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.LIKERT, Kind.GRID}
CODED_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.LIKERT, Kind.YES_NO}
TEXT_KINDS = {Kind.SHORT_TEXT, Kind.LONG_TEXT}
YES, NO = "yes", "no"
OTHER = "other"


class Question(FrozenWithVersion, models.Model):
    """A question of a section; choice kinds list their options (or scale points) as choices."""

    COPIED = [
        "position",
        "code",
        "kind",
        "text_en",
        "text_fr",
        "help_en",
        "help_fr",
        "required",
        "min_value",
        "max_value",
        "allows_other",
        "show_if_values",
    ]

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("A short key, unique in the version: the column name in exports."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text_en = models.TextField(_("question (English)"))
    text_fr = models.TextField(_("question (French)"))
    help_en = models.TextField(_("help text (English)"), blank=True)
    help_fr = models.TextField(_("help text (French)"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.DecimalField(
        _("minimum"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Numbers only: the smallest answer accepted."),
    )
    max_value = models.DecimalField(
        _("maximum"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Numbers only: the largest answer accepted."),
    )
    allows_other = models.BooleanField(
        _("offers “other, please specify”"),
        default=False,
        help_text=_("Single and multiple choice only."),
    )
    show_if_question = models.ForeignKey(
        "self",
        verbose_name=_("shown only if the answer to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        help_text=_("A choice or yes/no question of an earlier section."),
    )
    show_if_values = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("is one of"),
        default=list,
        blank=True,
        help_text=_("Choice codes (or yes / no), separated by commas."),
    )

    class Meta:
        ordering = ["section__position", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return f"{self.code}: {self.text}"

    @property
    def text(self):
        return bilingual(self, "text")

    @property
    def help(self):
        return bilingual(self, "help")

    @property
    def version(self):
        return self.section.version

    def owning_version(self):
        return self.section.version

    def clean(self):
        errors = {}
        if self.kind != Kind.NUMBER and (self.min_value is not None or self.max_value is not None):
            errors["min_value"] = _("Only number questions have bounds.")
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            errors["max_value"] = _("The maximum is smaller than the minimum.")
        if self.allows_other and self.kind not in (Kind.SINGLE, Kind.MULTIPLE):
            errors["allows_other"] = _("Only single and multiple choice offer “other”.")
        if self.section_id:
            duplicate = Question.objects.filter(
                section__version=self.section.version, code=self.code
            ).exclude(pk=self.pk)
            if duplicate.exists():
                errors["code"] = _("Another question of this version has the code %(code)s.") % {
                    "code": self.code
                }
        if self.show_if_question_id:
            condition = self.show_if_question
            if condition.kind not in CODED_KINDS:
                errors["show_if_question"] = _(
                    "Skip logic depends on a single choice, multiple choice, Likert or yes/no "
                    "question."
                )
            elif self.section_id and (
                condition.section.version_id != self.section.version_id
                or condition.section.position >= self.section.position
            ):
                errors["show_if_question"] = _(
                    "Skip logic depends on a question of an earlier section of the same version "
                    "(pages are answered without JavaScript, one at a time)."
                )
            elif not self.show_if_values:
                errors["show_if_values"] = _("Say which answers show this question.")
        elif self.show_if_values:
            errors["show_if_question"] = _("Say which question these answers belong to.")
        if errors:
            raise ValidationError(errors)

    def codes(self):
        """The answer codes this question accepts (choices, yes/no, plus "other")."""
        if self.kind == Kind.YES_NO:
            return [YES, NO]
        codes = [choice.code for choice in self.choices.all()]
        if self.allows_other:
            codes.append(OTHER)
        return codes

    def code_labels(self):
        """(code, label) pairs in the active language, in order."""
        if self.kind == Kind.YES_NO:
            from django.utils.translation import gettext

            return [(YES, gettext("Yes")), (NO, gettext("No"))]
        labels = [(choice.code, choice.label) for choice in self.choices.all()]
        if self.allows_other:
            from django.utils.translation import gettext

            labels.append((OTHER, gettext("Other, please specify")))
        return labels


class ScaleItem(FrozenWithVersion, models.Model):
    """What choices and grid rows share: a position, a code and a label in each language, in a
    question of a version (frozen with it)."""

    COPIED = ["position", "code", "label_en", "label_fr"]

    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_fr = models.CharField(_("label (French)"), max_length=300)

    class Meta:
        abstract = True
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return bilingual(self, "label")

    def owning_version(self):
        return self.question.section.version


class Choice(ScaleItem):
    """An option of a choice question, or a point of a Likert or grid scale."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )

    class Meta(ScaleItem.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="unique_choice_code")
        ]

    def clean(self):
        if self.code == OTHER:
            raise ValidationError({"code": _("“other” is reserved: tick “offers other”.")})


class GridRow(ScaleItem):
    """A row of a grid question; every row is answered on the question's one scale."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="rows"
    )

    class Meta(ScaleItem.Meta):
        verbose_name = _("grid row")
        verbose_name_plural = _("grid rows")
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="unique_grid_row_code")
        ]
