"""Gazetteers loaded as populated places with the names they are known by, and the places
found for the communities a file gives.

`load_places(path)` reads one of two published files, recognised from its content:

- the Canadian Geographical Names Database's CSV (Natural Resources Canada: the whole country,
  `cgn_canada_csv_eng.csv`, or one province, `cgn_on_csv_eng.csv`; zipped or not): UTF-8 with
  a byte order mark, one row per official name, the English and French names of one feature
  sharing its "Toponymic Feature ID". The current layout has 16 columns (CGNDB ID, Geographical
  Name, ISO Language Code, Language, Syllabic Form, Generic Term, Generic Category, Concise
  Code, Toponymic Feature ID, Latitude, Longitude, Location, Province - Territory, Relevance at
  Scale, Decision Date, Source); older files lack ISO Language Code. Columns are found by name
  (`cgndb`).
- GeoNames' country file for Canada (`CA.txt`, or `CA.zip` holding it): UTF-8, tab-separated,
  19 columns, no header (geonameid, name, asciiname, alternatenames, latitude, longitude,
  feature class, feature code, country code, cc2, admin1 … admin4 codes, population,
  elevation, dem, timezone, modification date) (`geonames`).

The whole file is checked before anything is written; any error refuses it (file, row, column
and reason for each) and the tables are left as they were. Places are upserted on their
gazetteer and id there in one transaction of set-based SQL (`writing`: COPY into temporary
tables, then INSERT … ON CONFLICT), so loading the same file again changes nothing. Places a
file no longer has are kept: a provincial file must not remove the other provinces.

`matching` finds the places of communities as a file writes them: `find_places`,
`suggest_places`, `resolve_place`, one SQL statement each.
"""

import csv
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_noop

from ...models import Gazetteer, Jurisdiction
from ..issues import ImportFileError
from ..mapping import normalize_header as normalize
from .cgndb import CGNDB_COLUMNS, read_cgndb
from .files import SOURCES, open_text
from .geonames import GEONAMES_COLUMNS, alternate_names, read_geonames
from .matching import (
    PlaceError,
    PlaceMatch,
    PlaceSuggestion,
    find_places,
    gazetteer_label,
    resolve_place,
    suggest_places,
)
from .writing import PlaceRecord, upsert_places

__all__ = [
    "FORMATS",
    "SOURCES",
    "PlaceError",
    "PlaceMatch",
    "PlaceRecord",
    "PlaceSuggestion",
    "alternate_names",
    "detect_format",
    "find_places",
    "gazetteer_label",
    "load_places",
    "resolve_place",
    "suggest_places",
    "upsert_places",
]

FORMATS = {"cgndb": Gazetteer.CGNDB, "geonames": Gazetteer.GEONAMES}


def load_places(path, *, format=None, province=None, dry_run=False, name=None):
    """(counts, issues) for a CGNDB CSV or GeoNames file: the places and names created,
    updated and left unchanged, or issues (errors) and nothing written.

    `format` ("cgndb" or "geonames") is detected from the content when not given; `province`
    (a code, ON) keeps only that province's places; `dry_run` rolls the load back after
    counting. An unreadable file raises ImportFileError.
    """
    name = name or Path(path).name
    provinces = {j.code: j for j in Jurisdiction.objects.provinces_and_territories()}
    if province is not None and province.upper() not in provinces:
        raise ImportFileError(
            "unknown_province",
            gettext_noop("“%(province)s” is not the code of a province or territory."),
            file=name,
            province=province,
        )
    only = provinces[province.upper()].pk if province else None
    try:
        with open_text(path, name) as (text, member):
            first = text.readline()
            format = _format(first, format, name)
            reader = read_cgndb if format == "cgndb" else read_geonames
            records, issues, skipped = reader(first, text, member, provinces, only)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "not_utf8",
            gettext_noop(
                "%(file)s is not UTF-8 text; the gazetteers publish their files in UTF-8."
            ),
            file=name,
        ) from exc
    gazetteer = FORMATS[format]
    counts = {
        "gazetteer": gazetteer,
        "skipped": skipped,
        "places": {"total": 0, "created": 0, "updated": 0, "unchanged": 0},
        "names": {"total": 0, "created": 0, "removed": 0},
    }
    if issues:
        return counts, issues
    with transaction.atomic():
        counts.update(upsert_places(gazetteer, records))
        if dry_run:
            transaction.set_rollback(True)
    return counts, []


def _format(first, given, name):
    """The file's format: the one detected, which must be the one given, if any."""
    detected = detect_format(first)
    if given is not None and detected is not None and given != detected:
        raise ImportFileError(
            "wrong_format",
            gettext_noop(
                "%(file)s looks like a %(detected)s file, not a %(format)s one; leave out "
                "--format or give the right one."
            ),
            file=name,
            detected=str(FORMATS[detected].label),
            format=str(FORMATS[given].label),
        )
    if (given or detected) is None:
        raise ImportFileError(
            "unknown_gazetteer",
            gettext_noop(
                "%(file)s is neither a CSV of the Canadian Geographical Names Database nor a "
                "GeoNames country file (CA.txt)."
            ),
            file=name,
        )
    return given or detected


def detect_format(first_line):
    """ "cgndb", "geonames" or None, from the file's first line: GeoNames' 19 tab-separated
    cells starting with an id, or a header with three of the CGNDB's own columns (not only
    latitude and longitude), so that a file missing one is still recognised, and refused for
    it."""
    cells = first_line.rstrip("\r\n").split("\t")
    if len(cells) == len(GEONAMES_COLUMNS) and cells[0].isdigit():
        return "geonames"
    headers = {normalize(cell) for cell in next(csv.reader([first_line]), [])}
    known = {
        synonym
        for key, synonyms in CGNDB_COLUMNS.items()
        if key not in ("latitude", "longitude")
        for synonym in synonyms
    }
    if len(headers & known) >= 3:
        return "cgndb"
    return None
