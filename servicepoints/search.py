"""The map's search box: populated places, postal codes and service points by name.

Matching ignores case and the accents of French (so "montreal" finds Montréal). The text is
folded to plain lower-case letters and each letter becomes a class of its accented forms in a
case-insensitive regular expression ("montreal" -> m[oòóôõö][nñ]tr[eèéêë][aàáâãäå]l): on 5,700
names that costs about 5 ms, where `translate()` on both sides cost 40 ms and `unaccent` needs
an extension.
"""

import re
import unicodedata

from django.contrib.gis.db.models import Extent
from django.db.models import Case, Count, F, IntegerField, Q, When

from .models import POSTAL_PREFIX_RE, PopulatedPlace

MAX_RESULTS = 10
# Places come first but leave room for service points.
MAX_PLACES_FIRST = 5
# Places are read this many times over the results shown: gazetteers repeat one another.
DUPLICATES_PER_PLACE = 3
# A postal area with a single point (or points at one spot) still gets a box to zoom to:
# at least this many degrees wide and high (about 1 km).
MIN_BOX_DEGREES = 0.01

ACCENTED = {
    "a": "àáâãäå",
    "c": "ç",
    "e": "èéêë",
    "i": "ìíîï",
    "n": "ñ",
    "o": "òóôõö",
    "u": "ùúûü",
    "y": "ýÿ",
}


def fold(text):
    """Lower case without accents: "Île-d'Orléans" becomes "ile-d'orleans"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def accent_pattern(text):
    """A PostgreSQL regular expression (for `~*`) matching the text with or without accents.

    Everything but the letters is escaped, so the text is never read as a pattern.
    """
    return "".join(
        f"[{char}{ACCENTED[char]}]" if char in ACCENTED else re.escape(char) for char in fold(text)
    )


def _starts_first(condition):
    """0 for the rows whose name starts with the text, 1 for the others: sorts them first."""
    return Case(When(condition, then=0), default=1, output_field=IntegerField())


def postal_prefix(text):
    """ "k1p1" becomes "K1P 1"; None when the text is not the start of a postal code."""
    compact = text.replace(" ", "").upper()
    if not POSTAL_PREFIX_RE.match(compact):
        return None
    return compact[:3] + (" " + compact[3:] if len(compact) > 3 else "")


def _box(extent):
    west, south, east, north = extent
    if east - west < MIN_BOX_DEGREES:
        middle = (west + east) / 2
        west, east = middle - MIN_BOX_DEGREES / 2, middle + MIN_BOX_DEGREES / 2
    if north - south < MIN_BOX_DEGREES:
        middle = (south + north) / 2
        south, north = middle - MIN_BOX_DEGREES / 2, middle + MIN_BOX_DEGREES / 2
    return [round(value, 6) for value in (west, south, east, north)]


def postal_code_results(points, text):
    """The extent of the points whose postal code starts with the text (K1P, K1P 1J1)."""
    prefix = postal_prefix(text)
    if prefix is None:
        return []
    found = points.filter(postal_code__startswith=prefix).aggregate(
        extent=Extent("location"), count=Count("pk")
    )
    if not found["count"]:
        return []
    west, south, east, north = found["extent"]
    return [
        {
            "type": "postal_code",
            "label": prefix,
            "lon": round((west + east) / 2, 6),
            "lat": round((south + north) / 2, 6),
            "bbox": _box(found["extent"]),
            "id": None,
        }
    ]


def place_results(text, limit):
    """Populated places whose name (in either language) contains the text: names starting with
    it first, then the most populous; each place once, though several gazetteers have it."""
    pattern = accent_pattern(text)
    places = (
        PopulatedPlace.objects.filter(Q(name__iregex=pattern) | Q(name_fr__iregex=pattern))
        .annotate(
            rank=_starts_first(Q(name__iregex="^" + pattern) | Q(name_fr__iregex="^" + pattern))
        )
        .select_related("province")
        .only("name", "name_fr", "location", "province__code")
        .order_by(
            "rank",
            F("population").desc(nulls_last=True),
            F("relevance_at_scale").desc(nulls_last=True),
            "name",
            "pk",
        )[: limit * DUPLICATES_PER_PLACE]
    )
    results, seen = [], set()
    for place in places:
        label = f"{place.localized_name}, {place.province.code}"
        # The same place from another gazetteer: the same name in a neighbouring cell of a
        # tenth of a degree (within about 10 km).
        x, y = round(place.location.x * 10), round(place.location.y * 10)
        if any((label, x + dx, y + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            continue
        seen.add((label, x, y))
        results.append(
            {
                "type": "place",
                "label": label,
                "lon": round(place.location.x, 6),
                "lat": round(place.location.y, 6),
                "bbox": None,
                "id": None,
            }
        )
    return results[:limit]


def service_point_results(points, text, limit):
    """Service points whose name, in either language, contains the text."""
    pattern = accent_pattern(text)
    found = (
        points.filter(Q(name_en__iregex=pattern) | Q(name_fr__iregex=pattern))
        .annotate(
            rank=_starts_first(Q(name_en__iregex="^" + pattern) | Q(name_fr__iregex="^" + pattern))
        )
        .select_related("province")
        .only("pk", "name_en", "name_fr", "community", "location", "province__code")
        .order_by("rank", "name_en", "pk")[:limit]
    )
    results = []
    for point in found:
        place = ", ".join(part for part in (point.community, point.province.code) if part)
        results.append(
            {
                "type": "service_point",
                "label": f"{point.name} ({place})" if place else point.name,
                "lon": round(point.location.x, 6),
                "lat": round(point.location.y, 6),
                "bbox": None,
                "id": point.pk,
            }
        )
    return results


def search(text, points):
    """Up to MAX_RESULTS results for the text: a postal area, places, then service points.

    `points` is the queryset of points the user may see (`ServicePoint.objects.visible_to`).
    """
    postal = postal_code_results(points, text)
    places = place_results(text, MAX_RESULTS)
    service_points = service_point_results(points, text, MAX_RESULTS)
    results = [*postal, *places[:MAX_PLACES_FIRST], *service_points]
    results += places[MAX_PLACES_FIRST:]
    return results[:MAX_RESULTS]
