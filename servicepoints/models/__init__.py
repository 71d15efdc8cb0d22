"""Jurisdictions, organizations, services and the service points they run.

Access rules live next to the data they protect: querysets have `visible_to(user)` and
`editable_by(user)`, objects have `can_edit(user)`. The admin, views and commands use only
those. One module per sub-domain; everything is importable from `servicepoints.models`.
"""

from .base import (
    CANADIAN_TIME_ZONES,
    POSTAL_PREFIX_RE,
    BilingualName,
    ChoiceArrayField,
    WebAddressField,
    timezone_at,
)
from .caches import DataVersion, TileCache
from .hours import OpeningPeriod
from .imports import ImportChange, ImportPreset, ImportRow, ImportRun, PostalArea
from .jurisdictions import (
    Jurisdiction,
    JurisdictionQuerySet,
    Level,
    Membership,
    changes_all_jurisdictions,
    jurisdictions_of,
    sees_all_jurisdictions,
)
from .organizations import DataSource, Organization, OrganizationQuerySet, Service
from .places import GAZETTEER_RANK, Gazetteer, PlaceName, PopulatedPlace, PopulatedPlaceQuerySet
from .points import (
    Accessibility,
    Kind,
    LocationPrecision,
    ServicePoint,
    ServicePointQuerySet,
    ServicePointServices,
    Status,
    photo_path,
)
from .sessions import Session

__all__ = [
    "CANADIAN_TIME_ZONES",
    "GAZETTEER_RANK",
    "POSTAL_PREFIX_RE",
    "Accessibility",
    "BilingualName",
    "ChoiceArrayField",
    "DataSource",
    "DataVersion",
    "Gazetteer",
    "ImportChange",
    "ImportPreset",
    "ImportRow",
    "ImportRun",
    "Jurisdiction",
    "JurisdictionQuerySet",
    "Kind",
    "Level",
    "LocationPrecision",
    "Membership",
    "OpeningPeriod",
    "Organization",
    "OrganizationQuerySet",
    "PlaceName",
    "PopulatedPlace",
    "PopulatedPlaceQuerySet",
    "PostalArea",
    "Service",
    "ServicePoint",
    "ServicePointQuerySet",
    "ServicePointServices",
    "Session",
    "Status",
    "TileCache",
    "WebAddressField",
    "changes_all_jurisdictions",
    "jurisdictions_of",
    "photo_path",
    "sees_all_jurisdictions",
    "timezone_at",
]
