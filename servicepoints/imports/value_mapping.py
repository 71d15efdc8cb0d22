"""What a source's own values stand for: value mappings, unknown values, closest matches.

A province writes "ServiceOntario Centre" where the registry says `centre`, "Sudbury" where the
gazetteer says "Greater Sudbury". A *value mapping* says so once, per field:
`{field: {value as the file writes it: code}}` (for communities, the code is a place: a
gazetteer name, "Name, ON", "#<place id>" or "LAT,LON"). It comes from the command line
(`--value kind:ServiceOntario Centre=centre`, `--place "Sudbury=Greater Sudbury"`) or from the
admin's "Unknown values" step, is saved in the source's preset when the import is applied and
applies to every later refresh of that source. A value mapped to "" stands for no value: the
row takes the value for every row (`--default`), and a list cell drops it.

Validation reports each value it cannot read once per row (the CSV report keeps every row);
`collect_unknown()` turns those into one entry per distinct value, with its row count, first
rows and the closest accepted values, for the "Unknown values" step and the grouped report.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext, gettext_noop

from ..models import Accessibility, Jurisdiction, Kind, Organization, Service, Status
from .mapping import normalize_header as normalize
from .values import Invalid, parse_languages, split_list

# A value mapped to this stands for "no value".
NO_VALUE = ""
# Rows listed after a distinct value ("192 rows: 2, 3, 4, …").
FIRST_ROWS = 10
CLOSEST_CUTOFF = 0.6


@dataclass(frozen=True)
class VocabularyField:
    """A field whose cells must be one of the registry's values."""

    name: str
    code: str  # of the issue an unknown value raises
    problem: str  # message id, with %(value)s
    listed: bool = False  # a cell holds several values separated by ; , or |


VOCABULARY_FIELDS = {
    field.name: field
    for field in (
        VocabularyField(
            "kind", "unknown_kind", gettext_noop("“%(value)s” is not a kind of service point")
        ),
        VocabularyField("status", "unknown_status", gettext_noop("“%(value)s” is not a status")),
        VocabularyField(
            "organization",
            "unknown_organization",
            gettext_noop("“%(value)s” is not an organization of the registry"),
        ),
        VocabularyField(
            "province",
            "unknown_province",
            gettext_noop("“%(value)s” is not a province or territory"),
        ),
        VocabularyField(
            "languages",
            "unknown_language",
            gettext_noop("“%(value)s” is not a list of ISO 639 language codes"),
        ),
        VocabularyField(
            "services",
            "unknown_service",
            gettext_noop("“%(value)s” is not a service of the registry"),
            listed=True,
        ),
        VocabularyField(
            "accessibility",
            "unknown_accessibility",
            gettext_noop("“%(value)s” is not an accessibility feature"),
            listed=True,
        ),
    )
}
COMMUNITY = "community"
COMMUNITY_CODE = "unknown_community"
COMMUNITY_PROBLEM = gettext_noop("“%(value)s” is not a place of the gazetteer in %(province)s")
# Every field a value mapping may name.
MAPPABLE = [*VOCABULARY_FIELDS, COMMUNITY]
FIELD_OF_CODE = {field.code: field.name for field in VOCABULARY_FIELDS.values()}
FIELD_OF_CODE[COMMUNITY_CODE] = COMMUNITY
LANGUAGE_EXAMPLES = "en, fr, iu, cr, oj, mic"


def accepted(field, user=None):
    """[(code, label)] of the values a field accepts, labels in the active language.

    Organizations are those the user may change (all of them without a user)."""
    if field == "kind":
        return list(Kind.choices)
    if field == "status":
        return list(Status.choices)
    if field == "accessibility":
        return list(Accessibility.choices)
    if field == "province":
        return [(p.code, p.name) for p in Jurisdiction.objects.provinces_and_territories()]
    if field == "organization":
        organizations = Organization.objects.all()
        if user is not None:
            organizations = organizations.editable_by(user)
        return [(o.code, o.name) for o in organizations.order_by("code")]
    if field == "services":
        return [(s.code, s.name) for s in Service.objects.order_by("code")]
    return []


def accepted_codes(field):
    """The accepted codes as one line of text ("centre, outreach, …")."""
    if field == "languages":
        return LANGUAGE_EXAMPLES + ", …"
    return ", ".join(code for code, _label in accepted(field))


def closest(text, table, limit=3):
    """The values of `table` (normalised text -> code) whose texts are closest to `text`,
    best first: similar spelling (difflib's ratio) or the words of a known text all in it
    ("ServiceOntario Centre" holds "centre"). At most `limit`; none below the cut-off."""
    key = normalize(text)
    words = set(key.split())
    best = {}
    for candidate, code in table.items():
        if not candidate or code is None:
            continue
        score = SequenceMatcher(None, key, candidate).ratio()
        candidate_words = set(candidate.split())
        if candidate_words and candidate_words <= words:
            # Every word of a known text is in the value: a close, more specific phrase.
            score = max(score, 0.7 + 0.2 * len(candidate_words) / len(words))
        code = str(code)
        if score >= CLOSEST_CUTOFF and score > best.get(code, 0):
            best[code] = score
    return [code for code, _score in sorted(best.items(), key=lambda item: -item[1])][:limit]


def check_code(field, code, vocabulary):
    """The registry value a mapping's code stands for (NO_VALUE for ""); Invalid otherwise.

    Codes are what `accepted()` lists (kinds, statuses, accessibility features as their code;
    organizations, provinces and services by code, or by name); languages are ISO 639 codes
    ("en;fr"); lists (services, accessibility) may give several codes separated by ";"."""
    code = (code or "").strip()
    if not code:
        return NO_VALUE
    if field == "languages":
        return parse_languages(code)
    table = vocabulary.table(field)
    if VOCABULARY_FIELDS[field].listed:
        found = []
        for part in split_list(code):
            value = table.get(normalize(part))
            if value is None:
                raise _not_accepted(field, part, table)
            found.append(value)
        return tuple(found)
    value = table.get(normalize(code))
    if value is None:
        raise _not_accepted(field, code, table)
    return value


def _not_accepted(field, code, table):
    suggestions = closest(code, vocabulary_codes(table, field))
    return Invalid(
        "unknown_mapping_code",
        gettext_noop(
            "“%(value)s” is not a value of %(field)s. Accepted: %(accepted)s. Closest: "
            "%(closest)s."
        )
        if suggestions
        else gettext_noop("“%(value)s” is not a value of %(field)s. Accepted: %(accepted)s."),
        value=code,
        field=field,
        accepted=accepted_codes(field),
        closest=", ".join(suggestions),
    )


def vocabulary_codes(table, field):
    """The same table with codes for values (organizations, provinces, services by code)."""
    if field in ("organization", "province", "services"):
        return {text: value.code for text, value in table.items()}
    return table


def parse_value_option(text):
    """`FIELD:FILE_VALUE=CODE` (the command's --value) -> (field, file value, code)."""
    field, colon, rest = text.partition(":")
    file_value, equals, code = rest.rpartition("=")
    field = field.strip()
    if not colon or not equals or field not in VOCABULARY_FIELDS or not file_value.strip():
        raise ValueError(text)
    return field, file_value.strip(), code.strip()


def parse_place_option(text):
    """`COMMUNITY=PLACE` (the command's --place) -> (community, place)."""
    community, equals, place = text.partition("=")
    if not equals or not community.strip() or not place.strip():
        raise ValueError(text)
    return community.strip(), place.strip()


def merged(*maps):
    """Value mappings merged field by field, later ones winning ({} entries dropped)."""
    result = {}
    for values in maps:
        for field, entries in (values or {}).items():
            if field in MAPPABLE and entries:
                result.setdefault(field, {}).update(entries)
    return result


def lookup_table(values, field):
    """{normalised value in the file: code} of one field's mapping."""
    return {normalize(text): code for text, code in (values or {}).get(field, {}).items()}


def collect_unknown(issues, vocabulary, suggest_places=None):
    """One entry per distinct unknown value of each column, in file order:

        {"field", "column", "value", "province" (communities), "rows" (count),
         "first_rows": [...], "closest": [codes] (for communities: [{"spec" ("#<place id>"),
         "name", "gazetteer"}])}

    `suggest_places(pairs)` gives the closest gazetteer places of (community, province id)
    pairs (gazetteer.suggest_places)."""
    entries = {}
    for issue in issues:
        field = FIELD_OF_CODE.get(issue.code)
        if field is None or issue.row is None:
            continue
        province = issue.params.get("province", "") if field == COMMUNITY else ""
        key = (field, issue.column, issue.value, province)
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = {
                "field": field,
                "column": issue.column,
                "value": issue.value,
                "province": province,
                "rows": 0,
                "first_rows": [],
                "closest": [],
            }
        entry["rows"] += 1
        if len(entry["first_rows"]) < FIRST_ROWS:
            entry["first_rows"].append(issue.row)
    communities = []
    for entry in entries.values():
        if entry["field"] == COMMUNITY:
            communities.append(entry)
        elif entry["field"] != "languages":
            table = vocabulary_codes(vocabulary.table(entry["field"]), entry["field"])
            entry["closest"] = closest(entry["value"], table)
    if communities and suggest_places is not None:
        provinces = {p.code: p.pk for p in vocabulary.province_codes.values()}
        pairs = [(entry["value"], provinces.get(entry["province"])) for entry in communities]
        found = suggest_places([pair for pair in pairs if pair[1] is not None])
        for entry, (text, province_id) in zip(communities, pairs, strict=True):
            entry["closest"] = [
                {
                    "spec": f"#{suggestion.place_id}",
                    "name": suggestion.label,
                    "gazetteer": suggestion.gazetteer,
                }
                for suggestion in found.get((normalize(text), province_id), [])
            ]
    return list(entries.values())


def place_label(suggestion):
    """ "Greater Sudbury (GeoNames)", "Nepean (Ottawa) (GeoNames)"."""
    from .gazetteer import gazetteer_label

    label = gazetteer_label(suggestion.get("gazetteer", ""))
    return f"{suggestion['name']} ({label})" if label else suggestion["name"]


def describe_unknown(entry, rows, accepted=""):
    """The grouped report's line for an unknown value, in the active language:
    'Type: “ServiceOntario Centre” is not a kind of service point (192 rows: 2, 3, 4, …).
    Accepted: centre, outreach, …. Closest: centre.'"""
    field = entry["field"]
    params = {"column": entry["column"], "rows": rows, "accepted": accepted}
    if field == COMMUNITY:
        params["problem"] = gettext(COMMUNITY_PROBLEM) % {
            "value": entry["value"],
            "province": entry["province"],
        }
        if entry["closest"]:
            params["closest"] = "; ".join(place_label(place) for place in entry["closest"])
            return gettext("%(column)s: %(problem)s (%(rows)s). Closest places: %(closest)s.") % (
                params
            )
        return (
            gettext(
                "%(column)s: %(problem)s (%(rows)s). No place has a close name: map it to a place "
                "or to latitude,longitude."
            )
            % params
        )
    params["problem"] = gettext(VOCABULARY_FIELDS[field].problem) % {"value": entry["value"]}
    if entry["closest"]:
        params["closest"] = ", ".join(entry["closest"])
        return (
            gettext(
                "%(column)s: %(problem)s (%(rows)s). Accepted: %(accepted)s. Closest: %(closest)s."
            )
            % params
        )
    return (
        gettext("%(column)s: %(problem)s (%(rows)s). Accepted: %(accepted)s. No close match.")
        % params
    )
