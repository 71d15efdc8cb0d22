"""Follow-up semi-structured interviews and the themes they (and text answers) are coded with."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepoints.models import Organization
from servicepoints.models.jurisdictions import sees_all_jurisdictions

from .base import bilingual
from .questionnaires import QuestionnaireVersion

# The partnership types of the council's guide. The partnerships app, built in parallel, will
# own them (partnerships.PartnershipType.code); until then themes name them by this code.
PARTNERSHIP_TYPE_CODES = [
    ("co-location", _("co-location")),
    ("cross-promotion", _("cross-promotion")),
    ("joint-outreach", _("joint outreach")),
    ("hosted-outreach", _("hosted outreach")),
    ("integrated-services", _("integrated services")),
    ("digital-collaboration", _("digital collaboration")),
    ("virtual-service", _("virtual service")),
]


class Theme(models.Model):
    """A finding that recurs across interviews and answers; admins extend the vocabulary."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_fr = models.CharField(_("label (French)"), max_length=300)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    partnership_types = ArrayField(
        models.SlugField(max_length=60, choices=PARTNERSHIP_TYPE_CODES),
        verbose_name=_("partnership types"),
        default=list,
        blank=True,
        help_text=_(
            "Codes of the partnership types this theme bears on (co-location, "
            "hosted-outreach…), separated by commas."
        ),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the theme was first found, e.g. the pre-test."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.label

    @property
    def label(self):
        return bilingual(self, "label")

    @property
    def description(self):
        return bilingual(self, "description")


class InterviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Analysts and administrators see every interview; staff their organizations'."""
        if sees_all_jurisdictions(user):
            return self
        return self.filter(organization__in=Organization.objects.visible_to(user))


class Interview(models.Model):
    """A follow-up semi-structured interview with an organization."""

    date = models.DateField(_("date"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="survey_interviews",
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_interviews",
    )
    participants = models.TextField(_("participants"), help_text=_("One per line, with roles."))
    guide = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("interview guide"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
        help_text=_("The questionnaire version whose answers the interview followed up."),
    )
    guide_notes = models.TextField(_("guide used"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    quotes = models.TextField(_("quotes"), blank=True, help_text=_("One quote per paragraph."))
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="interviews"
    )

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self):
        return f"{self.date} – {self.organization}"

    def quotes_list(self):
        """The quotes, one per paragraph."""
        return [quote.strip() for quote in self.quotes.split("\n\n") if quote.strip()]
