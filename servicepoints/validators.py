"""Validation of what people type about a service point, with messages in both languages."""

import re

import phonenumbers
import pycountry
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from opening_hours import OpeningHours, ParserError

from .i18n import prefers_french

# Canada's extent with a small margin: real points sit just west of -141 at the Yukon-Alaska
# border and Middle Island (Ontario), the southernmost land, is at 41.68 N.
CANADA_EXTENT = (-141.1, 41.6, -52.5, 83.2)  # west, south, east, north in EPSG:4326

# First letter of the postal codes of each province and territory (Canada Post).
POSTAL_CODE_LETTERS = {
    "NL": "A",
    "NS": "B",
    "PE": "C",
    "NB": "E",
    "QC": "GHJ",
    "ON": "KLMNP",
    "MB": "R",
    "SK": "S",
    "AB": "T",
    "BC": "V",
    "NT": "X",
    "NU": "X",
    "YT": "Y",
}
# D, F, I, O, Q and U are never used; W and Z never start a postal code.
POSTAL_CODE_RE = re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$")

validate_web_url = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address starting with http:// or https://.")
)


def validate_in_canada(point):
    """The point lies inside Canada's extent (checked in EPSG:4326)."""
    if not isinstance(point, Point) or point.empty:
        raise ValidationError(_("Enter a location."), code="required")
    if point.srid and point.srid != 4326:
        point = point.transform(4326, clone=True)
    west, south, east, north = CANADA_EXTENT
    if not (west <= point.x <= east and south <= point.y <= north):
        raise ValidationError(
            _(
                "The location (longitude %(lon).5f, latitude %(lat).5f) is outside Canada. "
                "Check that longitude and latitude are not swapped and that longitude is "
                "negative."
            ),
            code="outside_canada",
            params={"lon": point.x, "lat": point.y},
        )


def normalize_postal_code(value):
    """'k1a0b1' and 'K1A-0B1' become 'K1A 0B1'; anything else is returned stripped."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    if len(compact) == 6:
        return f"{compact[:3]} {compact[3:]}"
    return (value or "").strip()


def validate_postal_code(value):
    if not POSTAL_CODE_RE.match(normalize_postal_code(value)):
        raise ValidationError(
            _("“%(value)s” is not a Canadian postal code: use the form A1A 1A1."),
            code="invalid_postal_code",
            params={"value": value},
        )


def validate_postal_code_province(postal_code, province_code):
    """The first letter of the postal code belongs to the province or territory."""
    letters = POSTAL_CODE_LETTERS.get(province_code)
    if not postal_code or not letters:
        return
    if postal_code[0].upper() not in letters:
        raise ValidationError(
            _(
                "Postal codes in %(province)s start with %(letters)s, not %(letter)s. "
                "Check the postal code or the province."
            ),
            code="postal_code_province",
            params={
                "province": province_code,
                "letters": _(" or ").join(letters),
                "letter": postal_code[0].upper(),
            },
        )


def validate_opening_hours(value):
    """The text parses as OpenStreetMap `opening_hours` (parsed by opening-hours-py)."""
    if not value:
        return
    try:
        OpeningHours(value)
    except (ParserError, SyntaxError, ValueError) as exc:
        match = re.search(r"--> \d+:(\d+)", str(exc))
        raise ValidationError(
            _(
                "These opening hours cannot be read (problem at character %(column)s). Use "
                "OpenStreetMap syntax, for example “Mo-Fr 08:30-16:30; Sa 09:00-12:00; PH off”."
            ),
            code="invalid_opening_hours",
            params={"column": match.group(1) if match else "?"},
        ) from exc


def normalize_language_code(code):
    """An ISO 639 code, lower case, two letters where ISO 639-1 has one ('fra' becomes 'fr')."""
    code = (code or "").strip().lower()
    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    if language is None and len(code) == 3:
        language = pycountry.languages.get(alpha_3=code)
    if language is None:
        return None
    return getattr(language, "alpha_2", None) or language.alpha_3


def validate_language_codes(codes):
    unknown = [code for code in codes if normalize_language_code(code) is None]
    if unknown:
        raise ValidationError(
            _(
                "Unknown language code: %(codes)s. Use ISO 639 codes such as en, fr, iu "
                "(Inuktitut), cr (Cree) or oj (Ojibwa)."
            ),
            code="unknown_language",
            params={"codes": ", ".join(unknown)},
        )


def language_name(code):
    """The language's name in the active language (ISO 639 names from pycountry)."""
    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    language = language or pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    if prefers_french():
        import gettext

        try:
            french = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["fr"])
            return french.gettext(language.name)
        except OSError:
            return language.name
    return language.name


def normalize_phone(value):
    """A Canadian phone number in international form (+1 613-555-0199), or the text unchanged."""
    try:
        number = phonenumbers.parse(value, "CA")
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_phone(value):
    try:
        number = phonenumbers.parse(value, "CA")
        valid = phonenumbers.is_valid_number(number)
    except phonenumbers.NumberParseException:
        valid = False
    if not valid:
        raise ValidationError(
            _("“%(value)s” is not a phone number. Write it as 613-555-0199 or +1 613 555 0199."),
            code="invalid_phone",
            params={"value": value},
        )


def validate_photo_size(photo):
    limit = settings.PHOTO_MAX_BYTES
    if photo and photo.size > limit:
        raise ValidationError(
            _("The photo is %(size)s; the largest accepted is %(limit)s."),
            code="photo_too_large",
            params={"size": filesizeformat(photo.size), "limit": filesizeformat(limit)},
        )
