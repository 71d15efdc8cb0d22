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
    # A value that cannot be read (check_row reports it).
    BAD = object()  # noqa: N806
    total = len(v.table.rows)
    blank = [""] * total
    texts = {name: v.texts.get(name) or blank for name in TEXT_FIELDS}
    raw_address = v.raw.get("street_address") or blank

    def parsed(name, parser, *args):
        if v.texts.get(name) is None:
            return None
        return v.parsed.get(name) or v.parse_column(name, parser, args)

    def chosen(name, column, default):
        """The field's value on every row: `default` for an empty cell or a value mapped to
        nothing, BAD for a value that cannot be read."""
        if column is None:
            return [default] * total
        return [
            default
            if not text
            else BAD
            if exc is not None
            else default
            if value == NO_VALUE
            else value
            for text, (value, exc) in zip(texts[name], column, strict=True)
        ]

    def optional(name, column):
        """A field's parsed value on every row, None when empty, BAD when unreadable."""
        if column is None:
            return [None] * total
        return [BAD if exc is not None else value for value, exc in column]

    organizations = chosen(
        "organization", parsed("organization", v.vocabulary_value, "organization"), org_default
    )
    kinds = chosen("kind", parsed("kind", v.vocabulary_value, "kind"), kind_default)
    statuses = chosen("status", parsed("status", v.vocabulary_value, "status"), status_default)
    provinces = chosen(
        "province", parsed("province", v.vocabulary_value, "province"), province_default
    )
    latitude = optional("latitude", parsed("latitude", values.parse_number))
    longitude = optional("longitude", parsed("longitude", values.parse_number))
    postal = optional("postal_code", parsed("postal_code", values.parse_postal_code))
    phones = optional("phone", parsed("phone", values.parse_phone))
    websites = optional("website", parsed("website", values.parse_website))
    hours = optional("opening_hours", parsed("opening_hours", values.parse_opening_hours))
    verified = optional("last_verified", parsed("last_verified", values.parse_date))
    languages = chosen("languages", parsed("languages", v.languages), languages_default)
    services = _List(v, "services").column(texts["services"])
    accessibility = _List(v, "accessibility").column(texts["accessibility"])
    allowed = v.vocabulary.allowed_jurisdictions
    # X is both the Northwest Territories' and Nunavut's: check_row leaves it undecided too.
    by_letter = {
        letter: v.vocabulary.province_codes[code]
        for code, province_letters in validators.POSTAL_CODE_LETTERS.items()
        for letter in province_letters
        if letter != "X"
    }
    letters = validators.POSTAL_CODE_LETTERS
    west, south, east, north = validators.CANADA_EXTENT
    extents = {
        code: (
            w - values.EXTENT_MARGIN,
            s - values.EXTENT_MARGIN,
            e + values.EXTENT_MARGIN,
            n + values.EXTENT_MARGIN,
        )
        for code, (w, s, e, n) in values.PROVINCE_EXTENTS.items()
    }
    address_postal, address_community, dates, countries = {}, {}, {}, {}
    ids, names_en, names_fr = texts["external_id"], texts["name_en"], texts["name_fr"]
    streets, communities, country = texts["street_address"], texts["community"], texts["country"]
    postal_texts = texts["postal_code"]
    line_numbers = v.table.line_numbers
    records = {}
    for i in indices:
        external_id, name_en, name_fr = ids[i], names_en[i], names_fr[i]
        if not external_id or len(external_id) > ID_MAX or not (name_en or name_fr):
            continue
        if len(name_en) > NAME_MAX or len(name_fr) > NAME_MAX:
            continue
        organization, kind, status, province = (
            organizations[i],
            kinds[i],
            statuses[i],
            provinces[i],
        )
        if organization is None or organization is BAD or kind is BAD or status is BAD:
            continue
        if province is BAD:
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
        lat, lon = latitude[i], longitude[i]
        if lat is None or lon is None or lat is BAD or lon is BAD:
            continue
        if not (west <= lon <= east and south <= lat <= north):
            continue
        postal_code = postal[i]
        if postal_code is BAD:
            continue
        if not postal_texts[i]:
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
        w, s, e, n = extents[province.code]
        if not (w <= lon <= e and s <= lat <= n):
            continue
        phone, website, opening_hours, last_verified = (
            phones[i],
            websites[i],
            hours[i],
            verified[i],
        )
        if phone is BAD or website is BAD or opening_hours is BAD or last_verified is BAD:
            continue
        if last_verified is not None:
            if last_verified not in dates:
                dates[last_verified] = _date_ok(last_verified, v.today)
            if not dates[last_verified]:
                continue
        point_languages, point_services, point_accessibility = (
            languages[i],
            services[i],
            accessibility[i],
        )
        if point_languages is BAD or point_services is None or point_accessibility is None:
            continue
        community = communities[i]
        if not community:
            address = raw_address[i]
            if address not in address_community:
                address_community[address] = values.community_in(address, v.vocabulary.provinces)
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
            phone=phone or "",
            website=website or "",
            languages=list(point_languages or ()),
            opening_hours=opening_hours or "",
            accessibility=point_accessibility,
            last_verified=last_verified,
            service_ids=point_services,
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
    sorted, distinct values (service ids, accessibility codes), or None when any item is
    unknown (check_row reports it)."""

    def __init__(self, validation, field):
        assert VOCABULARY_FIELDS[field].listed
        self.known = validation.vocabulary.table(field)
        self.mapped = validation.mapped.get(field, {})
        self.ids = field == "services"

    def column(self, texts):
        cells = {text: self.at(text) for text in set(texts)}
        return list(map(cells.__getitem__, texts))

    def at(self, text):
        found = []
        for item in values.split_list(text):
            key = normalize(item)
            if key in self.mapped:
                found.extend(self.mapped[key])
            elif key in self.known:
                found.append(self.known[key])
            else:
                return None
        if self.ids:
            return sorted({service.pk for service in found})
        return sorted(set(found))


def _date_ok(value, today):
    try:
        values.check_date(value, today)
    except values.Invalid:
        return False
    return True
