"""The choices of a service point: its kind, status, location precision and accessibility."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CENTRE = "centre", _("in-person service centre")
    OUTREACH = "outreach", _("scheduled outreach site")
    KIOSK = "kiosk", _("self-service kiosk")
    MOBILE = "mobile", _("mobile service")
    PASSPORT_OFFICE = "passport_office", _("passport office")
    POSTAL_OUTLET = "postal_outlet", _("postal outlet")
    BUSINESS_CENTRE = "business_centre", _("business service centre")
    TRAINING_SITE = "training_site", _("skills and employment training site")
    PARTNER_SITE = "partner_site", _("service delivery partner")
    CALL_CENTRE = "call_centre", _("call centre")
    PROCESSING_CENTRE = "processing_centre", _("processing centre")


class Status(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open")
    TEMPORARILY_CLOSED = "temporarily_closed", _("temporarily closed")
    CLOSED = "closed", _("closed")


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("exact")
    POSTAL_AREA = "postal_area", _("postal area (forward sortation area)")
    COMMUNITY = "community", _("community")


class Accessibility(models.TextChoices):
    STEP_FREE = "step_free", _("step-free entrance")
    AUTOMATIC_DOOR = "automatic_door", _("automatic door")
    ACCESSIBLE_WASHROOM = "accessible_washroom", _("accessible washroom")
    ACCESSIBLE_PARKING = "accessible_parking", _("accessible parking")
    HEARING_LOOP = "hearing_loop", _("hearing loop")
    BRAILLE_SIGNAGE = "braille_signage", _("braille and tactile signage")
    LOWERED_COUNTER = "lowered_counter", _("lowered counter")
    SIGN_LANGUAGE = "sign_language", _("sign language interpretation on request")
    PUBLIC_TRANSIT = "public_transit", _("near public transit")
