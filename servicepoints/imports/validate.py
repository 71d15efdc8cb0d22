"""Every row of a file checked and turned into a service point's values, or reported.

`validate(table, mapping, defaults, ...)` returns the rows that can be imported (`Record`s) and
every `Issue` (error or warning) with the file, row, column, value and reason. An import with
any error is refused as a whole, so errors never half-apply.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from django.utils import timezone
from django.utils.translation import gettext_noop

from .. import validators
from ..models import (
    Kind,
    Status,
)
from ..models.base import BilingualName, timezones_at
from . import values
from .clean_rows import clean_records
from .issues import error, warning
from .locations import LocationChecks
from .mapping import normalize_header as normalize
from .value_mapping import NO_VALUE, VOCABULARY_FIELDS, check_code, lookup_table
from .values import Invalid
from .vocabulary import Vocabulary

# What sources write instead of coordinates they do not publish (DFRP: "Protected").
WITHHELD = {"protected", "protege", "withheld", "confidential", "confidentiel"}
# Bump when the checks or the normalisation change: fingerprints then no longer match and
# every row is checked again at the next import.
FINGERPRINT_RULES = 2
NAME_MAX = BilingualName._meta.get_field("name_en").max_length


@dataclass
class Record:
    line: int
    external_id: str
    organization_id: int
    kind: str
    status: str
    name_en: str
    name_fr: str
    lon: float
    lat: float
    location_precision: str
    street_address: str = ""
    community: str = ""
    province_id: int = 0
    postal_code: str = ""
    phone: str = ""
    website: str = ""
    languages: list = field(default_factory=list)
    opening_hours: str = ""
    timezone: str = ""
    accessibility: list = field(default_factory=list)
    last_verified: object = None
    service_ids: list = field(default_factory=list)
    fingerprint: str = ""


class Columns(dict):
    """Columns computed on first use: `columns[name]` and `get(name)` fill them in (None for
    a field no column gives). Once computed, `columns[name]` is a plain dict look-up: rows
    read cells a million times in a 100,000-row file."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, name):
        value = self[name] = self.compute(name)
        return value

    def get(self, name, default=None):
        value = self[name]
        return default if value is None else value


class RowChecker:
    """Reads one row's cells; collects its issues."""

    def __init__(self, validation, index, line):
        self.validation = validation
        self.index = index
        self.line = line
        self.errors = 0

    def text(self, name):
        """The cell of a mapped field, whitespace collapsed ("" when the field is unmapped)."""
        column = self.validation.texts[name]
        return column[self.index] if column is not None else ""

    def raw(self, name):
        column = self.validation.raw[name]
        return column[self.index] if column is not None else ""

    def column(self, name):
        mapping = self.validation.mapping
        if name in ("postal_code", "community") and name not in mapping:
            # Read from the address when no column of their own gives them.
            return mapping.get("street_address", "")
        return mapping.get(name, "")

    def report(self, severity, code, message, name="", cell="", /, **params):
        # `cell` is positional only: messages take a `value` parameter of their own.
        issue = (error if severity == "error" else warning)(
            code,
            message,
            file=self.validation.file,
            row=self.line,
            column=self.column(name) if name else "",
            value=str(cell)[:200],
            params=params,
        )
        self.validation.issues.append(issue)
        if severity == "error":
            self.errors += 1

    def parse(self, name, parser, *args):
        """parser(text) for a mapped, non-empty cell; None (and an error) when invalid.

        Each field has one parser: the whole column is parsed once per distinct value, the
        first time a row asks (files repeat provinces, kinds, hours, languages…).
        """
        column = self.validation.parsed.get(name)
        if column is None:  # The first row that asks parses the whole column.
            column = self.validation.parse_column(name, parser, args)
        value, exc = column[self.index]
        if exc is not None:
            self.report("error", exc.code, exc.message, name, self.text(name), **exc.params)
        return value


UNKNOWN_MESSAGES = {
    "kind": gettext_noop("Unknown kind of service point."),
    "status": gettext_noop("Unknown status: use open, planned, temporarily closed or closed."),
    "organization": gettext_noop("No organization is known by this code or name."),
    "province": gettext_noop("Unknown province or territory: use its code (ON) or name."),
}


class Validation(LocationChecks):
    def __init__(
        self,
        table,
        mapping,
        defaults,
        vocabulary,
        today=None,
        known=None,
        scope=None,
        values=None,
    ):
        self.table = table
        self.file = table.name
        self.mapping = mapping
        self.defaults = defaults or {}
        self.vocabulary = vocabulary
        # What the source's own values stand for: {field: {normalised value: registry value}}.
        self.values = values or {}
        self.mapped = {}
        self.issues = []
        self.check_value_mapping()
        self.columns = {name: table.headers.index(header) for name, header in mapping.items()}
        # Each mapped column once, when a row first asks, cleaned per distinct value: files
        # repeat values a lot, and rows not checked again never ask.
        self.raw = Columns(self._raw_column)
        self.texts = Columns(self._text_column)
        self.parsed = {}
        # Rows byte for byte what made a point that is still as the import left it.
        self.known = known or {}
        self.scope = scope
        self.unchanged = []
        self.records = []
        # How rows were placed: coordinates, geometry, postal_area, community, mapping,
        # unplaced; and gazetteer:<name> for the communities each gazetteer placed.
        self.placed = Counter()
        self._community_mapping = None
        self._mapped_places = {}
        self._gazetteer_places = None
        self.today = today or timezone.localdate()

    def _raw_column(self, name):
        index = self.columns.get(name)
        if index is None:
            return None
        return list(map(itemgetter(index), self.table.rows))

    def _text_column(self, name):
        raw = self.raw.get(name)
        if raw is None:
            return None
        if name == "street_address":
            return list(map(str.strip, raw))
        distinct = set(raw)
        if len(distinct) * 2 > len(raw):
            # Mostly distinct values (ids, names, coordinates): no look-up table.
            return [" ".join(value.split()) if value else value for value in raw]
        cleaned = {value: " ".join(value.split()) for value in distinct}
        return list(map(cleaned.__getitem__, raw))

    def parse_column(self, name, parser, args):
        """[(value, Invalid or None)] for every row of a field's column."""
        texts = self.texts.get(name)
        if texts is None:
            column = [(None, None)] * len(self.table.rows)
        else:
            results = {"": (None, None)}
            for text in set(texts):
                if text:
                    try:
                        results[text] = (parser(text, *args), None)
                    except Invalid as exc:
                        results[text] = (None, exc)
            column = list(map(results.__getitem__, texts))
        self.parsed[name] = column
        return column

    def default(self, name, lookup):
        text = (self.defaults.get(name) or "").strip()
        return lookup.get(normalize(text)) if text else None

    def check_value_mapping(self):
        """Resolve the value mappings once; a code the registry does not know is an error of
        the whole file (naming the field's column), and that value stays unmapped."""
        for name in VOCABULARY_FIELDS:
            resolved = {}
            for text, code in lookup_table(self.values, name).items():
                try:
                    resolved[text] = check_code(name, code, self.vocabulary)
                except Invalid as exc:
                    self.issues.append(
                        error(
                            exc.code,
                            exc.message,
                            file=self.file,
                            column=self.mapping.get(name, name),
                            value=code,
                            params=exc.params,
                        )
                    )
            if resolved:
                self.mapped[name] = resolved

    def vocabulary_value(self, text, field):
        """The registry value of a vocabulary cell: the source's mapping first, then the
        registry's codes, names and synonyms; NO_VALUE for a value mapped to nothing."""
        key = normalize(text)
        mapped = self.mapped.get(field)
        if mapped is not None and key in mapped:
            return mapped[key]
        value = self.vocabulary.table(field).get(key)
        if value is None:
            raise Invalid(VOCABULARY_FIELDS[field].code, UNKNOWN_MESSAGES[field], value=text)
        return value

    def choose(self, row, field, default):
        """A single-value vocabulary field of the row: the cell's value, or `default` when the
        cell is empty, its column ignored or its value mapped to nothing. None when the cell
        cannot be read (the row has an error then)."""
        if not row.text(field):
            return default
        value = row.parse(field, self.vocabulary_value, field)
        return default if value == NO_VALUE else value

    def languages(self, text):
        key = normalize(text)
        mapped = self.mapped.get("languages")
        if mapped is not None and key in mapped:
            return mapped[key]
        return values.parse_languages(text)

    def run(self, progress=None):
        vocabulary = self.vocabulary
        default_org = self.default("organization", vocabulary.organizations)
        default_province = self.default("province", vocabulary.provinces)
        default_kind = self.default("kind", vocabulary.kinds) or Kind.CENTRE
        default_status = self.default("status", vocabulary.statuses) or Status.OPEN
        default_languages = ()
        if self.defaults.get("languages"):
            default_languages = values.parse_languages(self.defaults["languages"])
        seen_ids = {}
        geometries = self.table.geometries
        total = len(self.table.rows)
        fingerprints = self.fingerprints()
        ids = self.texts.get("external_id") or [""] * total
        occurrences = Counter(ids)
        lines = self.table.line_numbers
        to_check = []
        for index in range(total):
            external_id = ids[index]
            if (
                self.known
                and occurrences[external_id] == 1
                and self.known.get(external_id) == fingerprints[index]
            ):
                self.unchanged.append((external_id, lines[index]))
            else:
                to_check.append(index)
        defaults = (default_org, default_province, default_kind, default_status)
        # Rows with nothing to report, read column by column; the others row by row.
        # (None to check, as in a re-import of an unchanged file: no column is read.)
        clean = clean_records(self, to_check, (*defaults, default_languages)) if to_check else {}
        self.placed["coordinates"] += len(clean)
        for done, index in enumerate(to_check):
            if progress and done % 5000 == 0:
                progress(done, len(to_check))
            row = None
            record = clean.get(index)
            if record is None:
                row = RowChecker(self, index, lines[index])
                geometry = geometries[index] if geometries is not None else None
                record = self.check_row(row, geometry, *defaults, default_languages)
                if record is None:
                    continue
            first = seen_ids.setdefault(record.external_id, record.line)
            if first != record.line:
                row = row or RowChecker(self, index, lines[index])
                row.report(
                    "error",
                    "duplicate_id",
                    gettext_noop("The external id “%(value)s” is also on row %(first)s."),
                    "external_id",
                    record.external_id,
                    value=record.external_id,
                    first=first,
                )
                continue
            if row is None or not row.errors:
                record.fingerprint = fingerprints[index]
                self.records.append(record)
        zones = timezones_at([r.lon for r in self.records], [r.lat for r in self.records])
        for record, zone in zip(self.records, zones, strict=True):
            record.timezone = zone
        self.check_near_duplicates()
        return self.records, self.issues

    def fingerprints(self):
        """md5 per row of what makes its point: the mapped cells, the geometry, the mapping,
        the defaults and the import's scope (and the rules' version)."""
        signature = json.dumps(
            [
                FINGERPRINT_RULES,
                sorted(self.mapping.items()),
                sorted(self.defaults.items()),
                self.scope,
                sorted((field, sorted(entries.items())) for field, entries in self.values.items()),
            ],
            default=str,
        )
        indices = sorted(set(self.columns.values()))
        geometries = self.table.geometries
        base = hashlib.md5(signature.encode(), usedforsecurity=False)
        result = []
        for index, cells in enumerate(self.table.rows):
            digest = base.copy()
            digest.update("\x1f".join([cells[i] for i in indices]).encode())
            if geometries is not None and geometries[index] is not None:
                digest.update(bytes(geometries[index].wkb))
            result.append(digest.hexdigest())
        return result

    def check_row(self, row, geometry, org, province, kind, status, languages):
        vocabulary = self.vocabulary
        external_id = row.text("external_id")
        if not external_id:
            row.report(
                "error", "required", gettext_noop("The external id is empty."), "external_id"
            )
        elif len(external_id) > 100:
            row.report(
                "error",
                "too_long",
                gettext_noop("The external id is longer than 100 characters."),
                "external_id",
                external_id,
            )
        name_en, name_fr = row.text("name_en"), row.text("name_fr")
        if not (name_en or name_fr):
            row.report("error", "required", gettext_noop("The name is empty."), "name_en")
        for name, value in (("name_en", name_en), ("name_fr", name_fr)):
            if len(value) > NAME_MAX:
                row.report(
                    "error",
                    "too_long",
                    gettext_noop("The name is longer than %(limit)s characters."),
                    name,
                    value,
                    limit=NAME_MAX,
                )
        errors = row.errors
        org = self.choose(row, "organization", org)
        if org is None and row.errors == errors:
            row.report(
                "error",
                "required",
                gettext_noop(
                    "No organization: map a column to it or choose one for the whole file."
                ),
            )
        if (
            org is not None
            and vocabulary.allowed_jurisdictions is not None
            and (org.jurisdiction_id not in vocabulary.allowed_jurisdictions)
        ):
            row.report(
                "error",
                "other_jurisdiction",
                gettext_noop(
                    "This row belongs to %(organization)s (%(jurisdiction)s), which this import "
                    "may not change."
                ),
                "organization",
                row.text("organization") or str(org),
                organization=org.code,
                jurisdiction=org.jurisdiction.code,
            )
        kind = self.choose(row, "kind", kind)
        status = self.choose(row, "status", status)
        street_address = row.text("street_address")
        if len(street_address) > 300:
            row.report(
                "error",
                "too_long",
                gettext_noop("The street address is longer than 300 characters."),
                "street_address",
                street_address,
            )
        country = row.text("country")
        if country and normalize(country) not in ("canada", "ca", "can"):
            row.report(
                "warning",
                "abroad",
                gettext_noop("Row skipped: it is in %(country)s, not in Canada."),
                "country",
                country,
                country=country,
            )
            return None
        latitude = row.text("latitude")
        # The words for a withheld location; a number never starts with a letter.
        if latitude[:1].isalpha() and normalize(latitude) in WITHHELD:
            row.report(
                "warning",
                "location_withheld",
                gettext_noop("Row skipped: the source withholds this location (“%(value)s”)."),
                "latitude",
                latitude,
                value=latitude,
            )
            return None
        province = self.choose(row, "province", province)
        postal_code = row.parse("postal_code", values.parse_postal_code)
        from_address = False
        if not postal_code and not row.text("postal_code"):
            postal_code = values.postal_code_in(row.raw("street_address"))
            from_address = bool(postal_code)
        if province is None and postal_code and postal_code[0] != "X":
            province = next(
                vocabulary.province_codes[code]
                for code, letters in validators.POSTAL_CODE_LETTERS.items()
                if postal_code[0] in letters
            )
        if province is not None and postal_code:
            letters = validators.POSTAL_CODE_LETTERS[province.code]
            if postal_code[0] not in letters and from_address:
                # A mailing code in the address (a Gatineau building with an Ottawa K1A
                # code, a placeholder such as X0X 0X0): not the point's own postal code.
                row.report(
                    "warning",
                    "address_postal_code_ignored",
                    gettext_noop(
                        "The postal code %(value)s in the address does not belong to "
                        "%(province)s; it is not kept."
                    ),
                    "street_address",
                    postal_code,
                    value=postal_code,
                    province=province.code,
                )
                postal_code = ""
            elif postal_code[0] not in letters:
                row.report(
                    "error",
                    "postal_code_province",
                    gettext_noop(
                        "Postal codes in %(province)s start with %(letters)s, not %(letter)s."
                    ),
                    "postal_code",
                    postal_code,
                    province=province.code,
                    letters=" / ".join(letters),
                    letter=postal_code[0],
                )
        community = row.text("community") or values.community_in(
            row.raw("street_address"), vocabulary.provinces
        )
        lon_lat, precision = self.locate(row, geometry, province, postal_code, community)
        if lon_lat is not None and province is None:
            province = self.province_at(*lon_lat)
            if province is None:
                row.report(
                    "error",
                    "required",
                    gettext_noop(
                        "The province or territory is missing and cannot be told from "
                        "the location."
                    ),
                    "province",
                )
        if lon_lat is not None and province is not None:
            extent = values.PROVINCE_EXTENTS[province.code]
            if not values.inside(extent, *lon_lat, values.EXTENT_MARGIN):
                row.report(
                    "error",
                    "outside_province",
                    gettext_noop(
                        "The location (longitude %(lon).5f, latitude %(lat).5f) is outside "
                        "%(province)s."
                    ),
                    "latitude" if "latitude" in self.columns else "",
                    f"{lon_lat[0]}, {lon_lat[1]}",
                    lon=lon_lat[0],
                    lat=lon_lat[1],
                    province=province.code,
                )
        phone = row.parse("phone", values.parse_phone) or ""
        website = row.parse("website", values.parse_website) or ""
        if row.text("languages"):
            cell = row.parse("languages", self.languages)
            languages = languages if cell == NO_VALUE else cell or ()
        hours = row.parse("opening_hours", values.parse_opening_hours) or ""
        services = [
            service.pk
            for service in self.listed(
                row, "services", gettext_noop("Unknown service “%(value)s”.")
            )
        ]
        accessibility = self.listed(
            row,
            "accessibility",
            gettext_noop("Unknown accessibility feature “%(value)s”."),
        )
        verified = row.parse("last_verified", values.parse_date)
        if verified is not None:
            try:
                values.check_date(verified, self.today)
            except Invalid as exc:
                row.report("error", exc.code, exc.message, "last_verified", verified, **exc.params)
        if row.errors or lon_lat is None or org is None or province is None:
            return None
        return Record(
            line=row.line,
            external_id=external_id,
            organization_id=org.pk,
            kind=kind,
            status=status,
            name_en=name_en or name_fr,
            name_fr=name_fr or name_en,
            lon=lon_lat[0],
            lat=lon_lat[1],
            location_precision=precision,
            street_address=street_address,
            community=community[:120],
            province_id=province.pk,
            postal_code=postal_code or "",
            phone=phone,
            website=website,
            languages=list(languages),
            opening_hours=hours,
            accessibility=sorted(set(accessibility)),
            last_verified=verified,
            service_ids=sorted(set(services)),
        )

    def listed(self, row, field, message):
        """The known values of a list cell: each item through the source's mapping (one item
        may stand for several values, or for none) or the registry's table; each unknown
        one reported as an error of the row."""
        found = []
        known = self.vocabulary.table(field)
        mapped = self.mapped.get(field, {})
        for text in values.split_list(row.text(field)):
            key = normalize(text)
            if key in mapped:
                found.extend(mapped[key])
                continue
            value = known.get(key)
            if value is None:
                row.report(
                    "error", VOCABULARY_FIELDS[field].code, message, field, text, value=text
                )
            else:
                found.append(value)
        return found


def validate(
    table,
    mapping,
    defaults=None,
    *,
    values=None,
    user=None,
    jurisdiction=None,
    progress=None,
    known=None,
):
    """The `Validation` of a table read by `readers.read_table`, run: its `records`, `issues`
    (sorted by row), `unchanged` rows and `placed` counts.

    `values` are the source's value mappings ({field: {value in the file: code}}). `known`
    maps external ids to the fingerprints of the source's points as the last import left
    them: rows with the same fingerprint are not checked again, and come back in `unchanged`
    as (external id, line).
    """
    vocabulary = Vocabulary(user=user, jurisdiction=jurisdiction)
    allowed = vocabulary.allowed_jurisdictions
    scope = [jurisdiction.pk if jurisdiction else None, sorted(allowed) if allowed else None]
    validation = Validation(
        table, mapping, defaults, vocabulary, known=known, scope=scope, values=values
    )
    validation.run(progress)
    validation.issues.extend(table.issues)
    validation.issues.sort(key=lambda issue: (issue.row or 0, issue.severity != "error"))
    return validation
