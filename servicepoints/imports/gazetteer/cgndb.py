"""The Canadian Geographical Names Database's CSV: one row per official name, the English and
French names of one feature sharing its Toponymic Feature ID."""

import csv

from django.utils.translation import gettext_noop

from ...models import PlaceName
from ..mapping import normalize_header as normalize
from .files import Problems, coordinates, province_lookup
from .writing import PlaceRecord

# CGNDB columns, by their normalised English header (and a French one, unverified: the
# French-header file could not be checked against a published sample).
CGNDB_COLUMNS = {
    "name": ("geographical name", "nom geographique"),
    "language": ("language", "langue"),
    "iso_language": ("iso language code", "code de langue iso"),
    "generic_term": ("generic term", "terme generique"),
    "concise_code": ("concise code", "code concis"),
    "feature_id": ("toponymic feature id", "identificateur de l entite toponymique"),
    "cgndb_id": ("cgndb id", "identificateur bdtc"),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "province": ("province territory", "province territoire"),
    "relevance": ("relevance at scale", "pertinence a l echelle"),
}
CGNDB_REQUIRED = ("name", "generic_term", "concise_code", "latitude", "longitude", "province")
# Populated places, by the CGNDB's concise code (the same in its English and French files):
# cities, towns, villages, hamlets, unincorporated areas (communities, localities,
# settlements, dispersed and compact rural communities…) and municipalities (district,
# metropolitan and other municipal areas). Reserves (IR), parks and natural features are not.
CGNDB_POPULATED_CODES = {"CITY", "TOWN", "VILG", "HAM", "UNP", "DMUN", "MUN1", "MUN2"}
# Unincorporated "places" where nobody lives, that no directory gives as a community.
CGNDB_SKIPPED_TERMS = {"railway point", "post office"}
CGNDB_LANGUAGES = {
    "english": "en",
    "eng": "en",
    "anglais": "en",
    "french": "fr",
    "fra": "fr",
    "fre": "fr",
    "francais": "fr",
}


def read_cgndb(first, text, member, provinces, only):
    """(records, issues, rows skipped) of a CGNDB CSV whose header line is `first`."""
    problems = Problems(member)
    headers = [cell.strip() for cell in next(csv.reader([first]))]
    by_key = {}
    for index, header in enumerate(headers):
        by_key.setdefault(normalize(header), index)
    columns = {
        key: next((by_key[s] for s in synonyms if s in by_key), None)
        for key, synonyms in CGNDB_COLUMNS.items()
    }
    missing = [key for key in CGNDB_REQUIRED if columns[key] is None]
    if columns["feature_id"] is None and columns["cgndb_id"] is None:
        missing.append("feature_id")
    for key in missing:
        column = CGNDB_HEADERS[key]
        problems.add(
            "missing_column",
            gettext_noop("The file has no “%(column)s” column."),
            row=1,
            column=column,
            params={"column": column},
        )
    if missing:
        return [], problems.all(), 0
    header = {key: headers[index] for key, index in columns.items() if index is not None}
    province_of = province_lookup(provinces)
    features, names, skipped = {}, {}, 0
    reader = csv.reader(text)
    for cells in reader:
        line = reader.line_num + 1  # the header was line 1
        if not any(cells):
            continue
        if len(cells) != len(headers):
            problems.add(
                "wrong_cell_count",
                gettext_noop("The row has %(count)s cells; the header has %(expected)s."),
                row=line,
                params={"count": len(cells), "expected": len(headers)},
            )
            continue

        def cell(key, cells=cells):
            index = columns[key]
            return cells[index].strip() if index is not None else ""

        term = cell("generic_term")
        if (
            cell("concise_code").upper() not in CGNDB_POPULATED_CODES
            or normalize(term) in CGNDB_SKIPPED_TERMS
        ):
            skipped += 1
            continue
        province = province_of.get(normalize(cell("province")))
        if province is None:
            problems.add(
                "unknown_province",
                gettext_noop("Unknown province or territory “%(value)s”."),
                row=line,
                column=header["province"],
                value=cell("province"),
                params={"value": cell("province")},
            )
            continue
        if only is not None and province.pk != only:
            skipped += 1
            continue
        place_name = cell("name")
        if not place_name:
            problems.add(
                "missing_name",
                gettext_noop("The row has no name."),
                row=line,
                column=header["name"],
            )
            continue
        location = coordinates(
            problems,
            line,
            cell("latitude"),
            cell("longitude"),
            header["latitude"],
            header["longitude"],
        )
        relevance = cell("relevance")
        if relevance and not relevance.isdigit():
            problems.add(
                "not_an_integer",
                gettext_noop("“%(value)s” is not a whole number."),
                row=line,
                column=header["relevance"],
                value=relevance,
                params={"value": relevance},
            )
            continue
        if location is None:
            continue
        language = CGNDB_LANGUAGES.get(normalize(cell("language"))) or CGNDB_LANGUAGES.get(
            normalize(cell("iso_language")), ""
        )
        # One place per feature and province: a feature has a record in each province it
        # lies in, and one per official name (English, French, or one for both).
        key = f"{cell('feature_id') or cell('cgndb_id')}-{province.code}"
        record = features.get(key)
        if record is None:
            record = features[key] = PlaceRecord(
                external_id=key,
                name=place_name,
                province_id=province.pk,
                lon=location[0],
                lat=location[1],
                generic_term=term,
            )
        if relevance:
            record.relevance_at_scale = max(record.relevance_at_scale or 0, int(relevance))
        if language == "en":
            record.generic_term = term  # the English file's terms are English
        names.setdefault(key, []).append((place_name, language))
    for key, record in features.items():
        by_language = {}
        for place_name, language in names[key]:
            by_language.setdefault(language, []).append(place_name)
        # The English name where there is one; else the only (or the French) name, which is
        # then the official name in English too.
        record.name = (by_language.get("en") or by_language.get("") or by_language["fr"])[0]
        french = by_language.get("fr", [""])[0]
        record.name_fr = french if french != record.name else ""
        record.names = [
            (place_name, language, PlaceName.Kind.OFFICIAL) for place_name, language in names[key]
        ]
    return list(features.values()), problems.all(), skipped


CGNDB_HEADERS = {
    "name": "Geographical Name",
    "generic_term": "Generic Term",
    "concise_code": "Concise Code",
    "feature_id": "Toponymic Feature ID",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "province": "Province - Territory",
}
