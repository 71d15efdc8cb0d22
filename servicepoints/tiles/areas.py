"""Vector tiles of the census areas of one level: `/tiles/areas-LEVEL/{z}/{x}/{y}.pbf`.

The contract with the map: one layer, "areas", extent 4096; each feature's id is the area's id
(the map colours it with the values it fetches by area id: tiles hold geometry only, so one
tile serves every indicator and year), with properties `code` (the publisher's), `name` (in
the active language) and `level`.

Each area is drawn with its display shape for the zoom band of the tile (`AreaShape`: the one
with the largest `min_zoom` at or below z, generalised with its neighbours so shared
boundaries stay shared: servicepoints/layers/shapes.py). The areas are found with the GiST
index of their full boundary (EPSG:4326) against the tile's envelope, then each shape by the
unique (area, min_zoom) index: no table scan at any zoom.

Below the level's `min_zoom` (dissemination areas from zoom 10, layers migration 0006: a z9
tile of Toronto holds 6,400 of them, 283 KB, 50 ms of SQL at p95) a tile is an empty 200,
like an empty point tile, so that its ETag works as usual. `year`: the census year of the
areas (default: the level's latest with shapes). `overview=true` (a level the analyst fixed,
drawn whatever the zoom) draws it below its minimum zoom too, if the level has at most
OVERVIEW_MAX_AREAS areas that year (the 1,620 forward sortation areas nationally: yes;
57,000 dissemination areas: no, the tile stays empty).

Tiles are cached with the point tiles' machinery (`cache.cached`), under the "layers" data
version that triggers bump on any write to the areas, their levels or their shapes
(layers migration 0002); the areas are public statistics, so the key names no user scope.
"""

import re

from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

from ..filters import ParameterForm
from ..i18n import prefers_french
from ..models import DataVersion
from .cache import cached, tile_key
from .points import EXTENT, tile_bounds

LAYER = "areas"
# Tile units (4096 = the tile's width) of shape kept around the tile: the outline's stroke
# (2 px at most on a 256-px tile, 32 units) is never cut at the tile's edge.
BUFFER = 64
DATA_VERSION = "layers"


class AreaTileOptions(ParameterForm):
    year = forms.IntegerField(
        required=False,
        min_value=1800,
        max_value=2200,
        error_messages={"invalid": _("Give a census year, such as 2021.")},
    )
    overview = forms.BooleanField(required=False)


OVERVIEW_MAX_AREAS = 5_000


# Returned by `plain_year` when the query needs the form to be read (or refused).
NEEDS_FORM = object()


def plain_year(query):
    """The `year` of a tile's query without building `AreaTileOptions` (which cost a tenth of
    a cached tile's time): None when there is none, the year when it is plain digits the form
    would accept, else NEEDS_FORM (the form then decides, and explains a refusal)."""
    value = query.get("year") if query else None
    if not value:  # absent or empty: the form's None too
        return None
    if value.isascii() and value.isdigit() and 1800 <= int(value) <= 2200:
        return int(value)
    return NEEDS_FORM


# (level code, data version) -> level_and_years: finding the years reads every area of the
# level (45 ms for 57,000), so once per data version and process, not per tile.
_levels = {}


def level_and_years(code, version=None):
    """(level id, min_zoom, the years that have shapes, latest first) or None if unknown, as
    of the "layers" data version `version` (read now if not given)."""
    if version is None:
        version = DataVersion.current(DATA_VERSION)
    key = (code, version)
    if key not in _levels:
        if len(_levels) > 64:
            _levels.clear()
        _levels[key] = _read_level(code)
    return _levels[key]


_counts = {}


def area_count(level_id, year, version):
    """How many areas the level has in `year`, once per data version and process."""
    key = (level_id, year, version)
    if key not in _counts:
        if len(_counts) > 64:
            _counts.clear()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM layers_area WHERE level_id = %s AND year = %s",
                [level_id, year],
            )
            _counts[key] = cursor.fetchone()[0]
    return _counts[key]


def _read_level(code):
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT l.id, l.min_zoom,
                      ARRAY(SELECT DISTINCT a.year FROM layers_area a
                            WHERE a.level_id = l.id
                              AND EXISTS (SELECT FROM layers_areashape s WHERE s.area_id = a.id)
                            ORDER BY a.year DESC)
               FROM layers_arealevel l WHERE l.code = %s""",
            [code],
        )
        return cursor.fetchone()


# The shape of the tile's band; for an overview below the level's bands, its coarsest.
SHAPE = """SELECT geometry FROM layers_areashape
           WHERE area_id = a.id AND min_zoom <= %(z)s ORDER BY min_zoom DESC LIMIT 1"""
OVERVIEW_SHAPE = """SELECT geometry FROM layers_areashape WHERE area_id = a.id
                    ORDER BY min_zoom <= %(z)s DESC,
                             CASE WHEN min_zoom <= %(z)s THEN -min_zoom ELSE min_zoom END
                    LIMIT 1"""


def area_tile_sql(level_id, year, z, x, y, overview=False):
    """The statement building the tile (one bytea), and its parameters. `overview`: below
    the level's first band, draw its coarsest shapes."""
    xmin, ymin, xmax, ymax = tile_bounds(z, x, y)
    name = (
        "coalesce(nullif(a.name_fr, ''), a.name_en)"
        if prefers_french()
        else ("coalesce(nullif(a.name_en, ''), a.name_fr)")
    )
    envelope = "ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 3857)"
    shape = OVERVIEW_SHAPE if overview else SHAPE
    sql = f"""
        SELECT ST_AsMVT(t, '{LAYER}', {EXTENT}, 'geom', 'id') FROM (
            SELECT a.id, a.code, {name} AS name, l.code AS level,
                   ST_AsMVTGeom(s.geometry, {envelope}, {EXTENT}, {BUFFER}, true) AS geom
            FROM layers_area a
            JOIN layers_arealevel l ON l.id = a.level_id
            CROSS JOIN LATERAL ({shape}) s
            WHERE a.level_id = %(level)s AND a.year = %(year)s
              AND a.geometry && ST_Transform({envelope}, 4326)
              AND s.geometry && {envelope}
        ) t WHERE geom IS NOT NULL
    """  # noqa: S608
    params = {"level": level_id, "year": year, "z": z}
    params.update(xmin=xmin, ymin=ymin, xmax=xmax, ymax=ymax)
    # `cached` binds positionally: the named parameters become positional in order.
    return _positional(sql, params)


def _positional(sql, params):
    """`sql` with each %(name)s as %s, and the values in the order they appear."""
    names = re.findall(r"%\((\w+)\)s", sql)
    return re.sub(r"%\((\w+)\)s", "%s", sql), [params[name] for name in names]


class AreaTile:
    """One area tile for one language: its ETag (known before any tile SQL) and its bytes."""

    def __init__(self, version, level_code, level_id, min_zoom, year, z, x, y, overview=False):
        """`overview`: draw the tile even below the level's minimum zoom (the caller checked
        the level is small enough: OVERVIEW_MAX_AREAS)."""
        self.level_id, self.year, self.z, self.x, self.y = level_id, year, z, x, y
        below = z < min_zoom
        self.empty = below and not overview
        self.overview = below and overview
        self.version = version
        language = "fr" if prefers_french() else "en"
        parts = [LAYER, self.version, level_code, year, language, z, x, y]
        # Only a tile below the minimum zoom differs with `overview`: others share their key.
        if below and overview:
            parts.append("overview")
        self.key = tile_key(*parts)

    @property
    def etag(self):
        return f'"{self.key.hex}"'

    def content(self):
        if self.empty:
            return b""
        sql, params = area_tile_sql(
            self.level_id, self.year, self.z, self.x, self.y, overview=self.overview
        )
        return bytes(cached(self.key, self.version, sql, params))
