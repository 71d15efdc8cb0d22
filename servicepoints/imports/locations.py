"""Where a row is: its coordinates, its geometry, or its postal area or community; checked
against Canada and its province, and against near duplicates in the same file."""

import math
from collections import Counter

from django.utils.translation import gettext_noop

from .. import validators
from ..models import LocationPrecision
from . import values
from .issues import warning
from .mapping import normalize_header as normalize

# Two rows with the same name closer than this are probably the same place.
DUPLICATE_DISTANCE_M = 50


class LocationChecks:
    """Mixed into `validate.Validation` (which gives `vocabulary`, `columns`, `records`,
    `issues`, `file` and `mapping`)."""

    def locate(self, row, geometry, province, postal_code, community):
        """(lon, lat) and precision from the coordinates, the geometry, the postal area or the
        community, in that order; None (with an error) when there is nothing to place it."""
        lat_text, lon_text = row.text("latitude"), row.text("longitude")
        if lat_text or lon_text:
            lat = row.parse("latitude", values.parse_number)
            lon = row.parse("longitude", values.parse_number)
            if lat is None or lon is None:
                if lat_text and lon_text:
                    return None, None
                row.report(
                    "error",
                    "incomplete_coordinates",
                    gettext_noop("Only one of latitude and longitude is given."),
                    "latitude" if not lat_text else "longitude",
                )
                return None, None
            return self.check_in_canada(row, lon, lat), LocationPrecision.EXACT
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
                return None, None
            return self.check_in_canada(row, geometry.x, geometry.y), LocationPrecision.EXACT
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
                return (area.location.x, area.location.y), LocationPrecision.POSTAL_AREA
        if community and province is not None:
            place = self.vocabulary.places.get((normalize(community), province.pk))
            if place is not None:
                row.report(
                    "warning",
                    "placed_at_community",
                    gettext_noop("No coordinates: placed at the centre of %(community)s."),
                    "community",
                    community,
                    community=community,
                )
                return (place.location.x, place.location.y), LocationPrecision.COMMUNITY
        row.report(
            "error",
            "no_location",
            gettext_noop(
                "No location: give latitude and longitude, or a postal code or community that "
                "can be found."
            ),
            "latitude" if "latitude" in self.columns else "",
        )
        return None, None

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
