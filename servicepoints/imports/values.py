"""Reading one cell's text as a field's value: the vocabularies and parsers validation uses.

Each parser returns the value or raises `Invalid(code, message, **params)`. Most are cached per
distinct text: a 100,000-row file repeats the same kinds, provinces, hours and languages.
"""

import math
import re
from datetime import date, datetime
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from .. import validators
from ..models import Kind, Status
from .mapping import normalize_header as normalize


class Invalid(Exception):
    def __init__(self, code, message, **params):
        super().__init__(code)
        self.code, self.message, self.params = code, message, params


# Provincial extents (west, south, east, north), from the generalised outlines of
# canada_provinces.geojson (see ../shared/data/README.md; Ontario's south is Middle Island),
# checked with a margin of EXTENT_MARGIN degrees: generalised coasts and the Yukon-Alaska
# border put real points just outside the outlines.
PROVINCE_EXTENTS = {
    "NL": (-67.78, 46.61, -52.62, 60.48),
    "PE": (-64.42, 45.95, -61.97, 47.06),
    "NS": (-66.9, 43.46, -59.81, 47.03),
    "NB": (-69.04, 44.55, -63.78, 48.07),  # Grand Manan is missing from the outline
    "QC": (-80.11, 44.99, -57.1, 62.59),
    "ON": (-95.15, 41.66, -74.32, 56.87),
    "MB": (-102.0, 49.0, -89.18, 60.0),
    "SK": (-110.0, 49.0, -101.37, 60.0),
    "AB": (-120.0, 49.0, -110.0, 60.0),
    "BC": (-139.06, 48.3, -114.04, 60.0),
    "YT": (-141.0, 59.99, -123.82, 69.65),
    "NT": (-136.45, 59.99, -101.98, 78.75),
    "NU": (-120.67, 51.91, -61.08, 83.11),
}
EXTENT_MARGIN = 0.25

# Statistics Canada's standard geographical classification codes of the provinces.
SGC_CODES = {
    "10": "NL",
    "11": "PE",
    "12": "NS",
    "13": "NB",
    "24": "QC",
    "35": "ON",
    "46": "MB",
    "47": "SK",
    "48": "AB",
    "59": "BC",
    "60": "YT",
    "61": "NT",
    "62": "NU",
}
PROVINCE_ABBREVIATIONS = {
    "nfld": "NL",
    "nf": "NL",
    "n l": "NL",
    "pei": "PE",
    "p e i": "PE",
    "i p e": "PE",
    "n s": "NS",
    "n b": "NB",
    "que": "QC",
    "pq": "QC",
    "ont": "ON",
    "man": "MB",
    "sask": "SK",
    "alta": "AB",
    "b c": "BC",
    "c b": "BC",
    "yukon territory": "YT",
    "n w t": "NT",
    "t n o": "NT",
    "nvt": "NU",
}
KIND_SYNONYMS = {
    "service canada centre": Kind.CENTRE,
    "service centre": Kind.CENTRE,
    "centre de service": Kind.CENTRE,
    "centre service canada": Kind.CENTRE,
    "office": Kind.CENTRE,
    "bureau": Kind.CENTRE,
    "scheduled outreach site": Kind.OUTREACH,
    "outreach": Kind.OUTREACH,
    "site de services mobiles": Kind.OUTREACH,
    "passport office": Kind.PASSPORT_OFFICE,
    "bureau des passeports": Kind.PASSPORT_OFFICE,
    "service canada centre and passport office": Kind.PASSPORT_OFFICE,
    "service delivery partner": Kind.PARTNER_SITE,
    "partner": Kind.PARTNER_SITE,
    "kiosk": Kind.KIOSK,
    "borne": Kind.KIOSK,
    "post office": Kind.POSTAL_OUTLET,
    "bureau de poste": Kind.POSTAL_OUTLET,
    "call centre": Kind.CALL_CENTRE,
    "call center": Kind.CALL_CENTRE,
    "processing centre": Kind.PROCESSING_CENTRE,
    "mobile": Kind.MOBILE,
}
STATUS_SYNONYMS = {
    "active": Status.OPEN,
    "actif": Status.OPEN,
    "ouvert": Status.OPEN,
    "inactive": Status.CLOSED,
    "ferme": Status.CLOSED,
    "closed permanently": Status.CLOSED,
    "temporarily closed": Status.TEMPORARILY_CLOSED,
    "ferme temporairement": Status.TEMPORARILY_CLOSED,
    "planifie": Status.PLANNED,
    "prevu": Status.PLANNED,
}
LANGUAGE_WORDS = {
    "english": "en",
    "anglais": "en",
    "french": "fr",
    "francais": "fr",
    "bilingual": "en fr",
    "bilingue": "en fr",
}
LANGUAGE_FILLER = {"services", "service", "offered", "offerts", "offert", "in", "en", "and", "et"}


def choice_lookup(choices, synonyms):
    """normalised value, English label and French label -> value, plus synonyms."""
    from django.utils import translation

    table = {normalize(value): value for value in choices.values}
    for language in ("en", "fr"):
        with translation.override(language):
            table.update({normalize(str(label)): value for value, label in choices.choices})
    table.update({normalize(text): value for text, value in synonyms.items()})
    return table


def parse_number(text):
    """A coordinate: '45.5', '-75,25' (decimal comma). NaN and infinities are refused."""
    try:
        value = float(text)
    except ValueError:
        cleaned = text.strip().replace("\u2212", "-")
        if DECIMAL_COMMA.fullmatch(cleaned):
            cleaned = cleaned.replace(",", ".")
        try:
            value = float(cleaned)
        except ValueError:
            raise Invalid(
                "not_a_number", gettext_noop("“%(value)s” is not a number."), value=text
            ) from None
    if not math.isfinite(value):
        raise Invalid(
            "not_finite", gettext_noop("“%(value)s” is not a finite number."), value=text
        )
    return value


DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")


def inside(extent, lon, lat, margin=0.0):
    west, south, east, north = extent
    return west - margin <= lon <= east + margin and south - margin <= lat <= north + margin


@lru_cache(maxsize=65536)
def parse_postal_code(text):
    value = validators.normalize_postal_code(text)
    if not validators.POSTAL_CODE_RE.match(value):
        raise Invalid(
            "invalid_postal_code",
            gettext_noop("“%(value)s” is not a Canadian postal code: use the form A1A 1A1."),
            value=text,
        )
    return value


POSTAL_CODE_IN_TEXT = re.compile(r"\b([A-Z]\d[A-Z])[ -]?(\d[A-Z]\d)\b", re.IGNORECASE)


def postal_code_in(text):
    """The last postal code written in an address, or ''."""
    found = POSTAL_CODE_IN_TEXT.findall(text or "")
    if not found:
        return ""
    first, second = found[-1]
    candidate = f"{first} {second}".upper()
    return candidate if validators.POSTAL_CODE_RE.match(candidate) else ""


def community_in(address, province_names):
    """'Abbotsford' from a multi-line address whose next-to-last line is 'Abbotsford, BC'."""
    lines = [line.strip() for line in re.split(r"[\r\n]+", address or "") if line.strip()]
    for line in reversed(lines):
        head, _sep, tail = line.rpartition(",")
        if head and normalize(tail) in province_names:
            return head.strip()
    return ""


NANP = re.compile(r"^\s*(?:\+?1[\s.-]*)?\(?([2-9]\d{2})\)?[\s.-]*([2-9]\d{2})[\s.-]*(\d{4})\s*$")


@lru_cache(maxsize=4096)
def _valid_prefix(prefix):
    """Whether numbers starting with these six digits are valid North American numbers."""
    return phonenumbers.is_valid_number(phonenumbers.parse(f"+1{prefix}0199"))


@lru_cache(maxsize=65536)
def parse_phone(text):
    """'(613) 555-0199' -> '+1 613-555-0199'. Plain 10-digit numbers are checked per area
    code and exchange (cached); other forms (extensions, other countries) by libphonenumber."""
    match = NANP.match(text)
    if match:
        area, exchange, line = match.groups()
        if _valid_prefix(area + exchange):
            return f"+1 {area}-{exchange}-{line}"
    try:
        validators.validate_phone(text)
    except ValidationError:
        raise Invalid(
            "invalid_phone",
            gettext_noop("“%(value)s” is not a phone number. Write it as 613-555-0199."),
            value=text,
        ) from None
    return validators.normalize_phone(text)


@lru_cache(maxsize=65536)
def parse_website(text):
    value = text.strip()
    if value.lower().startswith("www."):
        value = "https://" + value
    try:
        validators.validate_web_url(value)
    except ValidationError:
        raise Invalid(
            "invalid_url",
            gettext_noop(
                "“%(value)s” is not a web address: it must start with http:// or https://."
            ),
            value=text,
        ) from None
    if len(value) > 200:
        raise Invalid("too_long", gettext_noop("This web address is longer than 200 characters."))
    return value


@lru_cache(maxsize=8192)
def parse_opening_hours(text):
    value = " ".join(text.split())
    try:
        validators.validate_opening_hours(value)
    except ValidationError as exc:
        raise Invalid(
            "invalid_opening_hours",
            gettext_noop(
                "These opening hours cannot be read (problem at character %(column)s). Use "
                "OpenStreetMap syntax, for example “Mo-Fr 08:30-16:30; Sa 09:00-12:00; PH off”."
            ),
            column=exc.params["column"],
        ) from None
    return value


@lru_cache(maxsize=4096)
def parse_languages(text):
    """'en;fr', 'fra', 'Services offered in English and French', 'bilingue' -> ('en', 'fr')."""
    words = normalize(text).split()
    codes, unknown = [], []
    if any(word in LANGUAGE_WORDS for word in words):
        # A sentence: the language names in it, the rest ("services offered in") ignored.
        for word in words:
            if word in LANGUAGE_WORDS:
                codes.extend(LANGUAGE_WORDS[word].split())
            elif word not in LANGUAGE_FILLER:
                unknown.append(word)
    else:
        for word in words:
            code = validators.normalize_language_code(word)
            (codes if code else unknown).append(code or word)
    if unknown:
        raise Invalid(
            "unknown_language",
            gettext_noop(
                "Unknown language: %(codes)s. Use ISO 639 codes such as en, fr, iu, cr or oj."
            ),
            codes=", ".join(unknown),
        )
    return tuple(dict.fromkeys(codes))


@lru_cache(maxsize=4096)
def parse_date(text):
    value = text.strip()
    for form in ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    raise Invalid(
        "invalid_date",
        gettext_noop("“%(value)s” is not a date: write it as YYYY-MM-DD."),
        value=text,
    )


def check_date(value, today):
    if value > today:
        raise Invalid(
            "future_date",
            gettext_noop("The date %(value)s is in the future."),
            value=value.isoformat(),
        )
    if value < date(1900, 1, 1):
        raise Invalid(
            "old_date", gettext_noop("The date %(value)s is too old."), value=value.isoformat()
        )
    return value


LIST_SEPARATORS = re.compile(r"[;,|\n]")


def split_list(text):
    if not text:
        return []
    return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]
