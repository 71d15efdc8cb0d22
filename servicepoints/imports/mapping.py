"""Which column of a file feeds which field of a service point.

A mapping is a dict {field: header}. `auto_mapping()` recognises English and French headers
("name"/"nom", "postal code"/"code postal", "latitude"/"lat"/"y", DFRP's "Structure Name", …);
an administrator adjusts it, and the result is saved as the data source's preset so the next
refresh from that source needs none. Defaults ({field: value}) fill fields no column gives,
such as the organization or the kind of every point in a department's file.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Field:
    name: str
    label: object
    synonyms: tuple[str, ...]
    default_allowed: bool = False  # may be given once for the whole file


FIELDS = [
    Field(
        "external_id",
        _("external id (the key refreshes match on)"),
        (
            "external id",
            "external_id",
            "id",
            "identifier",
            "identifiant",
            "site id",
            "office id",
            "location id",
            "code",
            "structure number",
            "numero de structure",
            "no",
        ),
    ),
    Field(
        "name_en",
        _("name in English"),
        (
            "name en",
            "name_en",
            "english name",
            "nom anglais",
            "name",
            "office name",
            "site name",
            "location name",
            "structure name",
            "page header",
            "branch name",
            "title",
        ),
    ),
    Field(
        "name_fr",
        _("name in French"),
        ("name fr", "name_fr", "french name", "nom francais", "nom", "nom du bureau", "titre"),
    ),
    Field(
        "organization",
        _("organization"),
        (
            "organization",
            "organisation",
            "organization code",
            "department",
            "ministere",
            "agency",
            "organisme",
            "custodian name",
            "gardien",
        ),
        default_allowed=True,
    ),
    Field(
        "kind",
        _("kind"),
        ("kind", "type", "center type", "centre type", "site type", "type de point", "genre"),
        default_allowed=True,
    ),
    Field("status", _("status"), ("status", "statut", "etat", "state"), default_allowed=True),
    Field(
        "street_address",
        _("street address"),
        (
            "street address",
            "address",
            "adresse",
            "civic address",
            "adresse civique",
            "adresse municipale",
            "street",
            "rue",
        ),
    ),
    Field(
        "community",
        _("community"),
        (
            "community",
            "municipality",
            "city",
            "town",
            "collectivite",
            "municipalite",
            "ville",
            "localite",
        ),
    ),
    Field(
        "province",
        _("province or territory"),
        (
            "province",
            "province or territory",
            "province territory",
            "province ou territoire",
            "prov",
            "pt",
            "region",
            "province code",
        ),
        default_allowed=True,
    ),
    Field(
        "postal_code",
        _("postal code"),
        ("postal code", "postal_code", "postalcode", "code postal", "postal", "postcode", "cp"),
    ),
    Field(
        "phone", _("phone"), ("phone", "telephone", "tel", "phone number", "numero de telephone")
    ),
    Field("website", _("website"), ("website", "web site", "url", "site web", "link", "lien")),
    Field(
        "languages",
        _("service languages"),
        (
            "languages",
            "language",
            "service languages",
            "langues",
            "langue",
            "langues de service",
            "center lang",
            "centre lang",
        ),
        default_allowed=True,
    ),
    Field(
        "opening_hours",
        _("opening hours"),
        ("opening hours", "opening_hours", "hours", "heures d ouverture", "heures", "horaire"),
    ),
    Field(
        "services",
        _("services (codes separated by ;)"),
        ("services", "service codes", "programs", "programmes"),
    ),
    Field("accessibility", _("accessibility features"), ("accessibility", "accessibilite")),
    Field(
        "last_verified",
        _("last verified (date)"),
        ("last verified", "last_verified", "verified", "date verified", "derniere verification"),
    ),
    Field("latitude", _("latitude"), ("latitude", "lat", "y")),
    Field("longitude", _("longitude"), ("longitude", "lon", "lng", "long", "x")),
    Field("country", _("country (rows outside Canada are refused)"), ("country", "pays")),
]
FIELDS_BY_NAME = {field.name: field for field in FIELDS}
DEFAULTABLE = [field.name for field in FIELDS if field.default_allowed]


_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
# Ligatures of French words that Unicode does not decompose ("cœur", "Lætitia").
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


@lru_cache(maxsize=65536)
def normalize_header(text):
    """'Structure Number (TEXT data)' -> 'structure number'; 'Code postal' -> 'code postal'.

    Also the key of names and codes compared in files (100,000 names in a big import): the
    steps that would change nothing are skipped."""
    text = str(text)
    if "(" in text:
        text = _PARENTHESES.sub(" ", text)
    if not text.isascii():
        # Accents off ("é" -> "e"); other non-ASCII characters (dashes, curly apostrophes)
        # separate words like their ASCII kin: "Queen’s" is "Queen's", "A—B" is "A-B".
        if _LIGATURE.search(text):
            text = text.translate(_LIGATURES)
        text = without_marks(unicodedata.normalize("NFKD", text))
    return " ".join(_NOT_ALPHANUMERIC.sub(" ", text.lower()).split())


_LIGATURE = re.compile("[œŒæÆ]")
_MARKS = []


def without_marks(text):
    """The text without its combining marks (those `unicodedata.combining` names), by one
    regular expression of the Basic Multilingual Plane's marks (built on first use, ~10 ms);
    character by character, the same took 3 µs a name, most of a big file's name checks."""
    if not _MARKS:
        marks = "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)))
        _MARKS.append(re.compile(f"[{re.escape(marks)}]+"))
    if max(text) > "\uffff":
        return "".join(c for c in text if not unicodedata.combining(c))
    return _MARKS[0].sub("", text)


def auto_mapping(headers):
    """{field: header} for the headers recognised; each header feeds at most one field and,
    for each field, the header matching its earliest synonym wins."""
    normalized = {}
    for header in headers:
        normalized.setdefault(normalize_header(header), header)
    mapping, used = {}, set()
    for field in FIELDS:
        for synonym in field.synonyms:
            header = normalized.get(normalize_header(synonym))
            if header is not None and header not in used:
                mapping[field.name] = header
                used.add(header)
                break
    return mapping


def clean_mapping(mapping, headers):
    """Only known fields and headers present in the file ({} entries dropped)."""
    present = set(headers)
    return {
        field: header
        for field, header in (mapping or {}).items()
        if field in FIELDS_BY_NAME and header in present
    }
