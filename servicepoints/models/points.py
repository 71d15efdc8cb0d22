"""Service points, the model (its choices: point_choices.py; who may read and change which, and
the shared filters: point_queries.py; when they are open: hours.py)."""

import pghistory
import pgtrigger
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db.models import FloatField, Func, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import validators
from .base import (
    CANADIAN_TIME_ZONES,
    BilingualName,
    ChoiceArrayField,
    WebAddressField,
    timezone_at,
)
from .hours import HoursKey, OpeningPeriod, opening_hours, schedule_periods, time_zone
from .jurisdictions import Jurisdiction, Level
from .organizations import DataSource, Organization, Service
from .point_choices import Accessibility, Kind, LocationPrecision, Status
from .point_queries import ServicePointQuerySet


def mercator_coordinate(function, verbose_name):
    """A coordinate of the location in Web Mercator, stored and kept by PostgreSQL."""
    return models.GeneratedField(
        expression=Func(Transform("location", 3857), function=function, output_field=FloatField()),
        output_field=FloatField(),
        db_persist=True,
        verbose_name=verbose_name,
        help_text=_("EPSG:3857, in metres; computed from the location for the map tiles."),
    )


def photo_path(instance, filename):
    return f"servicepoints/photos/{timezone.now():%Y/%m}/{filename}"


# The history triggers skip the rows of a statement that writes their events itself, set-based
# (imports and their undo: servicepoints/imports/events.py). A WHEN condition rather than
# `pgtrigger.ignore`: no trigger function runs and no event is queued for those rows (the
# ignored trigger cost 4.4 µs a row, 0.44 s for 100,000 imported points).
NOT_BULK_HISTORY = pgtrigger.Condition(
    "current_setting('servicenetworkmap.bulk_history', true) IS DISTINCT FROM 'on'"
)


def _history_copies():
    """Fields of the point's history events that differ from the point's own: history is read
    by point (`pgh_obj`) in order (`pgh_id`), never by place, organization, province or
    source, so these copies have no index (as copied they would have a GiST and three
    B-trees, written for every event: 0.65 s of a 100,000-point import)."""

    def reference(to, **kwargs):
        return models.ForeignKey(
            to,
            on_delete=models.DO_NOTHING,
            db_constraint=False,
            db_index=False,
            related_name="+",
            related_query_name="+",
            **kwargs,
        )

    return {
        "location": models.PointField(_("location"), srid=4326, spatial_index=False),
        "organization": reference(Organization, verbose_name=_("organization")),
        "province": reference(Jurisdiction, verbose_name=_("province or territory")),
        "data_source": reference(DataSource, verbose_name=_("data source"), null=True, blank=True),
    }


@pghistory.track(
    pghistory.InsertEvent(condition=NOT_BULK_HISTORY),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(condition=NOT_BULK_HISTORY),
    # Not history: the fingerprint is the importer's, the generated columns follow from the
    # location, the languages and the hours.
    exclude=["import_fingerprint", "mercator_x", "mercator_y", "bilingual", "hours_key"],
    attrs=_history_copies(),
)
class ServicePoint(BilingualName):
    """A place, line or site where the public gets a service."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="service_points",
        # Indexed first in `servicepoint_org_status`.
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.CENTRE)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.OPEN
    )
    location = models.PointField(
        _("location"),
        srid=4326,
        validators=[validators.validate_in_canada],
        help_text=_("Location in EPSG:4326 (longitude, latitude)."),
    )
    # The location in Web Mercator, kept by PostgreSQL, for the vector tiles: with the covering
    # index `servicepoint_tile` below, a national tile clusters tens of thousands of points from
    # the index alone (47,000 points: 10 ms instead of 50 ms reading the table; see tiles.py).
    mercator_x = mercator_coordinate("ST_X", _("Web Mercator x"))
    mercator_y = mercator_coordinate("ST_Y", _("Web Mercator y"))
    location_precision = models.CharField(
        _("location precision"),
        max_length=20,
        choices=LocationPrecision.choices,
        default=LocationPrecision.EXACT,
    )
    street_address = models.CharField(_("street address"), max_length=300, blank=True)
    community = models.CharField(_("community"), max_length=120, blank=True)
    province = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("province or territory"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": [Level.PROVINCIAL, Level.TERRITORIAL]},
        help_text=_("Where the point is, whichever government runs it."),
    )
    postal_code = models.CharField(
        _("postal code"),
        max_length=7,
        blank=True,
        validators=[validators.validate_postal_code],
        help_text=_("A1A 1A1"),
    )
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, validators=[validators.validate_phone]
    )
    website = WebAddressField(_("website"), blank=True, validators=[validators.validate_web_url])
    services = models.ManyToManyField(
        Service,
        verbose_name=_("services"),
        blank=True,
        related_name="service_points",
    )
    languages = ArrayField(
        models.CharField(max_length=3),
        verbose_name=_("service languages"),
        default=list,
        blank=True,
        validators=[validators.validate_language_codes],
        help_text=_("ISO 639 codes separated by commas, e.g. en,fr,iu."),
    )
    bilingual = models.GeneratedField(
        expression=Q(languages__contains=["en", "fr"]),
        output_field=models.BooleanField(_("bilingual (English and French)")),
        db_persist=True,
        verbose_name=_("bilingual (English and French)"),
    )
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=500,
        blank=True,
        validators=[validators.validate_opening_hours],
        help_text=_(
            "OpenStreetMap opening_hours syntax, e.g. Mo-Fr 08:30-16:30; PH off. "
            "Times are local to the point."
        ),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=40,
        blank=True,
        choices=[(tz, tz) for tz in CANADIAN_TIME_ZONES],
        help_text=_("Filled in from the location when left empty."),
    )
    hours_key = models.GeneratedField(
        expression=HoursKey(),
        output_field=models.CharField(max_length=32, null=True),
        db_persist=True,
        verbose_name=_("opening schedule"),
        help_text=_("Computed: points with the same hours and time zone share their periods."),
    )
    accessibility = ChoiceArrayField(
        models.CharField(max_length=30, choices=Accessibility.choices),
        verbose_name=_("accessibility features"),
        default=list,
        blank=True,
    )
    photo = models.ImageField(
        _("photo"),
        upload_to=photo_path,
        blank=True,
        validators=[
            validators.validate_photo_size,
            FileExtensionValidator(["jpg", "jpeg", "png", "webp"]),
        ],
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
    )
    photo_description = models.CharField(
        _("photo description"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, read aloud by screen readers."),
    )
    # NULL, not "", when absent: a plain unique constraint then lets refreshes upsert with
    # ON CONFLICT (data_source, external_id) while points without an id never collide.
    external_id = models.CharField(  # noqa: DJ001
        _("external id"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_("The key of this point in its data source; refreshes match on it."),
    )
    data_source = models.ForeignKey(
        DataSource,
        verbose_name=_("data source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_points",
        # Indexed first in `unique_external_id_per_source`.
        db_index=False,
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    # md5 of the file row (and mapping) an import last made this point from; forgotten by the
    # database on any other change (trigger below), so a re-import skips checking again only
    # rows that are byte for byte what made the point as it still is.
    import_fingerprint = models.CharField(  # noqa: DJ001
        max_length=32, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ServicePointQuerySet.as_manager()

    class Meta:
        # No default ordering: map payloads and exports over 100,000 rows must not pay for a
        # sort they do not need; lists order explicitly.
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        triggers = [
            pgtrigger.Trigger(
                name="forget_import_fingerprint",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                condition=pgtrigger.Condition(
                    "OLD.import_fingerprint IS NOT NULL "
                    "AND NEW.import_fingerprint IS NOT DISTINCT FROM OLD.import_fingerprint"
                ),
                func="NEW.import_fingerprint := NULL; RETURN NEW;",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["data_source", "external_id"],
                name="unique_external_id_per_source",
                violation_error_message=_("This data source already has a point with this id."),
            ),
        ]
        indexes = [
            GinIndex(fields=["languages"], name="servicepoint_languages"),
            models.Index(fields=["kind"], name="servicepoint_kind"),
            models.Index(fields=["status"], name="servicepoint_status"),
            models.Index(fields=["organization", "status"], name="servicepoint_org_status"),
            models.Index(fields=["hours_key"], name="servicepoint_hours_key"),
            # Vector tiles: the tile's range of x, then y; the included columns are those that
            # clustering, visibility and the common filters read, so that low-zoom tiles are
            # index-only scans (see servicepoints/tiles.py).
            models.Index(
                fields=["mercator_x", "mercator_y"],
                include=["organization", "province", "kind", "status", "bilingual", "id"],
                name="servicepoint_tile",
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remembered so that a move can update the time zone the old location implied.
        instance._loaded_place = (
            instance.__dict__.get("location"),
            instance.__dict__.get("timezone"),
        )
        return instance

    def save(self, *args, **kwargs):
        self.external_id = (self.external_id or "").strip() or None
        self.postal_code = validators.normalize_postal_code(self.postal_code)
        if self.phone:
            self.phone = validators.normalize_phone(self.phone)
        self.languages = self.clean_languages(self.languages)
        loaded_location, loaded_timezone = getattr(self, "_loaded_place", (None, None))
        moved = loaded_location is not None and loaded_location != self.location
        if self.location and (not self.timezone or (moved and self.timezone == loaded_timezone)):
            self.timezone = timezone_at(self.location)
        super().save(*args, **kwargs)
        self._loaded_place = (self.location, self.timezone)
        ServicePoint.objects.filter(pk=self.pk).ensure_opening_periods()

    @staticmethod
    def clean_languages(codes):
        """Normalised, de-duplicated ISO 639 codes; unknown ones are kept for validation."""
        cleaned = []
        for code in codes or []:
            normal = validators.normalize_language_code(code) or code.strip().lower()
            if normal and normal not in cleaned:
                cleaned.append(normal)
        return cleaned

    def clean(self):
        errors = {}
        self.postal_code = validators.normalize_postal_code(self.postal_code)
        self.languages = self.clean_languages(self.languages)
        province = self.province if self.province_id else None
        if province and self.postal_code:
            try:
                validators.validate_postal_code_province(self.postal_code, province.code)
            except ValidationError as exc:
                errors["postal_code"] = exc
        if province and self.organization_id:
            org_province = self.organization.jurisdiction.province_code
            if org_province and org_province != province.code:
                errors["province"] = ValidationError(
                    _("%(organization)s serves %(expected)s; this point is in %(given)s.")
                    % {
                        "organization": self.organization,
                        "expected": org_province,
                        "given": province.code,
                    },
                    code="province_mismatch",
                )
        if errors:
            raise ValidationError(errors)

    # Domain methods

    @property
    def is_demonstration(self):
        return bool(self.data_source_id and self.data_source.is_demonstration)

    @property
    def level(self):
        return self.organization.jurisdiction.level

    def can_edit(self, user):
        """Whether the user may change this point: they hold the change permission and may
        edit the jurisdiction of its organization (data administrators may edit all)."""
        return user.has_perm("servicepoints.change_servicepoint") and (
            self.organization.jurisdiction.can_edit(user)
        )

    def parsed_hours(self):
        """The opening hours with this point's time zone and Canada's public holidays."""
        if not self.opening_hours:
            return None
        zone = time_zone(self.timezone, self.location)
        return opening_hours(self.opening_hours, zone, self.location)

    def is_open_at(self, moment=None):
        """Open at `moment` (aware; now by default), evaluated in the point's own time zone.

        None when the point has no hours; False whenever its status is not "open".
        """
        hours = self.parsed_hours()
        if hours is None or self.status != Status.OPEN:
            return None if hours is None else False
        return hours.is_open(self.local_time(moment))

    @property
    def open_now(self):
        return self.is_open_at()

    def open_periods(self, start, end):
        """(opens, closes) pairs between two aware datetimes, public holidays applied."""
        if not self.opening_hours or self.status != Status.OPEN:
            return []
        return schedule_periods(self.opening_hours, self.timezone, self.location, start, end)

    @property
    def opening_periods(self):
        """The computed periods of this point's schedule (for "open now" in SQL)."""
        return OpeningPeriod.objects.filter(hours_key=self.hours_key)

    def local_time(self, moment=None):
        """`moment` (now by default) on the point's own clock."""
        return (moment or timezone.now()).astimezone(time_zone(self.timezone, self.location))


@pghistory.track(
    pghistory.InsertEvent("service.add", condition=NOT_BULK_HISTORY),
    pghistory.DeleteEvent("service.remove", condition=NOT_BULK_HISTORY),
    obj_field=None,
)
class ServicePointServices(ServicePoint.services.through):
    """Adding or removing a service changes no column of the point: the links are tracked,
    and the point's import fingerprint is forgotten (its services are no longer the file's)."""

    class Meta:
        proxy = True
        triggers = [
            pgtrigger.Trigger(
                name="forget_point_import_fingerprint",
                operation=pgtrigger.Insert | pgtrigger.Delete,
                when=pgtrigger.After,
                func=(
                    "UPDATE servicepoints_servicepoint SET import_fingerprint = NULL "
                    "WHERE id = COALESCE(NEW.servicepoint_id, OLD.servicepoint_id) "
                    "AND import_fingerprint IS NOT NULL; RETURN NULL;"
                ),
            )
        ]
