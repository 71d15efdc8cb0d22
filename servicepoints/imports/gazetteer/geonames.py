"""GeoNames' country file: tab-separated, 19 columns, no header; populated places are feature
class P."""

import unicodedata

from django.utils.translation import gettext_noop

from ...models import PlaceName
from ..mapping import normalize_header as normalize
from .files import Problems, coordinates
from .writing import PlaceRecord

GEONAMES_COLUMNS = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature class",
    "feature code",
    "country code",
    "cc2",
    "admin1 code",
    "admin2 code",
    "admin3 code",
    "admin4 code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification date",
]
GEONAMES = {name: index for index, name in enumerate(GEONAMES_COLUMNS)}
# GeoNames' first-order divisions of Canada (admin1CodesASCII.txt, CA.01 … CA.14).
GEONAMES_ADMIN1 = {
    "01": "AB",
    "02": "BC",
    "03": "MB",
    "04": "NB",
    "05": "NL",
    "07": "NS",
    "08": "ON",
    "09": "PE",
    "10": "QC",
    "11": "SK",
    "12": "YT",
    "13": "NT",
    "14": "NU",
}
# Populated places (feature class P) that no longer exist: abandoned, destroyed, a former
# capital. Sections (PPLX: Nepean, Kanata inside Ottawa) and historical places (PPLH) are kept
# as "former" names: directories still give them as communities.
GEONAMES_SKIPPED_CODES = {"PPLQ", "PPLW", "PPLCH"}
GEONAMES_FORMER_CODES = {"PPLX", "PPLH"}


def read_geonames(first, text, member, provinces, only):
    """(records, issues, rows skipped) of a GeoNames country file whose first line is `first`.

    Only populated places (feature class P) in Canada are read; their alternate names are
    kept, but not those in other scripts, GeoNames' automatic transliterations or codes.
    """
    problems = Problems(member)
    records, skipped = [], 0
    by_admin1 = {admin1: provinces[code] for admin1, code in GEONAMES_ADMIN1.items()}
    for line, row in enumerate(_chain([first], text), start=1):
        row = row.rstrip("\r\n")
        if not row:
            continue
        cells = row.split("\t")
        if len(cells) != len(GEONAMES_COLUMNS):
            problems.add(
                "wrong_cell_count",
                gettext_noop(
                    "The row has %(count)s tab-separated columns; a GeoNames file has "
                    "%(expected)s."
                ),
                row=line,
                params={"count": len(cells), "expected": len(GEONAMES_COLUMNS)},
            )
            continue
        if cells[GEONAMES["feature class"]] != "P" or cells[GEONAMES["country code"]] != "CA":
            skipped += 1
            continue
        code = cells[GEONAMES["feature code"]]
        if code in GEONAMES_SKIPPED_CODES:
            skipped += 1
            continue
        admin1 = cells[GEONAMES["admin1 code"]]
        if admin1 in ("", "00"):  # GeoNames' "no division": the row cannot be placed
            skipped += 1
            continue
        province = by_admin1.get(admin1)
        if province is None:
            problems.add(
                "unknown_province",
                gettext_noop("Unknown province or territory “%(value)s”."),
                row=line,
                column=_geonames_column("admin1 code"),
                value=admin1,
                params={"value": admin1},
            )
            continue
        if only is not None and province.pk != only:
            skipped += 1
            continue
        geonameid = cells[GEONAMES["geonameid"]]
        population = cells[GEONAMES["population"]] or "0"
        for column, value in (("geonameid", geonameid), ("population", population)):
            if not value.isdigit():
                problems.add(
                    "not_an_integer",
                    gettext_noop("“%(value)s” is not a whole number."),
                    row=line,
                    column=_geonames_column(column),
                    value=value,
                    params={"value": value},
                )
        location = coordinates(
            problems,
            line,
            cells[GEONAMES["latitude"]],
            cells[GEONAMES["longitude"]],
            _geonames_column("latitude"),
            _geonames_column("longitude"),
        )
        place_name = cells[GEONAMES["name"]].strip()
        if not place_name:
            problems.add(
                "missing_name",
                gettext_noop("The row has no name."),
                row=line,
                column=_geonames_column("name"),
            )
            continue
        if location is None or not geonameid.isdigit() or not population.isdigit():
            continue
        former = code in GEONAMES_FORMER_CODES
        official = PlaceName.Kind.FORMER if former else PlaceName.Kind.OFFICIAL
        records.append(
            PlaceRecord(
                external_id=geonameid,
                name=place_name,
                province_id=province.pk,
                lon=location[0],
                lat=location[1],
                generic_term=code,
                population=int(population) or None,  # 0: GeoNames does not know it
                timezone=cells[GEONAMES["timezone"]],
                is_section=former,
                names=[
                    (place_name, "", official),
                    *(
                        (alternate, "", PlaceName.Kind.ALTERNATE)
                        for alternate in alternate_names(
                            place_name, cells[GEONAMES["alternatenames"]].split(",")
                        )
                    ),
                ],
            )
        )
    return records, problems.all(), skipped


def _chain(first, rest):
    yield from first
    yield from rest


def _geonames_column(name):
    return f"{name} ({GEONAMES[name] + 1})"


def alternate_names(name, alternates):
    """The alternate names worth matching a community on, in their first spelling.

    Left out: the name itself (or a spelling of it that compares the same), names with
    letters of another script than Latin, GeoNames' automatic transliterations (all lower
    case: "da sa de bo li"), codes in capitals (airports: YOW, CYOW) and anything with a
    character that is not a letter, digit, space or name punctuation.
    """
    seen = {normalize(name)}
    kept = []
    for alternate in alternates:
        alternate = alternate.strip()
        key = normalize(alternate)
        if not key or key in seen or len(alternate) > 200:
            continue
        if not any(c.isupper() for c in alternate) or (
            alternate.isupper() and alternate.isalpha() and len(alternate) <= 4
        ):
            continue
        if not all(_name_character(c) for c in alternate):
            continue
        seen.add(key)
        kept.append(alternate)
    return kept


def _name_character(c):
    if c.isalpha():
        return unicodedata.name(c, "").startswith("LATIN")
    return c.isdigit() or c in " -'’.()&/"
