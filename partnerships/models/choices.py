"""The fixed choices of a partnership: its status, a party's role and sector, readiness."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    IDEA = "idea", _("idea")
    PROPOSED = "proposed", _("proposed")
    AGREEMENT_SIGNED = "agreement_signed", _("agreement signed")
    PILOT = "pilot", _("pilot")
    IN_OPERATION = "in_operation", _("in operation")
    EVALUATED = "evaluated", _("evaluated")
    ENDED = "ended", _("ended")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Until a partnership is past "proposed", nothing has been agreed: its terms change freely.
DRAFT_STATUSES = {Status.IDEA, Status.PROPOSED}


class Role(models.TextChoices):
    LEAD = "lead", _("lead")
    PARTNER = "partner", _("partner")
    HOST = "host", _("host")
    DELIVERY_AGENT = "delivery_agent", _("delivery agent")
    FUNDER = "funder", _("funder")


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("government")
    COMMUNITY = "community", _("community organization")
    INDIGENOUS = "indigenous", _("Indigenous organization")
    COLLEGE = "college", _("college or university")
    PRIVATE = "private", _("private sector")
    UNION = "union", _("union")


class ReadinessFactor(models.TextChoices):
    POLITICAL_WILL = "political_will", _("political will")
    ORGANISATIONAL = "organisational_readiness", _("organisational readiness")
    RESOURCES = "resources_and_tools", _("resources and tools")
    CLIENT_DRIVERS = "client_drivers", _("client drivers")


class Rating(models.IntegerChoices):
    LOW = 1, _("1 – low")
    FAIR = 2, _("2 – fair")
    GOOD = 3, _("3 – good")
    HIGH = 4, _("4 – high")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("pending")
    APPLIED = "applied", _("approved and applied")
    REFUSED = "refused", _("refused")


class Decision(models.TextChoices):
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
