"""Invitations (private links), responses and answers."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepoints.models import Organization
from servicepoints.models.jurisdictions import sees_all_jurisdictions

from .questionnaires import QuestionnaireVersion, Status
from .questions import GridRow, Question

TOKEN_BYTES = 32  # 43 URL-safe characters, 256 bits: not guessable


def hash_token(token):
    """The SHA-256 of a token: the only form in which tokens are stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Analysts and administrators see every invitation; staff their organizations'."""
        if sees_all_jurisdictions(user):
            return self
        return self.filter(organization__in=Organization.objects.visible_to(user))

    def awaiting_answer(self):
        """Sent, unexpired invitations whose response is not submitted yet."""
        return self.filter(expires_at__gt=timezone.now(), sent_at__isnull=False).exclude(
            response__submitted_at__isnull=False
        )

    def by_token(self, token):
        return self.select_related("version__questionnaire", "organization", "response").get(
            token_hash=hash_token(token)
        )


class Invitation(models.Model):
    """A private link to answer one version, for one contact of one organization."""

    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="survey_invitations",
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminders = models.PositiveIntegerField(_("reminders sent"), default=0)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["version", "organization__name_en", "contact_name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organization", "email"], name="unique_invitation"
            )
        ]

    def __str__(self):
        return f"{self.organization} – {self.contact_name} <{self.email}>"

    @classmethod
    def create(cls, *, days=None, **fields):
        """A new invitation and its raw token (returned once, never stored)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        days = days or settings.SURVEY_INVITATION_DAYS
        invitation = cls.objects.create(
            token_hash=hash_token(token),
            expires_at=timezone.now() + timedelta(days=days),
            **fields,
        )
        return invitation, token

    def new_token(self):
        """Replace the token (a lost or leaked link); the old link stops working."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.token_hash = hash_token(token)
        self.save(update_fields=["token_hash"])
        return token

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Analysts and administrators see every response; staff their organizations'."""
        if sees_all_jurisdictions(user):
            return self
        return self.filter(organization__in=Organization.objects.visible_to(user))

    def launched(self):
        """Answers of the real launch, pre-test answers kept apart."""
        return self.filter(is_pretest=False)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Response(models.Model):
    """One invitation's answers to its version, saved page by page, submitted once."""

    invitation = models.OneToOneField(
        Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    is_pretest = models.BooleanField(
        _("pre-test"),
        default=False,
        help_text=_("Answered while the version was in pre-test: kept out of the results."),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(
                fields=["version", "is_pretest", "submitted_at"], name="response_version_idx"
            )
        ]

    def __str__(self):
        return f"{self.organization} – {self.version}"

    @classmethod
    def for_invitation(cls, invitation):
        response, _created = cls.objects.get_or_create(
            invitation=invitation,
            defaults={
                "version": invitation.version,
                "organization": invitation.organization,
                "is_pretest": invitation.version.status == Status.PRETEST,
            },
        )
        return response

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Answer(models.Model):
    """One answer: a question (and a grid row) of a response, typed by the question's kind."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    row = models.ForeignKey(
        GridRow,
        verbose_name=_("grid row"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    codes = ArrayField(
        models.CharField(max_length=60), verbose_name=_("choices"), default=list, blank=True
    )
    other_text = models.CharField(_("other, specified"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    number = models.DecimalField(
        _("number"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    date = models.DateField(_("date"), null=True, blank=True)
    themes = models.ManyToManyField(
        "surveys.Theme",
        verbose_name=_("themes"),
        blank=True,
        related_name="answers",
        help_text=_("Themes a text answer was coded with."),
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "row"],
                name="unique_answer",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["question", "response"], name="answer_question_idx")]

    def __str__(self):
        return f"{self.question.code}: {self.display()}"

    def display(self):
        """The answer as a respondent would read it, in the active language."""
        question = self.question
        if self.codes:
            labels = dict(question.code_labels())
            parts = [str(labels.get(code, code)) for code in self.codes]
            if self.other_text:
                parts.append(self.other_text)
            return "; ".join(parts)
        if self.number is not None:
            return f"{self.number.normalize():f}"
        if self.date is not None:
            return self.date.isoformat()
        return self.text
