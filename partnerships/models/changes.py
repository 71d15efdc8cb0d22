"""A change to the agreed terms proposed by one party, and each other party's decision."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepoints.models import Jurisdiction

from .choices import ChangeState, Decision
from .records import Partnership


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class ChangeRequest(models.Model):
    """New agreed terms (type, status, dates, objectives, parties, sites) waiting for the
    approval of staff of every other government party; applied when the last one approves."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    terms = models.JSONField(
        _("proposed terms"), help_text=_("The agreed terms as they would be after the change.")
    )
    previous_terms = models.JSONField(_("terms before the change"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_for = models.ManyToManyField(
        Jurisdiction,
        verbose_name=_("proposed on behalf of"),
        related_name="+",
        help_text=_("The proposer's jurisdictions among the parties'."),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ChangeState.choices,
        default=ChangeState.PENDING,
        db_index=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")

    def __str__(self):
        return _("Change %(id)s to %(partnership)s") % {
            "id": self.pk,
            "partnership": self.partnership,
        }


@pghistory.track(pghistory.InsertEvent())
class Approval(models.Model):
    """One jurisdiction's decision on a proposed change: who, when, approved or refused."""

    change = models.ForeignKey(
        ChangeRequest, verbose_name=_("change"), on_delete=models.CASCADE, related_name="approvals"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["change", "decided_at"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["change", "jurisdiction"], name="one_decision_per_jurisdiction"
            )
        ]

    def __str__(self):
        return f"{self.jurisdiction.code}: {self.get_decision_display()}"
