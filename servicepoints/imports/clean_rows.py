"""The rows of a file that pass every check without a note, read column by column.

Most rows of a big refresh are clean: coordinates inside their province, known vocabulary,
valid phones and hours. `Validation.check_row` reads a row one field at a time through its
`RowChecker` (about 35 µs a row: 3.5 s for 100,000 rows); here each column's values come
from the same per-distinct-value parses (`Validation.parse_column`, shared with check_row)
and a row is a handful of list look-ups. `check_row` stays the definition: a row this module
does not accept, because anything in it would be reported (an error, a warning, a location
that is not coordinates), goes through check_row, and the tests run both on the same files
and compare their records (tests/servicepoints/imports/test_clean_rows.py).
"""

from .. import validators
from ..models import LocationPrecision
from . import values
from .mapping import normalize_header as normalize
from .value_mapping import NO_VALUE, VOCABULARY_FIELDS

CANADA = {"canada", "ca", "can"}
STREET_MAX = 300
ID_MAX = 100


def clean_records(validation, indices, defaults):
    """{index: Record} for the rows among `indices` that check_row would accept without a
    single issue; the others are left out (check_row reads them). `defaults` are the run's
    (organization, province, kind, status, languages) for rows whose cell is empty."""
    from .validate import NAME_MAX, Record

    v = validation
    if v.table.geometries is not None or "latitude" not in v.columns:
        return {}
    if "longitude" not in v.columns:
        return {}
    org_default, province_default, kind_default, status_default, languages_default = defaults
    total = len(v.table.rows)
    blank = [""] * total
    texts = {name: v.texts.get(name) or blank for name in TEXT_FIELDS}
    raw_address = v.raw.get("street_address") or blank

    def parsed(name, parser, *args):
        if v.texts.get(name) is None:
            return None
        return v.parsed.get(name) or v.parse_column(name, parser, args)

    vocabulary = {
        name: parsed(name, v.vocabulary_value, name)
        for name in ("organization", "kind", "status", "province")
    }
    latitude = parsed("latitude", values.parse_number)
    longitude = parsed("longitude", values.parse_number)
    postal = parsed("postal_code", values.parse_postal_code)
    phone = parsed("phone", values.parse_phone)
    website = parsed("website", values.parse_website)
    languages = parsed("languages", v.languages)
    hours = parsed("opening_hours", values.parse_opening_hours)
    verified = parsed("last_verified", values.parse_date)
    lists = {name: _List(v, name) for name in ("services", "accessibility")}
    allowed = v.vocabulary.allowed_jurisdictions
    # X is both the Northwest Territories' and Nunavut's: check_row leaves it undecided too.
    by_letter = {
        letter: v.vocabulary.province_codes[code]
        for code, province_letters in validators.POSTAL_CODE_LETTERS.items()
        for letter in province_letters
        if letter != "X"
    }
    letters = validators.POSTAL_CODE_LETTERS
    canada = validators.CANADA_EXTENT
    extents = values.PROVINCE_EXTENTS
    margin = values.EXTENT_MARGIN
    inside = values.inside
    address_postal, address_community, dates, countries = {}, {}, {}, {}
    ids, names_en, names_fr = texts["external_id"], texts["name_en"], texts["name_fr"]
    streets, communities, country = texts["street_address"], texts["community"], texts["country"]
    line_numbers = v.table.line_numbers
    records = {}
    for i in indices:
        external_id, name_en, name_fr = ids[i], names_en[i], names_fr[i]
        if not external_id or len(external_id) > ID_MAX or not (name_en or name_fr):
            continue
        if len(name_en) > NAME_MAX or len(name_fr) > NAME_MAX:
            continue
        chosen = []
        for name, default in (
            ("organization", org_default),
            ("kind", kind_default),
            ("status", status_default),
            ("province", province_default),
        ):
            column = vocabulary[name]
            if column is None or not texts[name][i]:
                chosen.append(default)
                continue
            value, exc = column[i]
            if exc is not None:
                break
            chosen.append(default if value == NO_VALUE else value)
        else:
            organization, kind, status, province = chosen
            if organization is None:
                continue
            if allowed is not None and organization.jurisdiction_id not in allowed:
                continue
            street = streets[i]
            if len(street) > STREET_MAX:
                continue
            if country[i]:
                if country[i] not in countries:
                    countries[country[i]] = normalize(country[i]) in CANADA
                if not countries[country[i]]:
                    continue
            (lat, lat_error), (lon, lon_error) = latitude[i], longitude[i]
            if lat is None or lon is None or lat_error or lon_error:
                continue
            if not inside(canada, lon, lat):
                continue
            postal_code = ""
            if postal is not None and texts["postal_code"][i]:
                postal_code, exc = postal[i]
                if exc is not None:
                    continue
            else:
                address = raw_address[i]
                if address not in address_postal:
                    address_postal[address] = values.postal_code_in(address)
                if address_postal[address]:
                    continue  # the address's postal code may need a note: check_row decides
            if province is None:
                if not postal_code or postal_code[0] == "X":
                    continue
                province = by_letter[postal_code[0]]
            elif postal_code and postal_code[0] not in letters[province.code]:
                continue
            if not inside(extents[province.code], lon, lat, margin):
                continue
            optional = []
            for column, name in (
                (phone, "phone"),
                (website, "website"),
                (hours, "opening_hours"),
                (verified, "last_verified"),
            ):
                if column is None or not texts[name][i]:
                    optional.append(None)
                    continue
                value, exc = column[i]
                if exc is not None:
                    break
                optional.append(value)
            else:
                phone_value, website_value, hours_value, verified_value = optional
                if verified_value is not None:
                    if verified_value not in dates:
                        dates[verified_value] = _date_ok(verified_value, v.today)
                    if not dates[verified_value]:
                        continue
                point_languages = languages_default
                if languages is not None and texts["languages"][i]:
                    cell, exc = languages[i]
                    if exc is not None:
                        continue
                    point_languages = languages_default if cell == NO_VALUE else cell or ()
                services = lists["services"].at(texts["services"][i])
                accessibility = lists["accessibility"].at(texts["accessibility"][i])
                if services is None or accessibility is None:
                    continue
                community = communities[i]
                if not community:
                    address = raw_address[i]
                    if address not in address_community:
                        address_community[address] = values.community_in(
                            address, v.vocabulary.provinces
                        )
                    community = address_community[address]
                records[i] = Record(
                    line=line_numbers[i],
                    external_id=external_id,
                    organization_id=organization.pk,
                    kind=kind,
                    status=status,
                    name_en=name_en or name_fr,
                    name_fr=name_fr or name_en,
                    lon=lon,
                    lat=lat,
                    location_precision=LocationPrecision.EXACT,
                    street_address=street,
                    community=community[:120],
                    province_id=province.pk,
                    postal_code=postal_code or "",
                    phone=phone_value or "",
                    website=website_value or "",
                    languages=list(point_languages),
                    opening_hours=hours_value or "",
                    accessibility=sorted(set(accessibility)),
                    last_verified=verified_value,
                    service_ids=sorted({service.pk for service in services}),
                )
    return records


TEXT_FIELDS = [
    "external_id",
    "name_en",
    "name_fr",
    "organization",
    "kind",
    "status",
    "province",
    "street_address",
    "community",
    "country",
    "postal_code",
    "phone",
    "website",
    "languages",
    "opening_hours",
    "last_verified",
    "services",
    "accessibility",
]


class _List:
    """A list field's cells (services, accessibility) read once per distinct cell: the
    values, or None when any item is unknown (check_row reports it)."""

    def __init__(self, validation, field):
        self.known = validation.vocabulary.table(field)
        self.mapped = validation.mapped.get(field, {})
        self.cells = {"": []}
        assert VOCABULARY_FIELDS[field].listed

    def at(self, text):
        if text not in self.cells:
            found = []
            for item in values.split_list(text):
                key = normalize(item)
                if key in self.mapped:
                    found.extend(self.mapped[key])
                elif key in self.known:
                    found.append(self.known[key])
                else:
                    found = None
                    break
            self.cells[text] = found
        return self.cells[text]


def _date_ok(value, today):
    try:
        values.check_date(value, today)
    except values.Invalid:
        return False
    return True
