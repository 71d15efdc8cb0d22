"""What rows are checked against: the database's provinces, organizations, services, kinds,
statuses and postal areas, read once per file, and whose rows an import may hold. (Places are
asked of the gazetteer once per file, for the communities the file names: `locations`.)"""

from ..models import (
    Accessibility,
    Jurisdiction,
    Kind,
    Organization,
    PostalArea,
    Service,
    Status,
    changes_all_jurisdictions,
)
from . import values
from .mapping import normalize_header as normalize


class Vocabulary:
    """The database's organizations, provinces, services and postal areas, read once per
    file."""

    def __init__(self, user=None, jurisdiction=None):
        self.provinces = {}
        self.province_codes = {}
        for province in Jurisdiction.objects.provinces_and_territories():
            self.province_codes[province.code] = province
            for text in (province.code, province.name_en, province.name_fr):
                self.provinces[normalize(text)] = province
        for sgc, code in values.SGC_CODES.items():
            self.provinces[sgc] = self.province_codes[code]
        for text, code in values.PROVINCE_ABBREVIATIONS.items():
            self.provinces[text] = self.province_codes[code]
        self.organizations = {}
        for organization in Organization.objects.select_related("jurisdiction"):
            for text in (organization.code, organization.name_en, organization.name_fr):
                self.organizations.setdefault(normalize(text), organization)
        self.services = {}
        for service in Service.objects.all():
            for text in (service.code, service.name_en, service.name_fr):
                self.services.setdefault(normalize(text), service)
        self.kinds = values.choice_lookup(Kind, values.KIND_SYNONYMS)
        self.statuses = values.choice_lookup(Status, values.STATUS_SYNONYMS)
        self.accessibility = values.choice_lookup(Accessibility, {})
        self.postal_areas = {
            area.code: area for area in PostalArea.objects.only("code", "province", "location")
        }
        # Whose rows may this import hold?
        self.allowed_jurisdictions = None  # None: any
        if jurisdiction is not None:
            self.allowed_jurisdictions = set(jurisdiction.ids_with_municipalities())
        if user is not None and not changes_all_jurisdictions(user):
            editable = set(Jurisdiction.objects.editable_by(user).values_list("pk", flat=True))
            self.allowed_jurisdictions = (
                editable
                if self.allowed_jurisdictions is None
                else self.allowed_jurisdictions & editable
            )

    def table(self, field):
        """{normalised text: value} of a vocabulary field (organizations, provinces and
        services as objects; kinds, statuses and accessibility features as codes)."""
        return {
            "kind": self.kinds,
            "status": self.statuses,
            "organization": self.organizations,
            "province": self.provinces,
            "services": self.services,
            "accessibility": self.accessibility,
        }[field]
