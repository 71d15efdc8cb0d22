"""Where a row is: its coordinates, its geometry, or its postal area or community; checked
against Canada and its province, and against near duplicates in the same file.

Communities are found in the gazetteer (`imports.gazetteer`: GeoNames, the Canadian
Geographical Names Database, with alternate and former names) by name within the row's
province, or through the source's community mapping ("Sudbury" = "Greater Sudbury", or
coordinates).
The gazetteer is asked once per file, for every community the file names.
"""

import math
from collections import Counter

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from .. import validators
from ..models import Gazetteer, LocationPrecision
from . import gazetteer, values
from .issues import warning
from .mapping import normalize_header as normalize
from .value_mapping import COMMUNITY, COMMUNITY_CODE, lookup_table

# How a row was placed, as counted in the run's report.
PLACED_BY = {
    "coordinates": gettext_noop("coordinates"),
    "geometry": gettext_noop("the file's geometry"),
    "postal_area": gettext_noop("postal code"),
    "community": gettext_noop("community"),
    "mapping": gettext_noop("community mapping"),
}

# Two rows with the same name closer than this are probably the same place.
DUPLICATE_DISTANCE_M = 50


def gazetteer_message_id(value):
    """The untranslated label of a gazetteer, for a report shown in its reader's language."""
    with translation.override(None):
        return str(Gazetteer(value).label)


def placement_summary(placed):
    """The run's `placed` counts for people: {"placed", "rows", "share" (percent), "means":
    [(label, count, [(gazetteer label, count)])]} in the active language (the gazetteers only
    for communities). None when no row was checked."""
    placed = placed or {}
    rows = sum(placed.get(means, 0) for means in [*PLACED_BY, "unplaced"])
    if not rows:
        return None
    gazetteers = [
        (gazetteer.gazetteer_label(name.partition(":")[2]), count)
        for name, count in sorted(placed.items())
        if name.startswith("gazetteer:")
    ]
    means = [
        (gettext(label), placed.get(key, 0), gazetteers if key == "community" else [])
        for key, label in PLACED_BY.items()
    ]
    means.append((gettext("not placed"), placed.get("unplaced", 0), []))
    done = rows - placed.get("unplaced", 0)
    return {"placed": done, "rows": rows, "share": round(100 * done / rows), "means": means}


class LocationChecks:
    """Mixed into `validate.Validation` (which gives `vocabulary`, `columns`, `records`,
    `issues`, `file` and `mapping`)."""

    def locate(self, row, geometry, province, postal_code, community):
        """(lon, lat) and precision from the coordinates, the geometry, the postal area or the
        community, in that order; None (with an error) when there is nothing to place it.
        Counts in `self.placed` how each row was placed (and by which gazetteer)."""
        lon_lat, precision, means = self._locate(row, geometry, province, postal_code, community)
        if lon_lat is not None:
            self.placed[means] += 1
        else:
            self.placed["unplaced"] += 1
        return lon_lat, precision

    def _locate(self, row, geometry, province, postal_code, community):
        lat_text, lon_text = row.text("latitude"), row.text("longitude")
        if lat_text or lon_text:
            lat = row.parse("latitude", values.parse_number)
            lon = row.parse("longitude", values.parse_number)
            if lat is None or lon is None:
                if lat_text and lon_text:
                    return None, None, None
                row.report(
                    "error",
                    "incomplete_coordinates",
                    gettext_noop("Only one of latitude and longitude is given."),
                    "latitude" if not lat_text else "longitude",
                )
                return None, None, None
            return self.check_in_canada(row, lon, lat), LocationPrecision.EXACT, "coordinates"
        if geometry is not None:
            if geometry.geom_type == "MultiPoint" and len(geometry) == 1:
                geometry = geometry[0]
            if geometry.geom_type != "Point":
                row.report(
                    "error",
                    "not_a_point",
                    gettext_noop("The geometry is a %(type)s; service points must be points."),
                    type=geometry.geom_type,
                )
                return None, None, None
            lon_lat = self.check_in_canada(row, geometry.x, geometry.y)
            return lon_lat, LocationPrecision.EXACT, "geometry"
        if postal_code:
            area = self.vocabulary.postal_areas.get(postal_code[:3])
            if area is not None:
                row.report(
                    "warning",
                    "placed_at_postal_area",
                    gettext_noop(
                        "No coordinates: placed at the centre of postal area %(fsa)s, which "
                        "can be kilometres from the address."
                    ),
                    "postal_code",
                    postal_code,
                    fsa=postal_code[:3],
                )
                location = (area.location.x, area.location.y)
                return location, LocationPrecision.POSTAL_AREA, "postal_area"
        if community and province is not None:
            return self.locate_community(row, community, province)
        row.report(
            "error",
            "no_location",
            gettext_noop(
                "No location: give latitude and longitude, or a postal code or community that "
                "can be found."
            ),
            "latitude" if "latitude" in self.columns else "",
        )
        return None, None, None

    def locate_community(self, row, community, province):
        """A community through the source's mapping, else the gazetteer; an unknown one is an
        error naming the community and the province (grouped in the report, with the closest
        names of the gazetteer)."""
        key = normalize(community)
        spec = self.community_mapping.get(key)
        if spec is not None:
            match = self.mapped_place(row, community, spec, province)
            if match is None:
                return None, None, None
            row.report(
                "warning",
                "placed_by_mapping",
                gettext_noop(
                    "No coordinates: placed at %(place)s, as the source's community mapping "
                    "says for “%(community)s”."
                ),
                COMMUNITY,
                community,
                community=community,
                place=match.name,
            )
            return (match.lon, match.lat), LocationPrecision.COMMUNITY, "mapping"
        match = self.gazetteer_places().get((key, province.pk))
        if match is not None:
            row.report(
                "warning",
                "placed_at_community",
                gettext_noop(
                    "No coordinates: placed at the centre of %(community)s (%(gazetteer_label)s)."
                ),
                COMMUNITY,
                community,
                community=match.name,
                gazetteer_label=gazetteer_message_id(match.gazetteer),
            )
            self.placed[f"gazetteer:{match.gazetteer}"] += 1
            return (match.lon, match.lat), LocationPrecision.COMMUNITY, "community"
        row.report(
            "error",
            COMMUNITY_CODE,
            gettext_noop(
                "No location: “%(value)s” is not a place of the gazetteer in %(province)s; map "
                "it to a place or to latitude,longitude."
            ),
            COMMUNITY,
            community,
            value=community,
            province=province.code,
        )
        return None, None, None

    @property
    def community_mapping(self):
        """{normalised community: place} of the source's value mapping."""
        if self._community_mapping is None:
            self._community_mapping = lookup_table(self.values, COMMUNITY)
        return self._community_mapping

    def mapped_place(self, row, community, spec, province):
        """The place a mapping names, resolved once per province; an error of the row (the
        gazetteer's reason: unknown, ambiguous, outside the province…) when it cannot be."""
        key = (spec, province.pk)
        if key not in self._mapped_places:
            try:
                self._mapped_places[key] = (gazetteer.resolve_place(spec, province.pk), None)
            except gazetteer.PlaceError as exc:
                self._mapped_places[key] = (None, exc)
        match, exc = self._mapped_places[key]
        if exc is not None:
            row.report("error", "place_mapping", exc.message, COMMUNITY, community, **exc.params)
        return match

    def gazetteer_places(self):
        """Every community of the file found in the gazetteer, in any province, asked once:
        {(normalised name, province id): PlaceMatch}."""
        if self._gazetteer_places is None:
            names = set(self.texts.get(COMMUNITY) or ())
            addresses = self.raw.get("street_address")
            if addresses is not None and COMMUNITY not in self.mapping:
                names.update(
                    values.community_in(address, self.vocabulary.provinces)
                    for address in set(addresses)
                )
            names.discard("")
            provinces = [province.pk for province in self.vocabulary.province_codes.values()]
            self._gazetteer_places = gazetteer.find_places(
                [(name, province) for name in names for province in provinces]
            )
        return self._gazetteer_places

    def check_in_canada(self, row, lon, lat):
        extent = validators.CANADA_EXTENT
        if values.inside(extent, lon, lat):
            return lon, lat
        if values.inside(extent, lat, lon) or values.inside(extent, -lon, lat):
            row.report(
                "error",
                "swapped_coordinates",
                gettext_noop(
                    "Longitude %(lon)s and latitude %(lat)s look swapped or missing a minus "
                    "sign: longitudes in Canada are negative (-141 to -52), latitudes 41 to "
                    "84."
                ),
                "longitude",
                f"{lon}, {lat}",
                lon=lon,
                lat=lat,
            )
        else:
            row.report(
                "error",
                "outside_canada",
                gettext_noop(
                    "The location (longitude %(lon)s, latitude %(lat)s) is outside Canada."
                ),
                "latitude",
                f"{lon}, {lat}",
                lon=lon,
                lat=lat,
            )
        return None

    def province_at(self, lon, lat):
        matches = [
            code
            for code, extent in values.PROVINCE_EXTENTS.items()
            if values.inside(extent, lon, lat)
        ]
        return self.vocabulary.province_codes[matches[0]] if len(matches) == 1 else None

    def check_near_duplicates(self):
        """Same name (either language) within 50 m of another row: probably the same place."""
        cell = 0.001  # degrees of latitude (111 m); neighbours: the 3x3 cells around
        names = {record.name_en for record in self.records}
        normalized = {name: normalize(name) for name in names}  # Files repeat names.
        keys = [normalized[record.name_en] for record in self.records]
        repeated = {key for key, count in Counter(keys).items() if count > 1}
        grid = {}
        for key, record in zip(keys, self.records, strict=True):
            if key not in repeated:
                continue
            # Longitude scaled by the parallel's length, so cells stay ~111 m wide up north.
            x = int(record.lon * math.cos(math.radians(record.lat)) // cell)
            y = int(record.lat // cell)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for other in grid.get((key, x + dx, y + dy), ()):
                        if distance_m(record, other) <= DUPLICATE_DISTANCE_M:
                            self.issues.append(
                                warning(
                                    "near_duplicate",
                                    gettext_noop(
                                        "“%(name)s” is also on row %(first)s, %(distance)s m "
                                        "away: is it the same place?"
                                    ),
                                    file=self.file,
                                    row=record.line,
                                    column=self.mapping.get("name_en", ""),
                                    value=record.name_en,
                                    params={
                                        "name": record.name_en,
                                        "first": other.line,
                                        "distance": round(distance_m(record, other)),
                                    },
                                )
                            )
            grid.setdefault((key, x, y), []).append(record)


def distance_m(a, b):
    """Distance on the sphere (haversine), enough for a 50 m test."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))
