"""Data refresh records: postal areas for offline geocoding, mapping presets, import runs.

An import run goes uploaded -> validating -> validated (or invalid) -> applying -> applied,
and an applied run may be undone. The rows of the file, normalised, wait in `ImportRow` (a
staging table the diff and the apply read with set-based SQL); what the apply changed, with
every point's state before, stays in `ImportChange`, which is what undo restores.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from .jurisdictions import Jurisdiction, Level, changes_all_jurisdictions
from .organizations import DataSource


class PostalArea(models.Model):
    """A forward sortation area (first three characters of a postal code) and its centroid.

    Loadable data (`manage.py load_postal_areas FILE`), not code. A centroid can be kilometres
    from a given address in the area: points placed from it say so (postal-area precision).
    """

    code = models.CharField(_("forward sortation area"), max_length=3, primary_key=True)
    province = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("province or territory"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": [Level.PROVINCIAL, Level.TERRITORIAL]},
    )
    location = models.PointField(_("centroid"), srid=4326)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("postal area")
        verbose_name_plural = _("postal areas")

    def __str__(self):
        return self.code


class ImportPreset(models.Model):
    """The column mapping, defaults, value mappings and ignored columns last used for a data
    source, so the next refresh from that source needs none of them again."""

    data_source = models.OneToOneField(
        DataSource,
        verbose_name=_("data source"),
        on_delete=models.CASCADE,
        related_name="import_preset",
    )
    mapping = models.JSONField(_("column mapping"), default=dict)
    defaults = models.JSONField(_("defaults"), default=dict)
    values = models.JSONField(
        _("value mappings"),
        default=dict,
        blank=True,
        help_text=_(
            "For each field, what the source's own values stand for: {field: {value in the "
            "file: code}}; communities map to a place name or to latitude,longitude."
        ),
    )
    ignored = models.JSONField(
        _("ignored columns"), default=list, blank=True, help_text=_("Headers no field reads.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import preset")
        verbose_name_plural = _("import presets")

    def __str__(self):
        return str(self.data_source)


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Runs the user may see.

        Rules: data administrators see every run; users allowed to see runs (jurisdiction
        editors) see the runs of the jurisdictions they may change; everyone else none.
        """
        if not (user and user.is_active and user.has_perm("servicepoints.view_importrun")):
            return self.none()
        if changes_all_jurisdictions(user):
            return self
        return self.filter(jurisdiction__in=Jurisdiction.objects.editable_by(user))


class ImportRun(models.Model):
    """One refresh of a data source from one file: who, when, what, and what it did."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be validated")
        VALIDATING = "validating", _("validating")
        INVALID = "invalid", _("refused: the file has errors")
        VALIDATED = "validated", _("validated, ready to apply")
        APPLYING = "applying", _("applying")
        APPLIED = "applied", _("applied")
        FAILED = "failed", _("failed")
        UNDONE = "undone", _("undone")

    class Missing(models.TextChoices):
        KEEP = "keep", _("keep them as they are")
        CLOSE = "close", _("mark them closed")

    data_source = models.ForeignKey(
        DataSource,
        verbose_name=_("data source"),
        on_delete=models.PROTECT,
        related_name="import_runs",
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_runs",
        help_text=_("Rows must belong to organizations of this jurisdiction."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_runs",
    )
    created_at = models.DateTimeField(_("created"), db_default=Now(), editable=False)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=300)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.BigIntegerField(_("file size (bytes)"), default=0)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    defaults = models.JSONField(_("defaults"), default=dict, blank=True)
    values = models.JSONField(
        _("value mappings"),
        default=dict,
        blank=True,
        help_text=_("{field: {value in the file: code}}, from the source's preset and the user."),
    )
    ignored = models.JSONField(_("ignored columns"), default=list, blank=True)
    missing = models.CharField(
        _("points missing from the file"),
        max_length=10,
        choices=Missing.choices,
        default=Missing.KEEP,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_message = models.CharField(_("progress"), max_length=200, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    report = models.JSONField(_("validation report"), default=list, blank=True)
    # Each distinct value of a vocabulary column (kind, status, organization, province,
    # languages, services, accessibility) or community the check could not read, with its
    # rows and the closest accepted values: what the "Unknown values" step asks about.
    unknown_values = models.JSONField(_("unknown values"), default=list, blank=True)
    error = models.TextField(_("failure"), blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    # The last history events (point, services link) when the apply ended: a later event on
    # one of the run's points means it changed since, and undo would lose that change.
    last_point_event = models.BigIntegerField(null=True, blank=True, editable=False)
    last_link_event = models.BigIntegerField(null=True, blank=True, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        permissions = [("undo_importrun", _("Can undo an applied import"))]

    def __str__(self):
        return f"{self.data_source} — {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_at_work(self):
        """Waiting for or running a task: its page follows the progress."""
        return self.status in (
            self.Status.QUEUED,
            self.Status.VALIDATING,
            self.Status.APPLYING,
        )

    def can_delete(self, user):
        """Rules: only with the delete permission (data administrators), only a run that was
        never applied (its changes are the record undo needs) and is not at work."""
        return (
            user.has_perm("servicepoints.delete_importrun")
            and self.applied_at is None
            and not self.is_at_work
        )

    @property
    def error_count(self):
        return self.counts.get("errors", 0)

    @property
    def warning_count(self):
        return self.counts.get("warnings", 0)


class ImportRow(models.Model):
    """A row of a validated file, normalised: the staging table the diff and apply read.

    Filled with COPY, emptied once the run is applied or dropped. `line` is the row's place in
    the file as a person counts it.
    """

    # Indexed first in `import_row_unique_id`. No foreign key in the database: its check
    # costs 0.29 s per 100,000 staged rows at commit; rows are written only for the run
    # being checked, and go with it (Django's cascade, `drop_staging`).
    run = models.ForeignKey(
        ImportRun,
        on_delete=models.CASCADE,
        related_name="rows",
        db_index=False,
        db_constraint=False,
    )
    line = models.PositiveIntegerField()
    external_id = models.CharField(max_length=100)
    organization_id = models.BigIntegerField()
    kind = models.CharField(max_length=30)
    status = models.CharField(max_length=30)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200)
    location = models.PointField(srid=4326, spatial_index=False)
    location_precision = models.CharField(max_length=20)
    street_address = models.CharField(max_length=300)
    community = models.CharField(max_length=120)
    province_id = models.BigIntegerField()
    postal_code = models.CharField(max_length=7)
    phone = models.CharField(max_length=40)
    website = models.CharField(max_length=500)
    languages = ArrayField(models.CharField(max_length=3))
    opening_hours = models.CharField(max_length=500)
    timezone = models.CharField(max_length=40)
    accessibility = ArrayField(models.CharField(max_length=30))
    last_verified = models.DateField(null=True)
    service_ids = ArrayField(models.BigIntegerField())
    fingerprint = models.CharField(max_length=32)
    # Staged from its point (a row identical to the one that made it, not checked again):
    # unchanged by construction when the diff counts in the same transaction.
    from_point = models.BooleanField(default=False, db_default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "external_id"], name="import_row_unique_id")
        ]


class ImportChange(models.Model):
    """What an apply did to one point, with its state before (what undo restores)."""

    class Action(models.TextChoices):
        CREATED = "created", _("new")
        UPDATED = "updated", _("changed")
        CLOSED = "closed", _("closed (missing from the file)")

    # Indexed first in `import_change_run_action`. No foreign key in the database, like
    # `service_point_id`: an apply writes a change per point (0.29 s per 100,000 for the
    # check at commit) for the run it holds locked; the changes go with their run.
    run = models.ForeignKey(
        ImportRun,
        on_delete=models.CASCADE,
        related_name="changes",
        db_index=False,
        db_constraint=False,
    )
    service_point_id = models.BigIntegerField(db_index=True)
    external_id = models.CharField(max_length=100)
    line = models.PositiveIntegerField(null=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    fields = ArrayField(models.CharField(max_length=40), default=list)
    before = models.JSONField(null=True)

    class Meta:
        indexes = [models.Index(fields=["run", "action"], name="import_change_run_action")]
